// The simulation's deadline oracle (bench/sim/oracle.ts) on hand-made cases: its own working-day count (the start day
// not counted, holidays skipped), when yellow and red are due, and each kind of defect it reports.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../bench/sim/calendar.ts';
import { checkDeadlines, expectationOf, type LightEvent, type OracleTask } from '../../bench/sim/oracle.ts';

// 2026: Mid-Autumn on Friday 25 September, National Day 1–7 October, a make-up working day on Saturday 10 October.
const calendar = () =>
  new WorkCalendar([{ year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }]);
const task = (over: Partial<OracleTask> = {}): OracleTask => ({ projectId: 'p', id: 'SIGNING.t', kind: 'matrix', status: 'open', startedDate: '2026-09-21', limitWd: 5, dueDate: null, completedAt: null, ...over });
const at = (day: string, time = '00:00:01') => new Date(`${day}T${time}+08:00`).toISOString();
const ev = (light: 'yellow' | 'red', day: string, source: 'audit' | 'inbox' = light === 'yellow' ? 'inbox' : 'audit'): LightEvent => ({ projectId: 'p', taskId: 'SIGNING.t', light, source, at: at(day) });
const both = (day: string) => [ev('red', day, 'audit'), ev('red', day, 'inbox')];
const check = (tasks: OracleTask[], events: LightEvent[], cutoffDay = '2026-12-01') => checkDeadlines({ tasks, events, calendar: calendar(), yellowBeforeWd: 3, cutoffDay });

describe('when a light is due', () => {
  it('counts working days from the day after the start: 5 from Monday 21 September across Mid-Autumn is Tuesday 29th, yellow 3 before on the 23rd', () => {
    expect(expectationOf(task(), calendar(), 3)).toEqual({ dueDate: '2026-09-29', yellowDay: '2026-09-23', redDay: '2026-09-30' });
  });
  it('turns yellow on the start day when the limit is no longer than the yellow window', () => {
    expect(expectationOf(task({ startedDate: '2026-09-30', limitWd: 3 }), calendar(), 3)).toEqual({ dueDate: '2026-10-10', yellowDay: '2026-09-30', redDay: '2026-10-11' });
  });
  it('gives a follow-up the date set, moved off a rest day, with its yellow light 3 working days before; a task not started, none', () => {
    expect(expectationOf(task({ kind: 'followup', limitWd: null, dueDate: '2026-10-12' }), calendar(), 3)).toEqual({ dueDate: '2026-10-12', yellowDay: '2026-10-08', redDay: '2026-10-13' });
    // Set on National Day: due the next working day (8 October), yellow from its start day (the window began later).
    expect(expectationOf(task({ kind: 'obligation', startedDate: '2026-09-30', limitWd: null, dueDate: '2026-10-03' }), calendar(), 3)).toEqual({ dueDate: '2026-10-08', yellowDay: '2026-09-30', redDay: '2026-10-09' });
    // Not a follow-up or an obligation: the date as set, no yellow.
    expect(expectationOf(task({ kind: 'recurring', limitWd: null, dueDate: '2026-10-03' }), calendar(), 3)).toEqual({ dueDate: '2026-10-03', yellowDay: null, redDay: '2026-10-04' });
    expect(expectationOf(task({ startedDate: null }), calendar(), 3)).toEqual({ dueDate: null, yellowDay: null, redDay: null });
  });
});

describe('work dated by a person', () => {
  // The product moves the date set off a rest day (its fixedSchedule) and shows both: the oracle expects the lights from
  // the date set, by its own calendar, so a product that moves it wrongly is caught, not taken as the input.
  const followup = (dueDate: string) => task({ kind: 'followup', limitWd: null, dueDateSet: '2026-10-03', dueDate });
  it('is expected from the date set (National Day moves it to 8 October), whatever date the product stored', () => {
    expect(expectationOf(followup('2026-10-09'), calendar(), 3)).toEqual({ dueDate: '2026-10-08', yellowDay: '2026-09-28', redDay: '2026-10-09' });
  });
  it('lit a day late by a product that moved its date a day too far: late, on both streams of the red light', () => {
    const defects = check([followup('2026-10-09')], [ev('yellow', '2026-09-28'), ...both('2026-10-10')]).defects;
    expect(defects.map((d) => [d.kind, d.light, d.source, d.expectedDay])).toEqual([
      ['late', 'red', 'audit', '2026-10-09'],
      ['late', 'red', 'inbox', '2026-10-09'],
    ]);
  });
});

