import { formatDuration, formatMillis } from './time';

describe('time formatting', () => {
  it('keeps the two largest units', () => {
    expect(formatMillis(754_000)).toBe('12 minutes, 34 seconds');
    expect(formatMillis(90_061_000)).toBe('1 day, 1 hour');
    expect(formatMillis(250)).toBe('250 ms');
  });

  it('measures between two instants', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-03T06:00:00Z')).toBe(
      '2 days, 6 hours',
    );
  });
});
