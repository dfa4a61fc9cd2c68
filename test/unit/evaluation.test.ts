// The stage evaluation engine: tasks start when their predecessors are done, lights follow the working-day due dates,
// provisional due dates are recomputed once the year's calendar is loaded, the gate opens when the stage's required
// tasks are done, the project advances on every approval (and the round's meeting), and the workflow knows when to
// wake up next.
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../functions/kernel/domain/codes.ts';
import { calendarLookup, type CalendarLookup } from '../../functions/reference/domain/calendar.ts';
import { evaluate, type StageView } from '../../functions/lifecycle/domain/evaluation.ts';
import { newGate, type Gate, type GateApproval } from '../../functions/lifecycle/domain/gate.ts';
import type { Meeting } from '../../functions/lifecycle/domain/meeting.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import { aTask, doneTask, endOf, runningTask } from '../support/domain.ts';

// 2026: the Mid-Autumn holiday on Friday 25 September, National Day 1–7 October, Saturday 10 October worked (调休).
const y2026 = { year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] };
const calendar = calendarLookup([y2026]);
// 2027 loaded later: New Year's Day (Friday 1 January) is a holiday.
const with2027 = calendarLookup([y2026, { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
// 2027 loaded with no holiday at all: weekdays, as the provisional computation assumed.
const plain2027 = calendarLookup([y2026, { year: 2027, holidays: [], workdays: [] }]);

const at = (today: string, cal: CalendarLookup = calendar, yellowBeforeWd = 2) => ({ today, now: new Date(`${today}T10:00:00+08:00`), calendar: cal, yellowBeforeWd });

const task = aTask;
const running = runningTask;
const done = doneTask;

const closedGate = (stage: Stage = 'SIGNING', over: Partial<Gate> = {}): Gate => ({
  ...newGate({ stage, name: { zh: '落地转段会议', en: 'Landing gate' }, approvers: ['committee_leader', 'track_dept'], meetingRequired: false, limitWd: 10 }, { track: 'industrial' }),
  ...over,
});
/** Opened Monday 2026-09-21 with 10 working days: due Monday 2026-10-12 across the holidays (Saturday 10th worked). */
const openGate = (over: Partial<Gate> = {}) => closedGate('SIGNING', { open: true, openedDate: '2026-09-21', dueDate: '2026-10-12', ...over });
const view = (gate: Gate, over: Partial<StageView> = {}): StageView => ({ stage: gate.stage, tasks: [], gate, approvals: [], ...over });
const approve = (role: GateApproval['role'], round = 1, decision: GateApproval['decision'] = 'approve'): GateApproval => ({ role, by: `u-${role}`, decision, at: '2026-09-22T02:00:00Z', round });
const meeting = (round?: number): Meeting => ({ heldOn: '2026-09-22', attendees: ['管委会'], decisions: ['同意转段'], followUps: [], recordedBy: 'u-leader', recordedAt: '2026-09-22T08:00:00Z', ...(round ? { round } : {}) });

describe('tasks start when their predecessors are done', () => {
  it('starts a task without predecessors on the day of the evaluation, due in working days across the holiday', () => {
    const ev = evaluate([task('a')], view(closedGate()), at('2026-09-21'));
    expect(ev.changedTasks).toEqual([
      expect.objectContaining({ id: 'a', startedDate: '2026-09-21', dueDate: '2026-09-29', yellowDate: '2026-09-24', calendarProvisional: false, light: 'green' }),
    ]);
  });

  it('keeps a successor waiting while its predecessor is open, even one that started in the same evaluation', () => {
    const ev = evaluate([task('a'), task('b', { after: ['a'] })], view(closedGate()), at('2026-09-21'));
    expect(ev.changedTasks.map((t) => t.id)).toEqual(['a']);
    const later = evaluate([running('a'), task('b', { after: ['a'] })], view(closedGate()), at('2026-09-22'));
    expect(later.changedTasks).toEqual([]);
  });

  it('starts the successor the day its last predecessor is done', () => {
    const ev = evaluate([done('a'), running('c'), task('b', { after: ['a', 'c'] })], view(closedGate()), at('2026-09-23'));
    expect(ev.changedTasks).toEqual([]);
    // Five working days from Wednesday 23rd: past the Mid-Autumn Friday and the National Day week, Thursday 8 October.
    const both = evaluate([done('a'), done('c'), task('b', { after: ['a', 'c'] })], view(closedGate()), at('2026-09-23'));
    expect(both.changedTasks).toEqual([expect.objectContaining({ id: 'b', startedDate: '2026-09-23', dueDate: '2026-10-08' })]);
  });

  it('is not held by a predecessor the project does not have (a task of the other site mode)', () => {
    const ev = evaluate([task('b', { after: ['land_list'] })], view(closedGate()), at('2026-09-21'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ id: 'b', startedDate: '2026-09-21' })]);
  });

  it('keeps the clock of a task already started, and never starts a completed one', () => {
    const ev = evaluate([running('a', { startedDate: '2026-09-18' }), task('d', { status: 'done' })], view(closedGate(), { stage: 'LANDING' }), at('2026-09-22'));
    expect(ev.changedTasks).toEqual([]);
  });

  it('starts a task without a time limit with no due date: it stays green and sets no deadline', () => {
    const ev = evaluate([task('a', { limitWd: null, requiredForGate: false })], view(closedGate()), at('2026-09-21'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ startedDate: '2026-09-21', dueDate: null, yellowDate: null, light: 'green', calendarProvisional: false })]);
    expect(ev).toMatchObject({ openTasks: 1, overdueTasks: 0, nextDue: null, light: 'green' });
  });

  it('lights a one-day task yellow from its start: the yellow light never comes before the task starts', () => {
    const ev = evaluate([task('a', { limitWd: 1 })], view(closedGate()), at('2026-09-21'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2026-09-22', yellowDate: '2026-09-21', light: 'yellow' })]);
    expect(ev.newlyYellow.map((t) => t.id)).toEqual(['a']);
  });
});

describe('due dates in a year without a calendar', () => {
  // Started Monday 2026-12-28 with 5 working days: weekdays only give Monday 2027-01-04.
  const provisional = (over: Partial<Task> = {}) =>
    task('a', { startedDate: '2026-12-28', dueDate: '2027-01-04', yellowDate: '2026-12-31', calendarProvisional: true, ...over });

  it('flags a due date in a missing year as provisional, counted on weekdays', () => {
    const ev = evaluate([task('a')], view(closedGate()), at('2026-12-28'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2027-01-04', yellowDate: '2026-12-31', calendarProvisional: true })]);
  });

  it('flags the task provisional when only its yellow date falls in the missing year', () => {
    // Only 2027 is loaded: two working days from Thursday 2026-12-31 skip New Year's Day (due Tuesday 5th),
    // the yellow date two working days earlier is back in 2026.
    const only2027 = calendarLookup([{ year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
    const ev = evaluate([task('a', { limitWd: 2 })], view(closedGate()), at('2026-12-31', only2027));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2027-01-05', yellowDate: '2026-12-31', calendarProvisional: true })]);
  });

  it('recomputes the due date once the year is loaded', () => {
    const ev = evaluate([provisional()], view(closedGate()), at('2026-12-29', with2027));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ id: 'a', startedDate: '2026-12-28', dueDate: '2027-01-05', yellowDate: '2026-12-31', calendarProvisional: false })]);
    expect(ev.nextDue).toBe('2027-01-05');
  });

  it('clears the flag once the year is loaded even when the date stays', () => {
    const ev = evaluate([provisional()], view(closedGate()), at('2026-12-29', plain2027));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2027-01-04', calendarProvisional: false })]);
  });

  it('changes nothing while the year is still missing, nor on a completed task', () => {
    expect(evaluate([provisional()], view(closedGate()), at('2026-12-29')).changedTasks).toEqual([]);
    expect(evaluate([provisional({ status: 'done' })], view(closedGate(), { stage: 'LANDING' }), at('2026-12-29', with2027)).changedTasks).toEqual([]);
  });

  // While 2028 is still missing, a task due early 2028 stays provisional after 2027 is loaded: what moved is stored.
  it('stores a recomputed due date even when the flag stays (the next year still missing)', () => {
    // Started Friday 2027-12-24 with 5 working days: Friday 31st on weekdays; with the 31st off, Monday 2028-01-03.
    const loaded = calendarLookup([{ year: 2027, holidays: ['2027-12-31'], workdays: [] }]);
    const t = task('a', { startedDate: '2027-12-24', dueDate: '2027-12-31', yellowDate: '2027-12-29', calendarProvisional: true });
    const ev = evaluate([t], view(closedGate()), at('2027-12-27', loaded));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2028-01-03', yellowDate: '2027-12-29', calendarProvisional: true })]);
  });

  it('recomputes every open date after ops correct a loaded year (recomputeAll), and only then', () => {
    // Started Monday 21 September, 5 working days: Tuesday 29th. Ops make Monday 28th a holiday: due Wednesday 30th.
    const corrected = calendarLookup([{ ...y2026, holidays: [...y2026.holidays, '2026-09-28'] }]);
    const t = running('a');
    expect(evaluate([t], view(closedGate()), at('2026-09-22', corrected)).changedTasks).toEqual([]);
    const ev = evaluate([t], view(closedGate()), { ...at('2026-09-22', corrected), recomputeAll: true });
    expect(ev.changedTasks).toEqual([expect.objectContaining({ id: 'a', dueDate: '2026-09-30', yellowDate: '2026-09-24', calendarProvisional: false })]);
    // The open gate's due date too (opened Monday 21st, 10 working days: 12 October; one more with the 28th off).
    expect(evaluate([], view(openGate()), { ...at('2026-09-22', corrected), recomputeAll: true }).gate.dueDate).toBe('2026-10-13');
    expect(evaluate([], view(openGate()), at('2026-09-22', corrected)).gate.dueDate).toBe('2026-10-12');
  });

  it('stores a recomputed yellow date even when the due date stays', () => {
    // 6 working days from Friday 2027-12-24: Monday 2028-01-03 either way once Wednesday 29th is off and Saturday 25th
    // worked (调休); four working days before it, the yellow light moves from Tuesday 28th to Monday 27th.
    const loaded = calendarLookup([{ year: 2027, holidays: ['2027-12-29'], workdays: ['2027-12-25'] }]);
    const t = task('a', { limitWd: 6, startedDate: '2027-12-24', dueDate: '2028-01-03', yellowDate: '2027-12-28', calendarProvisional: true });
    const ev = evaluate([t], view(closedGate()), at('2027-12-24', loaded, 4));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ dueDate: '2028-01-03', yellowDate: '2027-12-27', calendarProvisional: true })]);
  });
});

