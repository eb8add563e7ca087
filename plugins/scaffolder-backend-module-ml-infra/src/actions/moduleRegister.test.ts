import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createModuleRegisterAction } from './moduleRegister';

describe('ml-infra:module:register', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discovery = mockServices.discovery.mock({
    getBaseUrl: async pluginId => `http://ml-infra.test/api/${pluginId}`,
  });
  const auth = mockServices.auth();
  const action = createModuleRegisterAction({
    discovery,
    auth,
    retryIntervalMs: 10,
  });

  it('posts the module to the ML Infra backend with a service token', async () => {
    const requests: { body: unknown; authorization: string | null }[] = [];
    server.use(
      http.post(
        'http://ml-infra.test/api/ml-infra/modules',
        async ({ request }) => {
          requests.push({
            body: await request.json(),
            authorization: request.headers.get('authorization'),
          });
          return HttpResponse.json({ ok: true }, { status: 201 });
        },
      ),
    );
    const ctx = createMockActionContext({
      input: { entityRef: 'llm-training', environments: ['dev', 'prod'] },
    });
    await action.handler(ctx as any);

    expect(requests).toEqual([
      {
        body: {
          entityRef: 'component:default/llm-training',
          environments: ['dev', 'prod'],
        },
        authorization: expect.stringMatching(/^Bearer .+/),
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('registered', true);
  });

  it('fails the task with the backend error', async () => {
    server.use(
      http.post('http://ml-infra.test/api/ml-infra/modules', () =>
        HttpResponse.json(
          {
            error: { name: 'InputError', message: 'environments: unknown env' },
          },
          { status: 400 },
        ),
      ),
    );
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/x', environments: ['qa'] },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/400/);
  });

  it('waits for the catalog to ingest the new module', async () => {
    let calls = 0;
    server.use(
      http.post('http://ml-infra.test/api/ml-infra/modules', () =>
        ++calls < 3
          ? HttpResponse.json(
              { error: { name: 'NotFoundError', message: 'not in catalog' } },
              { status: 404 },
            )
          : HttpResponse.json({ created: true }, { status: 201 }),
      ),
    );
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/new', environments: ['dev'] },
    });
    await action.handler(ctx as any);
    expect(calls).toBe(3);
    expect(ctx.output).toHaveBeenCalledWith('registered', true);
  });

  it('gives up on a missing module after catalogWaitSeconds', async () => {
    server.use(
      http.post('http://ml-infra.test/api/ml-infra/modules', () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'not in catalog' } },
          { status: 404 },
        ),
      ),
    );
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/ghost',
        environments: ['dev'],
        catalogWaitSeconds: 0,
      },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/404/);
  });

  it('only logs in a dry run', async () => {
    const called = jest.fn();
    server.use(http.post('http://ml-infra.test/api/ml-infra/modules', called));
    const ctx = {
      ...createMockActionContext({
        input: { entityRef: 'component:default/x', environments: ['dev'] },
      }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(called).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('registered', false);
  });

  it('runs its side effect inside a checkpoint', async () => {
    server.use(
      http.post('http://ml-infra.test/api/ml-infra/modules', () =>
        HttpResponse.json({}),
      ),
    );
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/x', environments: ['dev'] },
    });
    const checkpoint = jest.spyOn(ctx, 'checkpoint');
    await action.handler(ctx as any);
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({
        key: 'ml-infra.module.register.component:default/x',
      }),
    );
  });
});
