import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPolicyCheckAction } from './policyCheck';

const CONTEXT_TF = `
locals {
  mandatory_tags = {
    "owner"       = var.owner
    "cost-center" = var.cost_center
  }
  tags = merge(var.tags, local.mandatory_tags)
}
`;

const BUCKET_TF = `
resource "aws_s3_bucket" "this" {
  bucket = "\${var.name}-data"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}
`;

describe('ml-infra:policy:check', () => {
  const workspace = createMockDirectory();
  const action = createPolicyCheckAction({
    config: new ConfigReader({
      mlInfra: {
        guardrails: {
          regions: ['eu-west-1'],
          acceleratorFamilies: [
            { name: 'nvidia-a10g', instanceFamilies: ['g5'] },
          ],
          mandatoryTags: ['owner', 'cost-center'],
        },
      },
    }),
  });

  async function run(
    files: Record<string, any>,
    input: Record<string, unknown> = {},
  ) {
    workspace.setContent(files);
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('passes a module that follows the guardrails', async () => {
    const output = await run({
      'context.tf': CONTEXT_TF,
      'main.tf': `${BUCKET_TF}
resource "aws_eks_node_group" "gpu" {
  instance_types = ["g5.2xlarge"]
  tags           = merge(local.tags, { pool = "gpu" })
}
`,
      'examples/basic/main.tf':
        'module "x" {\n  source = "../../"\n  region = "eu-west-1"\n}\n',
    });
    expect(output).toEqual({
      filesChecked: 3,
      report: 'Policy check passed: 3 Terraform files',
    });
  });

  it('fails with file: problem lines for every finding', async () => {
    const promise = run({
      'context.tf': CONTEXT_TF.replace('"cost-center" = var.cost_center', ''),
      'main.tf': `
resource "aws_s3_bucket" "untagged" {
  bucket = "x"
}

resource "aws_kms_key" "own_tags" {
  tags = { owner = "me" }
}

resource "aws_eks_node_group" "big" {
  instance_types = ["p5.48xlarge"]
  tags           = local.tags
}

resource "aws_sagemaker_endpoint_configuration" "x" {
  production_variants {
    instance_type = "ml.g4dn.xlarge"
  }
  tags = local.tags
}
`,
      'providers.tf': 'provider "aws" {\n  region = "us-east-1"\n}\n',
      'broken.tf': 'resource "aws_s3_bucket" "x" {\n',
    });
    await expect(promise).rejects.toThrow(
      /Policy check failed: \d+ problem\(s\) in 4 Terraform files/,
    );
    const message = await promise.catch(e => e.message);
    expect(message).toContain('broken.tf: does not parse as HCL');
    expect(message).toContain(
      'main.tf: resource aws_s3_bucket.untagged has no tags (use tags = local.tags)',
    );
    expect(message).toContain(
      'main.tf: resource aws_kms_key.own_tags does not take its tags from local.tags',
    );
    expect(message).toContain(
      "main.tf: instance type 'p5.48xlarge' is of family 'p5', which the guardrails do not allow",
    );
    expect(message).toContain(
      "main.tf: instance type 'ml.g4dn.xlarge' is of family 'g4dn'",
    );
    expect(message).toContain(
      "providers.tf: region 'us-east-1' is not allowed by the guardrails",
    );
    expect(message).toContain(
      "(root module): mandatory tag 'cost-center' missing from locals.mandatory_tags",
    );
  });

  it('requires the tags local to merge the mandatory tags', async () => {
    await expect(
      run({
        'context.tf':
          'locals {\n  mandatory_tags = { owner = "a", cost-center = "b" }\n  tags = var.tags\n}\n',
      }),
    ).rejects.toThrow(
      '(root module): locals.tags must merge local.mandatory_tags',
    );
  });

  it('honours an explicit list of mandatory tags', async () => {
    await expect(
      run({ 'context.tf': CONTEXT_TF }, { mandatoryTags: ['owner', 'team'] }),
    ).rejects.toThrow("mandatory tag 'team' missing");
  });

  it('checks only the given folder and refuses paths outside the workspace', async () => {
    await expect(
      run(
        { 'module/context.tf': CONTEXT_TF, 'other/bad.tf': '{' },
        { path: 'module' },
      ),
    ).resolves.toEqual({
      filesChecked: 1,
      report: 'Policy check passed: 1 Terraform files',
    });
    await expect(
      run({ 'main.tf': CONTEXT_TF }, { path: '../..' }),
    ).rejects.toThrow(/outside/);
  });

  it('fails when there is nothing to check', async () => {
    await expect(run({ 'README.md': '# x' })).rejects.toThrow(
      'Policy check: no .tf files under .',
    );
  });

  it('runs the same checks in a dry run (it has no side effects)', async () => {
    workspace.setContent({ 'context.tf': CONTEXT_TF, 'main.tf': BUCKET_TF });
    const ctx = {
      ...createMockActionContext({ workspacePath: workspace.path }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('filesChecked', 2);
  });
});