describe('lights', () => {
  it('turns a task yellow on its yellow date, not the day before', () => {
    expect(evaluate([running('a')], view(closedGate()), at('2026-09-23')).changedTasks).toEqual([]);
    const ev = evaluate([running('a')], view(closedGate()), at('2026-09-24'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ id: 'a', light: 'yellow' })]);
    expect(ev.newlyYellow.map((t) => t.id)).toEqual(['a']);
    expect(ev.newlyRed).toEqual([]);
    expect(ev.light).toBe('yellow');
  });

  it('keeps a task due today yellow, and turns it red the next day', () => {
    const today = evaluate([running('a', { light: 'yellow' })], view(closedGate()), at('2026-09-29'));
    expect(today.changedTasks).toEqual([]);
    expect(today).toMatchObject({ light: 'yellow', overdueTasks: 0 });
    const ev = evaluate([running('a', { light: 'yellow' })], view(closedGate()), at('2026-09-30'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ id: 'a', light: 'red' })]);
    expect(ev.newlyRed.map((t) => t.id)).toEqual(['a']);
    expect(ev.newlyYellow).toEqual([]);
    expect(ev).toMatchObject({ light: 'red', overdueTasks: 1, openTasks: 1, nextDue: '2026-09-29' });
  });

  it('does not report a task that is already red as newly red', () => {
    const ev = evaluate([running('a', { light: 'red' })], view(closedGate()), at('2026-10-09'));
    expect(ev.changedTasks).toEqual([]);
    expect(ev.newlyRed).toEqual([]);
    expect(ev).toMatchObject({ light: 'red', overdueTasks: 1 });
  });

  it('turns a light back to green without reporting it when the due date moved away', () => {
    const ev = evaluate([running('a', { light: 'yellow' })], view(closedGate()), at('2026-09-22'));
    expect(ev.changedTasks).toEqual([expect.objectContaining({ light: 'green' })]);
    expect(ev.newlyRed).toEqual([]);
    expect(ev.newlyYellow).toEqual([]);
    expect(ev.light).toBe('green');
  });

  it('keeps the clocks of follow-ups and 容缺 obligations of earlier stages', () => {
    const obligation = task('o', { stage: 'SIGNING', kind: 'obligation', limitWd: null, requiredForGate: false, startedDate: '2026-09-21', dueDate: '2026-09-28' });
    const ev = evaluate([obligation], view(closedGate('LANDING')), at('2026-09-29'));
    expect(ev.newlyRed.map((t) => t.id)).toEqual(['o']);
    expect(ev.light).toBe('red');
  });

  it('schedules a follow-up or 容缺 obligation on its first review: a rest day moved to the next working day, yellow before it', () => {
    // Set on Saturday 3 October (National Day): due Thursday 8th; yellow 2 working days before — Tuesday 29 September.
    const obligation = task('o', { kind: 'obligation', limitWd: null, startedDate: '2026-09-22', dueDate: '2026-10-03', yellowDate: null });
    const first = evaluate([obligation], view(closedGate()), at('2026-09-22'));
    expect(first.changedTasks).toEqual([expect.objectContaining({ id: 'o', dueDate: '2026-10-08', yellowDate: '2026-09-29', calendarProvisional: false, light: 'green' })]);
    const scheduled = first.changedTasks[0]!;
    expect(evaluate([scheduled], view(closedGate()), at('2026-09-28')).changedTasks).toEqual([]);
    const yellow = evaluate([scheduled], view(closedGate()), at('2026-09-29'));
    expect(yellow.newlyYellow.map((t) => t.id)).toEqual(['o']);
    // Red the day after the moved date, not after the date set.
    expect(evaluate([{ ...scheduled, light: 'yellow' }], view(closedGate()), at('2026-10-04')).newlyRed).toEqual([]);
    expect(evaluate([{ ...scheduled, light: 'yellow' }], view(closedGate()), at('2026-10-09')).newlyRed.map((t) => t.id)).toEqual(['o']);
    // Due within the yellow window of its start: yellow from the day it started, told at once.
    const soon = evaluate([task('f', { kind: 'followup', limitWd: null, startedDate: '2026-09-22', dueDate: '2026-09-23', yellowDate: null })], view(closedGate()), at('2026-09-22'));
    expect(soon.changedTasks).toEqual([expect.objectContaining({ id: 'f', yellowDate: '2026-09-22', light: 'yellow' })]);
    expect(soon.newlyYellow.map((t) => t.id)).toEqual(['f']);
  });

  it('keeps a follow-up set in a year with no calendar provisional, and moves it once the year is loaded', () => {
    // Friday 1 January 2027, set before 2027 is loaded: a weekday, kept and flagged; New Year's Day once it is loaded.
    const f = task('f', { kind: 'followup', limitWd: null, startedDate: '2026-12-21', dueDate: '2027-01-01', yellowDate: null });
    const before = evaluate([f], view(closedGate()), at('2026-12-21'));
    expect(before.changedTasks).toEqual([expect.objectContaining({ dueDate: '2027-01-01', yellowDate: '2026-12-30', calendarProvisional: true })]);
    const after = evaluate([before.changedTasks[0]!], view(closedGate()), at('2026-12-22', with2027));
    expect(after.changedTasks).toEqual([expect.objectContaining({ dueDate: '2027-01-04', yellowDate: '2026-12-30', calendarProvisional: false })]);
    expect(evaluate([after.changedTasks[0]!], view(closedGate()), at('2026-12-23', with2027)).changedTasks).toEqual([]);
  });

  it('moves a date set on a day a correction made a rest day, and back when the next correction makes it a working day again', () => {
    // Thursday 8 October 2026, a working day; ops then mark it a holiday (due Friday 9th), then take that back.
    const f = task('f', { kind: 'followup', limitWd: null, startedDate: '2026-09-22', dueDate: '2026-10-08', dueDateSet: '2026-10-08', yellowDate: null });
    const first = evaluate([f], view(closedGate()), at('2026-09-22')).changedTasks[0]!;
    expect(first).toMatchObject({ dueDate: '2026-10-08', dueDateSet: '2026-10-08' });
    const off = calendarLookup([{ ...y2026, holidays: [...y2026.holidays, '2026-10-08'] }]);
    const moved = evaluate([first], view(closedGate()), { ...at('2026-09-23', off), recomputeAll: true }).changedTasks[0]!;
    expect(moved).toMatchObject({ dueDate: '2026-10-09', dueDateSet: '2026-10-08' });
    const back = evaluate([moved], view(closedGate()), { ...at('2026-09-24'), recomputeAll: true }).changedTasks;
    expect(back).toEqual([expect.objectContaining({ id: 'f', dueDate: '2026-10-08' })]);
  });

  it("colours the project by its worst open item: a completed task's old light does not count", () => {
    const ev = evaluate([running('a', { light: 'yellow' }), running('b', { dueDate: '2026-10-09', yellowDate: '2026-10-08' }), done('c', { light: 'red' })], view(closedGate()), at('2026-09-28'));
    expect(ev.light).toBe('yellow');
    expect(ev.overdueTasks).toBe(0);
    expect(ev.openTasks).toBe(2);
    expect(ev.nextDue).toBe('2026-09-29');
  });
});

