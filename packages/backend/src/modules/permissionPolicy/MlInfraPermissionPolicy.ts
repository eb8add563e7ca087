import { Config } from '@backstage/config';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  mlInfraIngestPermission,
  mlInfraResultsReadPermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverRevokePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';

/** Who may read a module's results: every signed-in user, or its owners and governance. */
export type ResultsReadableBy = 'everyone' | 'owners';

/**
 * The portal's permission policy.
 *
 * - Governance (members of `mlInfra.governance.groups`) approve, reject and revoke waivers.
 * - Owners of a module request waivers on it.
 * - An entity is deleted by its owners or governance. A catalog location is deleted by governance
 *   only: deleting it removes every entity it holds, whoever owns them, and the permission names
 *   no resource an ownership rule could be checked against.
 * - Results are read by every signed-in user, or (`mlInfra.governance.resultsReadableBy: owners`)
 *   by the module's owners and governance only; the ML Infra backend applies the conditional
 *   decision to its lists too, and reads entities with the caller's credentials, so catalog
 *   visibility applies on top.
 * - Users never push CI results.
 * - Everything else is allowed to signed-in users, as in a stock Backstage.
 *
 * Service principals (CI tokens, other plugins) never reach this policy: Backstage's permission
 * client decides them from their `accessRestrictions`. What CI may do is decided by the
 * tokens' permission lists and by the ML Infra backend (one module per CI identity; waiver
 * decisions by users only).
 */
export class MlInfraPermissionPolicy implements PermissionPolicy {
  private readonly governanceGroups: string[];
  private readonly userInfo: UserInfoService;
  private readonly resultsReadableBy: ResultsReadableBy;

  static fromConfig(config: Config, options: { userInfo: UserInfoService }) {
    const readableBy =
      config.getOptionalString('mlInfra.governance.resultsReadableBy') ??
      'everyone';
    if (readableBy !== 'everyone' && readableBy !== 'owners') {
      throw new Error(
        `mlInfra.governance.resultsReadableBy must be 'everyone' or 'owners', not '${readableBy}'`,
      );
    }
    return new MlInfraPermissionPolicy(
      config.getOptionalStringArray('mlInfra.governance.groups') ?? [
        'group:default/ml-governance',
      ],
      options.userInfo,
      readableBy,
    );
  }

  constructor(
    governanceGroups: string[],
    userInfo: UserInfoService,
    resultsReadableBy: ResultsReadableBy = 'everyone',
  ) {
    this.governanceGroups = governanceGroups.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    this.userInfo = userInfo;
    this.resultsReadableBy = resultsReadableBy;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;

    if (isPermission(permission, mlInfraIngestPermission)) {
      return { result: AuthorizeResult.DENY };
    }

    if (
      isPermission(permission, mlInfraWaiverApprovePermission) ||
      isPermission(permission, mlInfraWaiverRevokePermission)
    ) {
      const governance = await this.isGovernance(user);
      return {
        result: governance ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }

    const ownPermission =
      isPermission(permission, mlInfraWaiverCreatePermission) ||
      isPermission(permission, mlInfraResultsReadPermission) ||
      isPermission(permission, catalogEntityDeletePermission) ||
      isPermission(permission, catalogLocationDeletePermission);
    if (!user) {
      return {
        result: ownPermission ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      };
    }

    if (isPermission(permission, mlInfraWaiverCreatePermission)) {
      if (await this.isGovernance(user)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: await this.ownership(user) }),
      );
    }

    if (isPermission(permission, mlInfraResultsReadPermission)) {
      if (
        this.resultsReadableBy === 'everyone' ||
        (await this.isGovernance(user))
      ) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: await this.ownership(user) }),
      );
    }

    if (isPermission(permission, catalogEntityDeletePermission)) {
      if (await this.isGovernance(user)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: await this.ownership(user) }),
      );
    }

    if (isPermission(permission, catalogLocationDeletePermission)) {
      const governance = await this.isGovernance(user);
      return {
        result: governance ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }

    return { result: AuthorizeResult.ALLOW };
  }

  private async ownership(user: PolicyQueryUser): Promise<string[]> {
    const info = await this.userInfo.getUserInfo(user.credentials);
    return info.ownershipEntityRefs;
  }

  private async isGovernance(user?: PolicyQueryUser): Promise<boolean> {
    if (!user) {
      return false;
    }
    const refs = await this.ownership(user);
    return refs.some(ref =>
      this.governanceGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
  }
}
