import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { DatabaseMlInfraStore } from '../database/DatabaseMlInfraStore';
import { NewRun } from '../database/MlInfraStore';
import { DefaultComplianceService } from './DefaultComplianceService';
import { DefaultPolicyEvaluator } from './DefaultPolicyEvaluator';
import { ModuleAccess } from './auth/ModuleAccess';
import { MlInfraConfig } from './config';

jest.setTimeout(120_000);

/*
 * One compliance service answering request after request, as in a replica: what it keeps of
 * earlier evaluations must follow the clock (a waiver lapsing without any write) and every write.
 */

const HOUR = 3_600_000;
const REF = 'component:default/gpu-cluster';
const T0 = Date.parse('2026-11-10T08:00:00.000Z');

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'gpu-cluster', namespace: 'default' },
  spec: { type: 'terraform-module', owner: 'group:default/team-gpu' },
};

function policyRun(runId: string, reportedAt: number): NewRun {
  return {
    entityRef: REF,
    kind: 'policy',
    run: { provider: 'github', runId, attempt: 1 },
    version: '1.0.0',
    environment: 'dev',
    status: 'failed',
    reportedAt: new Date(reportedAt),
    summary: {},
  };
}

describe('DefaultComplianceService across requests', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'follows a waiver lapsing and new runs, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMlInfraStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      let clock = new Date(T0);
      const services = () => {
        const deps = {
          store,
          config: { environments: ['dev', 'staging', 'prod'] } as MlInfraConfig,
          access: {
            listReadable: async () => [entity],
          } as unknown as ModuleAccess,
          now: () => clock,
        };
        const policy = DefaultPolicyEvaluator.create(deps);
        return DefaultComplianceService.create({ ...deps, policy });
      };
      const service = services();
      const credentials = mockCredentials.user();
      /** The long-lived service's answer, which a new service must give too. */
      const answer = async () => {
        const kept = await service.getCompliance(credentials);
        expect(kept).toEqual(await services().getCompliance(credentials));
        return kept;
      };

      await store.savePolicyRun(policyRun('p1', T0), [
        {
          rule: 'ML-ENC-001',
          severity: 'high',
          outcome: 'failed',
          resource: 'aws_s3_bucket.a',
          count: 2,
        },
      ]);
      const waiver = await store.createWaiver({
        entityRef: REF,
        rule: 'ML-ENC-001',
        environment: 'dev',
        justification: 'tracked',
        requestedBy: 'user:default/owner',
        requestedAt: new Date(T0 + HOUR).toISOString(),
        expiresAt: new Date(T0 + 10 * HOUR).toISOString(),
      });
      await store.decideWaiver(waiver.id, ['pending'], 'approved', {
        action: 'approved',
        actor: 'user:default/governance',
        at: new Date(T0 + 2 * HOUR).toISOString(),
      });

      clock = new Date(T0 + 3 * HOUR);
      let overview = await answer();
      expect(overview.totals.failingPolicies).toBe(0);
      expect(overview.findings).toEqual([
        expect.objectContaining({ status: 'waived', waiverId: waiver.id }),
      ]);
      expect(overview.trend[29]).toMatchObject({ failed: 0, waived: 2 });
      // Again, from what the service kept.
      expect(await answer()).toEqual(overview);

      // The waiver lapses with no write at all.
      clock = new Date(T0 + 11 * HOUR);
      overview = await answer();
      expect(overview.totals.failingPolicies).toBe(2);
      expect(overview.findings).toEqual([
        expect.objectContaining({ status: 'failed', count: 2 }),
      ]);
      expect(overview.trend[29]).toMatchObject({ failed: 2, waived: 0 });

      // A newer run replaces the module's current one; the older stays in the trend.
      await store.savePolicyRun(policyRun('p2', T0 + 12 * HOUR), [
        {
          rule: 'ML-TAG-002',
          severity: 'low',
          outcome: 'failed',
          count: 1,
        },
      ]);
      clock = new Date(T0 + 13 * HOUR);
      overview = await answer();
      expect(overview.totals.failingPolicies).toBe(1);
      expect(overview.findings).toEqual([
        expect.objectContaining({ rule: 'ML-TAG-002', status: 'failed' }),
      ]);
      expect(overview.trend[29]).toMatchObject({ failed: 1 });
      await knex.destroy();
    },
  );
});
