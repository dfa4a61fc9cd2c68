// One business clock: scaled local time, Step Functions timeouts derived from it, and long timers that never fire early.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockFromEnv, scaledClock } from '../../functions/kernel/domain/clock.ts';
import { installLongTimers, MAX_DELAY_MS } from '../../local/long-timers.ts';

describe('business clock', () => {
  it('runs one business day per real second at scale 86400', () => {
    let real = 1_000_000;
    const clock = scaledClock({ start: new Date('2026-09-30T00:00:00Z'), anchorMs: real, scale: 86_400, realNow: () => real });
    real += 2_000;
    expect(clock.now().toISOString()).toBe('2026-10-02T00:00:00.000Z');
    expect(clock.realSecondsUntil(new Date('2026-10-12T00:00:00Z'))).toBe(10);
    // Local timers need less than a second: a business minute is 0.69 real ms, an hour 41.7.
    expect(clock.realMsUntil(new Date('2026-10-02T01:00:00Z'))).toBeCloseTo(41.67, 2);
    expect(clock.realSecondsUntil(new Date('2026-10-02T01:00:00Z'))).toBe(1);
    expect(clock.realMsUntil(new Date('2026-10-01T00:00:00Z'))).toBe(-1000);
  });

  it('never asks Step Functions for a timeout below 1 second', () => {
    const clock = scaledClock({ start: new Date('2026-01-01T00:00:00Z'), anchorMs: 0, scale: 1, realNow: () => 0 });
    expect(clock.realSecondsUntil(new Date('2025-12-31T00:00:00Z'))).toBe(1);
  });

  it('is configured by ZONEFLOW_CLOCK_START, ZONEFLOW_CLOCK_ANCHOR and ZONEFLOW_TIME_SCALE', () => {
    const clock = clockFromEnv({ ZONEFLOW_CLOCK_START: '2026-09-21T08:00:00+08:00', ZONEFLOW_CLOCK_ANCHOR: String(Date.now()), ZONEFLOW_TIME_SCALE: '1' });
    expect(Math.abs(clock.now().getTime() - Date.parse('2026-09-21T00:00:00Z'))).toBeLessThan(5_000);
    expect(() => clockFromEnv({ ZONEFLOW_CLOCK_START: 'yesterday' })).toThrow(/RFC 3339/);
  });
});

describe('long timers in the local runner', () => {
  afterEach(() => vi.useRealTimers());

  it('a 60-day timer does not fire early and fires on time', () => {
    vi.useFakeTimers();
    installLongTimers();
    const fired = vi.fn();
    const sixtyDays = 60 * 86_400_000;
    expect(sixtyDays).toBeGreaterThan(MAX_DELAY_MS);
    setTimeout(fired, sixtyDays);
    vi.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(sixtyDays - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('a cleared long timer never fires', () => {
    vi.useFakeTimers();
    installLongTimers();
    const fired = vi.fn();
    const handle = setTimeout(fired, 40 * 86_400_000);
    vi.advanceTimersByTime(30 * 86_400_000);
    clearTimeout(handle);
    vi.advanceTimersByTime(20 * 86_400_000);
    expect(fired).not.toHaveBeenCalled();
  });
});
