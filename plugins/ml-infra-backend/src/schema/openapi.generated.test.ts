import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { spec, specSourceSha256 } from './openapi.generated';

describe('openapi.generated', () => {
  const yaml = fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8');
  const sha256 = createHash('sha256').update(yaml).digest('hex');

  it('is up to date with openapi.yaml (run yarn generate:openapi)', () => {
    expect(specSourceSha256).toBe(sha256);
  });

  it('the client types in ml-infra-common are up to date with openapi.yaml (run yarn generate:openapi)', () => {
    const clientTypes = fs.readFileSync(
      path.join(__dirname, '../../../ml-infra-common/src/schema/openapi.ts'),
      'utf8',
    );
    expect(/specSourceSha256 =\s*'([0-9a-f]{64})'/.exec(clientTypes)?.[1]).toBe(
      sha256,
    );
  });

  it('describes every route the router serves', () => {
    const router = fs.readFileSync(
      path.join(__dirname, '../service/router.ts'),
      'utf8',
    );
    const routes = [
      ...router.matchAll(/router\.(get|post)\(\s*[`'](\/[^`']*)[`']/g),
    ].map(
      ([, method, route]) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`,
    );
    routes.push(
      'post /waivers/{id}/approve',
      'post /waivers/{id}/reject',
      'post /waivers/{id}/revoke',
    );
    const documented = Object.entries(spec.paths).flatMap(([route, ops]) =>
      Object.keys(ops).map(method => `${method} ${route}`),
    );
    for (const route of routes.filter(r => !r.includes('${'))) {
      expect(documented).toContain(route);
    }
  });
});
