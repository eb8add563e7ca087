import { Entity } from '@backstage/catalog-model';
import type {
  GateReason,
  PromotionGateDecision,
} from '@ml-infra-portal/plugin-ml-infra-common';
import type { PromotionGateCheck } from '@ml-infra-portal/plugin-ml-infra-node';
import { MlInfraStore } from '../database/MlInfraStore';
import { MlInfraConfig } from './config';
import { driftLifecycle, latestRun, soakHours, testStatusOf } from './model';
import { entityRefOf } from './ModuleCatalog';
import { environmentsOf } from './moduleEntity';
import { PolicyEvaluator } from './types';
import { normalizeVersion, requireEnvironment } from './validation';

/**
 * May a version of a module go to an environment now? Every check runs and gives its reason, so
 * CI can print all of them; the answer is allow only when every check passed.
 */
export class PromotionGate {
  constructor(
    private readonly options: {
      store: MlInfraStore;
      policy: PolicyEvaluator;
      config: MlInfraConfig;
      extraChecks: PromotionGateCheck[];
      now?: () => Date;
    },
  ) {}

  async decide(
    entity: Entity,
    versionParam: string,
    environmentParam: string,
  ): Promise<PromotionGateDecision> {
    const { store, config } = this.options;
    const now = this.options.now?.() ?? new Date();
    const entityRef = entityRefOf(entity);
    const version = normalizeVersion(versionParam);
    const environment = requireEnvironment(
      environmentParam,
      config.environments,
    );
    const [registration, release, testRuns, policy, deployments, checks] =
      await Promise.all([
        store.getModule(entityRef),
        store.getRelease({ entityRef, version }),
        store.listRuns({ entityRefs: [entityRef], kind: 'tests', version }),
        this.options.policy.evaluateVersion(entityRef, {
          version,
          environment,
        }),
        store.listDeployments({ entityRefs: [entityRef] }),
        store.listDriftChecks({ entityRefs: [entityRef] }),
      ]);
    const reasons: GateReason[] = [];

    reasons.push(
      release
        ? {
            check: 'version',
            ok: true,
            message: `Version ${version} was released on ${release.releasedAt}`,
          }
        : {
            check: 'version',
            ok: false,
            message: `Version ${version} is not a known release of ${entityRef}`,
          },
    );

    const testRun = latestRun(testRuns, version);
    const tests = testStatusOf(testRun);
    reasons.push(
      tests === 'passed'
        ? {
            check: 'tests',
            ok: true,
            message: `Tests passed on ${version} (run ${describeRun(
              testRun!,
            )})`,
          }
        : {
            check: 'tests',
            ok: false,
            message: testRun
              ? `Tests ${tests} on ${version} in the latest run (${describeRun(
                  testRun,
                )}: ${testRun.summary.failed ?? 0} failed)`
              : `No test results reported for ${version}`,
          },
    );

    const mandatory = new Set<string>(config.gate.mandatorySeverities);
    const { evaluation } = policy;
    const blocking = evaluation.failures.filter(
      f => !f.waiverId && mandatory.has(f.severity),
    );
    if (!evaluation.anyResults) {
      // Missing evidence is a failing answer: a version nobody checked is not a compliant one.
      reasons.push({
        check: 'policy',
        ok: !config.gate.requireEvidence,
        message: `No policy results reported for ${version}${
          config.gate.requireEvidence ? ' (mlInfra.gate.requireEvidence)' : ''
        }`,
      });
    } else if (blocking.length > 0) {
      const rules = [
        ...new Set(blocking.map(f => `${f.rule} (${f.severity})`)),
      ];
      reasons.push({
        check: 'policy',
        ok: false,
        message: `${blocking.length} failing mandatory polic${
          blocking.length === 1 ? 'y' : 'ies'
        } without a live waiver: ${rules.join(', ')}`,
      });
    } else {
      const waived = evaluation.failures.filter(f => f.waiverId).length;
      reasons.push({
        check: 'policy',
        ok: true,
        message: `No failing mandatory policy (${[...mandatory].join(', ')})${
          waived ? `; ${waived} failure(s) waived` : ''
        }`,
      });
    }

    const environments = environmentsOf(
      config.environments,
      entity,
      registration?.environments,
    );
    const index = environments.indexOf(environment);
    if (index === -1) {
      reasons.push({
        check: 'order',
        ok: false,
        message: `${entityRef} is not promoted through ${environment}; its environments are ${environments.join(
          ', ',
        )}`,
      });
    } else if (index === 0) {
      reasons.push({
        check: 'order',
        ok: true,
        message: `${environment} is the first environment`,
      });
    } else {
      const previous = environments[index - 1];
      reasons.push({
        check: 'order',
        ok: true,
        message: `${environment} follows ${previous}`,
      });
      const hours = soakHours(deployments, previous, version, now);
      const min = config.gate.minSoakHours;
      const ran = deployments.some(
        d => d.environment === previous && d.version === version,
      );
      reasons.push(
        ran && hours >= min
          ? {
              check: 'soak',
              ok: true,
              message: `${version} ran in ${previous} for ${hours.toFixed(
                1,
              )} h (minimum ${min} h)`,
            }
          : {
              check: 'soak',
              ok: false,
              message: ran
                ? `${version} ran in ${previous} for ${hours.toFixed(
                    1,
                  )} h; ${min} h required`
                : `${version} never ran in ${previous}`,
            },
      );
      const drift = driftLifecycle(
        checks.filter(c => c.environment === previous),
        [previous],
      ).environments[0];
      if (drift.status === 'drifted') {
        reasons.push({
          check: 'drift',
          ok: false,
          // The check's count, as the Drift tab shows it: a check may carry no resource list.
          message: `${previous} is drifted since ${
            drift.driftedSince
          } (${Math.max(
            drift.resources.length,
            checks
              .filter(c => c.environment === previous)
              .reduce(
                (latest, c) => (c.checkedAt > latest.checkedAt ? c : latest),
                { checkedAt: '', driftedResources: 0 },
              ).driftedResources,
          )} resource(s))`,
        });
      } else if (drift.status === 'clean') {
        reasons.push({
          check: 'drift',
          ok: true,
          message: `${previous} was clean at the last drift check (${drift.checkedAt})`,
        });
      } else {
        reasons.push({
          check: 'drift',
          ok: !config.gate.requireEvidence,
          message: `${previous} has no drift check yet${
            config.gate.requireEvidence ? ' (mlInfra.gate.requireEvidence)' : ''
          }`,
        });
      }
    }

    for (const check of this.options.extraChecks) {
      try {
        const result = await check.evaluate({
          entityRef,
          version,
          environment,
        });
        reasons.push({
          check: 'extension',
          extensionId: check.id,
          ok: result.ok,
          message: result.message,
        });
      } catch (error) {
        reasons.push({
          check: 'extension',
          extensionId: check.id,
          ok: false,
          message: `Check ${check.id} failed to run: ${error}`,
        });
      }
    }

    return {
      entityRef,
      version,
      environment,
      allowed: reasons.every(r => r.ok),
      reasons,
    };
  }
}

function describeRun(run: {
  run: { provider: string; runId: string; attempt: number };
}) {
  return `${run.run.provider}/${run.run.runId}#${run.run.attempt}`;
}
