import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs-extra';
import git from 'isomorphic-git';
import path from 'node:path';
import {
  createPublishLocalAction,
  localModulesLocationTarget,
} from './publishLocal';

describe('ml-infra:publish:local', () => {
  const root = createMockDirectory();
  const base = root.resolve('repos');
  const workspace = root.resolve('workspace');
  const config = new ConfigReader({
    mlInfra: { scaffolder: { localPublishDir: base } },
  });

  beforeEach(() => {
    root.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        'main.tf': 'locals {}\n',
        '.github': { workflows: { 'validate.yml': 'on: push\n' } },
      },
    });
  });

  function setup(
    catalogImpl: Partial<ReturnType<typeof catalogServiceMock.mock>> = {},
  ) {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn().mockResolvedValue({ location: {}, entities: [] }),
      refreshEntity: jest.fn().mockResolvedValue(undefined),
      ...catalogImpl,
    } as any);
    const action = createPublishLocalAction({
      config,
      catalog,
      auth: mockServices.auth(),
    });
    return { catalog, action };
  }

  async function run(
    action: ReturnType<typeof setup>['action'],
    input: Record<string, unknown>,
    dryRun = false,
  ) {
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspace,
      }),
      isDryRun: dryRun,
    };
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('creates a git repository with one commit and registers its catalog file', async () => {
    const { catalog, action } = setup();
    const output = await run(action, { name: 'llm-training', tag: 'v0.1.0' });
    const dir = path.join(base, 'llm-training');

    expect(output).toMatchObject({
      remoteUrl: `file://${dir}`,
      repoContentsUrl: `file://${dir}`,
      catalogInfoPath: '/catalog-info.yaml',
      catalogInfoUrl: path.join(dir, 'catalog-info.yaml'),
      catalogRegistration: 'location',
    });
    const log = await git.log({ fs, dir });
    expect(log).toHaveLength(1);
    expect(output.commitHash).toBe(log[0].oid);
    expect(await git.listFiles({ fs, dir })).toEqual([
      '.github/workflows/validate.yml',
      'catalog-info.yaml',
      'main.tf',
    ]);
    expect(await git.resolveRef({ fs, dir, ref: 'v0.1.0' })).toBe(log[0].oid);
    expect(await git.currentBranch({ fs, dir })).toBe('main');
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
      expect.anything(),
    );
  });

  it('falls back to refreshing the configured glob location when file locations are not allowed', async () => {
    const { catalog, action } = setup({
      addLocation: jest
        .fn()
        .mockRejectedValue(
          new InputError('Registered locations must be of an allowed type url'),
        ),
    });
    const output = await run(action, { name: 'feature-store' });
    expect(output.catalogRegistration).toBe('refresh');
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      expect.stringMatching(/^location:default\/generated-[0-9a-f]+$/),
      expect.anything(),
    );
    expect(localModulesLocationTarget(base)).toBe(
      path.join(base, '*', 'catalog-info.yaml'),
    );
  });

  it('still publishes when the catalog cannot be reached', async () => {
    const { action } = setup({
      addLocation: jest.fn().mockRejectedValue(new Error('down')),
      refreshEntity: jest.fn().mockRejectedValue(new Error('down')),
    });
    const output = await run(action, { name: 'orphan-module' });
    expect(output.catalogRegistration).toBe('none');
    expect(fs.existsSync(path.join(base, 'orphan-module', '.git'))).toBe(true);
  });

  it('skips registration on request', async () => {
    const { catalog, action } = setup();
    const output = await run(action, {
      name: 'quiet-module',
      registerInCatalog: false,
    });
    expect(output.catalogRegistration).toBe('none');
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('writes nothing in a dry run', async () => {
    const { catalog, action } = setup();
    const output = await run(action, { name: 'dry-module' }, true);
    expect(output).toMatchObject({
      commitHash: '',
      catalogRegistration: 'none',
    });
    expect(fs.existsSync(path.join(base, 'dry-module'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('refuses to overwrite an existing repository', async () => {
    const { action } = setup();
    await run(action, { name: 'twice' });
    await expect(run(action, { name: 'twice' })).rejects.toThrow(
      /name: a repository already exists at/,
    );
  });

  it.each(['../escape', '/tmp/abs', 'a/b', 'Upper', '..'])(
    'never writes outside the base for %j',
    async name => {
      const { action } = setup();
      await expect(run(action, { name })).rejects.toThrow(/^name: /);
      expect(fs.readdirSync(root.path).sort()).toEqual(['workspace']);
    },
  );

  it('refuses a source path outside the workspace', async () => {
    const { action } = setup();
    await expect(
      run(action, { name: 'src-escape', sourcePath: '../' }),
    ).rejects.toThrow(/outside/);
  });

  it('wraps the side effects in checkpoints', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { name: 'checkpointed' },
      workspacePath: workspace,
    });
    const checkpoint = jest.spyOn(ctx, 'checkpoint');
    await action.handler(ctx as any);
    expect(checkpoint.mock.calls.map(([opts]) => opts.key)).toEqual([
      'ml-infra.publish.local.checkpointed',
      'ml-infra.publish.local.catalog.checkpointed',
    ]);
  });
});
