import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { WAIVER_EXPIRY_WARNING_DAYS } from '../../constants';

export interface WaiverGroups {
  /** Requests waiting for a decision. */
  pending: Waiver[];
  /** Approved and not yet expired, soonest expiry first. */
  active: Waiver[];
  /** The active ones expiring within the warning window (a subset of `active`). */
  expiringSoon: Waiver[];
  /** Every decision taken: approved, rejected, revoked, withdrawn, expired; latest first. */
  decided: Waiver[];
}

/** An approved waiver whose expiry has passed counts as expired before the expiry job runs. */
export function effectiveStatus(
  waiver: Waiver,
  now: Date = new Date(),
): Waiver['status'] {
  return waiver.status === 'approved' &&
    Date.parse(waiver.expiresAt) <= now.getTime()
    ? 'expired'
    : waiver.status;
}

/** Whether an active waiver lapses within the warning window. */
export function isExpiringSoon(waiver: Waiver, now: Date = new Date()) {
  return (
    effectiveStatus(waiver, now) === 'approved' &&
    Date.parse(waiver.expiresAt) <=
      now.getTime() + WAIVER_EXPIRY_WARNING_DAYS * 86_400_000
  );
}

/** Sorts waivers into what governance acts on and the record of what was decided. */
export function groupWaivers(
  waivers: Waiver[],
  now: Date = new Date(),
): WaiverGroups {
  const live = waivers.map(w => ({ ...w, status: effectiveStatus(w, now) }));
  const active = live
    .filter(w => w.status === 'approved')
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  return {
    pending: live.filter(w => w.status === 'pending'),
    active,
    expiringSoon: active.filter(w => isExpiringSoon(w, now)),
    decided: live
      .filter(w => w.status !== 'pending')
      .sort((a, b) =>
        (b.decidedAt ?? b.expiresAt).localeCompare(a.decidedAt ?? a.expiresAt),
      ),
  };
}