describe('the gate opens when the stage is ready', () => {
  it("opens on the day the stage's required tasks are done, due its limit in working days later", () => {
    const ev = evaluate([done('a'), task('x', { requiredForGate: false, startedDate: '2026-09-21', limitWd: null })], view(closedGate()), at('2026-09-21'));
    expect(ev).toMatchObject({ gateOpened: true, gateChanged: true, advance: false });
    expect(ev.gate).toMatchObject({ open: true, openedDate: '2026-09-21', dueDate: '2026-10-12', overdueSince: null, calendarProvisional: false, round: 1 });
  });

  it('stays closed while a required task is open', () => {
    const gate = closedGate();
    const ev = evaluate([done('a'), running('b')], view(gate), at('2026-09-22'));
    expect(ev).toMatchObject({ gateOpened: false, gateChanged: false, advance: false });
    expect(ev.gate).toBe(gate);
  });

  it('is not held by open follow-ups, 容缺 obligations, or tasks of other stages', () => {
    const tasks = [
      done('a'),
      running('f', { kind: 'followup', requiredForGate: true }),
      running('o', { kind: 'obligation', requiredForGate: true }),
      running('l', { stage: 'LANDING' }),
    ];
    expect(evaluate(tasks, view(closedGate()), at('2026-09-22')).gateOpened).toBe(true);
  });

  it('is held by an open required recurring task of the stage', () => {
    const tasks = [done('a'), running('r', { kind: 'recurring' })];
    expect(evaluate(tasks, view(closedGate()), at('2026-09-22')).gateOpened).toBe(false);
  });

  it('opens the 达产 gate of OPERATION only when the production figures meet the targets', () => {
    const gate = closedGate('OPERATION');
    expect(evaluate([], view(gate), at('2026-09-22')).gateOpened).toBe(false);
    expect(evaluate([], view(gate, { targetsMet: false }), at('2026-09-22')).gateOpened).toBe(false);
    expect(evaluate([], view(gate, { targetsMet: true }), at('2026-09-22')).gateOpened).toBe(true);
    // Other stages do not look at the figures.
    expect(evaluate([], view(closedGate('CONSTRUCTION'), { targetsMet: false }), at('2026-09-22')).gateOpened).toBe(true);
  });

  it('the 达产 gate neither opens nor passes while a 容缺 obligation, follow-up or rectification item of any stage is open', () => {
    const owed = (kind: Task['kind'], stage: Stage = 'CONSTRUCTION') => running(`${stage}.${kind}-1`, { stage, kind, dueDate: '2026-10-30', limitWd: null });
    const gate = closedGate('OPERATION');
    for (const kind of ['obligation', 'followup'] as const) {
      expect(evaluate([owed(kind)], view(gate, { targetsMet: true }), at('2026-09-22')).gateOpened).toBe(false);
      expect(evaluate([owed(kind, 'OPERATION')], view(gate, { targetsMet: true }), at('2026-09-22')).gateOpened).toBe(false);
      expect(evaluate([done(`${kind}-done`, { stage: 'CONSTRUCTION', kind })], view(gate, { targetsMet: true }), at('2026-09-22')).gateOpened).toBe(true);
    }
    // Opened before a rectification item came (the joint assessment concluded to continue): approved, it still waits.
    const open = closedGate('OPERATION', { open: true, openedDate: '2026-09-21', dueDate: '2026-10-12' });
    const approvals = [approve('committee_leader'), approve('investment_dept')];
    expect(evaluate([], view(open, { targetsMet: true, approvals }), at('2026-09-22')).advance).toBe(true);
    expect(evaluate([owed('followup', 'OPERATION')], view(open, { targetsMet: true, approvals }), at('2026-09-22')).advance).toBe(false);
    // Held past the gate's due date (12 October): every approver decided, so the gate is not late — the project's
    // light is the owed item's own (yellow, due 30 October), not the red of an overdue gate.
    const held = evaluate([owed('followup', 'OPERATION')], view(open, { targetsMet: true, approvals }), at('2026-10-20'));
    expect(held).toMatchObject({ advance: false, decided: true, light: 'yellow' });
    expect(evaluate([], view(open, { targetsMet: true, approvals: [approve('committee_leader')] }), at('2026-10-20'))).toMatchObject({ decided: false, light: 'red' });
    // Earlier gates do not wait: the work goes on into the next stage.
    expect(evaluate([owed('obligation')], view(closedGate('CONSTRUCTION')), at('2026-09-22')).gateOpened).toBe(true);
  });

  it('does not reopen a gate already open: its opening date and due date stay', () => {
    const gate = openGate();
    const ev = evaluate([done('a')], view(gate), at('2026-09-24'));
    expect(ev).toMatchObject({ gateOpened: false, gateChanged: false });
    expect(ev.gate).toBe(gate);
  });

  it('never reopens a gate that was passed', () => {
    const gate = closedGate('SIGNING', { passedAt: '2026-09-23T02:00:00Z', openedDate: '2026-09-21', dueDate: '2026-10-12' });
    const ev = evaluate([done('a')], view(gate), at('2026-09-24'));
    expect(ev).toMatchObject({ gateOpened: false, gateChanged: false, advance: false });
    expect(ev.gate).toBe(gate);
  });

  it('opens with a provisional due date when it falls in a missing year', () => {
    const ev = evaluate([], view(closedGate()), at('2026-12-28'));
    // 10 weekdays after Monday 2026-12-28: Monday 2027-01-11.
    expect(ev.gate).toMatchObject({ open: true, dueDate: '2027-01-11', calendarProvisional: true });
  });
});

