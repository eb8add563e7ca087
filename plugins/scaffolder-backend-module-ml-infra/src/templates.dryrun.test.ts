import { parse } from '@cdktf/hcl2json';
import { validateAction, validateWorkflow } from '@action-validator/core';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import yaml from 'yaml';
import {
  DryRunResult,
  listTemplates,
  readTemplate,
  startDryRunBackend,
} from './__testUtils__/dryRun';

jest.setTimeout(120_000);

const SHARED_FILES = [
  '.github/actions/conftest-setup/action.yml',
  '.github/actions/portal-push/action.yml',
  '.github/actions/security-scan/action.yml',
  '.github/actions/terraform-setup/action.yml',
  '.github/workflows/drift.yml',
  '.github/workflows/policy.yml',
  '.github/workflows/promote.yml',
  '.github/workflows/release.yml',
  '.github/workflows/test.yml',
  '.github/workflows/validate.yml',
  '.gitignore',
  '.ml-infra/module.env',
  '.terraform-docs.yml',
  '.tflint.hcl',
  'CHANGELOG.md',
  'CODEOWNERS',
  'README.md',
  'alarms.tf',
  'catalog-info.yaml',
  'context.tf',
  'docs/index.md',
  'docs/operations.md',
  'docs/policies.md',
  'examples/basic/README.md',
  'examples/basic/main.tf',
  'examples/basic/outputs.tf',
  'examples/basic/variables.tf',
  'examples/basic/versions.tf',
  'examples/complete/README.md',
  'examples/complete/main.tf',
  'examples/complete/outputs.tf',
  'examples/complete/variables.tf',
  'examples/complete/versions.tf',
  'kms.tf',
  'main.tf',
  'mkdocs.yml',
  'outputs.tf',
  'policy/encryption.rego',
  'policy/encryption_test.rego',
  'policy/guardrails.rego',
  'policy/instances.rego',
  'policy/instances_test.rego',
  'policy/lib.rego',
  'policy/public_access.rego',
  'policy/public_access_test.rego',
  'policy/regions.rego',
  'policy/regions_test.rego',
  'policy/tags.rego',
  'policy/tags_test.rego',
  'test/examples_complete_integration_test.go',
  'test/examples_plan_test.go',
  'test/go.mod',
  'test/helpers_test.go',
  'test/module_test.go',
  'tests/aws/data.tfmock.hcl',
  'tests/examples.tftest.hcl',
  'tests/limits.tftest.hcl',
  'variables.tf',
  'versions.tf',
];

const SECURE_BUCKET_FILES = [
  'modules/secure-bucket/README.md',
  'modules/secure-bucket/main.tf',
  'modules/secure-bucket/outputs.tf',
  'modules/secure-bucket/variables.tf',
  'modules/secure-bucket/versions.tf',
];

// Files each golden path adds to the shared baseline.
const MODULE_FILES: Record<string, string[]> = {
  'gpu-training-cluster': ['iam.tf', 'monitoring.tf'],
  'model-serving-endpoint': [
    'iam.tf',
    'monitoring.tf',
    'autoscaling.tf',
    ...SECURE_BUCKET_FILES,
  ],
  'feature-store': ['iam.tf', 'monitoring.tf', ...SECURE_BUCKET_FILES],
  'dataset-artifact-store': ['monitoring.tf', ...SECURE_BUCKET_FILES],
  'experiment-tracking': [
    'iam.tf',
    'monitoring.tf',
    'database.tf',
    ...SECURE_BUCKET_FILES,
  ],
};

const ENVIRONMENT_FILES = ['backend.tf', 'main.tf'];

const ACCELERATED = new Set(['gpu-training-cluster', 'model-serving-endpoint']);

function valuesFor(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name: `test-${name}`.slice(0, 40).replace(/-$/, ''),
    description: 'Module created by the dry-run test',
    owner: 'group:default/ml-platform',
    system: 'system:default/training-platform',
    cloud: 'aws',
    region: 'us-east-1',
    ...(ACCELERATED.has(name) ? { acceleratorType: 'nvidia-a100' } : {}),
    environments: ['dev', 'staging', 'prod'],
    costCenter: 'cc-1234',
    dataClassification: 'internal',
    publishTarget: 'local',
    ...overrides,
  };
}

const entityPolicies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

function errorLog(result: DryRunResult) {
  return JSON.stringify(
    result.body.errors ?? result.body.error ?? result.body,
    null,
    2,
  ).slice(0, 4000);
}

