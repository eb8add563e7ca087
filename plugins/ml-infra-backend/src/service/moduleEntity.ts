import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_GOLDEN_PATH,
  ModuleSummary,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { entityRefOf } from './ModuleCatalog';

/*
 * What the services read of a module's catalog entity.
 */

/** The fields of a module summary that come from its catalog entity. */
export type EntityFields = Pick<
  ModuleSummary,
  'entityRef' | 'title' | 'description' | 'owner' | 'system' | 'goldenPath'
>;

/**
 * The fields of each entity object read so far: the catalog's cached entities are the same
 * objects from request to request, and the list and compliance read all of them each time.
 */
const fieldsOf = new WeakMap<Entity, Readonly<EntityFields>>();

export function entityFields(entity: Entity): Readonly<EntityFields> {
  let fields = fieldsOf.get(entity);
  if (!fields) {
    fields = Object.freeze({
      entityRef: entityRefOf(entity),
      title: entity.metadata.title,
      description: entity.metadata.description,
      owner: ownerOf(entity),
      system: specRef(entity, 'system', 'system'),
      goldenPath: entity.metadata.annotations?.[ANNOTATION_GOLDEN_PATH],
    });
    fieldsOf.set(entity, fields);
  }
  return fields;
}

export function ownerOf(entity: Entity): string | undefined {
  return specRef(entity, 'owner', 'group');
}

/**
 * Environments of a module, in promotion order: its registration or annotation, within the
 * configured ones (all of them when it names none of those).
 */
export function environmentsOf(
  configured: string[],
  entity: Entity | undefined,
  registered?: string[],
): string[] {
  const annotation = entity?.metadata.annotations?.[ANNOTATION_ENVIRONMENTS];
  const wanted =
    registered ??
    (annotation
      ? annotation
          .split(',')
          .map(e => e.trim())
          .filter(Boolean)
      : undefined);
  if (!wanted) {
    return configured;
  }
  const within = configured.filter(e => wanted.includes(e));
  return within.length > 0 ? within : configured;
}

/** A spec field holding a (possibly shorthand) entity ref, as a full `kind:namespace/name` ref. */
function specRef(
  entity: Entity,
  field: string,
  defaultKind: string,
): string | undefined {
  const value = entity.spec?.[field];
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}
