import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { DatabaseMlInfraStore } from '../database/DatabaseMlInfraStore';
import { NewPolicyResult, NewRun } from '../database/MlInfraStore';
import { readMlInfraConfig } from './config';
import { DefaultPolicyEvaluator } from './DefaultPolicyEvaluator';
import { PolicyEvaluator } from './types';

jest.setTimeout(60_000);

const REF = 'component:default/gpu-cluster';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;

const failed = (
  rule: string,
  extra: Partial<NewPolicyResult> = {},
): NewPolicyResult => ({
  rule,
  severity: 'critical',
  outcome: 'failed',
  count: 1,
  ...extra,
});
const passed = (rule: string, count = 1): NewPolicyResult => ({
  rule,
  severity: 'low',
  outcome: 'passed',
  count,
});
const warned = (rule: string, count = 1): NewPolicyResult => ({
  rule,
  severity: 'medium',
  outcome: 'warned',
  count,
});

let waiverNo = 0;
function waiver(overrides: Partial<Waiver>): Waiver {
  return {
    id: `w${++waiverNo}`,
    entityRef: REF,
    rule: 'MLI-1',
    justification: 'test',
    requestedBy: 'user:default/alice',
    requestedAt: new Date(NOW.getTime() - DAY).toISOString(),
    expiresAt: new Date(NOW.getTime() + DAY).toISOString(),
    status: 'approved',
    ...overrides,
  };
}

