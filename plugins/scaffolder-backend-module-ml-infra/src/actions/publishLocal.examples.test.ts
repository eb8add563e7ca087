import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import path from 'node:path';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';
import { exampleInput } from '../__testUtils__/examples';

describe('ml-infra:publish:local examples', () => {
  const root = createMockDirectory({
    content: {
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        repo: { 'catalog-info.yaml': 'kind: Component\n' },
      },
    },
  });
  const base = root.resolve('repos');
  const action = createPublishLocalAction({
    config: new ConfigReader({
      mlInfra: { scaffolder: { localPublishDir: base } },
    }),
    catalog: catalogServiceMock.mock({
      addLocation: jest.fn().mockResolvedValue({}),
    } as any),
    auth: mockServices.auth(),
  });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_description, example) => {
      const input = exampleInput(example);
      const ctx = createMockActionContext({
        input,
        workspacePath: root.resolve('workspace'),
      });
      await action.handler(ctx as any);
      expect(fs.existsSync(path.join(base, input.name, '.git'))).toBe(true);
      expect(
        fs.existsSync(path.join(base, input.name, 'catalog-info.yaml')),
      ).toBe(true);
    },
  );
});
