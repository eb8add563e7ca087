import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  mlInfraIngestPermission,
  mlInfraResultsReadPermission,
  mlInfraWaiverApprovePermission,
  mlInfraWaiverCreatePermission,
  mlInfraWaiverRevokePermission,
} from '@ml-infra-portal/plugin-ml-infra-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { MlInfraPermissionPolicy } from './MlInfraPermissionPolicy';

const ownership: Record<string, string[]> = {
  'user:default/gina': ['user:default/gina', 'group:default/ml-governance'],
  'user:default/olly': ['user:default/olly', 'group:default/ml-platform'],
};

const userInfo = {
  async getUserInfo(credentials: any) {
    const ref = credentials.principal.userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: ownership[ref] ?? [ref] };
  },
};

function userOf(ref: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: ownership[ref] ?? [ref] },
  } as PolicyQueryUser;
}

describe('MlInfraPermissionPolicy', () => {
  const policy = MlInfraPermissionPolicy.fromConfig(
    mockServices.rootConfig({
      data: {
        mlInfra: { governance: { groups: ['group:default/ml-governance'] } },
      },
    }),
    { userInfo },
  );
  const governance = userOf('user:default/gina');
  const owner = userOf('user:default/olly');

  it('never lets a user push results (services are decided by their accessRestrictions)', async () => {
    await expect(
      policy.handle({ permission: mlInfraIngestPermission }, governance),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(
      policy.handle({ permission: mlInfraIngestPermission }, owner),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets governance delete catalog locations, nobody else', async () => {
    await expect(
      policy.handle(
        { permission: catalogLocationDeletePermission },
        governance,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: catalogLocationDeletePermission }, owner),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(
      policy.handle({ permission: catalogLocationDeletePermission }),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets owners (conditionally) and governance delete entities', async () => {
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }, governance),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }, owner),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
  });

  it('limits reading results to owners and governance when configured', async () => {
    const strict = MlInfraPermissionPolicy.fromConfig(
      mockServices.rootConfig({
        data: { mlInfra: { governance: { resultsReadableBy: 'owners' } } },
      }),
      { userInfo },
    );
    await expect(
      strict.handle({ permission: mlInfraResultsReadPermission }, governance),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(
      strict.handle({ permission: mlInfraResultsReadPermission }, owner),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: ['user:default/olly', 'group:default/ml-platform'] },
      },
    });
    expect(() =>
      MlInfraPermissionPolicy.fromConfig(
        mockServices.rootConfig({
          data: { mlInfra: { governance: { resultsReadableBy: 'some' } } },
        }),
        { userInfo },
      ),
    ).toThrow(/resultsReadableBy/);
  });

  it.each([mlInfraWaiverApprovePermission, mlInfraWaiverRevokePermission])(
    'grants $name to governance members only',
    async permission => {
      await expect(policy.handle({ permission }, governance)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
      await expect(policy.handle({ permission }, owner)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    },
  );

  it('lets module owners request waivers through a catalog ownership condition', async () => {
    const decision = await policy.handle(
      { permission: mlInfraWaiverCreatePermission },
      owner,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: ['user:default/olly', 'group:default/ml-platform'] },
      },
    });
  });

  it('allows reading results and other permissions to signed-in users', async () => {
    await expect(
      policy.handle({ permission: mlInfraResultsReadPermission }, owner),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, owner),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