describe('a provisional gate due date is recomputed once the year is loaded', () => {
  const provisionalGate = (over: Partial<Gate> = {}) => closedGate('SIGNING', { open: true, openedDate: '2026-12-28', dueDate: '2027-01-11', calendarProvisional: true, ...over });

  it('moves the due date and clears the flag: a change, not an opening', () => {
    const ev = evaluate([], view(provisionalGate()), at('2026-12-29', with2027));
    expect(ev).toMatchObject({ gateChanged: true, gateOpened: false });
    expect(ev.gate).toMatchObject({ open: true, openedDate: '2026-12-28', dueDate: '2027-01-12', calendarProvisional: false, overdueSince: null });
  });

  it('clears the flag when the loaded year keeps the date', () => {
    const ev = evaluate([], view(provisionalGate()), at('2026-12-29', plain2027));
    expect(ev.gateChanged).toBe(true);
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-11', calendarProvisional: false });
  });

  it('changes nothing while the year is still missing', () => {
    const gate = provisionalGate();
    const ev = evaluate([], view(gate), at('2026-12-29'));
    expect(ev.gateChanged).toBe(false);
    expect(ev.gate).toBe(gate);
  });

  it('leaves a gate with a real due date alone', () => {
    const gate = openGate();
    const ev = evaluate([], view(gate), at('2026-09-22', with2027));
    expect(ev.gateChanged).toBe(false);
    expect(ev.gate).toBe(gate);
  });

  it('clears the overdue mark when the real due date is today or later, so it gets its own reminder', () => {
    const ev = evaluate([], view(provisionalGate({ overdueSince: '2027-01-12' })), at('2027-01-12', with2027));
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-12', overdueSince: null });
  });

  it('keeps the overdue mark when the real due date has passed as well', () => {
    const ev = evaluate([], view(provisionalGate({ overdueSince: '2027-01-12' })), at('2027-01-14', with2027));
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-12', overdueSince: '2027-01-12' });
  });

  it('records no overdue mark for a gate that never had one', () => {
    const ev = evaluate([], view(provisionalGate({ overdueSince: undefined })), at('2027-01-14', with2027));
    expect(ev.gate.overdueSince).toBeNull();
  });

  it('moves the due date when the loaded year moves it, even while the next year is still missing', () => {
    // Opened Monday 2027-12-20 with 10 working days: Monday 2028-01-03 on weekdays; Tuesday 4th with Friday 24th off.
    const gate = provisionalGate({ openedDate: '2027-12-20', dueDate: '2028-01-03' });
    const loaded = calendarLookup([{ year: 2027, holidays: ['2027-12-24'], workdays: [] }]);
    const ev = evaluate([], view(gate), at('2027-12-21', loaded));
    expect(ev.gateChanged).toBe(true);
    expect(ev.gate).toMatchObject({ dueDate: '2028-01-04', calendarProvisional: true });
  });

  it('does not recompute a gate that was passed', () => {
    const gate = provisionalGate({ passedAt: '2027-01-05T02:00:00Z' });
    expect(evaluate([], view(gate), at('2027-01-06', with2027)).gateChanged).toBe(false);
  });
});

