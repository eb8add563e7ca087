import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { mlInfraPlugin } from './plugin';

describe('mlInfraPlugin', () => {
  it('answers the health route without credentials', async () => {
    const { server } = await startTestBackend({ features: [mlInfraPlugin] });
    const response = await request(server).get('/api/ml-infra/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