describe('what the oracle reports', () => {
  it('nothing when each light came once on its day', () => {
    expect(check([task()], [ev('yellow', '2026-09-23'), ...both('2026-09-30')]).defects).toEqual([]);
  });
  it('a task done before its yellow day owes no light; done on the yellow day it owes yellow only', () => {
    expect(check([task({ completedAt: at('2026-09-22', '15:00:00'), status: 'done' })], []).defects).toEqual([]);
    expect(check([task({ completedAt: at('2026-09-23', '15:00:00'), status: 'done' })], [ev('yellow', '2026-09-23')]).defects).toEqual([]);
  });
  it('lost, doubled, early, late and spurious events', () => {
    const kinds = (events: LightEvent[], t = task()) => check([t], events).defects.map((d) => `${d.kind} ${d.light}/${d.source}`);
    expect(kinds([ev('yellow', '2026-09-23')])).toEqual(['lost red/audit', 'lost red/inbox']);
    expect(kinds([ev('yellow', '2026-09-23'), ev('yellow', '2026-09-23'), ...both('2026-09-30')])).toEqual(['doubled yellow/inbox']);
    expect(kinds([ev('yellow', '2026-09-22'), ...both('2026-09-30')])).toEqual(['early yellow/inbox']);
    expect(kinds([ev('yellow', '2026-09-23'), ev('red', '2026-10-08'), ev('red', '2026-09-30', 'inbox')])).toEqual(['late red/audit']);
    expect(kinds([ev('yellow', '2026-09-25')], task({ status: 'done', completedAt: at('2026-09-22', '15:00:00') }))).toEqual(['spurious yellow/inbox']);
    expect(check([task()], [{ ...ev('red', '2026-09-30'), taskId: null }, ev('yellow', '2026-09-23'), ...both('2026-09-30')]).counts.spurious).toBe(1);
  });
  it('does not call an event lost that was due on the day the run stopped', () => {
    expect(check([task()], [ev('yellow', '2026-09-23')], '2026-09-30').defects).toEqual([]);
    expect(check([task()], [], '2026-09-30').counts.lost).toBe(1);
  });
});

describe('recurring work closed by its gate', () => {
  const meeting = (closedOn: string, over: Partial<OracleTask> = {}) =>
    task({ kind: 'recurring', status: 'done', completedAt: at(closedOn, '01:00:00'), closedWithStage: true, ...over });
  it('may or may not have told its yellow light on the day it closed (the review that passes the gate tells none)', () => {
    expect(check([meeting('2026-09-23')], []).defects).toEqual([]);
    expect(check([meeting('2026-09-23')], [ev('yellow', '2026-09-23')]).defects).toEqual([]);
    expect(check([meeting('2026-09-23')], []).expected['yellow/inbox']).toBe(0);
  });
  it('still owes a yellow light closed later, a red light always, and one yellow only', () => {
    expect(check([meeting('2026-09-24')], []).defects.map((d) => d.kind)).toEqual(['lost']);
    expect(check([meeting('2026-09-30')], [ev('yellow', '2026-09-23')]).defects.map((d) => `${d.kind} ${d.light}/${d.source}`)).toEqual(['lost red/audit', 'lost red/inbox']);
    expect(check([meeting('2026-09-23')], [ev('yellow', '2026-09-23'), ev('yellow', '2026-09-23')]).defects.map((d) => d.kind)).toEqual(['doubled']);
    // Closed by a person (a progress report), the yellow light is owed as for any task.
    expect(check([meeting('2026-09-23', { closedWithStage: false })], []).defects.map((d) => d.kind)).toEqual(['lost']);
  });
});

describe('a task the exit withdrew', () => {
  it('owes the lights whose day began before its withdrawal, and no other', () => {
    const withdrawn = (on: string) => task({ status: 'withdrawn', completedAt: at(on, '11:00:00') });
    // Withdrawn on the 24th: yellow (23rd) was owed and told; red (30th) not owed.
    expect(check([withdrawn('2026-09-24')], [ev('yellow', '2026-09-23')]).defects).toEqual([]);
    expect(check([withdrawn('2026-09-24')], []).defects.map((d) => `${d.kind} ${d.light}`)).toEqual(['lost yellow']);
    expect(check([withdrawn('2026-09-24')], [ev('yellow', '2026-09-23'), ...both('2026-09-30')]).defects.map((d) => d.kind)).toEqual(['spurious', 'spurious']);
    // Without the instant of its withdrawal, nothing is owed.
    expect(check([task({ status: 'withdrawn' })], []).defects).toEqual([]);
  });
});
