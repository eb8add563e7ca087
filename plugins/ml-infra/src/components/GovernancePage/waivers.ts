import type { Waiver } from '@ml-infra-portal/plugin-ml-infra-common';
import { WAIVER_EXPIRY_WARNING_DAYS } from '../../constants';

export interface WaiverGroups {
  pending: Waiver[];
  expiringSoon: Waiver[];
  active: Waiver[];
  expired: Waiver[];
}

/**
 * Sorts waivers into what governance acts on. An approved waiver whose expiry has passed counts
 * as expired even before the backend's expiry job has marked it so.
 */
export function groupWaivers(
  waivers: Waiver[],
  now: Date = new Date(),
): WaiverGroups {
  const soon = now.getTime() + WAIVER_EXPIRY_WARNING_DAYS * 86400_000;
  const groups: WaiverGroups = {
    pending: [],
    expiringSoon: [],
    active: [],
    expired: [],
  };
  for (const waiver of waivers) {
    const expires = Date.parse(waiver.expiresAt);
    if (waiver.status === 'pending') {
      groups.pending.push(waiver);
    } else if (
      waiver.status === 'expired' ||
      (waiver.status === 'approved' && expires <= now.getTime())
    ) {
      groups.expired.push(waiver);
    } else if (waiver.status === 'approved' && expires <= soon) {
      groups.expiringSoon.push(waiver);
    } else if (waiver.status === 'approved') {
      groups.active.push(waiver);
    }
  }
  groups.expiringSoon.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  return groups;
}
