// The workflow's review of a stage 阶段评估: what it records and tells on top of the evaluation — overdue items handed
// to supervision 督办, yellow lights told to the lead department, a stalled construction site 施工停滞, the gate's
// approvers told when it opens and reminded when it is late, the stage's recurring work closed when the gate passes,
// and nothing written when nothing changed.
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../functions/kernel/domain/codes.ts';
import { DEFAULT_CONFIG, DEFAULT_MATRIX } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import { ladderAfterChange, lateWithoutRed, letterWatchedByLadder, passStage, redLight, reviewStage, stallClock, startedByChange, type ReviewInput } from '../../functions/lifecycle/domain/review.ts';
import { stageGate, type Gate, type GateApproval } from '../../functions/lifecycle/domain/gate.ts';
import type { Meeting } from '../../functions/lifecycle/domain/meeting.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { aTask, calendar2026, doneTask, endOf, nowOn, projectInput, runningTask } from '../support/domain.ts';

// 2026: the Mid-Autumn holiday on Friday 25 September, National Day 1–7 October, Saturday 10 October worked (调休).
const calendar = calendar2026;

const created = createProject(
  projectInput({ totalInvestmentCny: 500_000_000 }),
  { sub: 'u-inv', name: '招商', roles: ['investment_dept'] },
  DEFAULT_CONFIG.classification,
  { id: 'prj-1', now: new Date('2026-09-01T02:00:00Z') },
);
const workflow = { segment: 1, executionName: 'prj-1-SIGNING-1', startedAt: '2026-09-01T02:00:00Z', status: 'running' as const };
const project: Project = { ...created, status: 'ACTIVE', matrixVersion: 1, workflow };

const task = aTask;
const running = runningTask;
const done = doneTask;

/** The default gate of a stage: SIGNING names committee_leader, investment_dept (the track) and resources_bureau. */
const gateOf = (stage: Stage, over: Partial<Gate> = {}): Gate => ({ ...stageGate(DEFAULT_MATRIX.gates, stage, project), ...over });
/** Opened Monday 2026-09-21 with 10 working days: due Monday 2026-10-12 (Saturday 10th worked). */
const openGate = (stage: Stage = 'SIGNING', over: Partial<Gate> = {}) => gateOf(stage, { open: true, openedDate: '2026-09-21', dueDate: '2026-10-12', ...over });
const approve = (role: GateApproval['role'], round = 1): GateApproval => ({ role, by: `u-${role}`, decision: 'approve', at: '2026-09-22T02:00:00Z', round });
const meeting: Meeting = { heldOn: '2026-09-22', attendees: ['管委会'], decisions: ['同意转段'], followUps: [], recordedBy: 'u-leader', recordedAt: '2026-09-22T08:00:00Z', round: 1 };
const allApprove = (g: Gate) => g.requiredApprovals.map((r) => approve(r, g.round));
/** A park center's task closed by the review on `day` (not by a person): done, green, with the system's note. */
const closedBySystem = (id: string, day: string, note: string) =>
  expect.objectContaining({ id, status: 'done', light: 'green', completion: { by: 'system', role: 'park_center', at: nowOn(day).toISOString(), note, documents: [], deficiencies: [] } });

const review = (today: string, over: Partial<ReviewInput> = {}) => {
  const stage = over.stage ?? over.gate?.stage ?? 'SIGNING';
  return reviewStage({
    project: { ...project, stage },
    stage,
    tasks: [],
    gate: gateOf(stage),
    gateStored: true,
    approvals: [],
    enteredDate: undefined,
    targetsMet: false,
    yellowBeforeWd: 2,
    stalledAfterWd: 10,
    calendar,
    now: nowOn(today),
    today,
    closedBy: 'system',
    ladder: DEFAULT_CONFIG.escalation,
    ...over,
  });
};

describe('the letters the escalation ladder watches', () => {
  it("an enterprise's letter awaiting a reply; not a department's, not an urging letter, not one asking no reply", () => {
    const letter = { toEnterprise: true, replyBy: '2026-10-09' as string | null, urging: undefined as boolean | undefined };
    expect(letterWatchedByLadder(letter)).toBe(true);
    expect(letterWatchedByLadder({ ...letter, toEnterprise: false })).toBe(false);
    expect(letterWatchedByLadder({ ...letter, urging: true })).toBe(false);
    expect(letterWatchedByLadder({ ...letter, replyBy: null })).toBe(false);
  });
});

describe('overdue and yellow items', () => {
  it('records a task that turned red as overdue, tells its lead department and hands it to supervision 督办', () => {
    const r = review('2026-09-30', { tasks: [running('a', { light: 'yellow' })] });
    expect(r.tasks).toHaveLength(1);
    const [change] = r.tasks;
    expect(change?.task).toMatchObject({ id: 'a', light: 'red' });
    expect(change?.events).toEqual([{ action: 'task.overdue', before: {}, after: { tasks: [{ taskId: 'a', dueDate: '2026-09-29', lead: 'resources_bureau' }] } }]);
    expect(change?.notices).toEqual([
      { kind: 'task.overdue', project: expect.objectContaining({ id: 'prj-1' }), to: 'resources_bureau', task: '任务a', taskEn: 'Task a', dueDate: '2026-09-29' },
      { kind: 'supervision.handover', project: expect.objectContaining({ id: 'prj-1' }), task: '任务a', taskEn: 'Task a', lead: 'resources_bureau', dueDate: '2026-09-29' },
    ]);
    expect(r.project).toMatchObject({ light: 'red', tasksSummary: { open: 1, overdue: 1, nextDue: '2026-09-29' } });
    expect(r.changed).toBe(true);
  });

  it('tells a red light on a date counted without its year’s calendar as an estimate (暂估)', async () => {
    const { render } = await import('../../functions/notifications/domain/notices.ts');
    const r = review('2027-01-05', { tasks: [running('a', { startedDate: '2026-12-28', dueDate: '2027-01-04', yellowDate: '2026-12-30', calendarProvisional: true, light: 'yellow' })] });
    const told = r.tasks[0]!.notices;
    expect(told.map((n) => [n.kind, 'dueProvisional' in n ? n.dueProvisional : undefined])).toEqual([['task.overdue', true], ['supervision.handover', true]]);
    for (const n of told) expect(render(n).zh.body).toContain('2027-01-04（暂估：2027年工作日历未加载，加载后可能调整）');
    expect(render(review('2026-09-30', { tasks: [running('a')] }).tasks[0]!.notices[0]!).zh.body).not.toContain('暂估');
  });

  it('records a department’s red task as its overdue fact (部门督办), the enterprise’s own work not', () => {
    const r = review('2026-09-30', { tasks: [running('a'), running('b', { lead: 'park_center' }), running('c', { lead: 'enterprise' })] });
    expect(r.tasks.map((c) => c.overdue ?? null)).toEqual([
      { kind: 'overdue', role: 'resources_bureau', park: null, date: '2026-09-30', projectId: 'prj-1', projectName: project.name, taskId: 'a', task: '任务a', dueDate: '2026-09-29' },
      expect.objectContaining({ role: 'park_center', park: '汇通产业园', taskId: 'b' }),
      null,
    ]);
    // A yellow light is no overdue fact.
    expect(review('2026-09-24', { tasks: [running('a')] }).tasks[0]?.overdue).toBeUndefined();
  });

  it('tells the lead department of a task that turned yellow, and records no event', () => {
    const r = review('2026-09-24', { tasks: [running('a')] });
    expect(r.tasks).toEqual([
      { task: expect.objectContaining({ id: 'a', light: 'yellow' }), events: [], notices: [{ kind: 'task.yellow', project: expect.objectContaining({ id: 'prj-1' }), to: 'resources_bureau', task: '任务a', taskEn: 'Task a', dueDate: '2026-09-29' }] },
    ]);
    expect(r.project.light).toBe('yellow');
  });

  it('stores a task that started without telling anyone', () => {
    const r = review('2026-09-21', { tasks: [task('a')] });
    expect(r.tasks).toEqual([{ task: expect.objectContaining({ id: 'a', startedDate: '2026-09-21', dueDate: '2026-09-29' }), events: [], notices: [] }]);
    expect(r.notices).toEqual([]);
  });
});