describe('the project advances through the gate', () => {
  const both = [approve('committee_leader'), approve('investment_dept')];

  it('advances once every named department approved in the current round', () => {
    expect(evaluate([], view(openGate(), { approvals: both }), at('2026-09-23')).advance).toBe(true);
  });

  it('waits for every approver: one missing or one rejecting holds it', () => {
    expect(evaluate([], view(openGate(), { approvals: [approve('committee_leader')] }), at('2026-09-23')).advance).toBe(false);
    expect(evaluate([], view(openGate(), { approvals: [approve('committee_leader'), approve('investment_dept', 1, 'reject')] }), at('2026-09-23')).advance).toBe(false);
    // An approval by a department the gate does not name does not stand in for one it names.
    expect(evaluate([], view(openGate(), { approvals: [approve('committee_leader'), approve('park_center')] }), at('2026-09-23')).advance).toBe(false);
  });

  it('does not count approvals of an earlier round', () => {
    const gate = openGate({ round: 2 });
    expect(evaluate([], view(gate, { approvals: both }), at('2026-09-23')).advance).toBe(false);
    expect(evaluate([], view(gate, { approvals: [approve('committee_leader', 2), approve('investment_dept', 2)] }), at('2026-09-23')).advance).toBe(true);
  });

  it("needs the round's transition meeting when the gate requires one", () => {
    const gate = openGate({ meetingRequired: true });
    expect(evaluate([], view(gate, { approvals: both }), at('2026-09-23')).advance).toBe(false);
    expect(evaluate([], view({ ...gate, meeting: meeting() }, { approvals: both }), at('2026-09-23')).advance).toBe(true);
    const round2 = { ...gate, round: 2, meeting: meeting(1) };
    const approvals2 = [approve('committee_leader', 2), approve('investment_dept', 2)];
    expect(evaluate([], view(round2, { approvals: approvals2 }), at('2026-09-23')).advance).toBe(false);
    expect(evaluate([], view({ ...round2, meeting: meeting(2) }, { approvals: approvals2 }), at('2026-09-23')).advance).toBe(true);
  });

  it('does not advance through a closed gate, whatever was approved', () => {
    const gate = closedGate('SIGNING', { round: 1 });
    expect(evaluate([running('a')], view(gate, { approvals: both }), at('2026-09-23')).advance).toBe(false);
  });

  it('advances at once through a gate that names no approver and no meeting, the day it opens', () => {
    const gate = closedGate('SIGNING', { requiredApprovals: [] });
    const ev = evaluate([done('a')], view(gate), at('2026-09-23'));
    expect(ev).toMatchObject({ gateOpened: true, advance: true, light: 'green', wakeAt: null });
  });
});

