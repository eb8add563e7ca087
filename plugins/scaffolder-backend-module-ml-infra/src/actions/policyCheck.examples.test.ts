import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPolicyCheckAction } from './policyCheck';
import { examples } from './policyCheck.examples';
import { exampleInput } from '../__testUtils__/examples';

const MODULE = `
locals {
  mandatory_tags = {
    "owner"               = var.owner
    "cost-center"         = var.cost_center
    "data-classification" = var.data_classification
    "environment"         = var.environment
    "module"              = "x"
    "golden-path"         = "x"
    "managed-by"          = "terraform"
  }
  tags = merge(var.tags, local.mandatory_tags)
}

resource "aws_kms_key" "this" {
  enable_key_rotation = true
  tags                = local.tags
}
`;

describe('ml-infra:policy:check examples', () => {
  const workspace = createMockDirectory({
    content: { 'main.tf': MODULE, 'module/main.tf': MODULE },
  });
  const action = createPolicyCheckAction({ config: new ConfigReader({}) });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const ctx = createMockActionContext({
        input: exampleInput(example),
        workspacePath: workspace.path,
      });
      await action.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith(
        'report',
        expect.stringMatching(/^Policy check passed/),
      );
    },
  );
});
