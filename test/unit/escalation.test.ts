// The escalation ladder's rules without the review: what triggers it, how it climbs (one rung per window), the top's
// reminders, the reset, the extension.
import { describe, expect, it } from 'vitest';
import { assertExtensionOnWorkingDay, climb, currentTrigger, extend, LETTER_ITEM, NONE, type EscalationState, type WatchedItem } from '../../functions/supervision/domain/escalation.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { addWorkingDays } from '../../functions/reference/domain/calendar.ts';
import { calendar2026, endOf, nowOn } from '../support/domain.ts';

const cfg = DEFAULT_CONFIG.escalation;
const item = (over: Partial<WatchedItem> = {}): WatchedItem => ({ id: 'GROUNDBREAKING.start_of_works', code: 'start_of_works', label: '开工', dueDate: '2026-09-14', open: true, ...over });
const trig = (today: string, items = [item()], extra: Partial<Parameters<typeof currentTrigger>[0]> = {}) => currentTrigger({ items, stalledSince: null, today, cfg, calendar: calendar2026, ...extra });
const step = (state: EscalationState, today: string, items = [item()]) => climb({ state, trigger: trig(today, items, { extendedUntil: state.extendedUntil }), items, today, now: nowOn(today), cfg, calendar: calendar2026 });

describe('the trigger', () => {
  it('is the longest-overdue open item past its grace (未按期开工 for start of works), else a stalled site', () => {
    expect(trig('2026-09-21')).toBeNull(); // grace: 5 working days after the 14th → the 21st
    expect(trig('2026-09-22')).toEqual({ kind: 'start_overdue', item: 'GROUNDBREAKING.start_of_works', label: '开工', since: '2026-09-14' });
    const two = [item({ id: 'b', code: 'x', label: 'B', dueDate: '2026-09-10' }), item()];
    expect(trig('2026-09-22', two)).toMatchObject({ kind: 'task_overdue', item: 'b', since: '2026-09-10' });
    expect(trig('2026-09-22', [item({ open: false }), item({ dueDate: null })])).toBeNull();
    expect(trig('2026-09-22', [], { stalledSince: '2026-09-01' })).toEqual({ kind: 'stalled', item: 'construction', label: '施工停滞', labelEn: 'construction stalled', since: '2026-09-01' });
    expect(trig('2026-09-22', [], { extendedUntil: '2026-09-22', stalledSince: '2026-09-01' })).toBeNull();
    expect(trig('2026-09-23', [], { extendedUntil: '2026-09-22', stalledSince: '2026-09-01' })).not.toBeNull();
  });

  it('names its kind by the item: an enterprise letter unanswered, any task by whatever code ops gave it a task', () => {
    expect(trig('2026-09-22', [item({ id: 'ltr-1', code: LETTER_ITEM, label: '函件1号未回复' })])).toMatchObject({ kind: 'letter_unanswered', item: 'ltr-1' });
    // Task codes are ops' choice: one named like a letter, or like an object's property, is a task all the same.
    for (const code of ['letter', 'constructor', 'toString', '__proto__']) expect(trig('2026-09-22', [item({ id: `T.${code}`, code })])?.kind, code).toBe('task_overdue');
  });
});

