/*
 * Real tool outputs from `../shared/fixtures` (see conformance.test.ts) sent through the running
 * plugin: what a module's tabs read back is what the tool printed — the resource a policy result
 * is about, the before/after values of a drifted attribute. Skipped outside CI when the folder is
 * absent; under CI=true a missing folder fails the suite.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import {
  moduleEntity,
  postIngest,
  startMlInfraBackend,
} from './__testUtils__/backend';
import { fixturesDir } from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const fixture = (folder: string, file: string) =>
  fs.readFileSync(path.join(fixturesDir, folder, file), 'utf8');
const present = fs.existsSync(fixturesDir);

const MODULE = '/api/ml-infra/modules/component/default/fixture-module';

if (!present && process.env.CI === 'true') {
  it('has the real tool outputs in ../shared/fixtures', () => {
    expect({ fixturesDir, present }).toEqual({ fixturesDir, present: true });
  });
}

(present ? describe : describe.skip)('ingesting real tool outputs', () => {
  const ci = mockCredentials.service.header();
  const alice = mockCredentials.user.header('user:default/alice');
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    const server = await startMlInfraBackend({
      entities: [moduleEntity('fixture-module')],
      ciGrant: { owners: ['group:default/ml-platform'] },
      requireCredentials: false,
    });
    api = request(server);
  });

  let runId = 0;
  async function ingest(
    route: 'policy' | 'drift' | 'tests',
    query: Record<string, string>,
    body: string,
    contentType = 'application/json',
  ) {
    runId += 1;
    const response = await postIngest(
      api,
      route,
      {
        entityRef: 'component:default/fixture-module',
        provider: 'github',
        runId: String(runId),
        attempt: '1',
        ...query,
      },
      body,
      contentType,
    );
    expect(response.status).toBe(201);
  }

  it('lists the skipped tests of a go test -json run and links the run to the CI run GitHub reported', async () => {
    const workflowRun = JSON.parse(
      fixture(
        'github-actions-api',
        'otel-cicd-action-get-workflow-run-biome-failure.json',
      ),
    );
    const reported = await api
      .post('/api/ml-infra/runs')
      .set('Authorization', ci)
      .send({
        entityRef: 'component:default/fixture-module',
        provider: 'github',
        runId: String(workflowRun.id),
        attempt: workflowRun.run_attempt,
        workflow: workflowRun.name,
        status: workflowRun.status,
        conclusion: workflowRun.conclusion,
        url: workflowRun.html_url,
      });
    expect(reported.status).toBe(201);
    await ingest(
      'tests',
      { format: 'go-test-json', runId: String(workflowRun.id), leg: 'test' },
      fixture('go-test-json', 'gotestsum-with-cover.jsonl'),
      'application/x-ndjson',
    );

    const tests = await api.get(`${MODULE}/tests`).set('Authorization', alice);
    expect(tests.status).toBe(200);
    const [run] = tests.body.runs;
    expect(run.url).toBe(
      'https://github.com/biomejs/biome/actions/runs/21458831126',
    );
    expect(run.totals.skipped).toBe(4);
    expect(
      run.skipped.map((t: any) => `${t.suite.split('/').pop()} ${t.name}`),
    ).toEqual([
      'good TestSkipped',
      'good TestSkippedWitLog',
      'stub TestSkipped',
      'stub TestSkippedWitLog',
    ]);
  });

  it('keeps the resource of each regula result (opa eval) for the Policy tab', async () => {
    await ingest(
      'policy',
      { format: 'opa-eval', environment: 'dev' },
      fixture('conftest-opa', 'opa-eval-json-regula-report.json'),
    );
    const policy = await api
      .get(`${MODULE}/policy`)
      .set('Authorization', alice);
    expect(policy.status).toBe(200);
    expect(
      policy.body.results.map((r: any) => [r.rule, r.outcome, r.resource]),
    ).toEqual(
      expect.arrayContaining([
        [
          'tf_aws_iam_admin_policy',
          'failed',
          'aws_iam_policy.basically_allow_all',
        ],
        [
          'tf_aws_iam_admin_policy',
          'passed',
          'aws_iam_policy.basically_deny_all',
        ],
      ]),
    );
  });

  it('keeps the file conftest reports a failure in (no resource in the message)', async () => {
    await ingest(
      'policy',
      { format: 'conftest', environment: 'staging' },
      fixture(
        'conftest-opa',
        'conftest-docs-index-json-failure-loc-metadata.json',
      ),
    );
    const policy = await api
      .get(`${MODULE}/policy`)
      .set('Authorization', alice);
    expect(
      policy.body.results.find((r: any) => r.rule === 'data.main.deny'),
    ).toMatchObject({
      outcome: 'failed',
      message: 'Violation for some reason.',
      filename: 'foo.txt',
      environment: 'staging',
    });
    expect(
      policy.body.results.find((r: any) => r.rule === 'data.main.deny'),
    ).not.toHaveProperty('resource');
  });

  it('keeps before/after values of drifted and changed attributes for the Drift tab', async () => {
    await ingest(
      'drift',
      { environment: 'dev' },
      fixture(
        'terraform-plan-json',
        'infracost-aws-instance-drift-plus-update.plan.json',
      ),
    );
    const drift = await api.get(`${MODULE}/drift`).set('Authorization', alice);
    expect(drift.status).toBe(200);
    const dev = drift.body.environments.find(
      (e: any) => e.environment === 'dev',
    );
    expect(dev.status).toBe('drifted');
    const change = dev.resources.find(
      (r: any) =>
        r.address === 'aws_instance.web_app_1' && r.source === 'change',
    );
    expect(
      change.attributes.find((a: any) => a.name === 'instance_type'),
    ).toEqual({ name: 'instance_type', before: 't3.micro', after: 't3.small' });
    const drifted = dev.resources.find(
      (r: any) =>
        r.address === 'aws_instance.web_app_1' && r.source === 'drift',
    );
    expect(drifted.attributes.map((a: any) => a.name)).toEqual(
      drifted.changedAttributes,
    );
    expect(drifted.attributes.find((a: any) => a.name === 'tags')).toEqual({
      name: 'tags',
      after: '{}',
    });
  });

  it('keeps the before value of a resource deleted outside Terraform (HCP redacted plan)', async () => {
    await ingest(
      'drift',
      { environment: 'staging' },
      fixture('terraform-plan-json', 'tfc-redacted-plan-drift-delete.json'),
    );
    const drift = await api.get(`${MODULE}/drift`).set('Authorization', alice);
    const staging = drift.body.environments.find(
      (e: any) => e.environment === 'staging',
    );
    const deleted = staging.resources.find(
      (r: any) => r.source === 'drift' && r.action === 'delete',
    );
    expect(deleted.address).toBe('tfcoremock_simple_resource.example');
    expect(deleted.attributes.find((a: any) => a.name === 'string')).toEqual({
      name: 'string',
      before: 'Hello, world!',
    });
  });
});
