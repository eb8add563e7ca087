import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { spec, specSourceSha256 } from './openapi.generated';

describe('openapi.generated', () => {
  it('is up to date with openapi.yaml (run yarn generate:openapi:spec)', () => {
    const yaml = fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8');
    expect(createHash('sha256').update(yaml).digest('hex')).toBe(
      specSourceSha256,
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