describe('the climb', () => {
  it('L1 → L5 one rung per window, then reminders of the exit decision each window', () => {
    let s = step(NONE, '2026-09-22');
    expect(s.state).toMatchObject({ level: 1, name: 'URGING_LETTER', since: '2026-09-22', next: { step: 'INTERVIEW', dueDate: '2026-09-30' } });
    expect(s.wakeAt?.getTime()).toBe(endOf('2026-09-30'));
    expect(step(s.state, '2026-09-30').change).toBeNull();
    const names: string[] = [];
    let today = '2026-10-08';
    for (let i = 0; i < 4; i++) {
      s = step(s.state, today);
      names.push(`${s.state.level}:${s.state.name}:${s.state.next!.step}`);
      today = addWorkingDays(s.state.next!.dueDate, 1, calendar2026).date; // the first working day after the window
    }
    expect(names).toEqual(['2:INTERVIEW:JOINT_ASSESSMENT', '3:JOINT_ASSESSMENT:COMPLIANCE_CHECK', '4:COMPLIANCE_CHECK:EXIT_PENDING', '5:EXIT_PENDING:EXIT_DECISION']);
    const reminded = step(s.state, '2026-12-31');
    expect(reminded.change).toMatchObject({ kind: 'exit_reminder' });
    expect(reminded.state.level).toBe(5);
    expect(reminded.events.map((e) => e.action)).toEqual(['escalation.exit_reminder']);
  });

  it('keeps the day each rung of this climb began (rungsSince), seeded from `since` on a record kept before it, and forgets it on a reset', () => {
    const l1 = step(NONE, '2026-09-22').state;
    expect(l1.rungsSince).toEqual({ 1: '2026-09-22' });
    const l2 = step(l1, '2026-10-08').state;
    expect(l2).toMatchObject({ level: 2, since: '2026-10-08', rungsSince: { 1: '2026-09-22', 2: '2026-10-08' } });
    const l3 = step(l2, addWorkingDays(l2.next!.dueDate, 1, calendar2026).date).state;
    expect(l3.rungsSince).toEqual({ 1: '2026-09-22', 2: '2026-10-08', 3: l3.since });
    // A record kept before the days were: its rung's day is `since`, the rungs below it unknown.
    const old: EscalationState = { level: 2, name: 'INTERVIEW', since: '2026-10-08', trigger: null, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-15' } };
    expect(step(old, '2026-10-16').state.rungsSince).toEqual({ 2: '2026-10-08', 3: '2026-10-16' });
    const reset = step(l3, '2026-10-20', [item({ open: false })]).state;
    expect(reset.rungsSince).toBeUndefined();
    expect(step(reset, '2026-12-01').state.rungsSince).toEqual({ 1: '2026-12-01' });
  });

  it('dates a rung owed while no review ran (a runtime down) on the day after the window, and gives it its whole window from the day it is raised', () => {
    const l2: EscalationState = { level: 2, name: 'INTERVIEW', since: '2026-10-08', trigger: null, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-15' } };
    const onTime = step(l2, '2026-10-16');
    const late = step(l2, '2026-10-21');
    expect(late.state).toMatchObject({ level: 3, since: '2026-10-16' });
    // The window is the rung's working days from the day it is raised and told: later than on time by the delay.
    expect(late.state.next!.dueDate > onTime.state.next!.dueDate).toBe(true);
    expect(late.state.next).toEqual(step({ ...l2, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-20' } }, '2026-10-21').state.next);
    // Down for weeks: one rung, its window still ahead — not L2 → L5 in one catch-up.
    const much = step(l2, '2026-11-30');
    expect(much.state).toMatchObject({ level: 3, since: '2026-10-16' });
    expect(much.wakeAt!.getTime()).toBeGreaterThan(nowOn('2026-11-30').getTime());
    expect(step(much.state, '2026-11-30').change).toBeNull();
  });

  it('resets to level 0 when the trigger clears, and waits for the next grace', () => {
    const l2: EscalationState = { level: 2, name: 'INTERVIEW', since: '2026-10-08', trigger: null, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-15' } };
    const r = step(l2, '2026-10-09', [item({ open: false }), item({ id: 'later', dueDate: '2026-10-20' })]);
    expect(r.state).toEqual({ ...NONE, extendedUntil: null });
    expect(r.change).toEqual({ kind: 'reset', from: 2 });
    // The later item's grace ends 5 working days after the 20th: the 27th.
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-10-27'));
    expect(step(NONE, '2026-10-09', []).change).toBeNull();
  });
});

describe('a rung owed on a rest day', () => {
  // Grace of 5 working days: work due Friday 2026-09-11 is past it from Saturday the 19th; work due Tuesday the 22nd
  // from Thursday 1 October (National Day, 2026-10-01–07 off, the 8th worked).
  it('raises L1 — and so dates its urging letter — on the next working day, not on the Saturday it fell due', () => {
    const friday = [item({ dueDate: '2026-09-11' })];
    for (const rest of ['2026-09-19', '2026-09-20']) {
      const held = step(NONE, rest, friday);
      expect(held.change, rest).toBeNull();
      expect(held.state).toEqual(NONE);
      expect(held.wakeAt?.getTime(), rest).toBe(endOf('2026-09-20')); // Monday 00:00
    }
    expect(step(NONE, '2026-09-21', friday).state).toMatchObject({ level: 1, since: '2026-09-21', next: { dueDate: '2026-09-29', window: { from: '2026-09-21' } } });
  });

  it('raises L1 owed on a public holiday on the first working day after it (National Day → 8 October)', () => {
    const due22 = [item({ dueDate: '2026-09-22' })];
    expect(step(NONE, '2026-10-01', due22).change).toBeNull();
    expect(step(NONE, '2026-10-01', due22).wakeAt?.getTime()).toBe(endOf('2026-10-07'));
    expect(step(NONE, '2026-10-08', due22).state).toMatchObject({ level: 1, since: '2026-10-08' });
  });

  it('raises the next rung, and reminds of the exit decision, on the first working day after a window ending on a Friday', () => {
    const l1: EscalationState = { level: 1, name: 'URGING_LETTER', since: '2026-09-11', trigger: null, next: { step: 'INTERVIEW', dueDate: '2026-09-18' } };
    const overdue = [item({ dueDate: '2026-09-01' })];
    expect(step(l1, '2026-09-19', overdue).change).toBeNull();
    expect(step(l1, '2026-09-19', overdue).state.level).toBe(1);
    expect(step(l1, '2026-09-21', overdue).state).toMatchObject({ level: 2, since: '2026-09-21' });
    // A late review (down over the weekend) dates the rung on the Monday it was owed, not the Saturday.
    expect(step(l1, '2026-09-22', overdue).state).toMatchObject({ level: 2, since: '2026-09-21' });
    const l5: EscalationState = { level: 5, name: 'EXIT_PENDING', since: '2026-09-04', trigger: null, next: { step: 'EXIT_DECISION', dueDate: '2026-09-18' } };
    expect(step(l5, '2026-09-19', overdue).change).toBeNull();
    expect(step(l5, '2026-09-21', overdue).change).toMatchObject({ kind: 'exit_reminder' });
  });

  it('still resets on a rest day when the work is done (a reset is no letter)', () => {
    const l1: EscalationState = { level: 1, name: 'URGING_LETTER', since: '2026-09-11', trigger: null, next: { step: 'INTERVIEW', dueDate: '2026-09-18' } };
    expect(step(l1, '2026-09-19', [item({ open: false })]).change).toEqual({ kind: 'reset', from: 1 });
  });
});

describe('a rung and the settings', () => {
  const rungOf = (state: EscalationState, progressReportedOn: string | null = null, constructing = false) => ({ state, progressReportedOn, constructing });
  it('keeps a raised rung when a longer grace is published while its work is still overdue (no reset, no second L1 letter)', () => {
    const l1 = step(NONE, '2026-09-22').state;
    const longer = { ...cfg, graceWd: 20 };
    // Not past the new grace: a project at level 0 would not climb …
    expect(currentTrigger({ items: [item()], stalledSince: null, today: '2026-09-23', cfg: longer, calendar: calendar2026 })).toBeNull();
    // … but the rung stands on the work that raised it, still open and overdue.
    const held = currentTrigger({ items: [item()], stalledSince: null, today: '2026-09-23', cfg: longer, calendar: calendar2026, rung: rungOf(l1) });
    expect(held).toEqual(l1.trigger);
    const stays = climb({ state: l1, trigger: held, items: [item()], today: '2026-09-23', now: nowOn('2026-09-23'), cfg: longer, calendar: calendar2026 });
    expect(stays.change).toBeNull();
    // The work done: the rung goes, as before.
    expect(currentTrigger({ items: [item({ open: false })], stalledSince: null, today: '2026-09-23', cfg: longer, calendar: calendar2026, rung: rungOf(l1) })).toBeNull();
    // At level 0 the held trigger counts for nothing.
    expect(currentTrigger({ items: [item()], stalledSince: null, today: '2026-09-23', cfg: longer, calendar: calendar2026, rung: rungOf({ ...NONE, trigger: l1.trigger }) })).toBeNull();
  });

  it('keeps a stall rung when a longer stall limit is published, until progress is reported after it began', () => {
    const stalled = { kind: 'stalled' as const, item: 'construction', label: '施工停滞', since: '2026-09-01' };
    const l2: EscalationState = { level: 2, name: 'INTERVIEW', since: '2026-10-08', trigger: stalled, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-15' } };
    const at = (progressReportedOn: string | null, constructing = true) => currentTrigger({ items: [], stalledSince: null, today: '2026-10-09', cfg, calendar: calendar2026, rung: rungOf(l2, progressReportedOn, constructing) });
    expect(at(null)).toEqual(stalled);
    expect(at('2026-09-01')).toEqual(stalled);
    expect(at('2026-10-09')).toBeNull();
    expect(at(null, false)).toBeNull();
  });
});

describe('the wake-up on a rung', () => {
  it('comes at another open item’s grace end when that is before the window ends, so its own ladder starts on its day', () => {
    // On L1 for start of works (window to the 30th); another item due the 21st leaves its grace on the 29th (5 working
    // days: the 25th is 中秋节).
    const other = item({ id: 'other', code: 'x', label: 'Other', dueDate: '2026-09-21' });
    const raised = step(NONE, '2026-09-22', [item(), other]);
    expect(raised.state).toMatchObject({ level: 1, next: { dueDate: '2026-09-30' } });
    expect(raised.wakeAt?.getTime()).toBe(endOf('2026-09-29'));
    // Waiting on the rung: the same.
    expect(step(raised.state, '2026-09-24', [item(), other]).wakeAt?.getTime()).toBe(endOf('2026-09-29'));
    // Past that grace (the other item now overdue too), or with the other item done: the window's end.
    expect(step(raised.state, '2026-09-30', [item(), other]).wakeAt?.getTime()).toBe(endOf('2026-09-30'));
    expect(step(raised.state, '2026-09-24', [item(), { ...other, open: false }]).wakeAt?.getTime()).toBe(endOf('2026-09-30'));
  });
});

describe('the extension 延期', () => {
  const leader = { sub: 'u-l', name: '主任', roles: ['committee_leader' as const] };
  it('puts the ladder back to 0 until the new date, by the committee leader, within a year', () => {
    const l3: EscalationState = { level: 3, name: 'JOINT_ASSESSMENT', since: '2026-10-08', next: { step: 'COMPLIANCE_CHECK', dueDate: '2026-10-22' } };
    const r = extend({ state: l3, by: leader, newDueDate: '2026-12-31', reason: '企业资金到位', today: '2026-10-09', projectStatus: 'ACTIVE' });
    expect(r.state).toEqual({ ...NONE, extendedUntil: '2026-12-31' });
    expect(r.event).toEqual({ action: 'escalation.extended', before: { level: 3, name: 'JOINT_ASSESSMENT', extendedUntil: null }, after: { level: 0, extendedUntil: '2026-12-31', reason: '企业资金到位' } });
    expect(step(r.state, '2026-12-31').state.level).toBe(0);
    expect(step(r.state, '2027-01-04').state.level).toBe(1);
    expect(() => extend({ state: l3, by: { ...leader, roles: ['supervision_office'] }, newDueDate: '2026-12-31', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => extend({ state: l3, by: leader, newDueDate: '2026-10-09', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'newDueDate', code: 'out_of_range', message: 'must be after 2026-10-09 and on or before 2027-10-09' }] }));
    expect(() => extend({ state: l3, by: leader, newDueDate: '2027-10-10', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => extend({ state: l3, by: leader, newDueDate: '2026-12-31', reason: '', today: '2026-10-09', projectStatus: 'EXITED' })).toThrow(expect.objectContaining({ status: 409, errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
  });
});

describe('the date of an extension 延期', () => {
  it('is a working day: a Saturday or a public holiday is refused on newDueDate, naming the next working day', () => {
    expect(() => assertExtensionOnWorkingDay('2026-09-19', calendar2026)).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'newDueDate', code: 'out_of_range', message: '2026-09-19 is a rest day; the next working day is 2026-09-21' }] }));
    expect(() => assertExtensionOnWorkingDay('2026-10-01', calendar2026)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ message: '2026-10-01 is a rest day; the next working day is 2026-10-08' })] }));
    expect(() => assertExtensionOnWorkingDay('2026-09-25', calendar2026)).toThrow(expect.objectContaining({ status: 400 })); // Mid-Autumn, a Friday
    // Working days pass: a weekday, a make-up Saturday (调休); a weekday in a year with no calendar is taken as one.
    for (const d of ['2026-09-21', '2026-10-10', '2027-03-03']) expect(() => assertExtensionOnWorkingDay(d, calendar2026), d).not.toThrow();
    expect(() => assertExtensionOnWorkingDay('2027-03-06', calendar2026)).toThrow(expect.objectContaining({ status: 400 }));
    // A year ahead at most: a rest day on the last day allowed names the working day before, one the leader may choose.
    expect(() => assertExtensionOnWorkingDay('2026-09-19', calendar2026, 'newDueDate', '2026-09-19')).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ message: '2026-09-19 is a rest day; the working day before is 2026-09-18' })] }));
  });
});