describe('golden-path templates through the scaffolder dry run', () => {
  let backend: Awaited<ReturnType<typeof startDryRunBackend>>;
  const results = new Map<string, DryRunResult>();

  beforeAll(async () => {
    backend = await startDryRunBackend();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const templates = listTemplates();

  it('registers at least four golden paths, tagged for the ML Infra page', () => {
    expect(templates.length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(MODULE_FILES).sort()).toEqual([...templates].sort());
    for (const name of templates) {
      const template = readTemplate(name);
      expect(template.kind).toBe('Template');
      expect(template.metadata.name).toBe(name);
      expect(template.spec.type).toBe('terraform-module');
      expect(template.metadata.tags).toEqual(
        expect.arrayContaining(['ml-infra', 'terraform']),
      );
    }
  });

  describe.each(templates)('%s', name => {
    const run = async () => {
      if (!results.has(name)) {
        results.set(name, await backend.dryRun(name, valuesFor(name)));
      }
      return results.get(name)!;
    };

    it('renders exactly the expected files', async () => {
      const result = await run();
      expect({
        status: result.status,
        errors: result.status === 200 ? undefined : errorLog(result),
      }).toEqual({
        status: 200,
        errors: undefined,
      });
      const expected = [
        ...SHARED_FILES,
        ...MODULE_FILES[name],
        ...['dev', 'staging', 'prod'].flatMap(env =>
          ENVIRONMENT_FILES.map(f => `environments/${env}/${f}`),
        ),
      ].sort();
      expect([...result.files.keys()].sort()).toEqual(expected);
    });

    it('leaves no template syntax behind', async () => {
      const { files } = await run();
      // Workflows legitimately hold GitHub expressions (${{ }}); everything else must be rendered.
      const leftovers = [...files.entries()]
        .filter(
          ([file, content]) =>
            file.endsWith('.njk') ||
            (!file.startsWith('.github/') && /\$\{\{|\{%|\{#/.test(content)),
        )
        .map(([file]) => file);
      expect(leftovers).toEqual([]);
    });

    it('renders Terraform that parses with the HCL parser', async () => {
      const { files } = await run();
      const tf = [...files.entries()].filter(
        ([file]) => file.endsWith('.tf') || file.endsWith('.hcl'),
      );
      expect(tf.length).toBeGreaterThan(10);
      for (const [file, content] of tf) {
        await expect(parse(file, content).then(() => file)).resolves.toBe(file);
      }
    });

    it('renders a catalog-info.yaml that validates as a terraform-module Component', async () => {
      const { files } = await run();
      const entity = yaml.parse(files.get('catalog-info.yaml')!) as Entity;
      await expect(entityPolicies.enforce(entity)).resolves.toBeDefined();
      await expect(
        componentEntityV1alpha1Validator.check(entity),
      ).resolves.toBe(true);
      expect(entity.spec).toMatchObject({
        type: 'terraform-module',
        owner: 'group:default/ml-platform',
      });
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/techdocs-ref': 'dir:.',
        'ml-infra.io/golden-path': name,
        'ml-infra.io/environments': 'dev,staging,prod',
        'ml-infra.io/template-version':
          readTemplate(name).metadata.annotations[
            'ml-infra.io/template-version'
          ],
      });
      expect(entity.metadata.tags).toContain('ml-infra');
    });

    it('renders workflows that validate against the GitHub Actions schema', async () => {
      const { files } = await run();
      const workflows = [...files.entries()].filter(([file]) =>
        file.startsWith('.github/workflows/'),
      );
      expect(workflows).toHaveLength(6);
      for (const [file, content] of workflows) {
        expect({ file, errors: validateWorkflow(content).errors }).toEqual({
          file,
          errors: [],
        });
      }
      const actions = [...files.entries()].filter(([file]) =>
        file.startsWith('.github/actions/'),
      );
      expect(actions).toHaveLength(4);
      for (const [file, content] of actions) {
        expect({ file, errors: validateAction(content).errors }).toEqual({
          file,
          errors: [],
        });
      }
    });

    it('renders CI that pins what it runs, bounds every job and keeps tokens from pull requests', async () => {
      const { files } = await run();
      const ci = [...files.entries()].filter(([file]) =>
        file.startsWith('.github/'),
      );
      const problems: string[] = [];
      for (const [file, content] of ci) {
        for (const line of content.split('\n')) {
          const uses = /^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/.exec(line);
          if (uses && !uses[1].startsWith('./')) {
            if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses[1])) {
              problems.push(`${file}: ${uses[1]} is not pinned by commit SHA`);
            } else if (!/#\s*v\d/.test(uses[2])) {
              problems.push(`${file}: ${uses[1]} has no # vX comment`);
            }
          }
        }
        if (
          content.includes('releases/download/') &&
          !content.includes('sha256sum --check')
        ) {
          problems.push(`${file}: downloads a release without a checksum`);
        }
        if (!file.startsWith('.github/workflows/')) {
          continue;
        }
        const workflow = yaml.parse(content);
        expect({ file, permissions: workflow.permissions }).toEqual({
          file,
          permissions: {},
        });
        const onPullRequest = 'pull_request' in (workflow.on ?? {});
        for (const [id, job] of Object.entries<any>(workflow.jobs)) {
          if (!job.uses && typeof job['timeout-minutes'] !== 'number') {
            problems.push(`${file}: job ${id} has no timeout-minutes`);
          }
          const prExcluded =
            /github\.event_name (!= 'pull_request'|== 'push')/.test(
              String(job.if ?? ''),
            );
          const mintsTokens = job.permissions?.['id-token'] === 'write';
          if (onPullRequest && !prExcluded && mintsTokens) {
            problems.push(
              `${file}: job ${id} can get an OIDC token on pull requests`,
            );
          }
          if (
            onPullRequest &&
            !prExcluded &&
            JSON.stringify(job).includes('secrets.')
          ) {
            problems.push(`${file}: job ${id} reads secrets on pull requests`);
          }
        }
      }
      expect(problems).toEqual([]);
      // The environments of the module, and nothing else, are what drift.yml may reconcile.
      const drift = yaml.parse(files.get('.github/workflows/drift.yml')!);
      expect(drift.on.workflow_dispatch.inputs.reconcile).toMatchObject({
        type: 'choice',
        options: ['none', 'dev', 'staging', 'prod'],
      });
      const promote = yaml.parse(files.get('.github/workflows/promote.yml')!);
      expect(promote.on.workflow_dispatch.inputs.environment.options).toEqual([
        'dev',
        'staging',
        'prod',
      ]);
      expect(promote.concurrency['cancel-in-progress']).toBe(false);
      expect(promote.jobs.deploy.environment).toBe('${{ matrix.environment }}');
      expect(files.get('.github/workflows/promote.yml')).not.toContain(
        'HEAD~1',
      );
    });

    it('tags on publish the version the environments pin', async () => {
      const { files } = await run();
      const newest = /^## \[(\d+\.\d+\.\d+)\]/m.exec(
        files.get('CHANGELOG.md')!,
      )?.[1];
      const pins = ['dev', 'staging', 'prod'].map(
        env =>
          /\?ref=v(\d+\.\d+\.\d+)/.exec(
            files.get(`environments/${env}/main.tf`)!,
          )?.[1],
      );
      // Local publish tags the first commit; on GitHub, release.yml tags the newest CHANGELOG version.
      const publishLocal = readTemplate(name).spec.steps.find(
        (step: { action: string }) => step.action === 'ml-infra:publish:local',
      );
      expect({ pins, tag: publishLocal.input.tag }).toEqual({
        pins: [newest, newest, newest],
        tag: `v${newest}`,
      });
    });

    it('renders Go tests that pass gofmt -l -e', async () => {
      const { files } = await run();
      const dir = createMockDirectory();
      const goFiles = [...files.entries()].filter(([file]) =>
        file.endsWith('.go'),
      );
      expect(goFiles.length).toBeGreaterThanOrEqual(4);
      dir.setContent(Object.fromEntries(goFiles));
      // gofmt comes from Debian golang-go; the test fails, not skips, without it.
      const unformatted = execFileSync(
        'gofmt',
        ['-l', '-e', path.join(dir.path, 'test')],
        { encoding: 'utf8' },
      );
      expect(unformatted).toBe('');
      expect(files.get('test/go.mod')).toMatch(
        /github\.com\/gruntwork-io\/terratest v0\.46\.\d+/,
      );
      expect(files.get('test/examples_complete_integration_test.go')).toMatch(
        /^\/\/go:build integration\n/,
      );
    });

    it('merges the mandatory tags into every taggable resource', async () => {
      const { files } = await run();
      const context = await parse('context.tf', files.get('context.tf')!);
      const mandatory = context.locals[0].mandatory_tags;
      expect(Object.keys(mandatory).sort()).toEqual([
        'cost-center',
        'data-classification',
        'environment',
        'golden-path',
        'managed-by',
        'module',
        'owner',
      ]);
      expect(mandatory['golden-path']).toBe(name);
      expect(files.get('policy/guardrails.rego')).toContain('"us-east-1"');
    });
  });

  it('points the generated repository at GitHub when publishing there', async () => {
    const result = await backend.dryRun(
      'model-serving-endpoint',
      valuesFor('model-serving-endpoint', {
        publishTarget: 'github',
        repoUrl: 'github.com?owner=ml-platform&repo=test-serving',
      }),
    );
    expect({
      status: result.status,
      errors: result.status === 200 ? undefined : errorLog(result),
    }).toEqual({
      status: 200,
      errors: undefined,
    });
    const entity = yaml.parse(result.files.get('catalog-info.yaml')!);
    expect(entity.metadata.annotations['github.com/project-slug']).toBe(
      'ml-platform/test-serving',
    );
    expect(result.files.get('environments/prod/main.tf')).toContain(
      'source = "git::https://github.com/ml-platform/test-serving.git?ref=v0.1.0"',
    );
    expect(result.files.get('test/go.mod')).toMatch(
      /^module github\.com\/ml-platform\/test-serving\/test$/m,
    );
    expect(result.files.get('CODEOWNERS')).toContain(
      '@ml-platform/ml-platform',
    );
  });
});
