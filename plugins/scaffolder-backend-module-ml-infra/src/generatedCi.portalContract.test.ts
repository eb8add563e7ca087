/*
 * The contract between the CI a golden path generates and the portal, executed.
 *
 * A golden path is rendered through the real scaffolder (dry run). The shell of its generated
 * `portal-push` composite action then runs under bash, as a GitHub runner would run it, for the
 * workflow steps that talk to the portal: each step's `with:` is taken from the rendered workflow
 * and its expressions resolved for one job (matrix value, repository variables). The other end is
 * the real ml-infra backend, with Backstage's real auth services: the job's GitHub Actions OIDC
 * token comes from a loopback token endpoint that signs JWTs, and the backend verifies them through
 * `backend.auth.externalAccess` type `jwks` against a JWKS served on loopback. The bodies are real
 * tool outputs from ../shared/fixtures. What the portal shows is read back through the read API.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The other party of the contract is the real backend plugin, started in this test only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import mlInfraPlugin from '@ml-infra-portal/plugin-ml-infra-backend';
import {
  createMlInfraApiClient,
  entityRefPath,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'yaml';
import { startDryRunBackend, TEMPLATES_DIR } from './__testUtils__/dryRun';

jest.setTimeout(300_000);

const FIXTURES = path.resolve(TEMPLATES_DIR, '..', '..', 'shared', 'fixtures');
/** GitHub's issuer: the portal recognises GitHub Actions tokens by it. Keys come from loopback. */
const ISSUER = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'ml-infra-portal';
const SLUG = 'ml-platform/ci-contract';
const REQUEST_TOKEN = 'runner-request-token';

if (!fs.existsSync(FIXTURES) && process.env.CI) {
  throw new Error(
    `The real tool outputs are missing at ${FIXTURES}; CI must provide them`,
  );
}
const describeWithFixtures = fs.existsSync(FIXTURES) ? describe : describe.skip;

const fixture = (folder: string, file: string) =>
  path.join(FIXTURES, folder, file);

/** A loopback stand-in for GitHub's OIDC issuer: a JWKS and the runner's token request URL. */
async function startTokenIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: 'ci',
    alg: 'RS256',
    use: 'sig',
  };
  let issued = 0;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/.well-known/jwks') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    // The runner's contract: bearer the request token, audience in the query, JWT in `.value`.
    if (
      url.pathname !== '/token' ||
      req.headers.authorization !== `bearer ${REQUEST_TOKEN}`
    ) {
      res.statusCode = 401;
      res.end('{}');
      return;
    }
    const context = url.searchParams.get('context') ?? 'ref:refs/heads/main';
    const value = await new SignJWT({
      repository: SLUG,
      repository_owner: SLUG.split('/')[0],
      ref: 'refs/heads/main',
      job_workflow_ref: `${SLUG}/.github/workflows/ci.yml@refs/heads/main`,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'ci' })
      .setIssuer(ISSUER)
      .setAudience(url.searchParams.get('audience') ?? '')
      .setSubject(`repo:${SLUG}:${context}`)
      .setJti(`jwt-${++issued}`)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ count: issued, value }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    jwksUrl: `${base}/.well-known/jwks`,
    /** ACTIONS_ID_TOKEN_REQUEST_URL of a job; GitHub's carries a query the action appends to. */
    requestUrl: (context: string) =>
      `${base}/token?api-version=2.0&context=${encodeURIComponent(context)}`,
    issuedCount: () => issued,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
};

/**
 * Resolves the `${{ }}` expressions of a workflow or action value for one job. Only the forms the
 * generated CI uses are known: anything else fails the test, so the test keeps up with the CI.
 */
function evaluate(value: unknown, context: Record<string, string>): string {
  return String(value ?? '').replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr) => {
    const alternatives = String(expr).split(/\s*\|\|\s*/);
    for (const alternative of alternatives) {
      const literal = /^'(.*)'$/.exec(alternative);
      if (literal) {
        return literal[1];
      }
      if (!(alternative in context)) {
        throw new Error(
          `Expression '${expr}' is not known to the contract test`,
        );
      }
      if (context[alternative] !== '') {
        return context[alternative];
      }
    }
    return '';
  });
}

