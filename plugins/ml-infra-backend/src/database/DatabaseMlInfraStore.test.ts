import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseMlInfraStore } from './DatabaseMlInfraStore';
import { NewDeployment, NewRun, NewTestCase } from './MlInfraStore';

jest.setTimeout(60_000);

const ref = 'component:default/gpu-cluster';

function run(overrides: Partial<NewRun> = {}): NewRun {
  return {
    entityRef: ref,
    kind: 'tests',
    run: { provider: 'github', runId: '100', attempt: 1 },
    version: '1.0.0',
    format: 'go-test-json',
    status: 'passed',
    reportedAt: new Date('2026-11-01T10:00:00Z'),
    summary: { total: 1 },
    ...overrides,
  };
}

/** Case 7 fails, case 8 is skipped, the others pass. */
function statusOf(i: number): 'passed' | 'failed' | 'skipped' {
  if (i === 7) return 'failed';
  if (i === 8) return 'skipped';
  return 'passed';
}

/** 1.0.0 deployed to dev now. */
function deployment(overrides: Partial<NewDeployment> = {}): NewDeployment {
  return {
    entityRef: ref,
    environment: 'dev',
    version: '1.0.0',
    action: 'deploy',
    deployedAt: new Date(),
    ...overrides,
  };
}

describe('DatabaseMlInfraStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseMlInfraStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'replaces a run with the same identity and rejects it for another module, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const cases = Array.from({ length: 1203 }, (_, i) => ({
        name: `Test${i}`,
        suite: 'example.com/mod/test',
        status: statusOf(i),
        durationMs: i,
        output: i === 7 ? 'boom' : undefined,
        attempts: 1,
        flaky: false,
      }));
      const first = await store.saveTestRun(run(), cases);
      expect(first.replaced).toBe(false);
      const second = await store.saveTestRun(
        run({ status: 'failed' }),
        cases.slice(0, 10),
      );
      expect(second.replaced).toBe(true);

      const runs = await store.listRuns({ entityRefs: [ref], kind: 'tests' });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        id: second.id,
        status: 'failed',
        version: '1.0.0',
      });
      expect(runs[0].reportedAt).toBe('2026-11-01T10:00:00.000Z');
      expect(await knex('test_cases').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const all = await store.listTestCases({ runIds: [second.id] });
      expect(all).toHaveLength(10);
      const failed = await store.listTestCases({
        runIds: [second.id],
        failedOrFlakyOnly: true,
      });
      expect(failed).toEqual([
        expect.objectContaining({
          name: 'Test7',
          output: 'boom',
          flaky: false,
        }),
      ]);
      expect(
        (
          await store.listTestCases({
            runIds: [second.id],
            failedOrFlakyOnly: true,
            withSkipped: true,
          })
        ).map(c => [c.name, c.status]),
      ).toEqual([
        ['Test7', 'failed'],
        ['Test8', 'skipped'],
      ]);

      await expect(
        store.saveTestRun(run({ entityRef: 'component:default/other' }), []),
      ).rejects.toThrow(ConflictError);
      // Same identity for another kind is a different upload.
      await store.savePolicyRun(run({ kind: 'policy', format: 'conftest' }), [
        {
          rule: 'tags',
          severity: 'high',
          outcome: 'failed',
          count: 1,
          resource: 'aws_s3_bucket.a',
          remediationUrl: 'https://example.com/rules/tags',
        },
        { rule: 'tags', severity: 'high', outcome: 'passed', count: 4 },
      ]);
      const policyRuns = await store.listRuns({ kind: 'policy' });
      expect(policyRuns).toHaveLength(1);
      const counts = await store.countPolicyResults({
        runIds: [policyRuns[0].id],
      });
      expect(counts).toEqual(
        expect.arrayContaining([
          {
            runId: policyRuns[0].id,
            outcome: 'failed',
            severity: 'high',
            checks: 1,
          },
          {
            runId: policyRuns[0].id,
            outcome: 'passed',
            severity: 'high',
            checks: 4,
          },
        ]),
      );
      const failedResults = await store.listPolicyResults({
        runIds: [policyRuns[0].id],
        outcomes: ['failed'],
      });
      expect(failedResults).toEqual([
        expect.objectContaining({
          rule: 'tags',
          resource: 'aws_s3_bucket.a',
          remediationUrl: 'https://example.com/rules/tags',
        }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores bulk rows exactly as given, delimiters and escapes included, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const awkward = [
        'tab\there',
        'line\nbreak\r\nwindows',
        'back\\slash \\N \\t',
        '\\N',
        'unicode ✓ 🚀 é',
        '',
      ];
      const cases = awkward.map((text, i) => ({
        name: `Test${i}/${text}`,
        suite: `suite\t${i}`,
        status: 'failed' as const,
        durationMs: i === 0 ? undefined : i * 1000,
        output: text,
        outputTruncated: i % 2 === 0,
        attempts: i + 1,
        flaky: i === 3,
      }));
      const saved = await store.saveTestRun(run({ status: 'failed' }), cases);
      const stored = await store.listTestCases({ runIds: [saved.id] });
      const comparable = (list: NewTestCase[]) =>
        list
          .map(c => ({
            name: c.name,
            suite: c.suite,
            output: c.output,
            durationMs: c.durationMs,
            attempts: c.attempts,
            flaky: c.flaky,
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
      expect(comparable(stored)).toEqual(comparable(cases));
      const results = await store.savePolicyRun(
        run({ kind: 'policy', format: 'conftest', status: 'failed' }),
        [
          {
            rule: 'tags\tmandatory',
            severity: 'high',
            outcome: 'failed',
            message: 'missing "owner"\nin\\module',
            count: 2,
          },
        ],
      );
      expect(
        await store.listPolicyResults({
          runIds: [results.id],
          outcomes: ['failed'],
        }),
      ).toEqual([
        expect.objectContaining({
          rule: 'tags\tmandatory',
          message: 'missing "owner"\nin\\module',
          count: 2,
        }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'streams cases from a source and keeps the last attempt of a test seen twice, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const attempt = (
        name: string,
        status: 'passed' | 'failed',
        attempts: number,
      ) => ({
        name,
        suite: 'example.com/mod/test',
        status,
        attempts,
        flaky: status === 'passed' && attempts > 1,
      });
      async function* source() {
        yield [attempt('TestA', 'failed', 1), attempt('TestB', 'passed', 1)];
        // The same name in another suite is another test.
        yield [
          { ...attempt('TestA', 'passed', 1), suite: 'example.com/mod/other' },
        ];
        yield [attempt('TestA', 'passed', 2)];
      }
      const saved = await store.saveTestRun(run(), source, {
        latestAttemptWins: true,
      });
      const stored = await store.listTestCases({ runIds: [saved.id] });
      expect(
        stored
          .map(c => [c.suite, c.name, c.status, c.attempts, c.flaky])
          .sort((a, b) => String(a).localeCompare(String(b))),
      ).toEqual([
        ['example.com/mod/other', 'TestA', 'passed', 1, false],
        ['example.com/mod/test', 'TestA', 'passed', 2, true],
        ['example.com/mod/test', 'TestB', 'passed', 1, false],
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores nothing of a replacement the database rejects part-way, and keeps the earlier upload, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const cases = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          name: `Test${i}`,
          suite: 'example.com/mod/test',
          status: 'passed' as const,
          attempts: 1,
          flaky: false,
        }));
      const first = await store.saveTestRun(run(), cases(5));
      // Row 9,000 breaks a NOT NULL constraint, well after the first batches were sent.
      const broken = cases(10_000);
      (broken[9_000] as { name: unknown }).name = null;
      await expect(
        store.saveTestRun(run({ status: 'failed' }), broken),
        // Matched by message: under run-in-band jest, better-sqlite3's errors carry the Error
        // class of the first test file that opened a database (its native addon keeps it).
      ).rejects.toMatchObject({ message: expect.stringMatching(/not.null/i) });
      const runs = await store.listRuns({ entityRefs: [ref], kind: 'tests' });
      expect(runs).toEqual([
        expect.objectContaining({ id: first.id, status: 'passed' }),
      ]);
      expect(await store.listTestCases({ runIds: [first.id] })).toHaveLength(5);
      const [{ n }] = await knex('test_cases').count({ n: '*' });
      expect(Number(n)).toBe(5);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one upload per leg of a run; the same leg replaces, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const identity = { provider: 'github', runId: '7', attempt: 1 };
      const drift = (leg: string) =>
        run({
          kind: 'drift',
          format: 'terraform-plan',
          environment: leg,
          status: 'clean',
          run: { ...identity, leg: `detect (${leg})` },
        });
      for (const environment of ['dev', 'staging', 'prod']) {
        expect(
          await store.saveDriftCheck(drift(environment), []),
        ).toMatchObject({ replaced: false });
      }
      expect(await store.saveDriftCheck(drift('dev'), [])).toMatchObject({
        replaced: true,
      });
      // A client that sends no leg is a fourth upload of its own.
      await store.saveDriftCheck(
        run({ kind: 'drift', environment: 'dev', run: identity }),
        [],
      );
      const runs = await store.listRuns({ entityRefs: [ref], kind: 'drift' });
      expect(runs.map(r => r.run.leg ?? '').sort()).toEqual([
        '',
        'detect (dev)',
        'detect (prod)',
        'detect (staging)',
      ]);

      for (const leg of ['deploy (dev)', 'deploy (dev)', 'other']) {
        await store.addDeployment(deployment({ run: { ...identity, leg } }));
      }
      expect(
        (await store.listDeployments({ entityRefs: [ref] }))
          .map(d => d.run?.leg)
          .sort(),
      ).toEqual(['deploy (dev)', 'other']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps drift checks, releases and deployments, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const resource = {
        address: 'aws_s3_bucket.a',
        type: 'aws_s3_bucket',
        action: 'update',
        changedAttributes: ['tags'],
        source: 'drift' as const,
      };
      for (const [i, drifted] of [true, true, false].entries()) {
        await store.saveDriftCheck(
          run({
            kind: 'drift',
            version: undefined,
            environment: 'prod',
            run: { provider: 'github', runId: `d${i}`, attempt: 1 },
            reportedAt: new Date(Date.UTC(2026, 10, 1 + i)),
            status: drifted ? 'drifted' : 'clean',
          }),
          drifted ? [resource] : [],
        );
      }
      const checks = await store.listDriftChecks({
        entityRefs: [ref],
        withResources: true,
      });
      expect(checks.map(c => c.driftedResources)).toEqual([1, 1, 0]);
      expect(checks[0].resources).toEqual([resource]);
      const latest = await store.listDriftChecks({ latestOnly: true });
      expect(latest).toEqual([
        expect.objectContaining({
          checkedAt: '2026-11-03T00:00:00.000Z',
          driftedResources: 0,
        }),
      ]);

      expect(
        await store.upsertRelease({
          entityRef: ref,
          version: '1.0.0',
          releasedAt: new Date(),
        }),
      ).toMatchObject({ replaced: false });
      expect(
        await store.upsertRelease({
          entityRef: ref,
          version: '1.0.0',
          changelog: 'fix',
          releasedAt: new Date(),
        }),
      ).toMatchObject({ replaced: true });
      expect(
        await store.getRelease({ entityRef: ref, version: '1.0.0' }),
      ).toMatchObject({
        changelog: 'fix',
      });
      expect(await store.listReleases({ entityRefs: [ref] })).toHaveLength(1);

      const identity = { provider: 'github', runId: 'deploy-1', attempt: 1 };
      await store.addDeployment(deployment({ run: identity }));
      const again = await store.addDeployment(deployment({ run: identity }));
      expect(again.replaced).toBe(true);
      expect(await store.listDeployments({ entityRefs: [ref] })).toEqual([
        expect.objectContaining({ environment: 'dev', run: identity }),
      ]);

      expect(await store.registerModule(ref)).toEqual({ created: true });
      expect(await store.registerModule(ref, ['dev', 'prod'])).toEqual({
        created: false,
      });
      expect(await store.getModule(ref)).toEqual({
        entityRef: ref,
        environments: ['dev', 'prod'],
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'decides and expires waivers exactly once, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const now = new Date('2026-11-10T00:00:00Z');
      const waiver = await store.createWaiver({
        entityRef: ref,
        rule: 'tags',
        justification: 'legacy bucket',
        requestedBy: 'user:default/alice',
        requestedAt: '2026-11-01T00:00:00.000Z',
        expiresAt: '2026-11-05T00:00:00.000Z',
      });
      expect(waiver.status).toBe('pending');
      const approved = await store.decideWaiver(
        waiver.id,
        ['pending'],
        'approved',
        {
          action: 'approved',
          actor: 'user:default/bob',
          at: '2026-11-02T00:00:00.000Z',
        },
      );
      expect(approved).toMatchObject({
        status: 'approved',
        decidedBy: 'user:default/bob',
      });
      expect(
        await store.decideWaiver(waiver.id, ['pending'], 'rejected', {
          action: 'rejected',
          actor: 'user:default/bob',
          at: '2026-11-02T00:00:00.000Z',
        }),
      ).toBeUndefined();

      const [a, b] = await Promise.all([
        store.expireWaivers(now),
        store.expireWaivers(now),
      ]);
      expect(a.length + b.length).toBe(1);
      expect(await store.expireWaivers(now)).toEqual([]);
      expect((await store.getWaiver(waiver.id))?.status).toBe('expired');
      expect(
        (await store.listWaiverAudit(waiver.id)).map(e => e.action),
      ).toEqual(['requested', 'approved', 'expired']);
      expect(
        await store.listWaivers({ statuses: ['expired'], entityRefs: [ref] }),
      ).toHaveLength(1);
      await knex.destroy();
    },
  );
});
