import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ML_INFRA_MODULE_TYPE } from '@ml-infra-portal/plugin-ml-infra-common';

/** The catalog as the ML Infra backend sees it: identity, ownership and visibility of modules. */
export class ModuleCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

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
    if (!entity) {
      throw new NotFoundError(`Entity '${entityRef}' not found in the catalog`);
    }
    return entity;
  }

  /** Every module Component the caller may see. */
  async listModules(credentials: BackstageCredentials): Promise<Entity[]> {
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

export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}
