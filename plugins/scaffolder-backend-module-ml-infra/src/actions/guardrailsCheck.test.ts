import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGuardrailsCheckAction } from './guardrailsCheck';

describe('ml-infra:guardrails:check', () => {
  const publishDir = createMockDirectory();
  const config = new ConfigReader({
    mlInfra: {
      scaffolder: { localPublishDir: publishDir.path },
      guardrails: {
        regions: ['eu-west-1', 'us-east-1'],
        acceleratorFamilies: [
          {
            name: 'nvidia-a100',
            instanceFamilies: ['p4d', 'p4de'],
            defaultInstanceType: 'p4d.24xlarge',
          },
          { name: 'nvidia-a10g', instanceFamilies: ['g5'] },
        ],
        mandatoryTags: [
          'owner',
          'cost-center',
          { key: 'company', value: 'acme' },
        ],
        dataClassifications: ['internal', 'restricted'],
      },
    },
  });
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'existing-module', namespace: 'default' },
        spec: {
          type: 'terraform-module',
          owner: 'group:default/a',
          lifecycle: 'production',
        },
      },
    ],
  });
  const action = createGuardrailsCheckAction({ config, catalog });

  const valid = {
    name: 'llm-training',
    description: 'Fine-tuning cluster',
    owner: 'group:default/ml-platform',
    system: 'system:default/training',
    cloud: 'aws',
    region: 'eu-west-1',
    acceleratorType: 'nvidia-a100',
    environments: ['prod', 'dev'],
    costCenter: 'cc-1234',
    dataClassification: 'internal',
    goldenPath: 'gpu-training-cluster',
  };

  beforeEach(() => publishDir.clear());

  async function run(input: Record<string, unknown>) {
    const ctx = createMockActionContext({ input: input as any });
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('derives what the skeletons render from valid parameters', async () => {
    const output = await run(valid);
    expect(output).toMatchObject({
      entityRef: 'component:default/llm-training',
      environments: ['dev', 'prod'],
      instanceFamilies: ['p4d', 'p4de'],
      defaultInstanceType: 'p4d.24xlarge',
      allowedRegions: ['eu-west-1', 'us-east-1'],
      allowedInstanceFamilies: ['g5', 'p4d', 'p4de'],
      mandatoryTags: ['owner', 'cost-center', 'company'],
      dataClassifications: ['internal', 'restricted'],
      localRepoUrl: `file://${publishDir.resolve('llm-training')}`,
    });
    expect(output.tagExpressions).toEqual([
      { key: 'owner', hclKey: '"owner"      ', expression: 'var.owner' },
      {
        key: 'cost-center',
        hclKey: '"cost-center"',
        expression: 'var.cost_center',
      },
      { key: 'company', hclKey: '"company"    ', expression: '"acme"' },
    ]);
  });

  it('uses the default guardrails when app-config has none', async () => {
    const plain = createGuardrailsCheckAction({
      config: new ConfigReader({}),
      catalog,
    });
    const ctx = createMockActionContext({
      input: {
        ...valid,
        region: 'us-west-2',
        acceleratorType: 'nvidia-h100',
      } as any,
    });
    await plain.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('instanceFamilies', ['p5']);
  });

  it.each([
    ['team/module', "name: 'team/module' must not contain path separators"],
    ['a\\b', 'must not contain path separators'],
    ['a..b', "name: 'a..b' must not contain '..'"],
    ['MyModule', "name: 'MyModule' must be lowercase"],
    ['ab', 'must be at least 3 characters'],
    ['-lead', 'must be a DNS label'],
    ['x'.repeat(41), 'must be at most 40 characters (this one has 41)'],
  ])('rejects the name %j', async (name, message) => {
    await expect(run({ ...valid, name })).rejects.toThrow(message);
  });

  it('rejects a name the catalog already has', async () => {
    await expect(run({ ...valid, name: 'existing-module' })).rejects.toThrow(
      "name: 'existing-module' is already used by component:default/existing-module in the catalog",
    );
  });

  it('rejects a name that already has a local repository', async () => {
    publishDir.setContent({ 'llm-training': { 'README.md': 'x' } });
    await expect(run(valid)).rejects.toThrow(
      "name: 'llm-training' already has a local repository",
    );
  });

  it('skips the uniqueness check on request', async () => {
    await expect(
      run({ ...valid, name: 'existing-module', checkUnique: false }),
    ).resolves.toBeDefined();
  });

  it.each([
    [
      { region: 'ap-south-1' },
      "region: 'ap-south-1' is not allowed by the guardrails (allowed: eu-west-1, us-east-1)",
    ],
    [
      { cloud: 'gcp' },
      "cloud: 'gcp' is not allowed by the guardrails (allowed: aws)",
    ],
    [
      { acceleratorType: 'nvidia-h100' },
      "acceleratorType: 'nvidia-h100' is not allowed by the guardrails (allowed: nvidia-a100, nvidia-a10g)",
    ],
    [
      { dataClassification: 'public' },
      "dataClassification: 'public' is not allowed (allowed: internal, restricted)",
    ],
    [{ costCenter: 'cc 1' }, "costCenter: 'cc 1' must be 2-32 letters"],
    [
      { environments: ['dev', 'qa'] },
      "environments: 'qa' not configured (allowed: dev, staging, prod)",
    ],
    [{ environments: [] }, 'environments: select at least one environment'],
    [
      { owner: 'not a ref:::' },
      "owner: 'not a ref:::' is not a reference to a group or user entity",
    ],
    [
      { owner: 'component:default/x' },
      "owner: 'component:default/x' is not a reference to a group or user entity",
    ],
    [
      { description: 'see ${{ secrets.TOKEN }}' },
      "description: contains template expression syntax '${{'",
    ],
    [
      { description: 'see {{ x }}' },
      "description: contains template expression syntax '{{'",
    ],
    [
      { description: '{% include "x" %}' },
      "description: contains template tag syntax '{%'",
    ],
    [{ system: '${var.x}' }, "system: contains interpolation syntax '${'"],
  ])(
    'rejects %j with a message naming the field',
    async (override, message) => {
      await expect(run({ ...valid, ...override })).rejects.toThrow(message);
    },
  );

  it('reports every problem at once', async () => {
    await expect(
      run({ ...valid, name: 'Bad', region: 'mars-1', costCenter: '!' }),
    ).rejects.toThrow(
      /guardrails:\n - name: .*\n - region: .*\n - costCenter: /,
    );
  });

  it('reads the environment order from mlInfra.environments', async () => {
    const ordered = createGuardrailsCheckAction({
      config: new ConfigReader({
        mlInfra: { environments: ['qa', 'live'] },
      }),
    });
    const ctx = createMockActionContext({
      input: {
        ...valid,
        region: 'us-east-1',
        environments: ['live', 'qa'],
      } as any,
    });
    await ordered.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('environments', ['qa', 'live']);
  });

  it('refuses guardrails whose mandatory tag it cannot fill', async () => {
    const broken = createGuardrailsCheckAction({
      config: new ConfigReader({
        mlInfra: { guardrails: { mandatoryTags: ['team-lead'] } },
      }),
    });
    await expect(
      broken.handler(createMockActionContext({ input: valid as any }) as any),
    ).rejects.toThrow(
      "mlInfra.guardrails.mandatoryTags[0] 'team-lead' is not a known tag",
    );
  });

  it('runs in dry-run mode without side effects', async () => {
    const ctx = {
      ...createMockActionContext({ input: valid as any }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/llm-training',
    );
  });
});
