// The business clock `npm start` runs a store on (local/clock-env.ts): business time never runs backwards over a store.
import { describe, expect, it } from 'vitest';
import { businessAt, chooseClock } from '../../local/clock-env.ts';

const file = '.zoneflow/clock.json';
const NOW = Date.parse('2026-12-04T05:20:00Z');
const ENV = (start: string, scale: string, anchor: number) => ({ ZONEFLOW_CLOCK_START: start, ZONEFLOW_TIME_SCALE: scale, ZONEFLOW_CLOCK_ANCHOR: String(anchor) });

describe('the local business clock', () => {
  it('is real time when none is asked for and none is stored, written down so that business time cannot go back over it', () => {
    const first = chooseClock({ nowMs: NOW, file });
    expect(first).toEqual({ env: {}, write: { start: new Date(NOW).toISOString(), scale: '1', anchorMs: NOW, real: true } });
    // A day later, the README's fast clock from September over the same store: refused (it ran, over December's records).
    const stored = 'write' in first ? first.write : undefined;
    const back = chooseClock({ start: '2026-09-21T09:00:00+08:00', scale: '86400', stored, nowMs: NOW + 86_400_000, file });
    expect('refused' in back && back.refused).toContain('would move business time backwards');
    // A plain start carries on at real time; a fast clock from today on is taken.
    expect(chooseClock({ stored, nowMs: NOW + 86_400_000, file })).toEqual({ env: ENV(new Date(NOW).toISOString(), '1', NOW), write: stored });
    expect('env' in chooseClock({ start: new Date(NOW + 86_400_000).toISOString(), scale: '86400', stored, nowMs: NOW + 86_400_000, file })).toBe(true);
  });

  it('carries on the stored clock on a plain start — also at real speed, ahead of the real date', () => {
    // Ran from 2027-01-08 at real speed; stopped; started again with no clock variables: still 2027, not today.
    const stored = { start: '2027-01-08T10:00:00+08:00', scale: '1', anchorMs: NOW - 3_600_000 };
    expect(chooseClock({ stored, nowMs: NOW, file })).toEqual({ env: ENV(stored.start, '1', stored.anchorMs), write: stored });
    const fast = { start: '2026-09-21T09:00:00+08:00', scale: '86400', anchorMs: NOW - 10_000 };
    expect(chooseClock({ scale: '86400', stored: fast, nowMs: NOW, file })).toEqual({ env: ENV(fast.start, '86400', fast.anchorMs), write: fast });
  });

  it('refuses a start before the instant the stored clock reached, and takes one after it', () => {
    const stored = { start: '2027-01-08T10:00:00+08:00', scale: '1', anchorMs: NOW - 3_600_000 };
    const back = chooseClock({ start: '2026-12-04T13:00:00+08:00', stored, nowMs: NOW, file });
    expect('refused' in back && back.refused).toContain('would move business time backwards');
    const fast = { start: '2026-09-21T09:00:00+08:00', scale: '86400', anchorMs: NOW - 100_000 };
    // Real speed asked for from now: the fast clock is far ahead (100 s × a day): refused, with how to carry on.
    const slower = chooseClock({ scale: '1', stored: fast, nowMs: NOW, file });
    expect('refused' in slower && slower.refused).toContain('ZONEFLOW_TIME_SCALE=86400 npm start');
    const later = chooseClock({ start: '2027-06-01T09:00:00+08:00', stored, nowMs: NOW, file });
    expect(later).toEqual({ env: ENV('2027-06-01T09:00:00+08:00', '1', NOW), write: { start: '2027-06-01T09:00:00+08:00', scale: '1', anchorMs: NOW } });
  });

  it('carries a fast clock on at its scale on a plain start, wherever it stands against the real date, and says so', () => {
    // Ran at ×17280 from 17 September, killed outright at business 10 November (no instant recorded): behind today.
    // Taken as real speed it jumped to today (weeks of deadlines passed at once); ahead of today it was refused.
    const behind = { start: '2026-09-17T01:00:00.000Z', scale: '17280', anchorMs: NOW - 280_000 };
    const plain = chooseClock({ stored: behind, nowMs: NOW, file });
    expect(plain).toEqual({ env: ENV(behind.start, '17280', behind.anchorMs), write: behind, carriedScale: '17280' });
    expect(new Date(businessAt(behind, NOW)).toISOString().slice(0, 10)).toBe('2026-11-12');
    const ahead = { start: '2027-03-01T01:00:00.000Z', scale: '86400', anchorMs: NOW - 10_000, reached: '2027-03-02T01:00:00.000Z' };
    expect(chooseClock({ stored: ahead, nowMs: NOW, file })).toMatchObject({ env: ENV('2027-03-02T01:00:00.000Z', '86400', NOW), carriedScale: '86400' });
    // Real speed asked for: taken from today when that lies ahead of the clock (business time jumps, as asked).
    const real = chooseClock({ scale: '1', stored: behind, nowMs: NOW, file });
    expect(real).toMatchObject({ env: {}, write: { scale: '1', real: true } });
    expect('carriedScale' in real).toBe(false);
    // A clock asked for with its own start is that clock, the stored scale not carried.
    expect(chooseClock({ start: '2026-12-10T01:00:00.000Z', stored: behind, nowMs: NOW, file })).toMatchObject({ env: ENV('2026-12-10T01:00:00.000Z', '1', NOW) });
  });

  it('carries a clock asked for on from where it stands when only another fast speed is asked for, and says so', () => {
    // Stopped at business 10 March at ×2400; restarted with ZONEFLOW_TIME_SCALE=600 alone: it jumped to today's date.
    const stopped = { start: '2026-03-02T01:00:00.000Z', scale: '2400', anchorMs: NOW - 400_000, reached: '2026-03-10T01:00:00.000Z' };
    const slower = chooseClock({ scale: '600', stored: stopped, nowMs: NOW, file });
    const respeeded = { start: '2026-03-10T01:00:00.000Z', scale: '600', anchorMs: NOW, origin: '2026-03-02T01:00:00.000Z' };
    expect(slower).toEqual({ env: ENV(respeeded.start, '600', NOW), write: respeeded, respeeded: { from: '2400', to: '600' } });
    // Killed outright (no instant recorded): from where its clock has run to by now.
    const killed = { start: '2026-03-02T01:00:00.000Z', scale: '2400', anchorMs: NOW - 3_600_000 };
    expect(chooseClock({ scale: '86400', stored: killed, nowMs: NOW, file })).toMatchObject({ write: { start: new Date(businessAt(killed, NOW)).toISOString(), scale: '86400' } });
    // Ahead of the real date it carries on too (a new clock from today was refused as moving time backwards).
    const ahead = { start: '2027-03-01T01:00:00.000Z', scale: '86400', anchorMs: NOW - 10_000, reached: '2027-03-02T01:00:00.000Z' };
    expect(chooseClock({ scale: '3600', stored: ahead, nowMs: NOW, file })).toMatchObject({ write: { start: '2027-03-02T01:00:00.000Z', scale: '3600' } });
    // The next start at that speed carries it on; the first start asked for again is that same clock.
    const next = { ...respeeded, reached: '2026-03-12T01:00:00.000Z' };
    expect(chooseClock({ scale: '600', stored: next, nowMs: NOW + 60_000, file })).toMatchObject({ write: { start: '2026-03-12T01:00:00.000Z', scale: '600' } });
    expect(chooseClock({ start: '2026-03-02T01:00:00.000Z', scale: '600', stored: next, nowMs: NOW + 60_000, file })).toMatchObject({ write: { start: '2026-03-12T01:00:00.000Z', scale: '600' } });
    // Real speed asked for is real time, as before: from today (the clock behind it), not from 10 March.
    expect(chooseClock({ scale: '1', stored: stopped, nowMs: NOW, file })).toMatchObject({ env: {}, write: { real: true } });
    // Over a real-time store, a fast speed starts from now (where real time stands).
    const real = { start: new Date(NOW - 60_000).toISOString(), scale: '1', anchorMs: NOW - 60_000, real: true as const };
    expect(chooseClock({ scale: '600', stored: real, nowMs: NOW, file })).toEqual({ env: ENV(new Date(NOW).toISOString(), '600', NOW), write: { start: new Date(NOW).toISOString(), scale: '600', anchorMs: NOW } });
  });

  it('takes a variable set empty (ZONEFLOW_TIME_SCALE= npm start, a script\'s unset $SCALE) as not set: the stored clock carried on, not a scale of ""', () => {
    const behind = { start: '2026-09-17T01:00:00.000Z', scale: '17280', anchorMs: NOW - 280_000 };
    // As a plain start: the stored clock at its scale, and the start log says so truthfully.
    expect(chooseClock({ start: '', scale: '', stored: behind, nowMs: NOW, file })).toEqual(chooseClock({ stored: behind, nowMs: NOW, file }));
    // Nothing stored: real time (a scale of "" is a clock the runtime refuses: 'time scale must be > 0, got 0').
    expect(chooseClock({ start: '', scale: '', nowMs: NOW, file })).toEqual(chooseClock({ nowMs: NOW, file }));
  });

  it('stands still while the store is stopped, for a clock asked for: the next start carries on from the instant reached', () => {
    // Ran at a day a second from 21 September; the runtime recorded the instant it reached when it stopped, five real
    // minutes ago (three hundred business days, were the clock left running).
    const stopped = { start: '2026-09-21T01:00:00.000Z', scale: '86400', anchorMs: NOW - 400_000, reached: '2026-10-01T01:00:00.000Z' };
    const again = chooseClock({ scale: '86400', stored: stopped, nowMs: NOW, file });
    expect(again).toEqual({ env: ENV('2026-10-01T01:00:00.000Z', '86400', NOW), write: { start: '2026-10-01T01:00:00.000Z', scale: '86400', anchorMs: NOW, origin: '2026-09-21T01:00:00.000Z' } });
    // The README's command again (its ZONEFLOW_CLOCK_START the clock's first): carried on too, not refused — also after
    // the clock has resumed before (its `start` is the instant it resumed from, its origin kept).
    expect(chooseClock({ start: '2026-09-21T01:00:00.000Z', scale: '86400', stored: stopped, nowMs: NOW, file })).toEqual(again);
    const resumedOnce = 'write' in again ? again.write! : stopped;
    expect('env' in chooseClock({ start: '2026-09-21T01:00:00.000Z', scale: '86400', stored: resumedOnce, nowMs: NOW + 5_000, file })).toBe(true);
    const twice = chooseClock({ start: '2026-09-21T01:00:00.000Z', scale: '86400', stored: { ...resumedOnce, reached: '2026-10-03T01:00:00.000Z' }, nowMs: NOW + 9_000, file });
    expect(twice).toEqual({ env: ENV('2026-10-03T01:00:00.000Z', '86400', NOW + 9_000), write: { start: '2026-10-03T01:00:00.000Z', scale: '86400', anchorMs: NOW + 9_000, origin: '2026-09-21T01:00:00.000Z' } });
    // A refusal names an instant that stays put while it is read: the one reached, not one running on.
    const refusal = (nowMs: number) => {
      const r = chooseClock({ start: '2026-09-25T01:00:00.000Z', scale: '3600', stored: stopped, nowMs, file });
      return 'refused' in r ? r.refused : '';
    };
    expect(refusal(NOW)).toContain('has reached 2026-10-01T01:00:00.000Z');
    expect(refusal(NOW + 60_000)).toBe(refusal(NOW));
    // A start after it is taken.
    expect('env' in chooseClock({ start: '2026-10-02T01:00:00.000Z', scale: '3600', stored: stopped, nowMs: NOW, file })).toBe(true);
  });

  it('runs on while the store is stopped when it is real time — also one stored before `real` was kept', () => {
    const old = { start: new Date(NOW - 86_400_000).toISOString(), scale: '1', anchorMs: NOW - 86_400_000, reached: new Date(NOW - 80_000_000).toISOString() };
    expect(chooseClock({ stored: old, nowMs: NOW, file })).toEqual({ env: ENV(old.start, '1', old.anchorMs), write: old });
    const real = { start: '2026-12-01T00:00:00.000Z', scale: '1', anchorMs: Date.parse('2026-12-01T00:00:00.000Z'), real: true as const, reached: '2026-12-01T00:05:00.000Z' };
    const again = chooseClock({ stored: real, nowMs: NOW, file });
    expect('env' in again && businessAt('write' in again && again.write ? again.write : real, NOW)).toBe(NOW);
  });
});
