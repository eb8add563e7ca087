import { BackstageServicePrincipal } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CiIdentityConfig, StaticTokenScope } from './ciIdentityConfig';

/** The annotation naming a module's GitHub repository, `OWNER/REPO`. */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';

/** A service principal as this plugin tells them apart. */
export type ServiceCaller =
  /** Another backend plugin (plugin-to-plugin token): the catalog module, the scaffolder. */
  | { kind: 'plugin'; subject: string; pluginId: string }
  /** A GitHub Actions workflow of one repository, `owner/repo` lowercased. */
  | { kind: 'github'; subject: string; repository: string }
  /** A static token of `backend.auth.externalAccess` with its configured scope. */
  | { kind: 'static'; subject: string; scope: StaticTokenScope }
  /**
   * A GitHub Actions token from a context the portal does not trust (a pull request, an
   * unprotected branch): anyone who can push a branch could mint one. It may report for nothing.
   */
  | { kind: 'untrusted-github'; subject: string; context: string }
  /** Any other external token (legacy keys, unscoped static tokens): it may report for nothing. */
  | { kind: 'unscoped'; subject: string };

/** GitHub's default `sub` claim: `repo:OWNER/REPO:<context>` (ref, environment, pull_request). */
const GITHUB_SUBJECT = /^repo:([^/:\s]+\/[^/:\s]+)(?::(.*))?$/;

export function slugOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[
    ANNOTATION_GITHUB_PROJECT_SLUG
  ]?.trim().toLocaleLowerCase('en-US');
}

/** Owners of entities seen, per entity object: a token's scope is checked per module listed. */
const owners = new WeakMap<Entity, { owner: string | undefined }>();

function ownerOf(entity: Entity): string | undefined {
  let known = owners.get(entity);
  if (!known) {
    known = { owner: parseOwner(entity) };
    owners.set(entity, known);
  }
  return known.owner;
}

function parseOwner(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * Who a CI caller is, from the principal Backstage's auth service verified. The repository of a
 * GitHub Actions OIDC token is read from the subject the `jwks` handler built out of the token's
 * `sub` claim after verifying signature, issuer, audience and expiry; nothing is decoded here.
 */
export class CiIdentity {
  constructor(private readonly config: CiIdentityConfig) {}

  classify(principal: BackstageServicePrincipal): ServiceCaller {
    const { subject } = principal;
    if (subject.startsWith('plugin:')) {
      return {
        kind: 'plugin',
        subject,
        pluginId: subject.slice('plugin:'.length),
      };
    }
    for (const prefix of this.config.githubSubjectPrefixes) {
      if (subject.startsWith(prefix)) {
        const match = GITHUB_SUBJECT.exec(subject.slice(prefix.length));
        if (match) {
          const context = match[2] ?? '';
          if (!this.config.githubTrustedContexts.some(re => re.test(context))) {
            return { kind: 'untrusted-github', subject, context };
          }
          return {
            kind: 'github',
            subject,
            repository: match[1].toLocaleLowerCase('en-US'),
          };
        }
      }
    }
    const scope = this.config.staticTokens.get(subject);
    return scope
      ? { kind: 'static', subject, scope }
      : { kind: 'unscoped', subject };
  }

  /**
   * Whether a static token's scope covers a module. GitHub callers are matched by the catalog
   * (ModuleAccess), which must also prove the repository names exactly one module.
   */
  staticScopeCovers(
    scope: StaticTokenScope,
    entityRef: string,
    entity: Entity,
  ) {
    const owner = ownerOf(entity);
    return (
      scope.entityRefs.has(entityRef) ||
      (owner !== undefined && scope.owners.has(owner))
    );
  }

  describe(caller: ServiceCaller): string {
    switch (caller.kind) {
      case 'github':
        return `GitHub Actions of ${caller.repository}`;
      case 'plugin':
        return `Plugin '${caller.pluginId}'`;
      case 'static':
        return `CI token '${caller.subject}'`;
      case 'untrusted-github':
        return `A GitHub Actions token from '${caller.context}' (not one of mlInfra.ci.github.trustedContexts)`;
      default:
        return `Service '${caller.subject}' (not scoped in mlInfra.ci.staticTokens)`;
    }
  }
}
