import type {
  ComplianceOverview,
  Waiver,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { toCsv } from '../../utils/csv';
import { formatDuration } from '../../utils/time';
import { effectiveStatus } from './waivers';

/**
 * The governance evidence as separate tables, one row per record, so each opens as a plain
 * sheet an auditor can filter: which module fails which rule, every waiver with its decision,
 * every drift episode.
 */
export type EvidenceTable = 'findings' | 'waivers' | 'drift';

export const EVIDENCE_TABLES: Record<EvidenceTable, string> = {
  findings: 'Findings',
  waivers: 'Waivers and decisions',
  drift: 'Drift episodes',
};

/** One row per failing rule result of each module's latest version, waived or not. */
export function findingsCsv(overview: ComplianceOverview): string {
  const waivers = new Map(overview.waivers.map(w => [w.id, w]));
  return toCsv(
    [
      'module',
      'owner',
      'version',
      'rule',
      'control',
      'severity',
      'environment',
      'resource',
      'status',
      'checks',
      'waiver',
      'waiver expires',
    ],
    (overview.findings ?? []).map(f => {
      const waiver = f.waiverId ? waivers.get(f.waiverId) : undefined;
      return [
        f.entityRef,
        f.owner,
        f.version,
        f.rule,
        f.control,
        f.severity,
        f.environment ?? 'all',
        f.resource,
        f.status,
        f.count,
        f.waiverId,
        waiver?.expiresAt,
      ];
    }),
  );
}

/** One row per waiver with its decision; only a live request or approval has an expiry. */
export function waiversCsv(waivers: Waiver[], now = new Date()): string {
  return toCsv(
    [
      'waiver',
      'module',
      'rule',
      'environment',
      'resource',
      'status',
      'requested by',
      'requested at',
      'justification',
      'expires at',
      'decided by',
      'decided at',
      'decision comment',
    ],
    waivers.map(w => {
      const status = effectiveStatus(w, now);
      return [
        w.id,
        w.entityRef,
        w.rule,
        w.environment ?? 'all',
        w.resource,
        status,
        w.requestedBy,
        w.requestedAt,
        w.justification,
        status === 'rejected' || status === 'withdrawn' || status === 'revoked'
          ? undefined
          : w.expiresAt,
        w.decidedBy,
        w.decidedAt,
        w.decisionComment,
      ];
    }),
  );
}

/** One row per open drift episode: module, environment, since when, how long, how many resources. */
export function driftCsv(overview: ComplianceOverview): string {
  return toCsv(
    ['module', 'environment', 'drifted since', 'drifted for', 'resources'],
    overview.driftedEnvironments.map(d => [
      d.entityRef,
      d.environment,
      d.driftedSince,
      formatDuration(d.driftedSince),
      d.resources,
    ]),
  );
}

export function evidenceCsv(
  table: EvidenceTable,
  overview: ComplianceOverview,
): string {
  if (table === 'findings') return findingsCsv(overview);
  if (table === 'waivers') return waiversCsv(overview.waivers);
  return driftCsv(overview);
}