function runBash(
  script: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    // How a runner runs `shell: bash`; async, so the backend in this process keeps serving.
    const child = spawn(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
      { cwd: options.cwd, env: options.env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

describeWithFixtures('generated CI against the real portal', () => {
  const repo = createMockDirectory();
  let files: Map<string, string>;
  let issuer: Awaited<ReturnType<typeof startTokenIssuer>>;
  let portalUrl: string;
  let stopPortal: () => void;
  let entityRef: string;
  let sent = 0;
  let replaced = 0;
  /** CI run records are stored, but no read route shows them (yet). */
  let ciRuns = 0;

  beforeAll(async () => {
    const scaffolder = await startDryRunBackend();
    try {
      const result = await scaffolder.dryRun('model-serving-endpoint', {
        name: 'ci-contract',
        description: 'Module whose generated CI talks to the portal',
        owner: 'group:default/ml-platform',
        cloud: 'aws',
        region: 'us-east-1',
        acceleratorType: 'nvidia-a100',
        environments: ['dev', 'staging', 'prod'],
        costCenter: 'cc-1234',
        dataClassification: 'internal',
        publishTarget: 'github',
        repoUrl: `github.com?owner=ml-platform&repo=ci-contract`,
      });
      if (result.status !== 200) {
        throw new Error(`Dry run failed: ${JSON.stringify(result.body)}`);
      }
      files = result.files;
    } finally {
      await scaffolder.stop();
    }
    repo.setContent(Object.fromEntries(files));

    const entity = yaml.parse(files.get('catalog-info.yaml')!) as Entity;
    entity.metadata.namespace = 'default';
    // The portal maps the OIDC token's repository to the module through this annotation.
    if (entity.metadata.annotations?.['github.com/project-slug'] !== SLUG) {
      throw new Error(`catalog-info.yaml does not name the repository ${SLUG}`);
    }
    entityRef = `component:default/${entity.metadata.name}`;

    issuer = await startTokenIssuer();
    const { server } = await startTestBackend({
      features: [
        mlInfraPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              auth: {
                externalAccess: [
                  {
                    type: 'jwks',
                    options: {
                      url: issuer.jwksUrl,
                      issuer: ISSUER,
                      audience: AUDIENCE,
                      algorithm: 'RS256',
                      subjectPrefix: 'github',
                    },
                    accessRestrictions: [
                      {
                        plugin: 'ml-infra',
                        permission: [
                          'ml-infra.results.ingest',
                          'ml-infra.results.read',
                        ],
                      },
                    ],
                  },
                ],
              },
            },
            mlInfra: { environments: ['dev', 'staging', 'prod'] },
          },
        }),
      ],
    });
    portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopPortal = () => server.close();
  });

  afterAll(async () => {
    stopPortal?.();
    await issuer?.close();
  });

  const action = () =>
    yaml.parse(files.get('.github/actions/portal-push/action.yml')!);

  function workflowStep(workflow: string, job: string, name: string): Step {
    const parsed = yaml.parse(files.get(`.github/workflows/${workflow}`)!);
    const step = (parsed.jobs[job].steps as Step[]).find(s => s.name === name);
    if (!step) {
      throw new Error(`${workflow} job ${job} has no step '${name}'`);
    }
    return step;
  }

  /**
   * Runs one workflow step that uses portal-push, as the runner would in the given job: the
   * step's `with:` resolved, the action's defaults applied, its shell run with the runner's env.
   */
  async function runPortalPush(options: {
    workflow: string;
    job: string;
    step: string;
    context?: Record<string, string>;
    runId: string;
    body?: { file: string; as: string };
    oidcContext?: string;
    expectFailure?: boolean;
  }) {
    const step = workflowStep(options.workflow, options.job, options.step);
    expect(step.uses).toBe('./.github/actions/portal-push');
    const context = {
      'vars.ML_INFRA_URL': portalUrl,
      'vars.ML_INFRA_OIDC_AUDIENCE': '',
      'inputs.version': '',
      ...options.context,
    };
    const definition = action();
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries<any>(definition.inputs)) {
      inputs[`inputs.${name}`] =
        step.with && name in step.with
          ? evaluate(step.with[name], context)
          : String(spec.default ?? '');
    }
    const [shell] = (definition.runs.steps as Step[]).filter(s => s.run);
    expect(shell.run).not.toMatch(/\$\{\{/);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: repo.path,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: SLUG,
      GITHUB_RUN_ID: options.runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: options.job,
      GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_SERVER_URL: 'https://github.com',
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl(
        options.oidcContext ?? 'ref:refs/heads/main',
      ),
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    };
    for (const [name, value] of Object.entries(shell.env ?? {})) {
      env[name] = evaluate(value, inputs);
    }
    if (options.body) {
      fs.copyFileSync(options.body.file, path.join(repo.path, options.body.as));
    }
    const result = await runBash(shell.run!, { cwd: repo.path, env });
    const post = inputs['inputs.method'] === 'POST';
    if (post) {
      sent += 1;
    }
    if (options.expectFailure) {
      expect(result.code).not.toBe(0);
      return { ...result, answer: '' };
    }
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr: '',
      ...(result.code === 0 ? {} : { stdout: result.stdout }),
    });
    // The runner's log: workflow commands (::add-mask::) and the portal's answer.
    const answer = result.stdout
      .split('\n')
      .filter(line => line.trim() && !line.startsWith('::'))
      .join('\n');
    if (post && JSON.parse(answer).replaced) {
      replaced += 1;
    }
    return { ...result, answer };
  }

  /** The portal's answers, read through the generated client with a CI job's OIDC token. */
  function portal() {
    return createMlInfraApiClient({
      baseUrl: `${portalUrl}/api/ml-infra`,
      fetch: async input => {
        const token = await fetch(
          `${issuer.requestUrl('ref:refs/heads/main')}&audience=${AUDIENCE}`,
          { headers: { authorization: `bearer ${REQUEST_TOKEN}` } },
        ).then(r => r.json());
        input.headers.set('authorization', `Bearer ${token.value}`);
        return fetch(input);
      },
    });
  }

  /** The answer of a portal call (the generated client throws on a non-2xx answer). */
  async function dataOf<T>(call: Promise<{ data?: T }>): Promise<T> {
    const { data } = await call;
    expect(data).toBeDefined();
    return data as T;
  }

  const modulePath = () => ({ path: entityRefPath(entityRef) });

  it('keeps the drift check of every environment of one drift run, and a resend replaces', async () => {
    const plans: Record<string, string> = {
      dev: 'regula-aws-cloudtrail-drift-4-resources.plan.json',
      staging: 'terraform-show-json-moved-drift.plan.json',
      prod: 'infracost-aws-instance-drift-plus-update.plan.json',
    };
    const answers = [];
    for (const [environment, file] of Object.entries(plans)) {
      const result = await runPortalPush({
        workflow: 'drift.yml',
        job: 'detect',
        step: 'Push the plan',
        runId: '9001',
        context: { 'matrix.environment': environment },
        body: { file: fixture('terraform-plan-json', file), as: 'plan.json' },
      });
      answers.push(JSON.parse(result.answer));
    }
    expect(answers.map(a => a.replaced)).toEqual([false, false, false]);
    expect(new Set(answers.map(a => a.id)).size).toBe(3);

    const again = await runPortalPush({
      workflow: 'drift.yml',
      job: 'detect',
      step: 'Push the plan',
      runId: '9001',
      context: { 'matrix.environment': 'dev' },
      body: {
        file: fixture('terraform-plan-json', plans.dev),
        as: 'plan.json',
      },
    });
    expect(JSON.parse(again.answer).replaced).toBe(true);

    const drift = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/drift', {
        params: modulePath(),
      }),
    );
    expect(
      drift.environments
        .filter((e: any) => e.status !== 'unknown')
        .map((e: any) => e.environment)
        .sort(),
    ).toEqual(['dev', 'prod', 'staging']);
    expect(drift.checks).toHaveLength(3);
    expect(drift.environments.every((e: any) => e.status === 'drifted')).toBe(
      true,
    );
  });

  it('keeps the plan-test and apply-test results of one run', async () => {
    const legs = [
      ['plan', 'gotestsum-multi-package-mixed.jsonl'],
      ['apply', 'tparse-go120-start-action-11-packages.jsonl'],
    ];
    for (const [job, file] of legs) {
      await runPortalPush({
        workflow: 'test.yml',
        job,
        step: 'Push the results',
        runId: '9002',
        context: { 'inputs.version': '0.1.0' },
        body: { file: fixture('go-test-json', file), as: 'test-results.json' },
        oidcContext: job === 'apply' ? 'environment:test' : undefined,
      });
    }
    const tests = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/tests', {
        params: { ...modulePath(), query: { version: '0.1.0' } },
      }),
    );
    expect(
      tests.runs.map((r: any) => `${r.run.runId}/${r.run.leg}`).sort(),
    ).toEqual(['9002/apply', '9002/plan']);
    expect(tests.runs.map((r: any) => [r.run.leg, r.status]).sort()).toEqual([
      ['apply', 'passed'],
      ['plan', 'failed'],
    ]);
  });

  it('reports a release and a deployment, and the deploy job asks the gate', async () => {
    fs.writeFileSync(
      path.join(repo.path, 'release.json'),
      JSON.stringify({
        version: '0.1.0',
        gitSha: 'abc123',
        changelog: '- first',
      }),
    );
    await runPortalPush({
      workflow: 'release.yml',
      job: 'release',
      step: 'Push the release',
      runId: '9003',
    });

    const gate = await runPortalPush({
      workflow: 'promote.yml',
      job: 'deploy',
      step: "Ask the portal's promotion gate",
      runId: '9004',
      context: {
        'steps.pinned.outputs.version': '0.1.0',
        'matrix.environment': 'dev',
      },
      oidcContext: 'environment:dev',
    });
    expect(gate.answer).toBe('');
    const answer = JSON.parse(
      fs.readFileSync(path.join(repo.path, 'gate.json'), 'utf8'),
    );
    expect(typeof answer.allowed).toBe('boolean');
    expect(answer.reasons.length).toBeGreaterThan(0);

    // The workflow's own reading of the answer: it refuses exactly when the portal does.
    const verdict = workflowStep('promote.yml', 'deploy', "The gate's answer");
    const verdictRun = await runBash(verdict.run!, {
      cwd: repo.path,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        VERSION: '0.1.0',
        TARGET: 'dev',
      },
    });
    expect(verdictRun.code === 0).toBe(answer.allowed);

    fs.writeFileSync(
      path.join(repo.path, 'deployment.json'),
      JSON.stringify({
        version: '0.1.0',
        environment: 'dev',
        action: 'deploy',
        runUrl: `https://github.com/${SLUG}/actions/runs/9004`,
      }),
    );
    await runPortalPush({
      workflow: 'promote.yml',
      job: 'deploy',
      step: 'Push the deployment',
      runId: '9004',
      context: { 'matrix.environment': 'dev' },
      oidcContext: 'environment:dev',
    });
    const environments = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/environments', {
        params: modulePath(),
      }),
    );
    expect(environments.history).toEqual([
      expect.objectContaining({
        environment: 'dev',
        version: '0.1.0',
        run: expect.objectContaining({ runId: '9004', leg: 'deploy (dev)' }),
      }),
    ]);
  });

  it('reports the validate run with the shell of its own steps', async () => {
    const describeRun = workflowStep(
      'validate.yml',
      'report',
      'Describe the run',
    );
    const described = await runBash(describeRun.run!, {
      cwd: repo.path,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        TERRAFORM: 'success',
        SCAN: 'failure',
        GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: SLUG,
        GITHUB_RUN_ID: '9006',
      },
    });
    expect(described.code).toBe(0);
    const pushed = await runPortalPush({
      workflow: 'validate.yml',
      job: 'report',
      step: 'Push the run',
      runId: '9006',
    });
    expect(JSON.parse(pushed.answer)).toMatchObject({
      replaced: false,
      summary: { workflow: 'validate', conclusion: 'failure' },
    });
    ciRuns += 1;
  });

  it('fails the deploy when the gate cannot be asked (no portal URL)', async () => {
    const step = workflowStep(
      'promote.yml',
      'deploy',
      "Ask the portal's promotion gate",
    );
    expect(step.with?.required).toBe('true');
    await runPortalPush({
      workflow: 'promote.yml',
      job: 'deploy',
      step: "Ask the portal's promotion gate",
      runId: '9005',
      context: {
        'vars.ML_INFRA_URL': '',
        'steps.pinned.outputs.version': '0.1.0',
        'matrix.environment': 'dev',
      },
      expectFailure: true,
    });
  });

  it('prints the figures: uploads sent, stored, shown', async () => {
    const drift = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/drift', {
        params: modulePath(),
      }),
    );
    const tests = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/tests', {
        params: modulePath(),
      }),
    );
    const environments = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/environments', {
        params: modulePath(),
      }),
    );
    const versions = await dataOf(
      portal().GET('/modules/{kind}/{namespace}/{name}/versions', {
        params: modulePath(),
      }),
    );
    const shown =
      drift.checks.length +
      tests.runs.length +
      environments.history.length +
      versions.items.length;
    // Uploads the portal kept: a resend of the same run identity replaces, it adds nothing.
    const stored = sent - replaced;
    process.stdout.write(
      `generated CI -> portal: uploads sent ${sent}, stored ${stored}, shown ${shown} (drift checks ${
        drift.checks.length
      }, test runs ${tests.runs.length}, deployments ${
        environments.history.length
      }, releases ${
        versions.items.length
      }, CI runs ${ciRuns} stored but shown by no read route); OIDC tokens issued ${issuer.issuedCount()}\n`,
    );
    expect({ sent, stored, ciRuns }).toEqual({ sent: 9, stored: 8, ciRuns: 1 });
    expect(shown).toBe(stored - ciRuns);
  });
});
