import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseMlInfraStore } from './DatabaseMlInfraStore';

jest.setTimeout(60_000);

const REF = 'component:default/gpu-cluster';

/** What migration 20261202060000 stores, on every engine the portal runs on. */
describe('server-stamped deployments and scoped waivers in the store', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return DatabaseMlInfraStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  it.each(databases.eachSupportedId())(
    'keeps the first arrival time of a replayed deployment and the client time as data, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const run = { provider: 'github', runId: 'd1', attempt: 1 };
      const first = new Date('2026-12-01T10:00:00.000Z');
      const claimed = new Date('2026-11-01T00:00:00.000Z');
      const deployment = {
        entityRef: REF,
        environment: 'dev',
        version: '1.0.0',
        action: 'deploy' as const,
        deployedBy: 'github-actions[bot]',
        reportedBy: 'external:github-actions:repo:acme/gpu:ref:refs/heads/main',
        run,
      };
      expect(
        await store.addDeployment({
          ...deployment,
          deployedAt: first,
          reportedDeployedAt: claimed,
        }),
      ).toMatchObject({ replaced: false });
      expect(
        await store.addDeployment({
          ...deployment,
          deployedAt: new Date('2026-12-03T10:00:00.000Z'),
        }),
      ).toMatchObject({ replaced: true });
      expect(await store.listDeployments({ entityRefs: [REF] })).toEqual([
        expect.objectContaining({
          deployedAt: first.toISOString(),
          reportedBy: deployment.reportedBy,
          deployedBy: 'github-actions[bot]',
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a waiver version and expires pending requests as well as approved waivers, %p',
    async databaseId => {
      const store = await createStore(databaseId);
      const base = {
        entityRef: REF,
        rule: 'MLI-1',
        justification: 'j',
        requestedBy: 'user:default/olly',
        requestedAt: '2026-12-01T00:00:00.000Z',
        expiresAt: '2026-12-02T00:00:00.000Z',
      };
      const pending = await store.createWaiver({ ...base, version: '1.2.0' });
      expect(pending).toMatchObject({ version: '1.2.0', status: 'pending' });
      const unscoped = await store.createWaiver({ ...base, rule: 'MLI-2' });
      expect(unscoped.version).toBeUndefined();
      const expired = await store.expireWaivers(
        new Date('2026-12-03T00:00:00.000Z'),
      );
      expect(expired.map(w => w.id).sort()).toEqual(
        [pending.id, unscoped.id].sort(),
      );
      expect(await store.listWaiverAudit(pending.id)).toEqual([
        expect.objectContaining({ action: 'requested' }),
        expect.objectContaining({
          action: 'expired',
          actor: 'system:ml-infra-waiver-expiry',
        }),
      ]);
    },
  );
});
