import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { moduleEntity } from '../__testUtils__/backend';
import { entityRefOf, ModuleCatalog } from './ModuleCatalog';

const entities = ['a', 'b', 'c'].map(name =>
  moduleEntity(name, { owner: 'group:default/ml' }),
);
const TTL = 30_000;

function setup(
  options: { visibility?: AuthorizeResult; hidden?: string[] } = {},
) {
  const catalog = catalogServiceMock({ entities });
  const real = catalog.getEntities.bind(catalog);
  // The catalog starts without the hidden entities (registered later in the story).
  const hidden = new Set(options.hidden ?? []);
  const getEntities = jest
    .spyOn(catalog, 'getEntities')
    .mockImplementation(async (request, opts) => {
      const response = await real(request, opts);
      return {
        items: response.items.filter(e => !hidden.has(e.metadata.name)),
      };
    });
  let now = 1_000;
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async requests =>
      requests.map(() =>
        options.visibility === AuthorizeResult.CONDITIONAL
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: ['group:default/ml'] },
              },
            }
          : { result: options.visibility ?? AuthorizeResult.ALLOW },
      ),
    ) as any,
  });
  const moduleCatalog = new ModuleCatalog(
    catalog,
    mockServices.auth(),
    mockServices.logger.mock(),
    { permissions, cacheTtlMs: TTL, now: () => now },
  );
  return {
    moduleCatalog,
    getEntities,
    hidden,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const refs = (list: Entity[]) => list.map(entityRefOf).sort();

describe('ModuleCatalog', () => {
  it('reads the module list from the catalog once per TTL, not per request', async () => {
    const { moduleCatalog, getEntities, advance } = setup();
    const service = mockCredentials.service();
    const user = mockCredentials.user();

    const lists = await Promise.all([
      moduleCatalog.listModules(service),
      moduleCatalog.listModules(user),
      moduleCatalog.listModules(service),
    ]);
    for (const list of lists) {
      expect(refs(list)).toEqual([
        'component:default/a',
        'component:default/b',
        'component:default/c',
      ]);
    }
    expect(getEntities).toHaveBeenCalledTimes(1);

    advance(TTL - 1);
    await moduleCatalog.listModules(user);
    expect(getEntities).toHaveBeenCalledTimes(1);

    advance(2);
    await moduleCatalog.listModules(user);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('reads the list again as soon as a lookup finds a module the list lacks', async () => {
    const { moduleCatalog, getEntities, hidden } = setup({ hidden: ['c'] });
    const service = mockCredentials.service();
    expect(refs(await moduleCatalog.listModules(service))).toEqual([
      'component:default/a',
      'component:default/b',
    ]);

    hidden.clear(); // registered in the catalog meanwhile
    await moduleCatalog.requireEntity('component:default/c', service);
    expect(refs(await moduleCatalog.listModules(service))).toContain(
      'component:default/c',
    );
    expect(getEntities).toHaveBeenCalledTimes(2);

    // A lookup of a module the list holds keeps the cache.
    await moduleCatalog.requireEntity('component:default/a', service);
    await moduleCatalog.listModules(service);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('drops the cached list when a module it holds is gone from the catalog', async () => {
    const { moduleCatalog, getEntities } = setup();
    const service = mockCredentials.service();
    await moduleCatalog.listModules(service);
    jest
      .spyOn(
        (moduleCatalog as unknown as { catalog: { getEntityByRef: any } })
          .catalog,
        'getEntityByRef',
      )
      .mockResolvedValueOnce(undefined);
    await expect(
      moduleCatalog.requireEntity('component:default/b', service),
    ).rejects.toThrow("Entity 'component:default/b' not found");
    await moduleCatalog.listModules(service);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('asks the catalog per request, with the user’s credentials, when their visibility is conditional', async () => {
    const { moduleCatalog, getEntities } = setup({
      visibility: AuthorizeResult.CONDITIONAL,
    });
    const user = mockCredentials.user('user:default/olly');
    await moduleCatalog.listModules(user);
    await moduleCatalog.listModules(user);
    expect(getEntities).toHaveBeenCalledTimes(2);
    for (const call of getEntities.mock.calls) {
      expect(call[1]).toEqual({ credentials: user });
    }
  });

  it('shows nothing to a user who may not read catalog entities', async () => {
    const { moduleCatalog, getEntities } = setup({
      visibility: AuthorizeResult.DENY,
    });
    await expect(
      moduleCatalog.listModules(mockCredentials.user()),
    ).resolves.toEqual([]);
    expect(getEntities).not.toHaveBeenCalled();
  });
});
