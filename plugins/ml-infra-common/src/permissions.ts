import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Results of a module are readable by whoever may read the module's catalog entity:
 * this permission is a catalog-entity resource permission, so a policy can answer it with the
 * catalog's own conditions (owner, kind, ...).
 */
export const mlInfraResultsReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'ml-infra.results.read',
    attributes: { action: 'read' },
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  });

/** Push CI results, releases and deployments (CI credentials). */
export const mlInfraIngestPermission = createPermission({
  name: 'ml-infra.results.ingest',
  attributes: { action: 'create' },
});

/** Ask for a waiver on a module (typically its owners). */
export const mlInfraWaiverCreatePermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'ml-infra.waiver.create',
    attributes: { action: 'create' },
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  });

/** Approve or reject a pending waiver (governance). */
export const mlInfraWaiverApprovePermission = createPermission({
  name: 'ml-infra.waiver.approve',
  attributes: { action: 'update' },
});

/** Revoke an approved waiver before it expires (governance). */
export const mlInfraWaiverRevokePermission = createPermission({
  name: 'ml-infra.waiver.revoke',
  attributes: { action: 'delete' },
});

export const mlInfraPermissions = [
  mlInfraResultsReadPermission,
  mlInfraIngestPermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverRevokePermission,
];
