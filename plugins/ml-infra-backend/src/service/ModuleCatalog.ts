import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ML_INFRA_MODULE_TYPE } from '@ml-infra-portal/plugin-ml-infra-common';

/** How long the module list read from the catalog is reused when nothing says it changed. */
export const DEFAULT_MODULE_CACHE_TTL_MS = 30_000;

interface CachedModules {
  items: Entity[];
  refs: Set<string>;
  expiresAt: number;
}

function isModuleEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      ML_INFRA_MODULE_TYPE
  );
}

/**
 * The catalog as the ML Infra backend sees it: identity, ownership and visibility of modules.
 *
 * The list of module entities is read from the catalog at most once per `cacheTtlMs` (per
 * replica), not on every list or compliance request, so a page view does not cost a read of the
 * whole fleet. It is read again sooner when a single-entity lookup shows it is out of date (a
 * module it lacks, or one it holds that is gone). Callers whose catalog visibility is
 * unconditional (services; users the permission policy lets read every entity) get the cached
 * list; a user whose visibility is conditional gets the catalog's own answer for them, read per
 * request, so the catalog's permission rules keep deciding what they see.
 */
export class ModuleCatalog {
  private cache?: CachedModules;
  private loading?: Promise<CachedModules>;
  /** Bumped on invalidation so a read that started earlier does not refill the cache. */
  private generation = 0;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
    private readonly options: {
      /** Without it, every user request reads the catalog with the user's credentials. */
      permissions?: PermissionsService;
      cacheTtlMs?: number;
      now?: () => number;
    } = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_MODULE_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The module's entity as the caller may see it; 404 naming the ref otherwise.
   * Users see what the catalog lets them see. Services (CI tokens restricted to this plugin,
   * other plugins) were already authorised for the operation and cannot call the catalog
   * themselves, so the lookup runs with this plugin's own credentials.
   */
  async requireEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.catalogCredentials(credentials),
    });
    const cached = this.cache;
    if (
      cached &&
      (entity
        ? isModuleEntity(entity) && !cached.refs.has(entityRefOf(entity))
        : cached.refs.has(entityRef.toLocaleLowerCase('en-US')))
    ) {
      this.invalidate();
    }
    if (!entity) {
      throw new NotFoundError(`Entity '${entityRef}' not found in the catalog`);
    }
    return entity;
  }

  /** Every module Component the caller may see. */
  async listModules(credentials: BackstageCredentials): Promise<Entity[]> {
    if (this.auth.isPrincipal(credentials, 'user')) {
      const visibility = await this.userVisibility(credentials);
      if (visibility === AuthorizeResult.DENY) {
        return [];
      }
      if (visibility === AuthorizeResult.CONDITIONAL) {
        return this.fetchModules(credentials);
      }
    }
    return (await this.allModules()).items.slice();
  }

  /** Forgets the cached module list; the next list reads the catalog. */
  invalidate(): void {
    this.generation += 1;
    this.cache = undefined;
    this.loading = undefined;
  }

  private async userVisibility(
    credentials: BackstageCredentials,
  ): Promise<AuthorizeResult> {
    const permissions = this.options.permissions;
    if (!permissions) {
      return AuthorizeResult.CONDITIONAL;
    }
    const [decision] = await permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    return decision.result;
  }

  private async allModules(): Promise<CachedModules> {
    const cached = this.cache;
    if (cached && cached.expiresAt > this.now()) {
      return cached;
    }
    // One catalog read at a time refills the cache for every waiting request.
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.auth
        .getOwnServiceCredentials()
        .then(own => this.fetchModules(own))
        .then(items => {
          const fresh: CachedModules = {
            items,
            refs: new Set(items.map(entityRefOf)),
            expiresAt: this.now() + this.cacheTtlMs,
          };
          if (generation === this.generation) {
            this.cache = fresh;
          }
          return fresh;
        })
        .finally(() => {
          if (this.loading === loading) {
            this.loading = undefined;
          }
        });
      this.loading = loading;
    }
    return this.loading;
  }

  private async fetchModules(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'Component', 'spec.type': ML_INFRA_MODULE_TYPE } },
      { credentials: await this.catalogCredentials(credentials) },
    );
    return items;
  }

  private async catalogCredentials(
    credentials: BackstageCredentials,
  ): Promise<BackstageCredentials> {
    return this.auth.isPrincipal(credentials, 'user')
      ? credentials
      : this.auth.getOwnServiceCredentials();
  }

  /** Asks the catalog to re-read the entity so the status the catalog module shows is fresh. */
  async refresh(entityRef: string): Promise<void> {
    try {
      await this.catalog.refreshEntity(entityRef, {
        credentials: await this.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      this.logger.warn(
        `Could not refresh catalog entity ${entityRef}: ${error}`,
      );
    }
  }
}

/** Refs of entities seen, per entity object: the cached list is checked on every request. */
const refs = new WeakMap<Entity, string>();

export function entityRefOf(entity: Entity): string {
  let ref = refs.get(entity);
  if (ref === undefined) {
    ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    refs.set(entity, ref);
  }
  return ref;
}
