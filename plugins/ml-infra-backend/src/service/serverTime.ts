import { InputError } from '@backstage/errors';

/**
 * How far ahead of the server's clock a client's timestamp may be. Clocks of CI runners drift a
 * little; a time further ahead is a lie that would keep a run "latest" forever.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A client-sent time that orders evidence: refused when it lies in the future. */
export function notInTheFuture(value: Date, field: string, now: Date): Date {
  if (value.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new InputError(
      `${field} '${value.toISOString()}' is in the future (the server's time is ${now.toISOString()}; at most ${
        MAX_CLOCK_SKEW_MS / 60_000
      } minutes of clock skew are accepted)`,
    );
  }
  return value;
}
