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
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  mlInfraIngestPermission,
  mlInfraResultsReadPermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverRevokePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';

/**
 * The portal's permission policy.
 *
 * - Governance (members of `mlInfra.governance.groups`) approve, reject and revoke waivers.
 * - Owners of a module (and services such as CI) request waivers on it; owners delete its entity.
 * - Results are read by whoever may read the module's catalog entity; the ML Infra backend
 *   additionally reads the entity with the caller's credentials, so catalog visibility applies.
 * - Pushing CI results is for services (CI tokens, other plugins), never for users.
 * - Everything else is allowed to signed-in users, as in a stock Backstage.
 */
export class MlInfraPermissionPolicy implements PermissionPolicy {
  private readonly governanceGroups: string[];
  private readonly userInfo: UserInfoService;

  static fromConfig(config: Config, options: { userInfo: UserInfoService }) {
    return new MlInfraPermissionPolicy(
      config.getOptionalStringArray('mlInfra.governance.groups') ?? [
        'group:default/ml-governance',
      ],
      options.userInfo,
    );
  }

  constructor(governanceGroups: string[], userInfo: UserInfoService) {
    this.governanceGroups = governanceGroups.map(ref => ref.toLocaleLowerCase('en-US'));
    this.userInfo = userInfo;
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const { permission } = request;

    if (isPermission(permission, mlInfraIngestPermission)) {
      return { result: user ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
    }

    if (
      isPermission(permission, mlInfraWaiverApprovePermission) ||
      isPermission(permission, mlInfraWaiverRevokePermission)
    ) {
      const governance = await this.isGovernance(user);
      return { result: governance ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    if (isPermission(permission, mlInfraWaiverCreatePermission)) {
      // Services (e.g. a CI pipeline asking for an exception from a pull request) may file
      // requests; only governance decides them.
      if (!user || (await this.isGovernance(user))) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: await this.ownership(user) }),
      );
    }

    if (isPermission(permission, mlInfraResultsReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (isPermission(permission, catalogEntityDeletePermission) && user) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: await this.ownership(user) }),
      );
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
    return refs.some(ref => this.governanceGroups.includes(ref.toLocaleLowerCase('en-US')));
  }
}