describe('the ladder in detail', () => {
  it('orders overdue items by due date, then id; grace from the configuration', () => {
    const items = [item({ id: 'z', code: 'x', dueDate: '2026-09-10' }), item({ id: 'a', code: 'x', dueDate: '2026-09-10' }), item({ id: 'late', code: 'x', dueDate: '2026-09-11' })];
    expect(trig('2026-09-30', items)!.item).toBe('a');
    expect(trig('2026-09-30', [...items].reverse())!.item).toBe('a');
    expect(currentTrigger({ items: [item()], stalledSince: null, today: '2026-09-15', cfg: { ...cfg, graceWd: 0 }, calendar: calendar2026 })).not.toBeNull();
    expect(currentTrigger({ items: [item()], stalledSince: null, today: '2026-09-15', cfg: { rungs: cfg.rungs }, calendar: calendar2026 })).toBeNull();
  });

  it("counts a rung's window on the calendar as it stands: provisional in a year not loaded, moved once it is", () => {
    // L1 on Wednesday 2026-12-30 with a 5-working-day window: 2027 not loaded, weekdays give Wednesday 6 January.
    const trigger = { kind: 'task_overdue' as const, item: 'a', label: '任务', since: '2026-12-18' };
    const l1 = climb({ state: NONE, trigger, items: [], today: '2026-12-30', now: nowOn('2026-12-30'), cfg, calendar: calendar2026 });
    expect(l1.state.next).toEqual({ step: 'INTERVIEW', dueDate: '2027-01-06', window: { from: '2026-12-30', wd: 5 }, calendarProvisional: true });
    // 2027 loaded with New Year's Day off: the window ends a working day later, and is no longer provisional.
    const with2027 = (year: number) => (year === 2027 ? { holidays: new Set(['2027-01-01']), workdays: new Set<string>() } : calendar2026(year));
    const later = climb({ state: l1.state, trigger, items: [], today: '2026-12-31', now: nowOn('2026-12-31'), cfg, calendar: with2027 });
    expect(later.change).toBeNull();
    expect(later.state.next).toEqual({ step: 'INTERVIEW', dueDate: '2027-01-07', window: { from: '2026-12-30', wd: 5 }, calendarProvisional: false });
    // Not L2 on the guessed day: the moved window still holds on 7 January, L2 the day after.
    expect(climb({ state: later.state, trigger, items: [], today: '2027-01-07', now: nowOn('2027-01-07'), cfg, calendar: with2027 }).change).toBeNull();
    expect(climb({ state: later.state, trigger, items: [], today: '2027-01-08', now: nowOn('2027-01-08'), cfg, calendar: with2027 }).change).toMatchObject({ kind: 'raised' });
  });

  it('records what each move was, and wakes for an extension’s end when nothing else is due', () => {
    const l1 = step(NONE, '2026-09-22');
    expect(l1.events).toEqual([{ action: 'escalation.raised', before: { level: 0, name: 'NONE' }, after: { level: 1, name: 'URGING_LETTER', trigger: l1.state.trigger, next: { step: 'INTERVIEW', dueDate: '2026-09-30', window: { from: '2026-09-22', wd: 5 }, calendarProvisional: false } } }]);
    const reset = climb({ state: { ...l1.state, extendedUntil: '2026-12-31' }, trigger: null, items: [], today: '2026-10-08', now: nowOn('2026-10-08'), cfg, calendar: calendar2026 });
    expect(reset.events).toEqual([{ action: 'escalation.reset', before: { level: 1, name: 'URGING_LETTER', trigger: l1.state.trigger }, after: { level: 0, reason: 'trigger cleared' } }]);
    expect(reset.state.extendedUntil).toBe('2026-12-31');
    expect(reset.wakeAt?.getTime()).toBe(endOf('2026-12-31'));
    const after = climb({ state: { ...NONE, extendedUntil: '2026-10-01' }, trigger: null, items: [], today: '2026-10-08', now: nowOn('2026-10-08'), cfg, calendar: calendar2026 });
    expect(after.wakeAt).toBeNull();
    const top = { level: 5, name: 'EXIT_PENDING', since: '2026-12-01', trigger: l1.state.trigger, next: { step: 'EXIT_DECISION', dueDate: '2026-12-14' } };
    const reminded = step(top, '2026-12-15');
    expect(reminded.events).toEqual([{ action: 'escalation.exit_reminder', before: { dueDate: '2026-12-14' }, after: { next: { step: 'EXIT_DECISION', dueDate: '2026-12-29', window: { from: '2026-12-15', wd: 10 }, calendarProvisional: false } } }]);
    expect(step({ ...top, next: null }, '2026-12-15').change).toBeNull();
    expect(climbToKeepsExtension()).toBe('2026-09-01');
  });

  it('refuses an extension with the reasons stated', () => {
    const leader = { sub: 'u-l', name: '主任', roles: ['committee_leader' as const] };
    expect(() => extend({ state: NONE, by: { ...leader, roles: ['ops'] }, newDueDate: '2026-12-31', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' })).toThrow('An extension 延期 is decided by the committee leader');
    expect(() => extend({ state: NONE, by: leader, newDueDate: '2026-12-31', reason: '', today: '2026-10-09', projectStatus: 'COMPLETED' })).toThrow('The project is COMPLETED: nothing to extend');
    expect(extend({ state: NONE, by: leader, newDueDate: '2027-10-09', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' }).state.extendedUntil).toBe('2027-10-09');
    expect(() => extend({ state: NONE, by: leader, newDueDate: '2026-10-08', reason: '', today: '2026-10-09', projectStatus: 'ACTIVE' })).toThrow('The new due date lies after today (2026-10-09) and at most a year ahead (2027-10-09)');
  });
});

/** A rung raised keeps an extension already on record. */
function climbToKeepsExtension(): string | null | undefined {
  return climb({ state: { ...NONE, extendedUntil: '2026-09-01' }, trigger: trig('2026-09-22'), items: [item()], today: '2026-09-22', now: nowOn('2026-09-22'), cfg, calendar: calendar2026 }).state.extendedUntil;
}
