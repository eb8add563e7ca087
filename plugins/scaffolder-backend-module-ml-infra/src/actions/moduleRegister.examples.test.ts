import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createModuleRegisterAction } from './moduleRegister';
import { examples } from './moduleRegister.examples';
import { exampleInput } from '../__testUtils__/examples';

describe('ml-infra:module:register examples', () => {
  const server = setupServer(
    http.post(
      'http://ml-infra.test/api/ml-infra/modules',
      async ({ request }) =>
        HttpResponse.json(await request.json(), { status: 201 }),
    ),
  );
  registerMswTestHooks(server);
  const action = createModuleRegisterAction({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async id => `http://ml-infra.test/api/${id}`,
    }),
    auth: mockServices.auth(),
  });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const ctx = createMockActionContext({ input: exampleInput(example) });
      await action.handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('registered', true);
    },
  );
});
