import { Config } from '@backstage/config';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';

/** The issuer of GitHub Actions OIDC tokens (GitHub Enterprise Cloud adds a path to it). */
export const GITHUB_ACTIONS_ISSUER =
  'https://token.actions.githubusercontent.com';

/** What one static token of `backend.auth.externalAccess` may report for and read. */
export interface StaticTokenScope {
  /** Module entity refs, lowercased `kind:namespace/name`. */
  entityRefs: Set<string>;
  /** Owner entity refs, lowercased; a module whose `spec.owner` is one of them is in scope. */
  owners: Set<string>;
}

export interface CiIdentityConfig {
  /** Scopes of static tokens, by the `subject` their externalAccess entry gives them. */
  staticTokens: Map<string, StaticTokenScope>;
  /**
   * Subject prefixes of the principals GitHub Actions OIDC tokens become: Backstage's `jwks`
   * handler names them `external:<subjectPrefix>:<sub>` (`external:<sub>` without a prefix).
   */
  githubSubjectPrefixes: string[];
  /**
   * The `sub` contexts (after `repo:OWNER/REPO:`) of GitHub Actions tokens that may report.
   * Pull requests are never among the defaults: anyone who can push a branch can run one.
   */
  githubTrustedContexts: RegExp[];
}

/** Protected contexts the generated workflows report from: main, release tags, environments. */
export const DEFAULT_GITHUB_TRUSTED_CONTEXTS = [
  'ref:refs/heads/main',
  'ref:refs/tags/*',
  'environment:*',
];

/** A context pattern where `*` stands for any run of characters. */
function contextPattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

const PLUGIN_ID = 'ml-infra';

function normalizeRef(value: string, defaultKind: string, key: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new Error(`${key}: '${value}' is not an entity ref`);
  }
}

function stringList(config: Config, key: string): string[] {
  if (!config.has(key)) {
    return [];
  }
  const value = config.get(key);
  return Array.isArray(value)
    ? config.getStringArray(key)
    : config
        .getString(key)
        .split(/[\s,]+/)
        .filter(Boolean);
}

/**
 * Reads who CI is from config, and refuses to start when a token that reaches this plugin could
 * use every permission. Backstage's permission client decides service principals itself (it
 * allows any permission an entry's `accessRestrictions` does not exclude) and never asks the
 * permission policy, so an entry without a `permission` list for `ml-infra` would let its token
 * do whatever a service may.
 */
export function readCiIdentityConfig(root: Config): CiIdentityConfig {
  const entries =
    root.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  const githubSubjectPrefixes: string[] = [];
  entries.forEach((entry, index) => {
    const where = `backend.auth.externalAccess[${index}] (type ${entry.getOptionalString(
      'type',
    )})`;
    const restrictions = entry.getOptionalConfigArray('accessRestrictions');
    if (!restrictions || restrictions.length === 0) {
      throw new Error(
        `${where} has no accessRestrictions: its tokens would reach every plugin with every permission. Restrict it to the plugins it needs and, for ${PLUGIN_ID}, list the permissions it may use`,
      );
    }
    const ours = restrictions.find(
      r => r.getOptionalString('plugin') === PLUGIN_ID,
    );
    if (!ours) {
      return;
    }
    if (!ours.has('permission')) {
      throw new Error(
        `${where} reaches ${PLUGIN_ID} without a 'permission' list in its accessRestrictions; list the permissions its tokens may use (e.g. ml-infra.results.ingest, ml-infra.results.read, ml-infra.waiver.create)`,
      );
    }
    if (entry.getOptionalString('type') === 'jwks') {
      const options = entry.getConfig('options');
      const issuers = stringList(options, 'issuer');
      if (issuers.some(issuer => issuer.startsWith(GITHUB_ACTIONS_ISSUER))) {
        const prefix = options.getOptionalString('subjectPrefix');
        githubSubjectPrefixes.push(
          prefix ? `external:${prefix}:` : 'external:',
        );
      }
    }
  });

  const staticTokens = new Map<string, StaticTokenScope>();
  (root.getOptionalConfigArray('mlInfra.ci.staticTokens') ?? []).forEach(
    (token, index) => {
      const key = `mlInfra.ci.staticTokens[${index}]`;
      const subject = token.getString('subject');
      if (staticTokens.has(subject)) {
        throw new Error(`${key}: subject '${subject}' is scoped twice`);
      }
      staticTokens.set(subject, {
        entityRefs: new Set(
          stringList(token, 'entityRefs').map(ref =>
            normalizeRef(ref, 'component', `${key}.entityRefs`),
          ),
        ),
        owners: new Set(
          stringList(token, 'owners').map(ref =>
            normalizeRef(ref, 'group', `${key}.owners`),
          ),
        ),
      });
    },
  );
  const trusted =
    root.getOptionalStringArray('mlInfra.ci.github.trustedContexts') ??
    DEFAULT_GITHUB_TRUSTED_CONTEXTS;
  if (trusted.some(pattern => /pull_request/.test(pattern))) {
    throw new Error(
      'mlInfra.ci.github.trustedContexts may not trust pull_request tokens: anyone who can push a branch can mint one',
    );
  }
  return {
    staticTokens,
    githubSubjectPrefixes,
    githubTrustedContexts: trusted.map(contextPattern),
  };
}
