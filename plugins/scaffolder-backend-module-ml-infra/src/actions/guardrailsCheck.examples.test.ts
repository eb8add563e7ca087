import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGuardrailsCheckAction } from './guardrailsCheck';
import { examples } from './guardrailsCheck.examples';
import { exampleInput } from '../__testUtils__/examples';

describe('ml-infra:guardrails:check examples', () => {
  const action = createGuardrailsCheckAction({
    config: new ConfigReader({
      mlInfra: {
        scaffolder: { localPublishDir: '/nonexistent/ml-infra-repos' },
      },
    }),
    catalog: catalogServiceMock(),
  });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const ctx = createMockActionContext({ input: exampleInput(example) });
      await action.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith(
        'entityRef',
        `component:default/${exampleInput(example).name}`,
      );
    },
  );
});
