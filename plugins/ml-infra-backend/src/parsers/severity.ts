import { Severity } from '@ml-infra-portal/plugin-ml-infra-common';

const NAMED: Record<string, Severity> = {
  critical: 'critical',
  blocker: 'critical',
  high: 'high',
  error: 'high',
  major: 'high',
  medium: 'medium',
  moderate: 'medium',
  warning: 'medium',
  low: 'low',
  minor: 'low',
  note: 'low',
  info: 'info',
  informational: 'info',
  none: 'info',
};

/**
 * Maps a tool's severity (a name in any case, or a CVSS-like score as SARIF
 * `security-severity` carries) to ours; undefined when it cannot be read.
 */
export function toSeverity(value: unknown): Severity | undefined {
  if (typeof value === 'string') {
    const named = NAMED[value.trim().toLowerCase()];
    if (named) return named;
    if (value.trim() === '') return undefined;
    return toSeverity(Number(value));
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (value >= 9) return 'critical';
    if (value >= 7) return 'high';
    if (value >= 4) return 'medium';
    if (value > 0) return 'low';
    return 'info';
  }
  return undefined;
}
