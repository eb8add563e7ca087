import { mockApis } from '@backstage/test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { displayNameOf } from './DisplayNameField';

const configApi = mockApis.config({
  data: {
    mlInfra: {
      guardrails: {
        acceleratorFamilies: [
          {
            name: 'nvidia-h100',
            title: 'NVIDIA H100',
            instanceFamilies: ['p5'],
            defaultInstanceType: 'p5.48xlarge',
          },
        ],
      },
    },
  },
});

const catalogApi = catalogApiMock({
  entities: [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'ml-platform', namespace: 'default' },
      spec: { type: 'team', profile: { displayName: 'ML Platform' } },
    },
  ],
});

describe('displayNameOf', () => {
  it('names a guardrail value by its configured title', async () => {
    const options = {
      of: 'acceleratorType',
      guardrail: 'acceleratorFamilies' as const,
    };
    expect(
      await displayNameOf('nvidia-h100', options, { catalogApi, configApi }),
    ).toBe('NVIDIA H100 (p5)');
    expect(
      await displayNameOf('tpu-v5', options, { catalogApi, configApi }),
    ).toBe('tpu-v5');
  });

  it('names an entity as the catalog presents it', async () => {
    expect(
      await displayNameOf(
        'group:default/ml-platform',
        { of: 'owner' },
        { catalogApi, configApi },
      ),
    ).toBe('ML Platform');
  });

  it('keeps the raw value when the catalog cannot be asked', async () => {
    const failing = catalogApiMock.mock({
      getEntityByRef: jest.fn().mockRejectedValue(new Error('offline')),
    });
    expect(
      await displayNameOf(
        'group:default/ml-platform',
        { of: 'owner' },
        { catalogApi: failing, configApi },
      ),
    ).toBe('group:default/ml-platform');
  });
});
