// The simulation's ladder oracle (bench/sim/ladder-oracle.ts) on hand-made cases: when each rung is due (grace, one rung
// per window, a holiday inside a window, reminders at the top), what resets it and what does not (a second overdue
// item, an extension, a gate passed with work still overdue), the records that raise a rung at once, the stall, and each kind of defect.
// Dates worked out by hand on a 2025 calendar with one holiday, Qingming on Friday 4 April.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../bench/sim/calendar.ts';
import { checkLadder, expectedRungs, type LadderInput, type LadderItem, type LadderProject, type RecordedRung } from '../../bench/sim/ladder-oracle.ts';

const calendar = (holidays = ['2025-04-04']) => new WorkCalendar([{ year: 2025, holidays, workdays: [] }]);
const rules = { rungs: [5, 5, 10, 10, 10].map((responseWd, i) => ({ level: i + 1, responseWd })), graceWd: 5, stalledAfterWd: 20 };
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}+08:00`).toISOString();
const item = (id: string, dueDate: string, closedOn: string | null = null): LadderItem => ({ id, dueDate, closedAt: closedOn ? at(closedOn) : null });
const project = (items: LadderItem[], inputs: LadderInput[] = [], over: Partial<LadderProject> = {}): LadderProject => ({ projectId: 'p', firstDay: '2025-02-24', items, plannedCompletion: null, inputs, ...over });
const rungs = (p: LadderProject, cutoff = '2025-05-30', cal = calendar()) => expectedRungs(p, rules, cal, cutoff).map((e) => `${e.stream} ${e.day}`);

describe('when the rungs are due', () => {
  it('climbs a rung per window from the day after due + 5 working days; Qingming pushes the L4 window a day, the weekend L4 to Monday; the top reminds each window', () => {
    // Due Monday 3 March; grace ends Monday 10th → L1 Tue 11th; +5 → Tue 18th → L2 Wed 19th; +5 → Wed 26th → L3 Thu
    // 27th; +10 across Qingming → Fri 11 April → L4 on the next working day, Mon 14th (not Sat 12th: a rung owed on a
    // rest day comes on the next working day); +10 → Mon 28th → L5 Tue 29th; +10 → Tue 13 May → reminder Wed 14th;
    // +10 → Wed 28th → reminder Thu 29th.
    expect(rungs(project([item('a', '2025-03-03')]))).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'L4 2025-04-14', 'L5 2025-04-29', 'reminder 2025-05-14', 'reminder 2025-05-29']);
    // Without the holiday the L4 window ends on Thursday 10th.
    expect(rungs(project([item('a', '2025-03-03')]), '2025-04-12', calendar([]))).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'L4 2025-04-11']);
  });
  it('resets the day the overdue work is done', () => {
    expect(rungs(project([item('a', '2025-03-03', '2025-03-20')]))).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'reset 2025-03-20']);
  });
  it('done within the grace: no rung at all', () => {
    expect(rungs(project([item('a', '2025-03-03', '2025-03-10')]))).toEqual([]);
  });
  it('does not reset while a second item is past its grace; resets and starts again when the second is not yet', () => {
    expect(rungs(project([item('a', '2025-03-03', '2025-03-20'), item('b', '2025-03-05')]), '2025-03-28')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27']);
    // b due Monday 17th: its grace ends Monday 24th → L1 again on Tuesday 25th.
    expect(rungs(project([item('a', '2025-03-03', '2025-03-20'), item('b', '2025-03-17')]), '2025-03-28')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'reset 2025-03-20', 'L1 2025-03-25']);
  });
  it('an extension puts the ladder back to 0 without a reset event, and no rung comes until its date has passed', () => {
    // L1 again on Wednesday 2 April; its window runs across Qingming to Thursday 10th → L2 on Friday 11th.
    expect(rungs(project([item('a', '2025-03-03')], [{ at: at('2025-03-20'), kind: 'extended', until: '2025-04-01' }]), '2025-04-11')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L1 2025-04-02', 'L2 2025-04-11']);
    expect(rungs(project([item('a', '2025-03-03')], [{ at: at('2025-03-20'), kind: 'extended', until: '2025-04-01' }]), '2025-04-09')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L1 2025-04-02']);
  });
  it('a joint assessment that proceeds raises L4 that day, a compliance check L5; from the exit decision the ladder stands still', () => {
    const inputs: LadderInput[] = [
      { at: at('2025-03-28'), kind: 'assessment_proceed' },
      { at: at('2025-04-02'), kind: 'compliance_check' },
      { at: at('2025-04-03'), kind: 'exit_decided' },
    ];
    expect(rungs(project([item('a', '2025-03-03')], inputs))).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'L4 2025-03-28', 'L5 2025-04-02']);
    // A record that finds the ladder on another rung moves nothing.
    expect(rungs(project([item('a', '2025-03-03')], [{ at: at('2025-03-20'), kind: 'compliance_check' }]), '2025-03-27')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27']);
  });
  it('a joint assessment that concludes to continue holds L3 until the plan’s last date: L4 the day after, or a reset if the work is done', () => {
    // L3 on Thursday 27 March (window to Friday 11 April across Qingming); the plan, concluded on Monday 31st, runs to
    // Tuesday 22 April → L4 on Wednesday 23rd, not on Saturday 12th.
    const held: LadderInput = { at: at('2025-03-31'), kind: 'assessment_continue', until: '2025-04-22' };
    expect(rungs(project([item('a', '2025-03-03')], [held]), '2025-04-30')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'L4 2025-04-23']);
    // A plan that ends before the rung's window would have: L4 the day after the plan all the same.
    expect(rungs(project([item('a', '2025-03-03')], [{ ...held, until: '2025-04-08' }]), '2025-04-30')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'L4 2025-04-09', 'L5 2025-04-24']);
    // The overdue work done while the plan runs: the reset, and nothing at the plan's end.
    expect(rungs(project([item('a', '2025-03-03', '2025-04-15')], [held]), '2025-04-30')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27', 'reset 2025-04-15']);
    // Concluded on another rung (the ladder moved while the departments decided): nothing held.
    expect(rungs(project([item('a', '2025-03-03')], [{ ...held, at: at('2025-03-20') }]), '2025-03-28')).toEqual(['L1 2025-03-11', 'L2 2025-03-19', 'L3 2025-03-27']);
  });
  it('a gate passed resets; an older item still overdue holds the rung (its windows run on); the last gate ends the ladder', () => {
    const passed = (day: string, to: string): LadderInput => ({ at: at(day), kind: 'passed', to });
    expect(rungs(project([item('a', '2025-03-03')], [passed('2025-03-12', 'LANDING')]), '2025-03-20')).toEqual(['L1 2025-03-11', 'L2 2025-03-19']);
    // What held it stays behind with the stage (a stalled site, construction passed): the pass resets; without it, L2.
    const entered: LadderInput = { at: at('2025-03-03'), kind: 'entered', stage: 'CONSTRUCTION' };
    expect(rungs(project([], [entered, passed('2025-04-03', 'OPERATION')]), '2025-04-10')).toEqual(['L1 2025-04-01', 'reset 2025-04-03']);
    expect(rungs(project([], [entered]), '2025-04-12')).toEqual(['L1 2025-04-01', 'L2 2025-04-10']);
    expect(rungs(project([item('a', '2025-03-03')], [passed('2025-03-12', 'PRODUCING')]))).toEqual(['L1 2025-03-11', 'reset 2025-03-12']);
  });
  it('a construction site without a progress report for 20 working days climbs; a report resets; the planned completion is watched', () => {
    const entered: LadderInput = { at: at('2025-03-03'), kind: 'entered', stage: 'CONSTRUCTION' };
    // Entered Monday 3 March: 20 working days (Qingming not among them) end Monday 31st → L1 Tuesday 1 April.
    expect(rungs(project([], [entered, { at: at('2025-04-02'), kind: 'progress' }]), '2025-04-10')).toEqual(['L1 2025-04-01', 'reset 2025-04-02']);
    expect(rungs(project([], [entered, { at: at('2025-03-20'), kind: 'progress' }]), '2025-04-10')).toEqual([]);
    const planned = project([], [entered, { at: at('2025-03-05'), kind: 'progress' }, { at: at('2025-03-12'), kind: 'progress' }], { plannedCompletion: '2025-03-10' });
    expect(rungs(planned, '2025-03-18')).toEqual(['L1 2025-03-18']);
  });
});

describe('what the ladder oracle reports', () => {
  const p = project([item('a', '2025-03-03', '2025-03-20')]);
  const rec = (stream: RecordedRung['stream'], day: string, projectId = 'p'): RecordedRung => ({ projectId, stream, at: at(day, '00:00:02') });
  const check = (recorded: RecordedRung[], cutoffDay = '2025-04-30') => checkLadder({ projects: [p], recorded, rules, calendar: calendar(), cutoffDay });
  const kinds = (recorded: RecordedRung[], cutoffDay?: string) => check(recorded, cutoffDay).defects.map((d) => `${d.kind} ${d.stream} ${d.expectedDay ?? '-'} ${d.actualDay ?? '-'}`);
  const right = [rec('L1', '2025-03-11'), rec('L2', '2025-03-19'), rec('reset', '2025-03-20')];

  it('nothing when each event came once on its day; counts what was expected and recorded', () => {
    const r = check(right);
    expect(r.defects).toEqual([]);
    expect(r.expected).toEqual({ L1: 1, L2: 1, L3: 0, L4: 0, L5: 0, reset: 1, reminder: 0 });
    expect(r.recorded).toEqual(r.expected);
  });
  it('lost, doubled, early, late and spurious events', () => {
    expect(kinds([rec('L1', '2025-03-11'), rec('reset', '2025-03-20')])).toEqual(['lost L2 2025-03-19 -']);
    expect(kinds([...right, rec('L2', '2025-03-19')])).toEqual(['doubled L2 - 2025-03-19']);
    expect(kinds([rec('L1', '2025-03-10'), rec('L2', '2025-03-20'), rec('reset', '2025-03-20')])).toEqual(['early L1 2025-03-11 2025-03-10', 'late L2 2025-03-19 2025-03-20']);
    expect(kinds([...right, rec('L3', '2025-03-27'), rec('L1', '2025-03-11', 'q')])).toEqual(['spurious L1 - 2025-03-11', 'spurious L3 - 2025-03-27']);
  });
  it('the cutoff day: an event due that day may be missing, one recorded after it was not due', () => {
    expect(kinds([rec('L1', '2025-03-11')], '2025-03-19')).toEqual([]);
    expect(kinds([rec('L1', '2025-03-11')], '2025-03-20')).toEqual(['lost L2 2025-03-19 -']);
    expect(kinds([rec('L1', '2025-03-11'), rec('L2', '2025-03-19'), rec('L3', '2025-03-27')], '2025-03-19')).toEqual(['spurious L3 - 2025-03-27']);
  });
});
