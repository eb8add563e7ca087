import type { Entity } from '@backstage/catalog-model';
import { ciIdentityOf, localRepositoryOf } from './connectCi';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'new-module', annotations },
  spec: {},
});

describe('localRepositoryOf', () => {
  it('is the directory of the catalog file, not the glob location that found it', () => {
    expect(
      localRepositoryOf(
        component({
          'backstage.io/managed-by-origin-location':
            'file:/srv/portal/.data/repos/*/catalog-info.yaml',
          'backstage.io/managed-by-location':
            'file:/srv/portal/.data/repos/new-module/catalog-info.yaml',
        }),
      ),
    ).toBe('/srv/portal/.data/repos/new-module');
  });

  it('is unknown when only a glob names the location', () => {
    expect(
      localRepositoryOf(
        component({
          'backstage.io/managed-by-origin-location':
            'file:/srv/portal/.data/repos/*/catalog-info.yaml',
        }),
      ),
    ).toBeUndefined();
  });
});

describe('ciIdentityOf', () => {
  it('uses GitHub OIDC for a GitHub repository', () => {
    expect(
      ciIdentityOf(component({ 'github.com/project-slug': 'acme/new-module' })),
    ).toEqual({ kind: 'github-oidc', repository: 'acme/new-module' });
  });

  it('uses the static token, with the clone path, for a local repository', () => {
    expect(
      ciIdentityOf(
        component({
          'backstage.io/managed-by-location':
            'file:/srv/portal/.data/repos/new-module/catalog-info.yaml',
        }),
      ),
    ).toEqual({
      kind: 'static-token',
      cloneFrom: '/srv/portal/.data/repos/new-module',
    });
  });
});