describe('a red light withdrawn by a calendar correction', () => {
  // Ops make Tuesday 29 September, the day task a was due (and turned red after), a holiday on Wednesday 30th.
  const corrected = calendarLookup([{ year: 2026, holidays: ['2026-09-25', '2026-09-29', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }]);
  const recompute = { ...project, datesToRecompute: true };

  it('withdraws the overdue record of a department’s task now due today: event, fact, lead and supervision told, no yellow notice', () => {
    const r = review('2026-09-30', { project: recompute, tasks: [running('a', { light: 'red' })], calendar: corrected });
    expect(r.tasks).toHaveLength(1);
    const [change] = r.tasks;
    expect(change?.task).toMatchObject({ id: 'a', dueDate: '2026-09-30', light: 'yellow' });
    expect(change?.overdue).toBeUndefined();
    expect(change?.withdrawn).toEqual({ role: 'resources_bureau', projectId: 'prj-1', taskId: 'a', dueDate: '2026-09-29' });
    expect(change?.events).toEqual([
      { action: 'task.overdue_withdrawn', before: { tasks: [{ taskId: 'a', dueDate: '2026-09-29', light: 'red' }] }, after: { tasks: [{ taskId: 'a', dueDate: '2026-09-30', light: 'yellow' }], reason: 'calendar' } },
    ]);
    expect(change?.notices.map((n) => [n.kind, 'to' in n ? n.to : null])).toEqual([
      ['task.overdue_withdrawn', 'resources_bureau'],
      ['task.overdue_withdrawn', 'supervision_office'],
    ]);
    expect(change?.notices[0]).toMatchObject({ was: '2026-09-29', dueDate: '2026-09-30', task: '任务a' });
    expect(r.project).toMatchObject({ light: 'yellow', tasksSummary: { open: 1, overdue: 0 } });
  });

  it('tells the enterprise’s own work withdrawn too, with no department fact to remove', () => {
    const r = review('2026-09-30', { project: recompute, tasks: [running('e', { light: 'red', lead: 'enterprise' })], calendar: corrected });
    expect(r.tasks[0]?.withdrawn).toBeUndefined();
    expect(r.tasks[0]?.notices.map((n) => ('to' in n ? n.to : null))).toEqual(['enterprise', 'supervision_office']);
  });

  it('keeps the red light (and its record) of a task whose moved due date is still past', () => {
    const r = review('2026-10-09', { project: recompute, tasks: [running('a', { light: 'red' })], calendar: corrected });
    expect(r.tasks.map((c) => [c.task.dueDate, c.task.light, c.withdrawn, c.events.length])).toEqual([['2026-09-30', 'red', undefined, 0]]);
  });

  it('tells an overdue gate’s pending approvers and supervision it is withdrawn when its due date moves to today or later', () => {
    // Opened Monday 21 September, 10 working days: due Monday 12 October, overdue since the 13th. Ops make the 12th a
    // holiday on the 13th: due the 13th, not overdue.
    const off12 = calendarLookup([{ year: 2026, holidays: ['2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-12'], workdays: ['2026-10-10'] }]);
    const overdue = openGate('SIGNING', { overdueSince: '2026-10-13' });
    const r = review('2026-10-13', { project: recompute, gate: overdue, approvals: [approve('committee_leader')], calendar: off12 });
    expect(r.gate).toMatchObject({ dueDate: '2026-10-13', overdueSince: null });
    expect(r.events).toContainEqual({ action: 'gate.overdue_withdrawn', before: { stage: 'SIGNING', dueDate: '2026-10-12', overdueSince: '2026-10-13' }, after: { stage: 'SIGNING', dueDate: '2026-10-13', reason: 'calendar' } });
    const told = r.notices.filter((n) => n.kind === 'gate.overdue_withdrawn');
    expect(told.map((n) => ('to' in n ? n.to : null)).sort()).toEqual([...overdue.requiredApprovals.filter((x) => x !== 'committee_leader'), 'supervision_office'].sort());
    expect(told[0]).toMatchObject({ was: '2026-10-12', dueDate: '2026-10-13' });
    expect(r.notices.some((n) => n.kind === 'gate.overdue')).toBe(false);
    // Still overdue after the move (due the 13th, reviewed on the 14th): nothing withdrawn.
    const later = review('2026-10-14', { project: recompute, gate: { ...overdue, overdueSince: '2026-10-13' }, calendar: off12 });
    expect(later.events.some((e) => e.action === 'gate.overdue_withdrawn')).toBe(false);
  });

  it('withdraws nothing without a correction: a red task keeps its light', () => {
    expect(review('2026-09-30', { tasks: [running('a', { light: 'red' })], calendar: corrected }).tasks).toEqual([]);
  });});

describe('a yellow light withdrawn by a calendar correction', () => {
  // Task a (5 working days from Monday 21 September) is yellow from Thursday 24th, due Tuesday 29th. On the 24th ops
  // correct the calendar: Tuesday 22nd and Wednesday 23rd were rest days. Due Thursday 8 October (National Day between),
  // yellow from Tuesday 29 September.
  const corrected = calendarLookup([{ year: 2026, holidays: ['2026-09-22', '2026-09-23', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }]);
  const recompute = { ...project, datesToRecompute: true };

  it('tells its lead department the yellow light is withdrawn, with the day it turns yellow now; that day, yellow once more', () => {
    const r = review('2026-09-24', { project: recompute, tasks: [running('a', { light: 'yellow' })], calendar: corrected });
    expect(r.tasks).toHaveLength(1);
    const [change] = r.tasks;
    expect(change?.task).toMatchObject({ id: 'a', light: 'green' });
    const { yellowDate, dueDate } = change!.task;
    expect([yellowDate, dueDate]).toEqual(['2026-09-29', '2026-10-08']);
    expect(change?.events).toEqual([]);
    expect(change?.notices).toEqual([{ kind: 'task.yellow_withdrawn', project: expect.objectContaining({ id: 'prj-1' }), to: 'resources_bureau', task: '任务a', taskEn: 'Task a', yellowDate, dueDate }]);
    // Its yellow day come, it is told yellow again (after the withdrawal, not twice in a row).
    const later = review(yellowDate!, { tasks: [change!.task], calendar: corrected });
    expect(later.tasks[0]?.notices.map((n) => n.kind)).toEqual(['task.yellow']);
  });

  it('withdraws nothing when the yellow day, moved, has still come: the light stays yellow, untold', () => {
    const r = review('2026-09-28', { project: recompute, tasks: [running('a', { light: 'yellow' })], calendar: calendar2026 });
    expect(r.tasks.flatMap((c) => c.notices)).toEqual([]);
  });
});

describe('what the review writes', () => {
  it('writes nothing when nothing changed: same lights, same summary, gate stored', () => {
    const settled: Project = { ...project, light: 'green', tasksSummary: { open: 1, overdue: 0, nextDue: '2026-09-29', gateWaits: [{ id: 'a', zh: '任务a', en: 'Task a' }] } };
    const r = review('2026-09-22', { project: settled, tasks: [running('a')] });
    expect(r).toMatchObject({ changed: false, gate: null, tasks: [], events: [], notices: [], passedTo: null });
    expect(r.project).toEqual(settled);
  });

  it('writes a task that started even when nothing else changed', () => {
    // Equipment commissioning has no time limit: starting it moves neither the light nor the summary.
    const settled: Project = { ...project, light: 'green', tasksSummary: { open: 1, overdue: 0, nextDue: null, gateWaits: [{ id: 'a', zh: '任务a', en: 'Task a' }] } };
    const r = review('2026-09-22', { project: settled, tasks: [task('a', { limitWd: null })] });
    expect(r.tasks).toEqual([{ task: expect.objectContaining({ id: 'a', startedDate: '2026-09-22' }), events: [], notices: [] }]);
    expect(r.project).toEqual(settled);
    expect(r).toMatchObject({ changed: true, gate: null, events: [], notices: [] });
  });

  it('writes the project when only its summary changed', () => {
    const r = review('2026-09-22', { tasks: [running('a')] });
    expect(r).toMatchObject({ changed: true, gate: null, tasks: [], events: [], notices: [] });
    expect(r.project.tasksSummary).toEqual({ open: 1, overdue: 0, nextDue: '2026-09-29', gateWaits: [{ id: 'a', zh: '任务a', en: 'Task a' }] });
  });

  it('names in the summary the stage tasks its gate waits for: required, not done; not follow-ups, not another stage', () => {
    const followUp = { ...running('f'), kind: 'followup' as const };
    const optional = { ...running('o'), requiredForGate: false };
    const done = { ...running('d'), status: 'done' as const };
    const r = review('2026-09-22', { tasks: [running('a'), followUp, optional, done, running('b')] });
    expect(r.project.tasksSummary?.gateWaits).toEqual([{ id: 'a', zh: '任务a', en: 'Task a' }, { id: 'b', zh: '任务b', en: 'Task b' }]);
  });

  it('stores the gate when none is stored yet, even unchanged', () => {
    const settled: Project = { ...project, light: 'green', tasksSummary: { open: 1, overdue: 0, nextDue: '2026-09-29' } };
    const gate = gateOf('SIGNING');
    const r = review('2026-09-22', { project: settled, tasks: [running('a')], gate, gateStored: false });
    expect(r.gate).toEqual(gate);
    expect(r.changed).toBe(true);
  });
});

describe('the gate', () => {
  it("opens when the stage's required tasks are done and tells every approver, with its due date", () => {
    const r = review('2026-09-21', { tasks: [done('a')] });
    expect(r.gate).toMatchObject({ open: true, openedDate: '2026-09-21', dueDate: '2026-10-12' });
    expect(r.notices).toEqual(
      ['committee_leader', 'investment_dept', 'resources_bureau'].map((to) => ({ kind: 'gate.open', project: expect.objectContaining({ id: 'prj-1' }), to, gate: '落地转段会议', gateEn: 'Landing transition meeting', stage: 'SIGNING', dueDate: '2026-10-12' })),
    );
    expect(r.passedTo).toBeNull();
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-10-12'));
  });

  it('tells the approvers a due date counted across a year with no calendar as an estimate', async () => {
    const { render } = await import('../../functions/notifications/domain/notices.ts');
    // Opened Monday 2026-12-21 with 10 working days: into 2027, which calendar2026 does not have.
    const r = review('2026-12-21', { tasks: [done('a')] });
    expect(r.gate).toMatchObject({ open: true, dueDate: '2027-01-04', calendarProvisional: true });
    const told = r.notices.filter((n) => n.kind === 'gate.open');
    expect(told).toHaveLength(3);
    for (const n of told) {
      expect(n).toMatchObject({ dueDate: '2027-01-04', dueProvisional: true });
      expect(render(n).zh.body).toContain('请于2027-01-04（暂估：2027年工作日历未加载，加载后可能调整）前审批');
      expect(render(n).en.body).toContain('decide by 2027-01-04 (an estimate: the 2027 calendar is not loaded yet, and may move it)');
    }
  });

  it('tells a yellow light of a task due across a year with no calendar with its date as an estimate; a firm one as it is', async () => {
    const { render } = await import('../../functions/notifications/domain/notices.ts');
    const { yellowLight } = await import('../../functions/lifecycle/domain/review.ts');
    const told = yellowLight(running('a', { dueDate: '2027-01-05', yellowDate: '2026-12-30', calendarProvisional: true }), project);
    expect(told).toMatchObject({ kind: 'task.yellow', dueDate: '2027-01-05', dueProvisional: true });
    expect(render(told).zh.body).toContain('将于2027-01-05（暂估：2027年工作日历未加载，加载后可能调整）到期');
    expect(render(told).en.body).toContain('is due on 2027-01-05 (an estimate: the 2027 calendar is not loaded yet, and may move it)');
    const firm = yellowLight(running('b'), project);
    expect(firm).not.toHaveProperty('dueProvisional');
    expect(render(firm).zh.body).toContain('将于2026-09-29到期');
  });

  it('tells nobody that a gate opened when it passes in the same review', () => {
    const gate = gateOf('SIGNING', { requiredApprovals: [], meetingRequired: false });
    const r = review('2026-09-21', { tasks: [done('a')], gate });
    expect(r.passedTo).toBe('LANDING');
    expect(r.notices).toEqual([]);
  });

  it('passes into the next stage once every approver approved and the meeting is recorded', () => {
    const gate = openGate('SIGNING', { meeting });
    const r = review('2026-09-23', { tasks: [done('a')], gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBe('LANDING');
    expect(r.project).toMatchObject({ stage: 'LANDING', status: 'ACTIVE', stalled: false });
    expect(r.gate).toMatchObject({ open: false, passedAt: nowOn('2026-09-23').toISOString(), openedDate: '2026-09-21' });
    expect(r.events).toEqual([{ action: 'stage.passed', before: { stage: 'SIGNING' }, after: { stage: 'LANDING', gate: '落地转段会议', round: 1 } }]);
    expect(r.changed).toBe(true);
    expect(r.wakeAt).toBeNull();
  });

  it('stays when the meeting of the round is missing', () => {
    const gate = openGate('SIGNING');
    const r = review('2026-09-23', { tasks: [done('a')], gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBeNull();
    expect(r.project.stage).toBe('SIGNING');
    expect(r.events).toEqual([]);
  });

  it('completes the project at 达产: the workflow ends with it', () => {
    const gate = openGate('OPERATION');
    const r = review('2026-09-23', { gate, approvals: allApprove(gate), targetsMet: true });
    expect(r.passedTo).toBe('PRODUCING');
    expect(r.project).toMatchObject({ stage: 'PRODUCING', status: 'COMPLETED', workflow: { ...workflow, status: 'ended' } });
    expect(r.events).toEqual([{ action: 'stage.passed', before: { stage: 'OPERATION' }, after: { stage: 'PRODUCING', gate: '达产', round: 1 } }]);
    // A project without a workflow record completes all the same.
    const bare = review('2026-09-23', { project: { ...project, stage: 'OPERATION', workflow: null }, gate, approvals: allApprove(gate), targetsMet: true });
    expect(bare.project).toMatchObject({ stage: 'PRODUCING', status: 'COMPLETED', workflow: null });
  });

  it('closes the open 达产达效 work when the project completes at 达产: nothing stays open, in anyone\'s work, on a completed project', () => {
    // Seen on a walk of the README: after 达产 the park center's 达产达效 task stayed open for good — in GET /me/tasks and the
    // department report's open count — and completing it was a 409 (the project is COMPLETED).
    const gate = openGate('OPERATION');
    const figures = running('OPERATION.production_figures', { stage: 'OPERATION', kind: 'matrix', lead: 'park_center', requiredForGate: false, limitWd: null, dueDate: null, yellowDate: null, name: { zh: '达产达效', en: 'Production vs targets' } });
    const r = review('2026-09-23', { gate, tasks: [figures], approvals: allApprove(gate), targetsMet: true });
    expect(r.passedTo).toBe('PRODUCING');
    expect(r.tasks).toEqual([
      {
        task: closedBySystem('OPERATION.production_figures', '2026-09-23', '达产，项目完成，任务结束'),
        events: [],
        notices: [],
      },
    ]);
    expect(r.project.tasksSummary).toMatchObject({ open: 0, overdue: 0 });
    // A gate that does not complete the project leaves such work open: only recurring work ends with its stage.
    const landing = running('SIGNING.extra', { stage: 'SIGNING', kind: 'matrix', requiredForGate: false });
    const signing = openGate('SIGNING', { meeting });
    const mid = review('2026-09-23', { gate: signing, tasks: [done('a'), landing], approvals: allApprove(signing) });
    expect(mid.passedTo).toBe('LANDING');
    expect(mid.tasks.find((c) => c.task.id === 'SIGNING.extra')?.task.status ?? 'open').toBe('open');
  });

  it('does not pass 达产 while an exit is under way: the project leaves by its exit', () => {
    const gate = openGate('OPERATION');
    const exit = { status: 'running' as const, execution: 'prj-1-EXIT-1', attempt: 1, decidedBy: 'u-leader', decidedAt: '2026-09-22T02:00:00Z', reason: '违约', complianceCheck: 1, steps: {}, released: [], letter: null, failure: null, redrives: 0 };
    const r = review('2026-09-23', { project: { ...project, stage: 'OPERATION', exit }, gate, approvals: allApprove(gate), targetsMet: true });
    expect(r.passedTo).toBeNull();
    expect(r.project).toMatchObject({ stage: 'OPERATION', status: 'ACTIVE' });
  });

  it('does not pass 达产 while the figures are below the targets', () => {
    const gate = gateOf('OPERATION');
    const r = review('2026-09-23', { gate, approvals: allApprove(gate), targetsMet: false });
    expect(r.passedTo).toBeNull();
    expect(r.project.status).toBe('ACTIVE');
  });
});

describe('an open gate past its due date', () => {
  it('reminds the approvers who have not decided and tells supervision, once', () => {
    const gate = openGate('SIGNING', { round: 2 });
    // committee_leader decided this round; investment_dept's approval was in round 1 and no longer counts.
    const approvals = [approve('committee_leader', 2), approve('investment_dept', 1)];
    const r = review('2026-10-13', { gate, approvals });
    const pending = ['investment_dept', 'resources_bureau'];
    expect(r.gate).toMatchObject({ overdueSince: '2026-10-13', dueDate: '2026-10-12' });
    expect(r.events).toEqual([{ action: 'gate.overdue', before: {}, after: { stage: 'SIGNING', dueDate: '2026-10-12', pending } }]);
    expect(r.notices).toEqual(
      [...pending, 'supervision_office'].map((to) => ({ kind: 'gate.overdue', project: expect.objectContaining({ id: 'prj-1' }), to, gate: '落地转段会议', gateEn: 'Landing transition meeting', stage: 'SIGNING', dueDate: '2026-10-12', pending })),
    );
    expect(r.project.light).toBe('red');
    // Reminded already: the next review says nothing more.
    const again = review('2026-10-14', { gate: r.gate!, approvals, project: r.project });
    expect(again).toMatchObject({ events: [], notices: [], gate: null, changed: false });
  });

  it('says nothing on the due date itself', () => {
    const r = review('2026-10-12', { gate: openGate() });
    expect(r.events).toEqual([]);
    expect(r.notices).toEqual([]);
    expect(r.gate).toBeNull();
  });

  it('says nothing about a closed gate', () => {
    const r = review('2026-10-13', { gate: gateOf('SIGNING', { dueDate: '2026-10-12' }), tasks: [running('a', { light: 'red' })] });
    // (The red task itself is the escalation ladder's business: see 'the escalation ladder' below.)
    expect(r.events.filter((e) => !e.action.startsWith('escalation.'))).toEqual([]);
    expect(r.notices.filter((n) => !n.kind.startsWith('escalation.'))).toEqual([]);
  });

  it('does not remind anyone when the late gate passes in the review', () => {
    const gate = openGate('SIGNING', { meeting });
    const r = review('2026-10-13', { gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBe('LANDING');
    expect(r.events.map((e) => e.action)).toEqual(['stage.passed']);
    expect(r.notices).toEqual([]);
    expect(r.gate?.overdueSince ?? null).toBeNull();
  });
});

describe('recurring work ends with its stage', () => {
  const progressMeeting = (over: Partial<Task> = {}) =>
    running('CONSTRUCTION.progress_meeting', { stage: 'CONSTRUCTION', kind: 'recurring', lead: 'park_center', requiredForGate: false, limitWd: 10, name: { zh: '建设推进会', en: 'Progress meeting' }, ...over });
  const commissioning = done('CONSTRUCTION.equipment_commissioning', { stage: 'CONSTRUCTION', lead: 'enterprise' });

  it('closes the open progress meetings when the gate passes; one past due is recorded red first, without a hand-over', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const otherStage = running('LANDING.r', { stage: 'LANDING', kind: 'recurring', light: 'red', dueDate: '2026-10-30', yellowDate: '2026-10-28' });
    // Due 2026-09-29 and still yellow: the review that would have lit it red on the 30th had not run before the gate passed.
    const r = review('2026-09-30', { tasks: [progressMeeting({ light: 'yellow' }), commissioning, otherStage], gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBe('OPERATION');
    expect(r.tasks).toEqual([
      {
        task: closedBySystem('CONSTRUCTION.progress_meeting', '2026-09-30', '阶段转段，定期任务结束'),
        overdue: expect.objectContaining({ kind: 'overdue', role: 'park_center', date: '2026-09-30', taskId: 'CONSTRUCTION.progress_meeting', dueDate: '2026-09-29' }),
        events: [{ action: 'task.overdue', before: {}, after: { tasks: [{ taskId: 'CONSTRUCTION.progress_meeting', dueDate: '2026-09-29', lead: 'park_center' }], atCompletion: true } }],
        notices: [{ kind: 'task.overdue', project: expect.objectContaining({ id: project.id }), to: 'park_center', task: '建设推进会', taskEn: 'Progress meeting', dueDate: '2026-09-29' }],
      },
      // The recurring work of another stage is not this gate's to close; its light still follows its own clock.
      { task: expect.objectContaining({ id: 'LANDING.r', status: 'open', light: 'green' }), events: [], notices: [] },
    ]);
    expect(r.project.stalled).toBe(false);
  });

  it('counts the recurring work it closed neither in the light nor in the summary of the project that passed', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const r = review('2026-09-30', { tasks: [progressMeeting({ light: 'red' }), commissioning], gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBe('OPERATION');
    expect(r.project.light).toBe('green');
    expect(r.project.tasksSummary).toEqual({ open: 0, overdue: 0, nextDue: null, gateWaits: [] });
    // Work that stays open still counts: a red follow-up keeps the project red after the gate.
    const followUp = running('CONSTRUCTION.followup-1', { stage: 'CONSTRUCTION', kind: 'followup', lead: 'soe', requiredForGate: false, light: 'red', dueDate: '2026-09-29', yellowDate: '2026-09-25' });
    const withFollowUp = review('2026-09-30', { tasks: [progressMeeting({ light: 'red' }), commissioning, followUp], gate, approvals: allApprove(gate) });
    expect(withFollowUp.project.light).toBe('red');
    expect(withFollowUp.project.tasksSummary).toEqual({ open: 1, overdue: 1, nextDue: '2026-09-29', gateWaits: [] });
  });

  it('records nothing more for a progress meeting already red when the gate closes it', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const r = review('2026-09-30', { tasks: [progressMeeting({ light: 'red' }), commissioning], gate, approvals: allApprove(gate) });
    expect(r.tasks).toEqual([{ task: expect.objectContaining({ status: 'done', light: 'green' }), events: [], notices: [] }]);
  });

  it('closes a progress meeting whose light did not change', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const r = review('2026-09-22', { tasks: [commissioning, progressMeeting()], gate, approvals: allApprove(gate) });
    expect(r.tasks.map((c) => [c.task.id, c.task.status, c.task.kind])).toEqual([['CONSTRUCTION.progress_meeting', 'done', 'recurring']]);
  });

  it('tells nobody of a yellow light on a progress meeting closed the same day', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const r = review('2026-09-24', { tasks: [progressMeeting(), commissioning], gate, approvals: allApprove(gate) });
    expect(r.tasks).toEqual([{ task: expect.objectContaining({ status: 'done', light: 'green' }), events: [], notices: [] }]);
    expect(r.notices).toEqual([]);
  });

  it("leaves the transition meeting's follow-ups open: they keep their clocks after the stage passes", () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const followUp = running('CONSTRUCTION.followup-1', { stage: 'CONSTRUCTION', kind: 'followup', lead: 'soe', requiredForGate: false, dueDate: '2026-10-30', yellowDate: '2026-10-28' });
    const r = review('2026-09-22', { tasks: [commissioning, followUp], gate, approvals: allApprove(gate) });
    expect(r.passedTo).toBe('OPERATION');
    expect(r.tasks).toEqual([]);
    expect(r.project.tasksSummary).toEqual({ open: 1, overdue: 0, nextDue: '2026-10-30', gateWaits: [] });
  });

  it('keeps the progress meetings going while the gate is undecided, and keeps a closed one closed', () => {
    const gate = openGate('CONSTRUCTION', { meeting });
    const r = review('2026-09-30', { tasks: [progressMeeting({ light: 'yellow' }), commissioning], gate });
    expect(r.tasks).toEqual([expect.objectContaining({ task: expect.objectContaining({ status: 'open', light: 'red' }) })]);
    expect(r.tasks[0]?.notices.map((n) => n.kind)).toEqual(['task.overdue', 'supervision.handover']);
    const closed = progressMeeting({ status: 'done', light: 'green' });
    const passed = review('2026-09-30', { tasks: [closed, commissioning], gate, approvals: allApprove(gate) });
    expect(passed.tasks).toEqual([]);
  });
});

describe('construction stalled 施工停滞', () => {
  // Equipment commissioning (per contract: no time limit) keeps the gate closed.
  const commissioning = task('CONSTRUCTION.equipment_commissioning', { stage: 'CONSTRUCTION', lead: 'enterprise', limitWd: null, startedDate: '2026-09-01' });
  const construction = (over: Partial<ReviewInput> = {}) => ({ stage: 'CONSTRUCTION' as const, gate: gateOf('CONSTRUCTION'), ...over, tasks: [commissioning, ...(over.tasks ?? [])] });
  const reported = (reportedOn: string, over: Partial<Project> = {}): Project => ({ ...project, stage: 'CONSTRUCTION', progress: { constructionPct: 40, equipmentPct: 10, reportedOn }, ...over });

  it('flags the site stalled the day after 10 working days pass without a progress report, and tells supervision once', () => {
    // 10 working days after Monday 2026-09-14: Tuesday 29th (the 25th is a holiday).
    const onTime = review('2026-09-29', construction({ project: reported('2026-09-14') }));
    expect(onTime.project.stalled).toBe(false);
    expect(onTime.notices).toEqual([]);
    expect(onTime.wakeAt?.getTime()).toBe(endOf('2026-09-29'));

    const r = review('2026-09-30', construction({ project: reported('2026-09-14') }));
    expect(r.project.stalled).toBe(true);
    expect(r.notices[0]).toEqual({ kind: 'construction.stalled', project: expect.objectContaining({ id: 'prj-1' }), since: '2026-09-14' });
    // A stalled site is a trigger of the escalation ladder: L1 at once, its window the next thing to wake for.
    expect(r.notices.slice(1).map((n) => n.kind)).toEqual(['escalation.raised']);
    expect(r.project.escalation).toMatchObject({ level: 1, name: 'URGING_LETTER', trigger: { kind: 'stalled', since: '2026-09-14' }, next: { step: 'INTERVIEW' } });
    expect(r.changed).toBe(true);
    expect(r.wakeAt?.getTime()).toBe(endOf(r.project.escalation.next!.dueDate));

    const again = review('2026-10-08', construction({ project: { ...r.project } }));
    expect(again.project.stalled).toBe(true);
    expect(again.notices).toEqual([]);
  });

  it('counts from the stage entry before the first report, and from today when the entry is unknown', () => {
    const fromEntry = review('2026-09-30', construction({ project: reported('2026-09-14', { progress: undefined }), enteredDate: '2026-09-14' }));
    expect(fromEntry.notices.filter((n) => n.kind === 'construction.stalled')).toEqual([{ kind: 'construction.stalled', project: expect.objectContaining({ id: 'prj-1' }), since: '2026-09-14' }]);
    const fresh = review('2026-09-30', construction({ project: reported('2026-09-14', { progress: undefined }) }));
    expect(fresh.project.stalled).toBe(false);
    // Ten working days from Wednesday 30th: across National Day and the 调休 Saturday, Tuesday 20 October.
    expect(fresh.wakeAt?.getTime()).toBe(endOf('2026-10-20'));
  });

  it('prefers the latest progress report over the stage entry: a report clears the flag', () => {
    const r = review('2026-09-29', construction({ project: reported('2026-09-28', { stalled: true }), enteredDate: '2026-09-01' }));
    expect(r.project.stalled).toBe(false);
    expect(r.notices).toEqual([]);
    expect(r.changed).toBe(true);
  });

  it('wakes for the stall date when it comes before every task deadline', () => {
    const r = review('2026-09-22', construction({ project: reported('2026-09-14'), tasks: [running('CONSTRUCTION.x', { stage: 'CONSTRUCTION', dueDate: '2026-10-30', yellowDate: '2026-10-28' })] }));
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-09-29'));
    const later = review('2026-09-22', construction({ project: reported('2026-09-22'), tasks: [running('CONSTRUCTION.x', { stage: 'CONSTRUCTION', dueDate: '2026-09-30', yellowDate: '2026-09-28' })] }));
    expect(later.wakeAt?.getTime()).toBe(endOf('2026-09-27'));
  });

  it('is only watched in CONSTRUCTION: other stages neither flag nor clear it, nor wake for it', () => {
    const eia = task('LANDING.eia_guidance', { stage: 'LANDING', lead: 'eco_bureau', limitWd: null, startedDate: '2026-08-03' });
    const r = review('2026-09-29', { stage: 'LANDING', gate: gateOf('LANDING'), tasks: [eia], project: reported('2026-08-03', { stage: 'LANDING', stalled: true }), enteredDate: '2026-08-03' });
    expect(r.project.stalled).toBe(true);
    expect(r.notices).toEqual([]);
    expect(r.wakeAt).toBeNull();
    const never = review('2026-09-29', { stage: 'LANDING', gate: gateOf('LANDING'), tasks: [eia], project: reported('2026-08-03', { stage: 'LANDING' }) });
    expect(never.project.stalled).toBeUndefined();
    expect(never.notices).toEqual([]);
  });
});

describe('due dates in a year without a calendar', () => {
  it('tells ops which due dates are provisional, once', () => {
    const r = review('2026-12-28', { tasks: [task('a'), task('b', { limitWd: 2 })] });
    // Five weekdays from Monday 2026-12-28 reach Monday 2027-01-04, a year not loaded; two reach Wednesday 30th.
    expect(r.notices).toEqual([{ kind: 'calendar.provisional', project: expect.objectContaining({ id: 'prj-1' }), items: ['任务a（2027-01-04）'], itemsZh: ['任务a（2027-01-04）'], years: [2027] }]);
    // Turning yellow later, the task is stored again, but ops were told already.
    const started = r.tasks.map((c) => c.task);
    const later = review('2026-12-31', { tasks: started, project: r.project });
    expect(later.tasks.map((c) => c.task.id)).toContain('a');
    expect(later.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    // Another task dated in that year later: ops were told of 2027 for this project already; a year not told yet is told.
    const more = review('2026-12-31', { tasks: [...started, task('c', { limitWd: 3 })], project: r.project });
    expect(more.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    const further = review('2026-12-31', { tasks: [...started, task('d', { limitWd: 300 })], project: r.project });
    expect(further.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([expect.objectContaining({ years: [2028] })]);
  });

  it("tells ops when the gate's due date is provisional", () => {
    const r = review('2026-12-28', { tasks: [done('a')] });
    expect(r.gate).toMatchObject({ dueDate: '2027-01-11', calendarProvisional: true });
    expect(r.notices[0]).toEqual({ kind: 'calendar.provisional', project: expect.objectContaining({ id: 'prj-1' }), items: ['落地转段会议（2027-01-11）'], itemsZh: ['落地转段会议（2027-01-11）'], years: [2027] });
    // The gate's provisional date is not told again on the next review.
    const later = review('2026-12-29', { tasks: [done('a')], gate: r.gate!, project: r.project });
    expect(later.notices).toEqual([]);
  });

  it("tells ops when the escalation ladder's next window is provisional — a stalled project's only dates ahead", () => {
    // Task a, due 2026-12-14, is overdue past its grace (to the 21st): L1 on the 22nd, its window 5 weekdays → Tuesday
    // 2027-01-05 (New Year's Day a weekday by the weekday rule: 2027 has no calendar). No task nor gate date lies ahead.
    const overdue = running('a', { dueDate: '2026-12-14', light: 'red' });
    const l1 = review('2026-12-22', { tasks: [overdue] });
    expect(l1.project.escalation).toMatchObject({ level: 1, next: { step: 'INTERVIEW', dueDate: '2026-12-29', calendarProvisional: false } });
    expect(l1.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    const l2 = review('2026-12-30', { project: l1.project, tasks: [overdue] });
    expect(l2.project.escalation).toMatchObject({ level: 2, next: { step: 'JOINT_ASSESSMENT', dueDate: '2027-01-06', calendarProvisional: true } });
    expect(l2.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([
      { kind: 'calendar.provisional', project: expect.objectContaining({ id: 'prj-1' }), items: ['督办升级至联合研判（2027-01-06）'], itemsZh: ['督办升级至联合研判（2027-01-06）'], years: [2027] },
    ]);
    // Told once a project and year: not on the next review, nor when L3's window is provisional in 2027 too.
    expect(review('2026-12-31', { project: l2.project, tasks: [overdue] }).notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    const l3 = review('2027-01-07', { project: l2.project, tasks: [overdue] });
    expect(l3.project.escalation).toMatchObject({ level: 3, next: { calendarProvisional: true } });
    expect(l3.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    // A task dated in 2027 later on a project whose ladder was provisional there: ops were told of 2027 already.
    expect(review('2027-01-07', { project: l3.project, tasks: [overdue, task('b')] }).notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
  });
});

describe('the exit decision reminded across a year with no calendar', () => {
  it('tells the committee leader its date is an estimate (暂估) when the window runs into an unloaded year', () => {
    // Task a, due Monday 12 October, stays open: the ladder climbs to L5 退出程序 on 7 December, its window to the 21st;
    // on the 22nd the decision is reminded with a window of 10 working days into 2027 (no calendar): 2027-01-05.
    const overdue = running('a', { dueDate: '2026-10-12', light: 'red' });
    let p: Project = { ...project, stage: 'SIGNING' };
    let reminded: Notice[] = [];
    for (let d = Date.parse('2026-10-13T00:00:00Z'); d <= Date.parse('2026-12-22T00:00:00Z'); d += 86_400_000) {
      const r = review(new Date(d).toISOString().slice(0, 10), { project: p, tasks: [overdue] });
      p = r.project;
      reminded = r.notices.filter((n) => n.kind === 'escalation.exit_reminder');
    }
    expect(p.escalation).toMatchObject({ level: 5, next: { dueDate: '2027-01-05', calendarProvisional: true } });
    expect(reminded).toEqual([{ kind: 'escalation.exit_reminder', project: expect.objectContaining({ id: 'prj-1' }), dueDate: '2027-01-05', dueProvisional: true }]);
  });
});

describe('the next wake-up', () => {
  it('is the earliest future deadline of the evaluation outside construction', () => {
    const r = review('2026-09-22', { tasks: [running('a')] });
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-09-23'));
  });

  it('is null when nothing is timed outside construction', () => {
    expect(review('2026-09-22', { tasks: [running('a', { status: 'done' }), task('b', { limitWd: null, startedDate: '2026-09-21' })] }).wakeAt).toBeNull();
  });
});

describe('the escalation ladder in the review', () => {
  // SIGNING task a was due Monday 2026-09-14; the grace is 5 working days (to the 21st); the ladder starts after it.
  const overdue = () => running('a', { dueDate: '2026-09-14', light: 'red' });

  it('starts at L1 the day after the grace with the urging rung’s window, and wakes when the grace would end before that', () => {
    const before = review('2026-09-21', { tasks: [overdue()] });
    expect(before.project.escalation.level).toBe(0);
    expect(before.wakeAt?.getTime()).toBe(endOf('2026-09-21'));
    const r = review('2026-09-22', { tasks: [overdue()] });
    expect(r.ladder).toMatchObject({ kind: 'raised', rung: { level: 1, code: 'URGING_LETTER' } });
    // L1's window: 5 working days from the 22nd (the 25th is a holiday) → the 30th.
    expect(r.project.escalation).toMatchObject({ level: 1, name: 'URGING_LETTER', since: '2026-09-22', trigger: { kind: 'task_overdue', item: 'a', since: '2026-09-14' }, next: { step: 'INTERVIEW', dueDate: '2026-09-30' } });
    expect(r.events.map((e) => e.action)).toContain('escalation.raised');
    expect(r.notices.filter((n) => n.kind === 'escalation.raised').map((n) => (n as { to: string }).to)).toEqual(['supervision_office']);
    // The window's end is among the instants the workflow wakes at (the task's own clocks may come first).
    expect(r.wakeAt!.getTime()).toBeLessThanOrEqual(endOf('2026-09-30'));
  });

  it("with ladderTasks 'enterprise', a department's overdue task raises no rung; the enterprise's own task and a 容缺 obligation do", () => {
    const enterpriseOnly = { ...DEFAULT_CONFIG.escalation, ladderTasks: 'enterprise' as const };
    // Task a is the resources bureau's: its red light stays, the enterprise gets no letter for it.
    const department = review('2026-09-22', { tasks: [overdue()], ladder: enterpriseOnly });
    expect(department.project.escalation.level).toBe(0);
    expect(department.ladder).toBeNull();
    expect(department.notices.map((n) => n.kind)).not.toContain('escalation.raised');
    // Nothing of the ladder to wake for once the task's own clocks are past: the department's red task has no ladder clock.
    expect(review('2026-09-24', { tasks: [overdue()], ladder: enterpriseOnly }).wakeAt).toBeNull();
    // 开工 led by the enterprise (未按期开工) raises L1 as before.
    const own = review('2026-09-22', { tasks: [running('start', { dueDate: '2026-09-14', light: 'red', lead: 'enterprise' })], ladder: enterpriseOnly });
    expect(own.project.escalation).toMatchObject({ level: 1, trigger: { kind: 'task_overdue', item: 'start' } });
    // A 容缺 obligation (the applicant's missing document) raises it whoever completes it.
    const obligation = review('2026-09-22', { tasks: [running('a.obligation-1', { kind: 'obligation', dueDate: '2026-09-14', light: 'red' })], ladder: enterpriseOnly });
    expect(obligation.project.escalation).toMatchObject({ level: 1, trigger: { item: 'a.obligation-1' } });
    // The default ('all', and a document published before the setting existed) watches every task.
    expect(review('2026-09-22', { tasks: [overdue()], ladder: { ...DEFAULT_CONFIG.escalation, ladderTasks: undefined } }).project.escalation.level).toBe(1);
  });

  it("with ladderTasks 'enterprise' published while a department's task holds L1: the next review resets it, saying why; switched back, L1 again", () => {
    const enterpriseOnly = { ...DEFAULT_CONFIG.escalation, ladderTasks: 'enterprise' as const };
    const l1 = review('2026-09-22', { tasks: [overdue()] }).project;
    const r = review('2026-09-23', { project: l1, tasks: [overdue()], ladder: enterpriseOnly });
    expect(r.project.escalation).toMatchObject({ level: 0, name: 'NONE', next: null });
    expect(r.ladder).toEqual({ kind: 'reset', from: 1 });
    // Told as any reset, with the reason: the work is not done, the zone no longer urges it on the enterprise.
    expect(r.notices.filter((n) => n.kind === 'escalation.reset')).toEqual([expect.objectContaining({ from: 1, reason: '督办范围调整：部门承办事项不再对企业督办' })]);
    // And so is its audit record (全程可溯): not 'trigger cleared', the work is still open.
    expect(r.events.filter((e) => e.action === 'escalation.reset').map((e) => e.after.reason)).toEqual(['ladderTasks: the task that held the rung is no longer watched']);
    // The work done instead is the usual reason.
    const done1 = review('2026-09-23', { project: l1, tasks: [done('a')], ladder: enterpriseOnly });
    expect(done1.notices.filter((n) => n.kind === 'escalation.reset')).toEqual([expect.objectContaining({ reason: '督办事项已办结' })]);
    expect(done1.events.filter((e) => e.action === 'escalation.reset').map((e) => e.after.reason)).toEqual(['trigger cleared']);
    // Under 'enterprise' the department's overdue work raises nothing more; 'all' again raises L1 for it.
    expect(review('2026-09-24', { project: r.project, tasks: [overdue()], ladder: enterpriseOnly }).project.escalation.level).toBe(0);
    expect(review('2026-09-24', { project: r.project, tasks: [overdue()] }).project.escalation).toMatchObject({ level: 1, trigger: { item: 'a' } });
  });

  it("with ladderTasks 'enterprise', a rung the enterprise's own work holds is not reset by a department's task beside it", () => {
    const enterpriseOnly = { ...DEFAULT_CONFIG.escalation, ladderTasks: 'enterprise' as const };
    const own = running('start', { dueDate: '2026-09-14', light: 'red', lead: 'enterprise' });
    const l1 = review('2026-09-22', { tasks: [own, overdue()], ladder: enterpriseOnly }).project;
    expect(l1.escalation).toMatchObject({ level: 1, trigger: { item: 'start' } });
    const next = review('2026-09-23', { project: l1, tasks: [own, overdue()], ladder: enterpriseOnly });
    expect(next.project.escalation.level).toBe(1);
    expect(next.ladder).toBeNull();
  });

  it('climbs one rung per window while the trigger stands, and resets when the work is done', () => {
    const l1 = review('2026-09-22', { tasks: [overdue()] }).project;
    const waiting = review('2026-09-30', { project: l1, tasks: [overdue()] });
    expect(waiting.changed).toBe(false);
    // L1's window ended on 30 September; 1–7 October are National Day: L2 is raised on the 8th, a working day.
    expect(review('2026-10-01', { project: l1, tasks: [overdue()] }).changed).toBe(false);
    const l2 = review('2026-10-08', { project: l1, tasks: [overdue()] });
    expect(l2.project.escalation).toMatchObject({ level: 2, name: 'INTERVIEW', since: '2026-10-08', next: { step: 'JOINT_ASSESSMENT' } });
    // L2 约谈企业: its owner, supervision, and the enterprise it interviews.
    expect(l2.notices.filter((n) => n.kind === 'escalation.raised').map((n) => (n as { to: string }).to)).toEqual(['committee_leader', 'supervision_office', 'enterprise']);
    const cleared = review('2026-10-09', { project: l2.project, tasks: [done('a')] });
    expect(cleared.project.escalation).toMatchObject({ level: 0, name: 'NONE', trigger: null, next: null });
    expect(cleared.ladder).toEqual({ kind: 'reset', from: 2 });
    expect(cleared.notices.map((n) => n.kind)).toContain('escalation.reset');
  });

  it('keeps the rung when ops publish a longer grace or stall limit while the work is still overdue: no reset, no second letter', () => {
    const l1 = review('2026-09-22', { tasks: [overdue()] }).project;
    const longer = { ...DEFAULT_CONFIG.escalation, graceWd: 20 };
    const next = review('2026-09-23', { project: l1, tasks: [overdue()], ladder: longer });
    expect(next.project.escalation).toMatchObject({ level: 1, since: '2026-09-22' });
    expect(next.events.map((e) => e.action)).not.toContain('escalation.reset');
    // Its window still ends on its day: L2 the first working day after (8 October, after National Day), on the same work.
    expect(review('2026-10-08', { project: next.project, tasks: [overdue()], ladder: longer }).project.escalation).toMatchObject({ level: 2 });
    // A stall rung in CONSTRUCTION, the stall limit raised past it: it stands until progress is reported.
    const site = { ...project, stage: 'CONSTRUCTION' as const, progress: { constructionPct: 10, equipmentPct: 0, reportedOn: '2026-09-01' } };
    const stalled = review('2026-09-30', { stage: 'CONSTRUCTION', project: site, enteredDate: '2026-08-03', stalledAfterWd: 10 }).project;
    expect(stalled.escalation).toMatchObject({ level: 1, trigger: { kind: 'stalled' } });
    const raisedLimit = review('2026-10-09', { stage: 'CONSTRUCTION', project: stalled, enteredDate: '2026-08-03', stalledAfterWd: 60 });
    expect(raisedLimit.project.escalation.level).toBe(1);
    expect(raisedLimit.events.map((e) => e.action)).not.toContain('escalation.reset');
  });
});

describe('逾期竣工 and the exit in the review', () => {
  it('the planned completion passed in CONSTRUCTION (past its grace) triggers the ladder; elsewhere it does not', () => {
    const r = review('2026-09-22', { stage: 'CONSTRUCTION', project: { ...project, stage: 'CONSTRUCTION', plannedCompletion: '2026-09-14' } });
    expect(r.project.escalation).toMatchObject({ level: 1, trigger: { kind: 'completion_overdue', item: 'completion', label: '逾期竣工', since: '2026-09-14' } });
    expect(review('2026-09-21', { stage: 'CONSTRUCTION', project: { ...project, stage: 'CONSTRUCTION', plannedCompletion: '2026-09-14' } }).project.escalation.level).toBe(0);
    expect(review('2026-09-22', { stage: 'OPERATION', project: { ...project, stage: 'OPERATION', plannedCompletion: '2026-09-14' } }).project.escalation.level).toBe(0);
    // Before it passes, its grace's end is an instant to wake at.
    expect(review('2026-09-10', { stage: 'CONSTRUCTION', enteredDate: '2026-09-10', project: { ...project, stage: 'CONSTRUCTION', plannedCompletion: '2026-09-14' } }).wakeAt?.getTime()).toBeLessThanOrEqual(endOf('2026-09-21'));
  });

  it('while an exit is under way the ladder stands still: no reminder, no reset', () => {
    const l5 = { level: 5, name: 'EXIT_PENDING', since: '2026-09-01', trigger: null, next: { step: 'EXIT_DECISION', dueDate: '2026-09-10' } };
    const exit = { status: 'running' as const, execution: 'prj-1-EXIT-1', attempt: 1, decidedBy: 'u', decidedAt: '2026-09-11T00:00:00Z', reason: 'r', complianceCheck: 1, steps: {}, released: [], letter: null, failure: null, redrives: 0 };
    const exiting = review('2026-09-22', { project: { ...project, escalation: l5, exit } });
    expect(exiting.ladder).toBeNull();
    expect(exiting.project.escalation).toEqual(l5);
    // Without the exit, the same review resets the ladder (nothing is overdue).
    expect(review('2026-09-22', { project: { ...project, escalation: l5 } }).ladder).toEqual({ kind: 'reset', from: 5 });
    expect(review('2026-09-22', { project: { ...project, escalation: l5, exit: { ...exit, status: 'done' } } }).ladder).toEqual({ kind: 'reset', from: 5 });
  });
});

describe('letters in the review', () => {
  const letter = (over: Partial<NonNullable<ReviewInput['letters']>[number]> = {}) => ({ id: 'ltr-1', number: '晋综开督函〔2026〕1号', replyBy: '2026-09-14', answered: false, reminded: false, toEnterprise: true, inbox: 'ENTERPRISE#ent-a', ...over });

  it('reminds the addressee once when the reply window passed, and wakes for a window still open', () => {
    const open = review('2026-09-10', { letters: [letter()] });
    expect(open.remindedLetters).toEqual([]);
    expect(open.wakeAt?.getTime()).toBe(endOf('2026-09-14'));
    const late = review('2026-09-15', { letters: [letter()] });
    expect(late.remindedLetters).toEqual(['ltr-1']);
    expect(late.notices).toContainEqual({ kind: 'letter.overdue', project: expect.objectContaining({ id: 'prj-1' }), inbox: 'ENTERPRISE#ent-a', number: '晋综开督函〔2026〕1号', replyBy: '2026-09-14' });
    expect(late.changed).toBe(true);
    expect(review('2026-09-15', { letters: [letter({ reminded: true })] }).remindedLetters).toEqual([]);
    expect(review('2026-09-15', { letters: [letter({ answered: true })] }).remindedLetters).toEqual([]);
  });

  it('withdraws a reminder whose reply-by day a calendar correction moved to today or later, and wakes to remind again at it', () => {
    // Reminded after 14 September; ops made days of its window holidays: due 17 September now.
    const moved = letter({ reminded: true, replyBy: '2026-09-17', was: '2026-09-14' });
    const r = review('2026-09-16', { letters: [moved] });
    expect(r.unremindedLetters).toEqual(['ltr-1']);
    expect(r.remindedLetters).toEqual([]);
    expect(r.events).toContainEqual({ action: 'letter.overdue_withdrawn', before: { letter: 'ltr-1', number: '晋综开督函〔2026〕1号', replyBy: '2026-09-14' }, after: { letter: 'ltr-1', number: '晋综开督函〔2026〕1号', replyBy: '2026-09-17', reason: 'calendar' } });
    expect(r.notices).toContainEqual({ kind: 'letter.overdue_withdrawn', project: expect.objectContaining({ id: 'prj-1' }), inbox: 'ENTERPRISE#ent-a', number: '晋综开督函〔2026〕1号', was: '2026-09-14', replyBy: '2026-09-17' });
    expect(r.changed).toBe(true);
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-09-17'));
    // On the new day itself it is not overdue either; a reminder whose day still lies behind today stands; an answered letter is left alone.
    expect(review('2026-09-17', { letters: [moved] }).unremindedLetters).toEqual(['ltr-1']);
    expect(review('2026-09-18', { letters: [moved] }).unremindedLetters).toEqual([]);
    expect(review('2026-09-16', { letters: [{ ...moved, answered: true }] }).unremindedLetters).toEqual([]);
    // Once withdrawn (no longer reminded), the new day passing reminds it again.
    expect(review('2026-09-18', { letters: [{ ...moved, reminded: false }] }).remindedLetters).toEqual(['ltr-1']);
  });

  it('counts an enterprise’s unanswered letter for the ladder past its grace, a department’s not', () => {
    expect(review('2026-09-22', { letters: [letter()] }).project.escalation).toMatchObject({ level: 1, trigger: { kind: 'letter_unanswered', item: 'ltr-1', label: '函件晋综开督函〔2026〕1号未回复' } });
    expect(review('2026-09-22', { letters: [letter({ toEnterprise: false })] }).project.escalation.level).toBe(0);
    expect(review('2026-09-22', { letters: [letter({ answered: true })] }).project.escalation.level).toBe(0);
  });

  it('does not climb for an urging letter left unanswered once the work it urged is done (domain.md §4: the work is the trigger)', () => {
    // L1's letter, its reply-by 14 September, unanswered past its grace; the late work done: nothing raises the ladder,
    // but the enterprise is still reminded of the letter.
    const urging = letter({ urging: true });
    const r = review('2026-09-22', { letters: [urging], tasks: [done('a')] });
    expect(r.project.escalation.level).toBe(0);
    expect(r.remindedLetters).toEqual(['ltr-1']);
    // While the work is still overdue, the work holds the ladder (its own trigger, not the letter).
    expect(review('2026-09-22', { letters: [urging], tasks: [running('a', { dueDate: '2026-09-10' })] }).project.escalation).toMatchObject({ level: 1, trigger: { kind: 'task_overdue', item: 'a' } });
  });
});

describe('lateness recorded at a completion', () => {
  it('is owed when an open task is closed after its due date and is not red yet', () => {
    expect(lateWithoutRed(running('t', { light: 'yellow' }), '2026-09-30')).toBe(true);
    expect(lateWithoutRed(running('t', { light: 'green' }), '2026-09-30')).toBe(true);
    // On the due date itself, already red, already closed, or without a due date: nothing owed.
    expect(lateWithoutRed(running('t', { light: 'yellow' }), '2026-09-29')).toBe(false);
    expect(lateWithoutRed(running('t', { light: 'red' }), '2026-09-30')).toBe(false);
    expect(lateWithoutRed(done('t', { light: 'green' }), '2026-09-30')).toBe(false);
    expect(lateWithoutRed(running('t', { dueDate: null }), '2027-01-01')).toBe(false);
  });

  it('records the red light with its department fact and the lead notice, and hands nothing over to supervision', () => {
    const t = running('SIGNING.pre_site_selection', { lead: 'investment_dept' });
    const late = redLight(t, project, '2026-09-30', true);
    expect(late.events).toEqual([{ action: 'task.overdue', before: {}, after: { tasks: [{ taskId: t.id, dueDate: '2026-09-29', lead: 'investment_dept' }], atCompletion: true } }]);
    expect(late.notices.map((n) => n.kind)).toEqual(['task.overdue']);
    expect(late.overdue).toMatchObject({ kind: 'overdue', role: 'investment_dept', date: '2026-09-30', taskId: t.id });
    expect(redLight(t, project, '2026-09-30').notices.map((n) => n.kind)).toEqual(['task.overdue', 'supervision.handover']);
  });
});

describe('the ladder after a person’s change (ladderAfterChange)', () => {
  // L1 since 2026-10-08, held by task a (due 09-29: past its 5-working-day grace).
  const onL1: Project = { ...project, escalation: { level: 1, name: 'URGING_LETTER', since: '2026-10-08', trigger: { kind: 'task_overdue', item: 'a', label: 'A', since: '2026-09-29' }, next: { step: 'INTERVIEW', dueDate: '2026-10-16' } } };
  const after = (p: Project, tasks: Task[], letters: Parameters<typeof ladderAfterChange>[0]['letters'] = []) =>
    ladderAfterChange({ project: p, tasks, letters, today: '2026-10-09', now: nowOn('2026-10-09'), cfg: DEFAULT_CONFIG.escalation, calendar });

  it('records the reset, its event and its notice when the change leaves nothing that holds the project', () => {
    const reset = after(onL1, [done('a'), running('b', { dueDate: '2026-10-20' })]);
    expect(reset?.project.escalation).toMatchObject({ level: 0, name: 'NONE' });
    expect(reset?.events.map((e) => e.action)).toEqual(['escalation.reset']);
    expect(reset?.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', from: 1 })]);
  });

  it('records nothing while other overdue work, an unanswered letter or a stalled site still holds it', () => {
    expect(after(onL1, [done('a'), running('b', { dueDate: '2026-09-14' })])).toBeUndefined();
    const letter = { id: 'ltr-1', number: '1', replyBy: '2026-09-14', answered: false, reminded: true, toEnterprise: true, inbox: 'enterprise:ent-a' };
    expect(after(onL1, [done('a')], [letter])).toBeUndefined();
    expect(after(onL1, [done('a')], [{ ...letter, answered: true }])).toBeDefined();
    // The urging letter itself is no work of its own: the work it urged done, the ladder resets, the letter unanswered.
    expect(after(onL1, [done('a')], [{ ...letter, urging: true }])?.project.escalation).toMatchObject({ level: 0, name: 'NONE' });
    expect(after({ ...onL1, stage: 'CONSTRUCTION', stalled: true }, [done('a')])).toBeUndefined();
  });

  it("with ladderTasks 'enterprise' published since the department's task a raised L1: another change resets it, saying why", () => {
    const enterpriseOnly = { ...DEFAULT_CONFIG.escalation, ladderTasks: 'enterprise' as const };
    const change = (tasks: Task[]) => ladderAfterChange({ project: onL1, tasks, letters: [], today: '2026-10-09', now: nowOn('2026-10-09'), cfg: enterpriseOnly, calendar });
    // Task a still open: the zone no longer urges a department's work on the enterprise — told and recorded as such.
    const scope = change([running('a', { dueDate: '2026-09-29', light: 'red' }), done('b')]);
    expect(scope?.project.escalation).toMatchObject({ level: 0, name: 'NONE' });
    expect(scope?.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', from: 1, reason: '督办范围调整：部门承办事项不再对企业督办' })]);
    expect(scope?.events.map((e) => [e.action, e.after.reason])).toEqual([['escalation.reset', 'ladderTasks: the task that held the rung is no longer watched']]);
    // Task a done: the usual reason.
    const done1 = change([done('a')]);
    expect(done1?.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', reason: '督办事项已办结' })]);
    expect(done1?.events.map((e) => [e.action, e.after.reason])).toEqual([['escalation.reset', 'trigger cleared']]);
  });

  it('records nothing at level 0, for a project no longer active, or while an exit decided is carried out', () => {
    expect(after(project, [done('a')])).toBeUndefined();
    expect(after({ ...onL1, status: 'EXITED' }, [done('a')])).toBeUndefined();
    expect(after({ ...onL1, exit: { status: 'pending' } as unknown as Project['exit'] }, [done('a')])).toBeUndefined();
  });
});

describe('the rung the review owed, recorded by the change that clears its trigger (ladderAfterChange with before)', () => {
  const today = '2026-10-09';
  const change = (p: Project, before: Task[], afterTasks: Task[], beforeProject?: Project) =>
    ladderAfterChange({ project: p, tasks: afterTasks, letters: [], before: { project: beforeProject, tasks: before, letters: [] }, today, now: nowOn(today), cfg: DEFAULT_CONFIG.escalation, calendar });
  const overdue = running('b', { dueDate: '2026-09-14' });

  it('at level 0: L1 first (marked atChange, told to nobody), then the reset, told to nobody either', () => {
    const r = change(project, [overdue], [done('b')]);
    expect(r?.project.escalation).toMatchObject({ level: 0, name: 'NONE' });
    expect(r?.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect(r?.events[0]?.after.trigger).toMatchObject({ item: 'b', since: '2026-09-14' });
    expect(r?.notices).toEqual([]);
  });

  it('owes nothing for work still within its grace, or when no before is given', () => {
    expect(change(project, [running('b', { dueDate: '2026-10-08' })], [done('b')])).toBeUndefined();
    expect(ladderAfterChange({ project, tasks: [done('b')], letters: [], today, now: nowOn(today), cfg: DEFAULT_CONFIG.escalation, calendar })).toBeUndefined();
  });

  it('records nothing while other work still holds the project: the review raises the rung, with its letter', () => {
    expect(change(project, [overdue, running('c', { dueDate: '2026-09-15' })], [done('b'), running('c', { dueDate: '2026-09-15' })])).toBeUndefined();
  });

  it('on a rung whose window ended: the next rung first, then the reset, told from the rung people heard of', () => {
    const ended: Project = { ...project, escalation: { level: 1, name: 'URGING_LETTER', since: '2026-09-28', trigger: { kind: 'task_overdue', item: 'b', label: 'B', since: '2026-09-14' }, next: { step: 'INTERVIEW', dueDate: '2026-10-08' } } };
    const r = change(ended, [overdue], [done('b')]);
    expect(r?.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['escalation.raised', 2, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect(r?.events[1]?.before).toMatchObject({ level: 2 });
    expect(r?.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', from: 1 })]);
    // Within its window: only the reset, as without before.
    const within: Project = { ...ended, escalation: { ...ended.escalation, next: { step: 'INTERVIEW', dueDate: '2026-10-16' } } };
    expect(change(within, [overdue], [done('b')])?.events.map((e) => e.action)).toEqual(['escalation.reset']);
  });

  it('a stalled site the progress report clears: the stall as it stood before the report holds the owed rung', () => {
    const stalled: Project = { ...project, stage: 'CONSTRUCTION', stalled: true, progress: { reportedOn: '2026-09-01' } as Project['progress'], escalation: { level: 1, name: 'URGING_LETTER', since: '2026-09-28', trigger: { kind: 'stalled', item: 'construction', label: '施工停滞', since: '2026-09-01' }, next: { step: 'INTERVIEW', dueDate: '2026-10-08' } } };
    const reported: Project = { ...stalled, stalled: false, progress: { reportedOn: today } as Project['progress'] };
    const r = change(reported, [], [], stalled);
    expect(r?.events.map((e) => [e.action, e.after.level])).toEqual([
      ['escalation.raised', 2],
      ['escalation.reset', 0],
    ]);
    // Without the project as it stood before, the stall is not seen: only the reset.
    expect(change(reported, [], [])?.events.map((e) => e.action)).toEqual(['escalation.reset']);
  });

  it('a stall the review never flagged (it fell behind), at level 0: the stall by the rule before the report holds L1', () => {
    const unflagged: Project = { ...project, stage: 'CONSTRUCTION', stalled: false, progress: { reportedOn: '2026-09-01' } as Project['progress'] };
    const reported: Project = { ...unflagged, progress: { reportedOn: today } as Project['progress'] };
    const before = (stalledSince: string | null | undefined) =>
      ladderAfterChange({ project: reported, tasks: [], letters: [], before: { project: unflagged, tasks: [], letters: [], stalledSince }, today, now: nowOn(today), cfg: DEFAULT_CONFIG.escalation, calendar });
    const r = before('2026-09-01');
    expect(r?.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect(r?.events[0]?.after.trigger).toMatchObject({ kind: 'stalled', since: '2026-09-01' });
    expect(r?.notices).toEqual([]);
    // Not stalled by the rule, or not known: nothing (the flag as recorded is all there is).
    expect(before(null)).toBeUndefined();
    expect(before(undefined)).toBeUndefined();
  });
});

describe('the stall clock 施工停滞 (stallClock): the review’s rule, and a progress report’s check of the rung owed', () => {
  const inConstruction = (reportedOn?: string): Project => ({ ...project, stage: 'CONSTRUCTION', progress: reportedOn ? ({ reportedOn } as Project['progress']) : undefined });
  it('counts stalledAfterWd working days from the last report, else from the stage entry, else from today', () => {
    // 10 working days after Monday 2026-09-14: Tuesday 29th (the 25th is a holiday); stalled from the 30th.
    expect(stallClock({ project: inConstruction('2026-09-14'), stage: 'CONSTRUCTION', enteredDate: '2026-09-01', stalledAfterWd: 10, today: '2026-09-29', calendar })).toEqual({ lastProgress: '2026-09-14', stallDate: '2026-09-29', stalled: false });
    expect(stallClock({ project: inConstruction('2026-09-14'), stage: 'CONSTRUCTION', enteredDate: '2026-09-01', stalledAfterWd: 10, today: '2026-09-30', calendar }).stalled).toBe(true);
    expect(stallClock({ project: inConstruction(), stage: 'CONSTRUCTION', enteredDate: '2026-09-14', stalledAfterWd: 10, today: '2026-09-30', calendar })).toMatchObject({ lastProgress: '2026-09-14', stalled: true });
    expect(stallClock({ project: inConstruction(), stage: 'CONSTRUCTION', enteredDate: undefined, stalledAfterWd: 10, today: '2026-09-30', calendar })).toMatchObject({ lastProgress: '2026-09-30', stalled: false });
    // Only a construction site stalls.
    expect(stallClock({ project: inConstruction('2026-09-14'), stage: 'LANDING', enteredDate: undefined, stalledAfterWd: 10, today: '2026-10-30', calendar }).stalled).toBe(false);
  });
});

describe('a gate passing (passStage): recorded by the decision that completes it, or by the review', () => {
  // On L2 since 2026-10-08, held by task a; an enterprise's urging letter was due for its reply on 2026-09-14.
  const onL2: Project = { ...project, escalation: { level: 2, name: 'INTERVIEW', since: '2026-10-08', trigger: { kind: 'task_overdue', item: 'a', label: 'A', since: '2026-09-29' }, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-16' } } };
  const letter = { id: 'ltr-1', number: '晋综开督函〔2026〕1号', replyBy: '2026-09-14', answered: false, reminded: true, toEnterprise: true, inbox: 'ENTERPRISE#ent-a' };
  const pass = (over: Partial<Parameters<typeof passStage>[0]> = {}) =>
    passStage({ project: onL2, stage: 'SIGNING', gate: openGate('SIGNING', { meeting }), tasks: [done('a')], letters: [], now: nowOn('2026-10-09'), today: '2026-10-09', closedBy: 'system', ladder: DEFAULT_CONFIG.escalation, calendar, ...over });

  it('moves the project into the next stage with the gate passed, and resets the ladder: progress 转段', () => {
    const p = pass();
    expect(p.to).toBe('LANDING');
    expect(p.project).toMatchObject({ stage: 'LANDING', status: 'ACTIVE', stalled: false, escalation: { level: 0, name: 'NONE' } });
    expect(p.gate).toMatchObject({ open: false, passedAt: nowOn('2026-10-09').toISOString() });
    expect(p.events.map((e) => e.action)).toEqual(['stage.passed', 'escalation.reset']);
    expect(p.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', from: 2, reason: '阶段转段' })]);
    expect(p.ladder).toEqual({ kind: 'reset', from: 2 });
  });

  it('holds the project while work that outlives the stage is still overdue past its grace: on its rung (no reset, no second letter); from level 0, L1 on the same day', () => {
    // On L2, held by task a (done with the stage), the enterprise's letter unanswered past its grace: L2 stands, held
    // by the letter now, its window as it was — as a review would keep it; nobody is told anything new.
    const withLetter = pass({ letters: [letter] });
    expect(withLetter.events.map((e) => e.action)).toEqual(['stage.passed']);
    expect(withLetter.project.escalation).toMatchObject({ level: 2, since: '2026-10-08', trigger: { item: 'ltr-1' }, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-16' } });
    expect(withLetter.ladder).toBeNull();
    expect(withLetter.notices).toEqual([]);
    // An urging letter is not work that outlives the stage: the work it urged done and the gate passed, the ladder resets.
    expect(pass({ letters: [{ ...letter, urging: true }] }).project.escalation).toMatchObject({ level: 0, name: 'NONE' });
    // Not on the ladder yet: L1 from the day the stage passed, told (the caller sends its urging letter).
    const fromZero = pass({ project, letters: [letter] });
    expect(fromZero.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['stage.passed', undefined, undefined],
      ['escalation.raised', 1, undefined],
    ]);
    expect(fromZero.project.escalation).toMatchObject({ level: 1, since: '2026-10-09', trigger: { item: 'ltr-1' } });
    expect(fromZero.ladder).toMatchObject({ kind: 'raised', rung: { level: 1 } });
    expect(fromZero.notices.length).toBeGreaterThan(0);
    expect(fromZero.notices.every((n) => n.kind === 'escalation.raised' && n.level === 1)).toBe(true);
    // A 容缺 obligation of the stage, past due beyond its grace, holds the project as well; one within its grace not.
    const obligation = running('SIGNING.a-doc', { kind: 'obligation', dueDate: '2026-09-14' });
    expect(pass({ tasks: [done('a'), obligation] }).project.escalation.level).toBe(2);
    expect(pass({ tasks: [done('a'), { ...obligation, dueDate: '2026-10-08' }] }).project.escalation.level).toBe(0);
    // An answered letter no longer does.
    expect(pass({ letters: [{ ...letter, answered: true }] }).project.escalation.level).toBe(0);
  });

  it("a decision's pass that raises L1 with its window in a year with no calendar tells ops, once (the review's pass: the review tells)", () => {
    // Passed on Monday 2026-12-28, held by the unanswered letter: L1 from that day, its window 5 weekdays → 2027-01-04.
    const late = { now: nowOn('2026-12-28'), today: '2026-12-28', project, letters: [letter] };
    const p = pass(late);
    expect(p.project.escalation).toMatchObject({ level: 1, next: { dueDate: '2027-01-04', calendarProvisional: true } });
    expect(p.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([
      { kind: 'calendar.provisional', project: expect.objectContaining({ id: 'prj-1' }), items: ['督办升级至约谈企业（2027-01-04）'], itemsZh: ['督办升级至约谈企业（2027-01-04）'], years: [2027] },
    ]);
    // A task of the project already dated in 2027 (ops were told of it): not again.
    const told = pass({ ...late, tasks: [done('a'), running('b', { dueDate: '2027-01-08', calendarProvisional: true })] });
    expect(told.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    expect(pass({ ...late, byReview: true }).notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
  });

  it('on a rung whose window has ended, held by work that outlives the stage: the next rung, as the review owed it', () => {
    const ended: Project = { ...project, escalation: { level: 1, name: 'URGING_LETTER', since: '2026-09-21', trigger: { kind: 'task_overdue', item: 'ltr-1', label: 'L', since: '2026-09-14' }, next: { step: 'INTERVIEW', dueDate: '2026-10-08' } } };
    const p = pass({ project: ended, letters: [letter] });
    expect(p.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['stage.passed', undefined, undefined],
      ['escalation.raised', 2, undefined],
    ]);
    expect(p.ladder).toMatchObject({ kind: 'raised', rung: { level: 2 } });
  });

  it("tells the zone's own assessment departments when a pass finds L2's window ended and raises L3", () => {
    // On L2 since 2 October, its window ended on the 8th, the letter still unanswered: L3 with the pass, told to the
    // departments config/escalation names for the joint assessment (not the defaults).
    const ended: Project = { ...project, escalation: { level: 2, name: 'INTERVIEW', since: '2026-09-28', trigger: { kind: 'task_overdue', item: 'ltr-1', label: 'L', since: '2026-09-14' }, next: { step: 'JOINT_ASSESSMENT', dueDate: '2026-10-08' } } };
    const ladder = { ...DEFAULT_CONFIG.escalation, assessmentDepartments: ['eco_bureau', 'soe'] as const };
    const p = pass({ project: ended, letters: [letter], ladder: ladder as never });
    expect(p.ladder).toMatchObject({ kind: 'raised', rung: { level: 3 } });
    const told = p.notices.map((n) => (n as { to?: string }).to);
    expect(told).toEqual(expect.arrayContaining(['eco_bureau', 'soe']));
    expect(told).not.toContain('investment_dept');
  });

  it('records the rung the review owed before a pass that frees the project (its midnight run fell behind): that rung, then the reset', () => {
    // On L1 for a stalled site, its window ended on the 8th: the review owed L2. Construction passed, the stall is behind it.
    const stalled: Project = { ...project, stage: 'CONSTRUCTION', stalled: true, progress: { reportedOn: '2026-09-01' } as Project['progress'], escalation: { level: 1, name: 'URGING_LETTER', since: '2026-09-28', trigger: { kind: 'stalled', item: 'construction', label: '施工停滞', since: '2026-09-01' }, next: { step: 'INTERVIEW', dueDate: '2026-10-08' } } };
    const p = pass({ project: stalled, stage: 'CONSTRUCTION', gate: openGate('CONSTRUCTION', { meeting }), tasks: [] });
    expect(p.to).toBe('OPERATION');
    expect(p.events.map((e) => [e.action, e.after.level, e.after.atChange])).toEqual([
      ['stage.passed', undefined, undefined],
      ['escalation.raised', 2, true],
      ['escalation.reset', 0, undefined],
    ]);
    // Told: the reset from the rung people knew of (L1); not the owed rung.
    expect(p.notices).toEqual([expect.objectContaining({ kind: 'escalation.reset', from: 1, reason: '阶段转段' })]);
    expect(p.ladder).toEqual({ kind: 'reset', from: 2 });
    // The review passing the gate itself (no decision needed): the pass comes first, no rung of that review is owed.
    expect(pass({ project: stalled, stage: 'CONSTRUCTION', gate: openGate('CONSTRUCTION', { meeting }), tasks: [], byReview: true }).events.map((e) => e.action)).toEqual(['stage.passed', 'escalation.reset']);
    // Nothing owed at level 0 without a trigger: the pass records no ladder event.
    expect(pass({ project }).events.map((e) => e.action)).toEqual(['stage.passed']);
    // The review at level 0 with the letter overdue: the pass, then L1.
    const gate = openGate('SIGNING', { meeting });
    const r = review('2026-10-09', { project, tasks: [done('a')], gate, approvals: allApprove(gate), letters: [letter] });
    expect(r.events.map((e) => e.action)).toEqual(['stage.passed', 'escalation.raised']);
  });

  it('ends the ladder at 达产 and leaves it standing while an exit is carried out', () => {
    const producing = pass({ stage: 'OPERATION', gate: openGate('OPERATION'), letters: [letter] });
    expect(producing.project).toMatchObject({ stage: 'PRODUCING', status: 'COMPLETED', escalation: { level: 0 } });
    expect(producing.ladder).toEqual({ kind: 'reset', from: 2 });
    const exit = { status: 'running' as const } as unknown as Project['exit'];
    const exiting = pass({ project: { ...onL2, exit } });
    expect(exiting.ladder).toBeNull();
    expect(exiting.project.escalation).toEqual(onL2.escalation);
    expect(exiting.events.map((e) => e.action)).toEqual(['stage.passed']);
  });

  it('is what the review records when the gate passes in it: the same rung held', () => {
    const gate = openGate('SIGNING', { meeting });
    const r = review('2026-10-09', { project: onL2, tasks: [done('a')], gate, approvals: allApprove(gate), letters: [letter] });
    expect(r.passedTo).toBe('LANDING');
    expect(r.ladder).toBeNull();
    expect(r.events.map((e) => e.action)).toEqual(['stage.passed']);
    expect(r.project.escalation).toEqual(pass({ letters: [letter] }).project.escalation);
  });
});

describe('work a completion leaves ready, started in its own transaction', () => {
  // Task a done a moment ago; b waits only for it, c for it and for d (still open).
  const waits = [done('a'), task('b', { after: ['a'] }), task('c', { after: ['a', 'd'] }), running('d')];
  const start = (today: string, tasks: readonly Task[], over: Partial<Parameters<typeof startedByChange>[0]> = {}) =>
    startedByChange({ project, tasks, gate: gateOf('SIGNING'), today, calendar, yellowBeforeWd: 2, ...over });

  it('starts what waits for nothing open any more, as the review would: today, due by its working-day limit, its yellow date', () => {
    const s = start('2026-09-21', waits);
    // The review's own start of b on that day, for comparison: the same task, nothing else started.
    const byReview = review('2026-09-21', { tasks: waits }).tasks.find((c) => c.task.id === 'b');
    expect(s.tasks).toEqual([byReview]);
    expect(s.tasks[0]!.task).toMatchObject({ id: 'b', startedDate: '2026-09-21', dueDate: '2026-09-29', yellowDate: '2026-09-24', light: 'green' });
    expect(s.notices).toEqual([]);
  });

  it('starts nothing while a predecessor is open, nor on a project that is not active', () => {
    expect(start('2026-09-21', [running('a'), task('b', { after: ['a'] })]).tasks).toEqual([]);
    expect(start('2026-09-21', waits, { project: { ...project, status: 'EXITED' } }).tasks).toEqual([]);
  });

  it('leaves the review that follows nothing to start or tell, and its wait counts the new clock', () => {
    const s = start('2026-09-22', waits);
    const after = waits.map((t) => s.tasks.find((c) => c.task.id === t.id)?.task ?? t);
    const r = review('2026-09-22', { tasks: after });
    expect(r.tasks.map((c) => c.task.id)).toEqual([]);
    expect(r.notices).toEqual([]);
    // b started on the 22nd: due Wednesday 30th, yellow from Monday 28th — the review wakes on the eve of that (d's
    // own yellow eve, the 23rd, comes first) and then at b's.
    expect(s.tasks[0]!.task).toMatchObject({ dueDate: '2026-09-30', yellowDate: '2026-09-28' });
    expect(r.wakeAt?.getTime()).toBe(endOf('2026-09-23'));
    const d = after.map((t) => (t.id === 'd' ? { ...t, status: 'done' as const } : t));
    expect(review('2026-09-24', { tasks: d }).wakeAt?.getTime()).toBe(endOf('2026-09-27'));
  });

  it('tells a light that comes on at the start as the review tells it: yellow at once, to its lead, once', () => {
    const short = [done('a'), task('b', { after: ['a'], limitWd: 1 })];
    const s = start('2026-09-21', short);
    expect(s.tasks).toEqual([review('2026-09-21', { tasks: short }).tasks.find((c) => c.task.id === 'b')]);
    expect(s.tasks[0]).toMatchObject({ task: { id: 'b', light: 'yellow', yellowDate: '2026-09-21' }, notices: [{ kind: 'task.yellow', to: 'resources_bureau' }] });
    const r = review('2026-09-21', { tasks: [short[0]!, s.tasks[0]!.task] });
    expect(r.tasks).toEqual([]);
    expect(r.notices).toEqual([]);
  });

  it('starts what the review of the stage the project is in starts: a leftover of a stage passed too, as that review reads every task', () => {
    // A task of the stage before, not required by its gate, unstarted with its predecessor done a moment ago (completed
    // after the stage passed): the review of LANDING reads every task of the project, starts it and keeps its clock.
    const landing = { ...project, stage: 'LANDING' as const };
    const left = [done('a', { stage: 'SIGNING', requiredForGate: false }), task('b', { after: ['a'], stage: 'SIGNING', requiredForGate: false }), done('x', { stage: 'LANDING' }), task('y', { after: ['x'], stage: 'LANDING' })];
    const byReview = review('2026-09-21', { project: landing, tasks: left, gate: gateOf('LANDING') }).tasks;
    expect(byReview.map((c) => c.task.id)).toEqual(['b', 'y']);
    expect(start('2026-09-21', left, { project: landing, gate: gateOf('LANDING') }).tasks).toEqual(byReview);
  });

  it('tells ops of a due date in a year without a calendar, once, as the review would', () => {
    const late = [done('a'), task('b', { after: ['a'] })];
    const s = start('2026-12-28', late);
    expect(s.notices).toEqual(review('2026-12-28', { tasks: late }).notices.filter((n) => n.kind === 'calendar.provisional'));
    expect(s.notices).toEqual([expect.objectContaining({ kind: 'calendar.provisional', items: ['任务b（2027-01-04）'], years: [2027] })]);
    const r = review('2026-12-28', { tasks: [late[0]!, s.tasks[0]!.task] });
    expect(r.notices.filter((n) => n.kind === 'calendar.provisional')).toEqual([]);
    // A year ops were told of for the project already is not told again.
    expect(start('2026-12-28', [...late, running('e', { dueDate: '2027-01-05', calendarProvisional: true })]).notices).toEqual([]);
  });
});