describe('DefaultPolicyEvaluator', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: DatabaseMlInfraStore;
  let evaluator: PolicyEvaluator;
  let runNo = 0;

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    store = (await DatabaseMlInfraStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    })) as DatabaseMlInfraStore;
    evaluator = DefaultPolicyEvaluator.create({
      store,
      config: readMlInfraConfig(mockServices.rootConfig()),
      now: () => NOW,
    });
  });

  /** Stores a policy run; later calls are reported later. */
  async function policyRun(
    results: NewPolicyResult[],
    run: Partial<NewRun> = {},
  ) {
    runNo += 1;
    const { id } = await store.savePolicyRun(
      {
        entityRef: REF,
        kind: 'policy',
        run: { provider: 'github', runId: String(runNo), attempt: 1 },
        version: '1.0.0',
        status: results.some(r => r.outcome === 'failed') ? 'failed' : 'passed',
        reportedAt: new Date(NOW.getTime() - DAY + runNo * 60_000),
        summary: {},
        ...run,
      },
      results,
    );
    return {
      id,
      environment: run.environment,
      version: run.version ?? '1.0.0',
    };
  }

  async function evaluateOne(
    runs: Array<{ id: string; environment?: string; version?: string }>,
    options: Parameters<PolicyEvaluator['evaluate']>[1],
  ) {
    const out = await evaluator.evaluate(
      new Map([['m', { entityRef: REF, runs }]]),
      options,
    );
    return out.get('m')!;
  }

  it('waives a failure only under a live approved waiver', async () => {
    const run = await policyRun([failed('MLI-1'), failed('MLI-2')], {
      environment: 'dev',
    });
    const live = waiver({ rule: 'MLI-1' });
    const evaluation = await evaluateOne([run], {
      waivers: [
        waiver({ rule: 'MLI-2', status: 'pending' }),
        waiver({ rule: 'MLI-2', status: 'rejected' }),
        // Approved, but past its expiry: expired now, whatever the stored status says.
        waiver({
          rule: 'MLI-2',
          expiresAt: new Date(NOW.getTime() - 1).toISOString(),
        }),
        waiver({ rule: 'MLI-2', entityRef: 'component:default/other' }),
        live,
      ],
    });
    expect(evaluation.counts).toEqual({
      passed: 0,
      warned: 0,
      failed: 1,
      waived: 1,
    });
    expect(evaluation.failures).toEqual([
      expect.objectContaining({ rule: 'MLI-1', waiverId: live.id }),
      expect.objectContaining({ rule: 'MLI-2', waiverId: undefined }),
    ]);
  });

  it('covers production only with a waiver that names it', async () => {
    const run = await policyRun([failed('MLI-1')]);
    const unscoped = [waiver({})];
    for (const [target, waived] of [
      ['dev', 1],
      ['staging', 1],
      ['prod', 0],
    ] as const) {
      const evaluation = await evaluateOne([run], {
        waivers: unscoped,
        targetEnvironment: target,
      });
      expect([target, evaluation.counts.waived]).toEqual([target, waived]);
    }
    const prod = await evaluateOne([run], {
      waivers: [waiver({ environment: 'prod' })],
      targetEnvironment: 'prod',
    });
    expect(prod.counts).toMatchObject({ failed: 0, waived: 1 });
    const staging = await evaluateOne([run], {
      waivers: [waiver({ environment: 'prod' })],
      targetEnvironment: 'staging',
    });
    expect(staging.counts).toMatchObject({ failed: 1, waived: 0 });
  });

  it("matches a waiver to the run's environment, or to the promotion's target", async () => {
    const devRun = await policyRun([failed('MLI-1')], { environment: 'dev' });
    const devWaiver = [waiver({ environment: 'dev' })];
    expect(
      (await evaluateOne([devRun], { waivers: devWaiver })).counts.waived,
    ).toBe(1);
    // Promoting to staging: the dev result counts there, where the dev waiver does not reach.
    const toStaging = await evaluateOne([devRun], {
      waivers: devWaiver,
      targetEnvironment: 'staging',
    });
    expect(toStaging.counts).toMatchObject({ failed: 1, waived: 0 });
    expect(toStaging.failures[0].environment).toBe('dev');
  });

  it('keeps a waiver to the version, resource or rule it names; a control waiver covers its rules', async () => {
    const run = await policyRun([
      failed('MLI-1', { resource: 'aws_s3_bucket.a' }),
      failed('MLI-2', { control: 'CIS-2.1' }),
    ]);
    const outcome = async (w: Partial<Waiver>) =>
      (await evaluateOne([run], { waivers: [waiver(w)] })).failures.map(f =>
        f.waiverId ? 'waived' : 'failed',
      );
    expect(await outcome({ version: '1.0.0' })).toEqual(['waived', 'failed']);
    expect(await outcome({ version: '2.0.0' })).toEqual(['failed', 'failed']);
    expect(await outcome({ resource: 'aws_s3_bucket.a' })).toEqual([
      'waived',
      'failed',
    ]);
    expect(await outcome({ resource: 'aws_s3_bucket.b' })).toEqual([
      'failed',
      'failed',
    ]);
    expect(await outcome({ rule: 'CIS-2.1' })).toEqual(['failed', 'waived']);
    expect(await outcome({ rule: 'MLI-3' })).toEqual(['failed', 'failed']);
  });

  it('counts passed checks only when asked, and tells runs with only passed checks from runs without results', async () => {
    const clean = await policyRun([passed('MLI-1', 4), warned('MLI-2', 2)]);
    const onlyPassed = await policyRun([passed('MLI-1', 3)], {
      environment: 'staging',
    });
    const empty = await policyRun([], { environment: 'prod' });
    const groups = new Map([
      ['clean', { entityRef: REF, runs: [clean] }],
      ['onlyPassed', { entityRef: REF, runs: [onlyPassed] }],
      ['empty', { entityRef: REF, runs: [empty] }],
      ['none', { entityRef: REF, runs: [] }],
    ]);
    const fast = await evaluator.evaluate(groups, { waivers: [] });
    expect(fast.get('clean')!.counts).toEqual({
      passed: 0,
      warned: 2,
      failed: 0,
      waived: 0,
    });
    expect(fast.get('clean')!.warnedBySeverity).toEqual(
      new Map([['medium', 2]]),
    );
    expect(
      [...fast].map(([key, evaluation]) => [key, evaluation.anyResults]),
    ).toEqual([
      ['clean', true],
      ['onlyPassed', true],
      ['empty', false],
      ['none', false],
    ]);
    const full = await evaluator.evaluate(groups, {
      waivers: [],
      countPassed: true,
    });
    expect(full.get('clean')!.counts).toMatchObject({ passed: 4, warned: 2 });
    expect(full.get('onlyPassed')!.counts.passed).toBe(3);
    expect(full.get('empty')!.anyResults).toBe(false);
  });

  it('counts a run in every group it stands in', async () => {
    const run = await policyRun([failed('MLI-1', { count: 2 })]);
    const out = await evaluator.evaluate(
      new Map([
        ['day-1', { entityRef: REF, runs: [run] }],
        ['day-2', { entityRef: REF, runs: [run] }],
      ]),
      { waivers: [] },
    );
    expect(out.get('day-1')!.counts.failed).toBe(2);
    expect(out.get('day-2')!.counts.failed).toBe(2);
  });

  it('evaluates the latest run per environment of a version, by default the latest version', async () => {
    await store.upsertRelease({
      entityRef: REF,
      version: '1.0.0',
      releasedAt: new Date(NOW.getTime() - 10 * DAY),
    });
    await store.upsertRelease({
      entityRef: REF,
      version: '1.1.0',
      releasedAt: new Date(NOW.getTime() - 5 * DAY),
    });
    await policyRun([failed('MLI-OLD')], { version: '1.0.0' });
    await policyRun([failed('MLI-FIXED')], {
      version: '1.1.0',
      environment: 'dev',
    });
    // A later dev run replaces the earlier one; the staging run stands beside it.
    await policyRun([passed('MLI-FIXED')], {
      version: '1.1.0',
      environment: 'dev',
    });
    await policyRun([failed('MLI-NET', { resource: 'aws_lb.public' })], {
      version: '1.1.0',
      environment: 'staging',
    });
    const stored = await store.createWaiver({
      entityRef: REF,
      rule: 'MLI-NET',
      environment: 'prod',
      justification: 'load test',
      requestedBy: 'user:default/alice',
      requestedAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + DAY).toISOString(),
    });

    const latest = await evaluator.evaluateVersion(REF, {});
    expect(latest.version).toBe('1.1.0');
    expect(latest.evaluation.failures).toEqual([
      expect.objectContaining({
        rule: 'MLI-NET',
        environment: 'staging',
        resource: 'aws_lb.public',
        waiverId: undefined,
      }),
    ]);

    const old = await evaluator.evaluateVersion(REF, { version: '1.0.0' });
    expect(old.evaluation.failures.map(f => f.rule)).toEqual(['MLI-OLD']);

    // Only an approved waiver counts: the pending one does not open prod.
    const pendingProd = await evaluator.evaluateVersion(REF, {
      environment: 'prod',
    });
    expect(pendingProd.evaluation.counts.failed).toBe(1);
    await store.decideWaiver(stored.id, ['pending'], 'approved', {
      action: 'approved',
      actor: 'user:default/bob',
      at: NOW.toISOString(),
    });
    const prod = await evaluator.evaluateVersion(REF, { environment: 'prod' });
    expect(prod.evaluation.failures).toEqual([
      expect.objectContaining({ rule: 'MLI-NET', waiverId: stored.id }),
    ]);
    expect(
      (await evaluator.evaluateVersion(REF, { version: '2.0.0' })).evaluation
        .anyResults,
    ).toBe(false);
  });
});
