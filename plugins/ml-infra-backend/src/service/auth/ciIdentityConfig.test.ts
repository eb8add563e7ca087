import { ConfigReader } from '@backstage/config';
import { CiIdentity } from './CiIdentity';
import { readCiIdentityConfig } from './ciIdentityConfig';

const PERMISSIONS = ['ml-infra.results.ingest', 'ml-infra.results.read'];

function config(externalAccess: object[], mlInfra: object = {}) {
  return new ConfigReader({ backend: { auth: { externalAccess } }, mlInfra });
}

describe('readCiIdentityConfig', () => {
  it('refuses an external access entry without accessRestrictions: it would reach every plugin with every permission', () => {
    expect(() =>
      readCiIdentityConfig(
        config([
          { type: 'static', options: { token: 'abcdefgh12', subject: 'ci' } },
        ]),
      ),
    ).toThrow(
      /backend\.auth\.externalAccess\[0\] \(type static\) has no accessRestrictions/,
    );
  });

  it('refuses an entry that reaches ml-infra without a permission list', () => {
    expect(() =>
      readCiIdentityConfig(
        config([
          {
            type: 'static',
            options: { token: 'abcdefgh12', subject: 'ci' },
            accessRestrictions: [{ plugin: 'ml-infra' }],
          },
        ]),
      ),
    ).toThrow(/reaches ml-infra without a 'permission' list/);
  });

  it('ignores entries restricted to other plugins', () => {
    expect(
      readCiIdentityConfig(
        config([
          {
            type: 'static',
            options: { token: 'abcdefgh12', subject: 'other' },
            accessRestrictions: [{ plugin: 'catalog' }],
          },
        ]),
      ).githubSubjectPrefixes,
    ).toEqual([]);
  });

  it('finds the subject prefix of GitHub Actions jwks entries and reads static token scopes', () => {
    const read = readCiIdentityConfig(
      config(
        [
          {
            type: 'jwks',
            options: {
              url: 'http://127.0.0.1:1/jwks',
              issuer: 'https://token.actions.githubusercontent.com',
              audience: 'ml-infra-portal',
              subjectPrefix: 'github-actions',
            },
            accessRestrictions: [
              { plugin: 'ml-infra', permission: PERMISSIONS },
            ],
          },
          {
            type: 'jwks',
            options: {
              url: 'http://127.0.0.1:1/other',
              issuer: 'https://idp.example.com',
            },
            accessRestrictions: [
              { plugin: 'ml-infra', permission: PERMISSIONS },
            ],
          },
        ],
        {
          ci: {
            staticTokens: [
              {
                subject: 'ci-a',
                entityRefs: ['gpu-cluster', 'Component:default/Feature-Store'],
              },
              { subject: 'ci-b', owners: 'ml-platform, group:default/data' },
            ],
          },
        },
      ),
    );
    expect(read.githubSubjectPrefixes).toEqual(['external:github-actions:']);
    expect([...read.staticTokens.get('ci-a')!.entityRefs]).toEqual([
      'component:default/gpu-cluster',
      'component:default/feature-store',
    ]);
    expect([...read.staticTokens.get('ci-b')!.owners]).toEqual([
      'group:default/ml-platform',
      'group:default/data',
    ]);
  });

  it('refuses a subject scoped twice', () => {
    expect(() =>
      readCiIdentityConfig(
        config([], {
          ci: {
            staticTokens: [{ subject: 'ci' }, { subject: 'ci', owners: ['x'] }],
          },
        }),
      ),
    ).toThrow(/subject 'ci' is scoped twice/);
  });

  it('refuses to trust pull-request tokens', () => {
    expect(() =>
      readCiIdentityConfig(
        config([], { ci: { github: { trustedContexts: ['pull_request'] } } }),
      ),
    ).toThrow(/may not trust pull_request/);
  });

  it('reads trusted contexts with * wildcards', () => {
    const { githubTrustedContexts } = readCiIdentityConfig(
      config([], {
        ci: { github: { trustedContexts: ['ref:refs/heads/release/*'] } },
      }),
    );
    expect(
      githubTrustedContexts.some(re => re.test('ref:refs/heads/release/1.x')),
    ).toBe(true);
    expect(
      githubTrustedContexts.some(re => re.test('ref:refs/heads/main')),
    ).toBe(false);
  });
});

describe('CiIdentity', () => {
  const identity = new CiIdentity({
    githubSubjectPrefixes: ['external:github-actions:'],
    githubTrustedContexts: readCiIdentityConfig(config([]))
      .githubTrustedContexts,
    staticTokens: new Map([
      [
        'ci-a',
        {
          entityRefs: new Set(['component:default/gpu-cluster']),
          owners: new Set(),
        },
      ],
    ]),
  });
  const service = (subject: string) => ({ type: 'service' as const, subject });

  it.each([
    [
      'external:github-actions:repo:Acme/GPU-Cluster:ref:refs/heads/main',
      { kind: 'github', repository: 'acme/gpu-cluster' },
    ],
    [
      'external:github-actions:repo:acme/gpu-cluster:environment:prod',
      { kind: 'github', repository: 'acme/gpu-cluster' },
    ],
    [
      'external:github-actions:repo:acme/gpu-cluster:ref:refs/tags/v1.2.0',
      { kind: 'github', repository: 'acme/gpu-cluster' },
    ],
    [
      'external:github-actions:repo:acme/gpu-cluster:pull_request',
      { kind: 'untrusted-github', context: 'pull_request' },
    ],
    [
      'external:github-actions:repo:acme/gpu-cluster:ref:refs/heads/my-branch',
      { kind: 'untrusted-github' },
    ],
    [
      'external:github-actions:repo:acme/gpu-cluster:ref:refs/heads/main-evil',
      { kind: 'untrusted-github' },
    ],
    ['external:github-actions:repository_owner:acme', { kind: 'unscoped' }],
    [
      'external:repo:acme/gpu-cluster:ref:refs/heads/main',
      { kind: 'unscoped' },
    ],
    ['plugin:scaffolder', { kind: 'plugin', pluginId: 'scaffolder' }],
    ['ci-a', { kind: 'static' }],
    ['ci-unknown', { kind: 'unscoped' }],
  ])('classifies %s', (subject, expected) => {
    expect(identity.classify(service(subject))).toMatchObject(expected);
  });
});