describe('the gate in the project light and the wake-up', () => {
  it('turns the project red the day after an open gate is due, undecided', () => {
    expect(evaluate([], view(openGate()), at('2026-10-12')).light).toBe('green');
    expect(evaluate([], view(openGate()), at('2026-10-13')).light).toBe('red');
  });

  it('does not count a gate being passed as late', () => {
    const approvals = [approve('committee_leader'), approve('investment_dept')];
    expect(evaluate([], view(openGate(), { approvals }), at('2026-10-13')).light).toBe('green');
  });

  it('does not colour a closed gate', () => {
    const gate = closedGate('SIGNING', { dueDate: '2026-09-01' });
    expect(evaluate([running('a', { dueDate: '2026-12-01', yellowDate: '2026-11-27' })], view(gate), at('2026-09-22')).light).toBe('green');
  });
});

describe('the summary and the next wake-up', () => {
  it('wakes at the end of the day before the yellow date, then at the end of the due date', () => {
    const ev = evaluate([running('a')], view(closedGate()), at('2026-09-22'));
    expect(ev.wakeAt?.getTime()).toBe(endOf('2026-09-23'));
    const later = evaluate([running('a', { light: 'yellow' })], view(closedGate()), at('2026-09-24'));
    expect(later.wakeAt?.getTime()).toBe(endOf('2026-09-29'));
  });

  it('wakes for the earliest of every open item, and for the gate due date', () => {
    const tasks = [running('a'), running('b', { dueDate: '2026-09-25', yellowDate: '2026-09-23' })];
    expect(evaluate(tasks, view(closedGate()), at('2026-09-21')).wakeAt?.getTime()).toBe(endOf('2026-09-22'));
    // The gate, opened Monday 21st, is due Monday 12 October: the next thing to happen once the tasks are done.
    const gateOnly = evaluate([done('a')], view(openGate()), at('2026-10-02'));
    expect(gateOnly.wakeAt?.getTime()).toBe(endOf('2026-10-12'));
  });

  it('wakes for the next deadline, not the one that woke it, when it runs at that very instant', () => {
    // The workflow wakes at the end of Wednesday 23rd (the eve of the yellow date): the next instant is the due date.
    const now = new Date(endOf('2026-09-23'));
    const ev = evaluate([running('a')], view(closedGate()), { ...at('2026-09-24'), now });
    expect(ev.wakeAt?.getTime()).toBe(endOf('2026-09-29'));
  });

  it('sets no deadline for a gate closed for a new round while tasks are redone', () => {
    // A rejection reopened task a: the gate of round 2 keeps its old due date but is closed until a is done again.
    const gate = closedGate('SIGNING', { round: 2, openedDate: '2026-09-21', dueDate: '2026-09-28' });
    const ev = evaluate([running('a', { startedDate: '2026-09-22', dueDate: '2026-10-08', yellowDate: '2026-09-30' })], view(gate), at('2026-09-23'));
    expect(ev).toMatchObject({ gateOpened: false, light: 'green', advance: false });
    expect(ev.wakeAt?.getTime()).toBe(endOf('2026-09-29'));
  });

  it('has nothing to wake for once every deadline has passed, or when nothing is timed', () => {
    expect(evaluate([running('a', { light: 'red' })], view(closedGate()), at('2026-10-09')).wakeAt).toBeNull();
    expect(evaluate([task('a', { limitWd: null })], view(closedGate()), at('2026-09-21')).wakeAt).toBeNull();
  });

  it('does not wake for completed tasks or tasks not started', () => {
    const ev = evaluate([done('a'), task('b', { after: ['c'] }), running('c', { dueDate: '2026-10-12', yellowDate: '2026-10-09' })], view(closedGate()), at('2026-09-22'));
    expect(ev.wakeAt?.getTime()).toBe(endOf('2026-10-08'));
    expect(ev).toMatchObject({ openTasks: 2, nextDue: '2026-10-12' });
  });

  it('counts the open items, the overdue ones, and the soonest due date', () => {
    const tasks = [
      running('b', { dueDate: '2026-10-12', yellowDate: '2026-10-09' }),
      running('c'),
      running('a', { light: 'red', dueDate: '2026-09-16', yellowDate: '2026-09-14' }),
      done('d', { dueDate: '2026-09-01' }),
      task('e', { after: ['b'] }),
    ];
    const ev = evaluate(tasks, view(closedGate()), at('2026-09-22'));
    expect(ev).toMatchObject({ openTasks: 4, overdueTasks: 1, nextDue: '2026-09-16', light: 'red' });
  });
});
