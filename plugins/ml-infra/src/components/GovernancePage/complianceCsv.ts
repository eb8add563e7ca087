import type { ComplianceOverview } from '@ml-infra-portal/plugin-ml-infra-common';
import { CsvCell, toCsv } from '../../utils/csv';
import { WaiverGroups } from './waivers';

const WAIVER_GROUP_LABELS: Record<keyof WaiverGroups, string> = {
  pending: 'Waiver pending approval',
  expiringSoon: 'Waiver expiring soon',
  active: 'Waiver active',
  expired: 'Waiver expired',
};

/**
 * Everything the governance page shows, in long form (section, item, field, value) so one file
 * holds sections of different shapes and pivots cleanly in a spreadsheet.
 */
export function buildComplianceCsv(
  overview: ComplianceOverview,
  waivers: WaiverGroups,
): string {
  const rows: CsvCell[][] = [];
  const add = (
    section: string,
    item: string,
    fields: Record<string, CsvCell>,
  ) => {
    for (const [field, value] of Object.entries(fields)) {
      if (value !== undefined) {
        rows.push([section, item, field, value]);
      }
    }
  };

  add('KPI', 'totals', overview.totals as unknown as Record<string, number>);
  overview.bySeverity.forEach(({ severity, ...counts }) =>
    add('Violations by severity', severity, counts),
  );
  overview.byOwner.forEach(({ owner, ...counts }) =>
    add('Violations by owner', owner, counts),
  );
  overview.byRule.forEach(({ rule, ...counts }) =>
    add('Violations by rule', rule, counts),
  );
  overview.byEnvironment.forEach(({ environment, ...counts }) =>
    add('Violations by environment', environment, counts),
  );
  overview.driftedEnvironments.forEach(d =>
    add('Drifted environment', `${d.entityRef} ${d.environment}`, {
      driftedSince: d.driftedSince,
      resources: d.resources,
    }),
  );
  overview.untestedReleases.forEach(r =>
    add('Untested release', `${r.entityRef}@${r.version}`, {
      releasedAt: r.releasedAt,
      tests: r.tests,
    }),
  );
  (Object.keys(WAIVER_GROUP_LABELS) as Array<keyof WaiverGroups>).forEach(
    group =>
      waivers[group].forEach(w =>
        add(WAIVER_GROUP_LABELS[group], w.id, {
          entityRef: w.entityRef,
          rule: w.rule,
          environment: w.environment,
          resource: w.resource,
          status: w.status,
          requestedBy: w.requestedBy,
          requestedAt: w.requestedAt,
          expiresAt: w.expiresAt,
          decidedBy: w.decidedBy,
          justification: w.justification,
        }),
      ),
  );
  overview.trend.forEach(({ day, ...counts }) => add('Trend', day, counts));

  return toCsv(['section', 'item', 'field', 'value'], rows);
}
