import type { Severity } from '../types';

/** Every severity, most severe first (the order of compliance breakdowns and of the gate). */
export const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** Whether `value` is one of {@link SEVERITIES}. */
export function isSeverity(value: unknown): value is Severity {
  return (SEVERITIES as readonly unknown[]).includes(value);
}
