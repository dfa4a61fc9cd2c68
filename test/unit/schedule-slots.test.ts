// When the local runtime runs a scheduled job next (local/schedule-slots.ts): the slot after the one just run, late
// rather than skipped when a run outlasted it, and only the latest of several missed.
import { describe, expect, it } from 'vitest';
import { nextSlot } from '../../local/schedule-slots.ts';

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
const digest = { hour: '8', minute: '30' };
const sweep = { hour: '*', minute: '*' };

describe('the next run of a scheduled job', () => {
  it('is the next hh:mm after the slot just run', () => {
    expect(nextSlot(at('2026-07-31T08:30:00'), at('2026-07-31T08:31:00'), digest)).toEqual(at('2026-08-01T08:30:00'));
  });

  it('after a catch-up at 00:06 that ended past 08:30, is that day\'s 08:30 (run late), not the next day\'s', () => {
    expect(nextSlot(at('2026-07-31T00:06:00'), at('2026-07-31T09:00:00'), digest)).toEqual(at('2026-07-31T08:30:00'));
  });

  it('fallen days behind, is the latest slot missed, once: no backlog of older ones', () => {
    expect(nextSlot(at('2026-07-20T08:30:00'), at('2026-07-31T10:00:00'), digest)).toEqual(at('2026-07-31T08:30:00'));
    expect(nextSlot(at('2026-07-20T08:30:00'), at('2026-07-31T08:00:00'), digest)).toEqual(at('2026-07-30T08:30:00'));
  });

  it('every minute: the next whole minute, or from now when it fell behind', () => {
    expect(nextSlot(at('2026-07-31T10:00:00'), at('2026-07-31T10:00:30'), sweep)).toEqual(at('2026-07-31T10:01:00'));
    expect(nextSlot(at('2026-07-31T10:00:00'), at('2026-07-31T10:05:30'), sweep)).toEqual(at('2026-07-31T10:06:00'));
  });
});
