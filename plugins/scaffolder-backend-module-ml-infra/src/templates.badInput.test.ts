import fs from 'fs-extra';
import path from 'node:path';
import { startDryRunBackend } from './__testUtils__/dryRun';
import { findRepoRoot } from './lib/paths';

jest.setTimeout(120_000);

const VALID = {
  name: 'bad-input-probe',
  description: 'Probe',
  owner: 'group:default/ml-platform',
  cloud: 'aws',
  region: 'eu-west-1',
  acceleratorType: 'nvidia-a100',
  environments: ['dev', 'prod'],
  costCenter: 'cc-1',
  dataClassification: 'internal',
  publishTarget: 'local',
};

function messageOf(body: any): string {
  return body.error?.message ?? JSON.stringify(body.errors ?? body);
}

describe('bad input through the scaffolder dry run', () => {
  let backend: Awaited<ReturnType<typeof startDryRunBackend>>;

  beforeAll(async () => {
    backend = await startDryRunBackend({
      config: {
        mlInfra: {
          guardrails: {
            regions: ['eu-west-1'],
            acceleratorFamilies: [
              {
                name: 'nvidia-a100',
                instanceFamilies: ['p4d'],
                defaultInstanceType: 'p4d.24xlarge',
              },
              { name: 'cpu', instanceFamilies: ['m6i'] },
            ],
          },
        },
      },
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'taken-name', namespace: 'default' },
          spec: {
            type: 'terraform-module',
            owner: 'group:default/x',
            lifecycle: 'production',
          },
        },
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('accepts the valid probe (the cases below differ only in the field under test)', async () => {
    const result = await backend.dryRun('gpu-training-cluster', VALID);
    expect({
      status: result.status,
      error: result.status === 200 ? undefined : messageOf(result.body),
    }).toEqual({
      status: 200,
      error: undefined,
    });
  });

  it.each([
    ['a path separator', 'team/module'],
    ['..', 'a..b'],
    ['a traversal', '../../etc'],
    ['uppercase', 'MyModule'],
  ])('rejects a name with %s', async (_what, name) => {
    const result = await backend.dryRun('gpu-training-cluster', {
      ...VALID,
      name,
    });
    expect(result.status).toBe(400);
    expect(messageOf(result.body)).toMatch(/name.*pattern|name:/);
  });

  it('rejects a name already in the catalog, naming the field', async () => {
    const result = await backend.dryRun('dataset-artifact-store', {
      ...VALID,
      name: 'taken-name',
    });
    expect(result.status).toBe(400);
    expect(messageOf(result.body)).toContain(
      "name: 'taken-name' is already used by component:default/taken-name in the catalog",
    );
  });

  it('rejects a region outside the guardrails', async () => {
    const result = await backend.dryRun('feature-store', {
      ...VALID,
      region: 'us-east-1',
    });
    expect(result.status).toBe(400);
    expect(messageOf(result.body)).toContain(
      "region: 'us-east-1' is not allowed by the guardrails (allowed: eu-west-1)",
    );
  });

  it('rejects an accelerator outside the guardrails', async () => {
    const result = await backend.dryRun('model-serving-endpoint', {
      ...VALID,
      acceleratorType: 'nvidia-h100',
    });
    expect(result.status).toBe(400);
    expect(messageOf(result.body)).toContain(
      "acceleratorType: 'nvidia-h100' is not allowed by the guardrails",
    );
  });

  it.each([
    ['${{ secrets.AWS_KEY }}'],
    ['{{ 7*7 }}'],
    ['{% raw %}x{% endraw %}'],
    ['${file("/etc/passwd")}'],
  ])('rejects template syntax in free text: %s', async description => {
    const result = await backend.dryRun('experiment-tracking', {
      ...VALID,
      description,
    });
    expect(result.status).toBe(400);
    expect(messageOf(result.body)).toMatch(/description: contains .* syntax/);
  });

  it('writes nothing outside the task workspace during a dry run', async () => {
    const publishBase = path.join(findRepoRoot(), '.data', 'repos');
    const result = await backend.dryRun('gpu-training-cluster', {
      ...VALID,
      name: 'dry-run-leak-probe',
    });
    expect(result.status).toBe(200);
    expect(fs.existsSync(path.join(publishBase, 'dry-run-leak-probe'))).toBe(
      false,
    );
    for (const file of result.files.keys()) {
      expect(path.posix.normalize(file)).toBe(file);
      expect(file.startsWith('/') || file.startsWith('..')).toBe(false);
    }
  });
});
