import type { Waiver, WaiverStatus } from './types';

/** Statuses in which a waiver request still stands: a second one for the same scope is refused. */
export const STANDING_WAIVER_STATUSES: WaiverStatus[] = ['pending', 'approved'];

type WaiverScope = Pick<
  Waiver,
  'entityRef' | 'rule' | 'environment' | 'resource'
>;

/** Same module, rule, environment and resource: what makes a second request a duplicate. */
export function sameWaiverScope(a: WaiverScope, b: WaiverScope): boolean {
  return (
    a.entityRef === b.entityRef &&
    a.rule === b.rule &&
    (a.environment || undefined) === (b.environment || undefined) &&
    (a.resource || undefined) === (b.resource || undefined)
  );
}

/** Only a live request or approval has an expiry that means something to a reader. */
export function waiverExpiryApplies(status: WaiverStatus): boolean {
  return status === 'pending' || status === 'approved';
}
