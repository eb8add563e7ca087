import { DateTime, Duration } from 'luxon';

/** How long from `from` until `to` (default now), e.g. "3 days, 4 hours". */
export function formatDuration(from: string, to?: string): string {
  const start = DateTime.fromISO(from);
  const end = to ? DateTime.fromISO(to) : DateTime.now();
  return formatMillis(Math.max(0, end.toMillis() - start.toMillis()));
}

/** Renders a millisecond count with its two largest non-zero units. */
export function formatMillis(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const parts = Duration.fromMillis(ms)
    .shiftTo('days', 'hours', 'minutes', 'seconds')
    .toObject();
  const units = (['days', 'hours', 'minutes', 'seconds'] as const)
    .map(unit => [unit, Math.floor(parts[unit] ?? 0)] as const)
    .filter(([, value]) => value > 0)
    .slice(0, 2);
  return units
    .map(
      ([unit, value]) => `${value} ${value === 1 ? unit.slice(0, -1) : unit}`,
    )
    .join(', ');
}

export function formatExact(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(
    DateTime.DATETIME_FULL_WITH_SECONDS,
  );
}
