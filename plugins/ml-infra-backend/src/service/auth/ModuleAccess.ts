import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ML_INFRA_MODULE_TYPE,
  mlInfraIngestPermission,
  mlInfraResultsReadPermission,
  mlInfraWaiverCreatePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { entityRefOf, ModuleCatalog } from '../ModuleCatalog';
import { normalizeEntityRef } from '../validation';
import { CiIdentity, ServiceCaller, slugOf } from './CiIdentity';

/** What a caller wants to do to one module besides reading it. */
export type ModuleAction = 'report' | 'register' | 'requestWaiver';

const ACTION_PERMISSION: Record<
  ModuleAction,
  BasicPermission | ResourcePermission<'catalog-entity'>
> = {
  report: mlInfraIngestPermission,
  register: mlInfraIngestPermission,
  requestWaiver: mlInfraWaiverCreatePermission,
};

const ACTION_TEXT: Record<ModuleAction, string> = {
  report: 'report results, releases or deployments for',
  register: 'register',
  requestWaiver: 'request waivers for',
};

/** Permission checks are sent in groups small enough for the permission backend's body limit. */
const AUTHORIZE_BATCH = 100;

function isModule(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      ML_INFRA_MODULE_TYPE
  );
}

/** Asks the permission framework; 403 naming the permission (and module) unless allowed. */
export async function authorize(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission | ResourcePermission<'catalog-entity'>,
  resourceRef?: string,
): Promise<void> {
  const [decision] = await permissions.authorize(
    [
      resourceRef
        ? {
            permission: permission as ResourcePermission<'catalog-entity'>,
            resourceRef,
          }
        : { permission: permission as BasicPermission },
    ],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: ${permission.name}${
        resourceRef ? ` on ${resourceRef}` : ''
      }`,
    );
  }
}

/**
 * Who may read and report for which module: the one place the backend decides it.
 *
 * - Users: the permission policy decides (`ml-infra.results.read` and `ml-infra.waiver.create`
 *   on the module's entity, conditional decisions included), and the catalog's visibility
 *   applies on top. Users never report CI results.
 * - CI (static tokens, GitHub Actions OIDC): the token's `accessRestrictions` name the
 *   permissions it may use; on top, it only reads and reports for the modules in its scope — a
 *   static token's `mlInfra.ci.staticTokens` entry, or the one module whose
 *   `github.com/project-slug` names the workflow's repository.
 * - Other backend plugins read every module and register new ones (the scaffolder); they do not
 *   report CI results or request waivers.
 *
 * Only Components of `spec.type: terraform-module` are modules: any other entity is 404.
 */
export class ModuleAccess {
  constructor(
    private readonly options: {
      auth: AuthService;
      permissions: PermissionsService;
      catalog: ModuleCatalog;
      ci: CiIdentity;
    },
  ) {}

  /** The module's entity when the caller may read its results; 403 or 404 otherwise. */
  async requireReadable(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<Entity> {
    const entityRef = normalizeEntityRef(ref);
    await authorize(
      this.options.permissions,
      credentials,
      mlInfraResultsReadPermission,
      entityRef,
    );
    const entity = await this.loadModule(entityRef, credentials);
    const caller = this.serviceCaller(credentials);
    if (caller && !(await this.inScope(caller, entity))) {
      throw new NotAllowedError(
        `${this.options.ci.describe(
          caller,
        )} may not read results of ${entityRef}`,
      );
    }
    return entity;
  }

  /** Every module whose results the caller may read. */
  async listReadable(credentials: BackstageCredentials): Promise<Entity[]> {
    // Asked together: each is a round trip to the permission backend for a user, and a list
    // request waited on one after the other.
    const [[decision], listed] = await Promise.all([
      this.options.permissions.authorizeConditional(
        [{ permission: mlInfraResultsReadPermission }],
        { credentials },
      ),
      this.options.catalog.listModules(credentials),
    ]);
    if (decision.result === AuthorizeResult.DENY) {
      return [];
    }
    const modules = listed.filter(isModule);
    const caller = this.serviceCaller(credentials);
    if (caller) {
      const github =
        caller.kind === 'github'
          ? this.githubModule(caller, modules)
          : undefined;
      return modules.filter(entity =>
        caller.kind === 'github'
          ? entity === github
          : this.coversSync(caller, entity),
      );
    }
    if (decision.result === AuthorizeResult.ALLOW) {
      return modules;
    }
    // A conditional decision (e.g. "owners only") is applied by the plugin that owns the rules:
    // the permission backend has the catalog evaluate it for each module.
    const allowed: Entity[] = [];
    for (let i = 0; i < modules.length; i += AUTHORIZE_BATCH) {
      const batch = modules.slice(i, i + AUTHORIZE_BATCH);
      const decisions = await this.options.permissions.authorize(
        batch.map(entity => ({
          permission: mlInfraResultsReadPermission,
          resourceRef: entityRefOf(entity),
        })),
        { credentials },
      );
      batch.forEach((entity, index) => {
        if (decisions[index].result === AuthorizeResult.ALLOW) {
          allowed.push(entity);
        }
      });
    }
    return allowed;
  }

  /**
   * The module's entity when the caller may act on it: report CI results, register it, or
   * request a waiver. 403 naming the caller and the module otherwise; 404 for what is not a module.
   */
  async requireReportable(
    credentials: BackstageCredentials,
    ref: string,
    action: ModuleAction,
  ): Promise<Entity> {
    const entityRef = normalizeEntityRef(ref);
    const permission = ACTION_PERMISSION[action];
    await authorize(
      this.options.permissions,
      credentials,
      permission,
      permission === mlInfraWaiverCreatePermission ? entityRef : undefined,
    );
    const entity = await this.loadModule(entityRef, credentials);
    const caller = this.serviceCaller(credentials);
    if (!caller) {
      return entity;
    }
    const allowed =
      caller.kind === 'plugin'
        ? action === 'register'
        : await this.inScope(caller, entity);
    if (!allowed) {
      throw new NotAllowedError(
        `${this.options.ci.describe(caller)} may not ${
          ACTION_TEXT[action]
        } ${entityRef}${
          caller.kind === 'github'
            ? ': its repository is not the github.com/project-slug of this module (and of no other)'
            : ''
        }`,
      );
    }
    return entity;
  }

  /** Waiver decisions are made by people: any service principal is refused, whatever it may do elsewhere. */
  requireUser(credentials: BackstageCredentials): BackstageUserPrincipal {
    if (!this.options.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        'Only a signed-in user may decide waivers; service and CI tokens may not',
      );
    }
    return credentials.principal;
  }

  private async loadModule(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.requireEntity(
      entityRef,
      credentials,
    );
    if (!isModule(entity)) {
      throw new NotFoundError(
        `'${entityRef}' is not an ML infra module: modules are Components of spec.type ${ML_INFRA_MODULE_TYPE}`,
      );
    }
    return entity;
  }

  private serviceCaller(
    credentials: BackstageCredentials,
  ): ServiceCaller | undefined {
    return this.options.auth.isPrincipal(credentials, 'service')
      ? this.options.ci.classify(
          credentials.principal as BackstageServicePrincipal,
        )
      : undefined;
  }

  private async inScope(
    caller: ServiceCaller,
    entity: Entity,
  ): Promise<boolean> {
    if (caller.kind !== 'github') {
      return this.coversSync(caller, entity);
    }
    if (slugOf(entity) !== caller.repository) {
      return false;
    }
    // The repository must name this module and no other: a second module claiming the same
    // repository would let its workflows report for both.
    const modules = (
      await this.options.catalog.listModules(
        await this.options.auth.getOwnServiceCredentials(),
      )
    ).filter(isModule);
    return this.githubModule(caller, modules) !== undefined;
  }

  private githubModule(
    caller: Extract<ServiceCaller, { kind: 'github' }>,
    modules: Entity[],
  ): Entity | undefined {
    const named = modules.filter(
      entity => slugOf(entity) === caller.repository,
    );
    return named.length === 1 ? named[0] : undefined;
  }

  private coversSync(caller: ServiceCaller, entity: Entity): boolean {
    switch (caller.kind) {
      case 'plugin':
        return true;
      case 'static':
        return this.options.ci.staticScopeCovers(
          caller.scope,
          entityRefOf(entity),
          entity,
        );
      default:
        return false;
    }
  }
}
