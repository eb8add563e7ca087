import type { Entity } from '@backstage/catalog-model';

/** How a module's CI proves who it is to the portal. */
export type CiIdentity =
  | { kind: 'github-oidc'; repository: string }
  | { kind: 'static-token'; cloneFrom?: string };

// The entity's own file first: the origin location may be the glob that found it
// (`.data/repos/*/catalog-info.yaml` when the module reached the catalog by a refresh).
const LOCATION_ANNOTATIONS = [
  'backstage.io/source-location',
  'backstage.io/managed-by-location',
  'backstage.io/managed-by-origin-location',
];

/** The local directory of a module published to the embedded default's local git repositories. */
export function localRepositoryOf(entity: Entity): string | undefined {
  for (const key of LOCATION_ANNOTATIONS) {
    const value = entity.metadata.annotations?.[key];
    const match = value && /^(?:url:|file:)+(?:\/\/)?(\/.+)$/.exec(value);
    if (match && !/[*?[\]{}]/.test(match[1])) {
      // A location names the catalog file; the repository is its directory.
      return match[1].replace(/\/catalog-info\.ya?ml$/, '').replace(/\/$/, '');
    }
  }
  return undefined;
}

/**
 * GitHub repositories use GitHub Actions OIDC (no portal secret); every other CI, and a module
 * published locally, uses a static token in `ML_INFRA_TOKEN`.
 */
export function ciIdentityOf(entity: Entity): CiIdentity {
  const slug = entity.metadata.annotations?.['github.com/project-slug'];
  if (slug) {
    return { kind: 'github-oidc', repository: slug };
  }
  return { kind: 'static-token', cloneFrom: localRepositoryOf(entity) };
}
