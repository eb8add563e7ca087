import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  sameWaiverScope,
  STANDING_WAIVER_STATUSES,
} from '@ml-infra-portal/plugin-ml-infra-common';
import type {
  Waiver,
  WaiverAuditEvent,
  WaiverDecision,
  WaiverRequest,
  WaiverStatus,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { withEffectiveStatus } from './model';
import { ServiceDependencies } from './types';
import {
  normalizeEntityRef,
  normalizeVersion,
  requireEnvironment,
} from './validation';

const DECIDED_STATUS = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
} as const satisfies Record<string, WaiverStatus>;

/** Who acts: a signed-in user's entity ref, or a service's subject. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  throw new NotAllowedError('Waivers need a signed-in user or a service');
}

/** `policy` says whether the rule of a request is failing: waivers are for failing rules only. */
type Options = Pick<
  ServiceDependencies,
  'store' | 'config' | 'policy' | 'now'
> & {
  logger: LoggerService;
};

/**
 * Waiver lifecycle: requested (pending) → approved or rejected by someone else than the
 * requester → revoked or expired. Every step is audited; expiry applies at read time and is
 * recorded by a scheduled task.
 */
export class WaiverService {
  static create(options: Options): WaiverService {
    return new WaiverService(options);
  }

  private constructor(private readonly options: Options) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Adds to a request body the validated router has held to openapi.yaml (`WaiverRequest`) what
   * the spec cannot say: a configured environment, a semantic version, an expiry in the future
   * and within the configured maximum. The caller checks the module exists and the permission.
   */
  parseRequest(input: WaiverRequest) {
    const now = this.now();
    const expiresAt = Date.parse(input.expiresAt);
    const max =
      now.getTime() + this.options.config.waivers.maxDurationDays * 86_400_000;
    if (expiresAt <= now.getTime()) {
      throw new InputError(
        `expiresAt '${input.expiresAt}' is not in the future`,
      );
    }
    if (expiresAt > max) {
      throw new InputError(
        `expiresAt '${input.expiresAt}' is too far away: waivers last at most ${
          this.options.config.waivers.maxDurationDays
        } days (mlInfra.waivers.maxDurationDays), until ${new Date(
          max,
        ).toISOString()}`,
      );
    }
    return {
      ...input,
      justification: input.justification.trim(),
      entityRef: normalizeEntityRef(input.entityRef),
      environment: input.environment
        ? requireEnvironment(
            input.environment,
            this.options.config.environments,
          )
        : undefined,
      version:
        input.version !== undefined
          ? normalizeVersion(input.version)
          : undefined,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  async request(
    input: ReturnType<WaiverService['parseRequest']>,
    credentials: BackstageCredentials,
  ) {
    const now = this.now();
    const standing = (
      await this.options.store.listWaivers({
        entityRefs: [input.entityRef],
        statuses: STANDING_WAIVER_STATUSES,
      })
    )
      .map(w => withEffectiveStatus(w, now))
      .find(
        w =>
          STANDING_WAIVER_STATUSES.includes(w.status) &&
          sameWaiverScope(w, input),
      );
    if (standing) {
      throw new ConflictError(
        `An ${standing.status} waiver for ${input.rule}${
          input.environment ? ` in ${input.environment}` : ''
        } on ${input.entityRef} already exists: ${standing.id}`,
      );
    }
    await this.requireFailing(input);
    return this.options.store.createWaiver({
      entityRef: input.entityRef,
      rule: input.rule,
      environment: input.environment,
      version: input.version,
      resource: input.resource,
      justification: input.justification,
      requestedBy: actorOf(credentials),
      requestedAt: this.now().toISOString(),
      expiresAt: input.expiresAt,
    });
  }

  /**
   * Refuses a request for a rule that does not fail where the waiver would apply: the latest
   * policy results of the version (default: the latest) as the promotion gate counts them for
   * the environment. A waiver already covering the failure does not make it pass.
   */
  private async requireFailing(
    input: ReturnType<WaiverService['parseRequest']>,
  ) {
    const { version, evaluation } = await this.options.policy.evaluateVersion(
      input.entityRef,
      { version: input.version, environment: input.environment },
    );
    const failing = evaluation.failures.some(
      f =>
        (f.rule === input.rule || f.control === input.rule) &&
        (!input.resource || f.resource === input.resource),
    );
    if (failing) {
      return;
    }
    const of = version ? ` ${version}` : '';
    throw new InputError(
      `Rule ${input.rule}${
        input.resource ? ` on ${input.resource}` : ''
      } is not failing for ${input.entityRef}${of} in ${
        input.environment ?? 'any environment'
      } (${
        evaluation.anyResults
          ? `the latest policy results of${of || ' the module'} do not fail it`
          : `no policy results reported for${of || ' the module'}`
      }); request a waiver only for a failing rule`,
    );
  }

  async get(id: string): Promise<Waiver> {
    const waiver = await this.options.store.getWaiver(id);
    if (!waiver) {
      throw new NotFoundError(`Waiver '${id}' not found`);
    }
    return withEffectiveStatus(waiver, this.now());
  }

  /** `status` is one of the spec's WaiverStatus values: the validated router refuses others. */
  async list(filter: {
    entityRefs?: string[];
    status?: WaiverStatus;
  }): Promise<Waiver[]> {
    const now = this.now();
    const waivers = await this.options.store.listWaivers({
      entityRefs: filter.entityRefs,
    });
    return waivers
      .map(w => withEffectiveStatus(w, now))
      .filter(w => !filter.status || w.status === filter.status);
  }

  async decide(
    id: string,
    action: 'approve' | 'reject' | 'revoke',
    decision: WaiverDecision | undefined,
    credentials: BackstageCredentials,
  ): Promise<Waiver> {
    // People decide waivers: a service or CI token never does, whatever its permissions say.
    if ((credentials.principal as { type?: string }).type !== 'user') {
      throw new NotAllowedError(
        `Only a signed-in user may ${action} a waiver; service and CI tokens may not`,
      );
    }
    const comment = decision?.comment;
    const actor = actorOf(credentials);
    const waiver = await this.get(id);
    const now = this.now();
    if (action === 'revoke') {
      if (waiver.status !== 'approved') {
        throw new ConflictError(
          `Waiver ${id} is ${waiver.status}; only an approved waiver can be revoked`,
        );
      }
    } else {
      if (waiver.status !== 'pending') {
        throw new ConflictError(
          `Waiver ${id} is ${waiver.status}; only a pending waiver can be ${action}d`,
        );
      }
      if (waiver.requestedBy === actor) {
        throw new NotAllowedError(
          `Waiver ${id} was requested by ${actor}; someone else must ${action} it`,
        );
      }
      if (
        action === 'approve' &&
        Date.parse(waiver.expiresAt) <= now.getTime()
      ) {
        throw new ConflictError(
          `Waiver ${id} expired at ${waiver.expiresAt}; request a new one`,
        );
      }
    }
    const to = DECIDED_STATUS[action];
    const decided = await this.options.store.decideWaiver(
      id,
      action === 'revoke' ? ['approved'] : ['pending'],
      to,
      {
        action: to as WaiverAuditEvent['action'],
        actor,
        at: now.toISOString(),
        comment,
      },
    );
    if (!decided) {
      throw new ConflictError(
        `Waiver ${id} was decided by someone else meanwhile; reload it`,
      );
    }
    return withEffectiveStatus(decided, now);
  }

  /** The requester takes back a pending request; nobody else may. */
  async withdraw(
    id: string,
    decision: WaiverDecision | undefined,
    credentials: BackstageCredentials,
  ): Promise<Waiver> {
    const comment = decision?.comment;
    const actor = actorOf(credentials);
    const waiver = await this.get(id);
    if (waiver.requestedBy !== actor) {
      throw new NotAllowedError(
        `Waiver ${id} was requested by ${waiver.requestedBy}; only the requester can withdraw it`,
      );
    }
    if (waiver.status !== 'pending') {
      throw new ConflictError(
        `Waiver ${id} is ${waiver.status}; only a pending request can be withdrawn`,
      );
    }
    const now = this.now();
    const withdrawn = await this.options.store.decideWaiver(
      id,
      ['pending'],
      'withdrawn',
      { action: 'withdrawn', actor, at: now.toISOString(), comment },
    );
    if (!withdrawn) {
      throw new ConflictError(`Waiver ${id} was decided meanwhile; reload it`);
    }
    return withEffectiveStatus(withdrawn, now);
  }

  async audit(id: string): Promise<WaiverAuditEvent[]> {
    await this.get(id);
    return this.options.store.listWaiverAudit(id);
  }

  /** Body of the scheduled `ml-infra-waiver-expiry` task; safe to run on several replicas. */
  async expireDueWaivers(): Promise<Waiver[]> {
    const expired = await this.options.store.expireWaivers(this.now());
    if (expired.length > 0) {
      this.options.logger.info(
        `Expired ${expired.length} waiver(s): ${expired
          .map(w => w.id)
          .join(', ')}`,
      );
    }
    return expired;
  }
}
