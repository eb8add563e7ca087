import { ReactElement } from 'react';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { moduleEntity } from './fixtures';
import { renderWithMlInfra, RenderOptions } from './renderWithMlInfra';

/**
 * The suite's stand-in for the ML Infra backend: an msw server that Backstage's hooks start,
 * reset after each test and close. `respond(url, body, init)` answers GET `url` with `body` as
 * JSON for the rest of the test; other handlers go through `server.use`.
 */
export function setupMlInfraApi() {
  const server = setupServer();
  registerMswTestHooks(server);
  const respond = (url: string, body: JsonBodyType, init?: ResponseInit) =>
    server.use(http.get(url, () => HttpResponse.json(body, init)));
  return { server, respond };
}

/** Renders a tab or card of the fixture module's entity page (gpu-training-cluster). */
export function renderModuleTab(
  element: ReactElement,
  options: Omit<RenderOptions, 'entity'> = {},
) {
  return renderWithMlInfra(element, { entity: moduleEntity, ...options });
}
