// The gate of a stage in the domain core: opened when its required tasks are done, its due date in working days —
// provisional (weekdays only) while the year's calendar is missing, recomputed once it is loaded.
import { describe, expect, it } from 'vitest';
import { calendarLookup } from '../../functions/reference/domain/calendar.ts';
import { evaluate } from '../../functions/lifecycle/domain/evaluation.ts';
import { currentMeeting, decideGate, gateTally, gateWaitsOf, meetingRound, newGate, stageGate, type Gate, type GateApproval } from '../../functions/lifecycle/domain/gate.ts';
import { tasksForStage, type Task } from '../../functions/lifecycle/domain/task.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';

const gate: Gate = newGate(
  { stage: 'SIGNING', name: { zh: '落地转段', en: 'Signing gate' }, approvers: ['committee_leader'], meetingRequired: false, limitWd: 5 },
  { track: 'industrial' },
);
const without2027 = calendarLookup([{ year: 2026, holidays: [], workdays: [] }]);
// 2027-01-01 is a holiday: one working day later than weekdays-only.
const with2027 = calendarLookup([{ year: 2026, holidays: [], workdays: [] }, { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
const at = (today: string, calendar = without2027) => ({ today, now: new Date(`${today}T10:00:00+08:00`), calendar, yellowBeforeWd: 2 });
const view = (g: Gate) => ({ stage: 'SIGNING' as const, tasks: [], gate: g, approvals: [] });

describe('gate due dates across a missing calendar year', () => {
  it('opens with a provisional due date, and says it opened', () => {
    const ev = evaluate([], view(gate), at('2026-12-28'));
    expect(ev).toMatchObject({ gateOpened: true, gateChanged: true });
    expect(ev.gate).toMatchObject({ open: true, openedDate: '2026-12-28', dueDate: '2027-01-04', calendarProvisional: true });
  });

  it('recomputes the due date once the year is loaded: a change, not a new opening', () => {
    const opened = evaluate([], view(gate), at('2026-12-28')).gate;
    const ev = evaluate([], view(opened), at('2026-12-29', with2027));
    expect(ev).toMatchObject({ gateOpened: false, gateChanged: true });
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-05', calendarProvisional: false });
    // Nothing more to recompute afterwards.
    expect(evaluate([], view(ev.gate), at('2026-12-30', with2027)).gateChanged).toBe(false);
  });

  it('clears the overdue mark when the recomputed date is still ahead, so the real date gets its reminder', () => {
    const opened = evaluate([], view(gate), at('2026-12-28')).gate;
    const overdue: Gate = { ...opened, overdueSince: '2027-01-05' };
    const ev = evaluate([], view(overdue), at('2027-01-05', with2027));
    expect(ev.gate).toMatchObject({ dueDate: '2027-01-05', overdueSince: null });
  });
});

// ---- Parallel approval 并联审批 of a gate: who decides, once per round; a rejection reopens tasks and starts a new round.

const who = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({ sub: `u-${roles.join('-')}`, name: 'x', roles, ...extra });
const gateDef = { stage: 'LANDING' as const, name: { zh: '开工节点', en: 'Groundbreaking gate' }, approvers: ['track_dept' as const, 'resources_bureau' as const, 'park_center' as const, 'investment_dept' as const], meetingRequired: true, limitWd: 10 };

describe('the gate of a stage', () => {
  it('names each approving department once, the track department resolved for the project', () => {
    expect(newGate(gateDef, { track: 'industrial' })).toStrictEqual({
      stage: 'LANDING',
      name: { zh: '开工节点', en: 'Groundbreaking gate' },
      requiredApprovals: ['investment_dept', 'resources_bureau', 'park_center'],
      meetingRequired: true,
      limitWd: 10,
      open: false,
      openedDate: null,
      dueDate: null,
      round: 1,
      meeting: null,
      passedAt: null,
    });
    expect(newGate(gateDef, { track: 'scitech' }).requiredApprovals).toEqual(['scitech_dept', 'resources_bureau', 'park_center', 'investment_dept']);
  });

  it('takes the gate the matrix names for the stage', () => {
    const other = { ...gateDef, stage: 'SIGNING' as const, name: { zh: '落地转段会议', en: 'Landing gate' }, approvers: ['committee_leader' as const] };
    expect(stageGate([other, gateDef], 'LANDING', { track: 'industrial' })).toMatchObject({ stage: 'LANDING', name: { zh: '开工节点' }, meetingRequired: true });
    expect(stageGate([other, gateDef], 'SIGNING', { track: 'industrial' })).toMatchObject({ stage: 'SIGNING', requiredApprovals: ['committee_leader'] });
  });

  it('passes a stage the matrix names no gate for on the committee leader’s approval alone, without a meeting, within 10 working days', () => {
    expect(stageGate([gateDef], 'CONSTRUCTION', { track: 'industrial' })).toStrictEqual({
      ...newGate({ stage: 'CONSTRUCTION', name: { zh: '转段', en: 'Stage gate' }, approvers: ['committee_leader'], meetingRequired: false, limitWd: 10 }, { track: 'industrial' }),
    });
    expect(stageGate([], 'OPERATION', { track: 'scitech' })).toMatchObject({ stage: 'OPERATION', name: { zh: '转段', en: 'Stage gate' }, requiredApprovals: ['committee_leader'], meetingRequired: false, limitWd: 10, round: 1 });
  });

  it('has no meeting of its round while none is recorded; a record without a round belongs to round 1', () => {
    expect(currentMeeting({ meeting: null, round: 1 })).toBeNull();
    expect(meetingRound({ round: undefined })).toBe(1);
    expect(meetingRound({ round: 3 })).toBe(3);
  });
});

describe('deciding a gate (parallel approval 并联审批)', () => {
  const landingMatrix = {
    tasks: [
      { code: 'land_transfer', stage: 'LANDING' as const, name: { zh: '土地出让', en: 'Land transfer' }, lead: 'resources_bureau' as const, cooperating: [], handler: '', standard: '', limitWd: 5, siteModes: ['land' as const], after: [], requiredForGate: true },
      { code: 'eia', stage: 'LANDING' as const, name: { zh: '环评指导', en: 'EIA' }, lead: 'eco_bureau' as const, cooperating: [], handler: '', standard: '', limitWd: 20, siteModes: ['land' as const], after: [], requiredForGate: true },
    ],
    gates: [],
  };
  const calendar = calendarLookup([{ year: 2026, holidays: ['2026-09-25'], workdays: [] }]);
  const project = { id: 'prj-1', stage: 'LANDING' as const, status: 'ACTIVE' as const, track: 'industrial' as const, siteMode: 'land' as const, park: '汇通产业园', investor: { name: '示例公司', enterpriseId: 'ent-a' } };
  const started = tasksForStage(landingMatrix, 1, project, 'LANDING', '2026-09-01', 2, calendar) as [Task, Task];
  const completion = { by: 'u', role: 'resources_bureau' as const, at: 'x', documents: [], deficiencies: [] };
  const done = started.map((t): Task => ({ ...t, status: 'done', light: 'red', completion })) as [Task, Task];
  const followUp: Task = { ...done[1], id: 'LANDING.followup-1', kind: 'followup' };
  const signingTask: Task = { ...done[0], id: 'SIGNING.pre_site', stage: 'SIGNING' };
  const tasks = [...done, followUp, signingTask];
  const gate: Gate = { ...newGate(gateDef, project), open: true, openedDate: '2026-09-15', dueDate: '2026-09-29', overdueSince: '2026-09-30' };
  const now = new Date('2026-09-21T10:00:00+08:00');
  type Args = Parameters<typeof decideGate>[0];
  const decide = (by: Principal, input: Args['input'], more: Partial<Args> = {}) =>
    decideGate({ project, stage: 'LANDING', gate, approvals: [], tasks, by, input, now, today: '2026-09-21', calendar, yellowBeforeWd: 2, ...more });
  const resources = who(['resources_bureau']);
  const approval = (role: GateApproval['role'], round = 1, decision: GateApproval['decision'] = 'approve'): GateApproval => ({ role, by: 'u', decision, at: 'x', round });

  it('records an approval: which department, who, when, in which round; the gate itself is unchanged', () => {
    expect(decide(resources, { decision: 'approve', comment: '同意' })).toStrictEqual({
      approval: { role: 'resources_bureau', by: 'u-resources_bureau', decision: 'approve', comment: '同意', at: now.toISOString(), round: 1 },
      gate: undefined,
      reopened: [],
    });
    expect(decide(resources, { decision: 'approve', reopenTasks: [] }).approval.decision).toBe('approve');
  });

  it('lets the departments decide in any order, each once per round', () => {
    const park = who(['park_center'], { park: '汇通产业园' });
    expect(decide(park, { decision: 'approve' }, { approvals: [approval('investment_dept')] }).approval.role).toBe('park_center');
    expect(() => decide(resources, { decision: 'approve' }, { approvals: [approval('investment_dept'), approval('resources_bureau')] })).toThrow(
      expect.objectContaining({ status: 409, message: 'resources_bureau already decided on this gate (round 1)', errors: [{ path: 'path.stage', code: 'state', message: 'resources_bureau decided in round 1' }] }),
    );
    // A decision of an earlier round does not count in this one.
    expect(decide(resources, { decision: 'approve' }, { gate: { ...gate, round: 2 }, approvals: [approval('resources_bureau', 1, 'reject')] }).approval.round).toBe(2);
  });

  it('refuses a decision made for another round than the gate is in (a rejection began the next meanwhile)', () => {
    const round2 = { gate: { ...gate, round: 2 }, approvals: [approval('investment_dept', 1, 'reject')] };
    expect(() => decide(resources, { decision: 'approve', round: 1 }, round2)).toThrow(
      expect.objectContaining({ status: 409, message: 'Round 1 of the 开工节点 gate is over: a rejection began round 2 meanwhile. Nothing was recorded; decide again on round 2', errors: [{ path: 'round', code: 'state', message: 'the gate is in round 2' }] }),
    );
    expect(() => decide(resources, { decision: 'reject', comment: '材料不全', round: 3 }, round2)).toThrow(expect.objectContaining({ status: 409, message: 'The 开工节点 gate is in round 2, not 3' }));
    expect(decide(resources, { decision: 'approve', round: 2 }, round2).approval.round).toBe(2);
    // Who may decide is still told first.
    expect(() => decide(who(['eco_bureau']), { decision: 'approve', round: 1 }, round2)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('lets a user holding two of the named roles decide for one of them per round (并联审批: each department its own person)', () => {
    const both = who(['investment_dept', 'resources_bureau']);
    expect(decide(both, { decision: 'approve' }).approval.role).toBe('investment_dept');
    // The other role's decision is another person's …
    expect(decide(both, { decision: 'approve' }, { approvals: [approval('investment_dept')] }).approval.role).toBe('resources_bureau');
    // … not the same person's a second time.
    const mine = { ...approval('investment_dept'), by: both.sub };
    expect(() => decide(both, { decision: 'approve' }, { approvals: [mine] })).toThrow(
      expect.objectContaining({ status: 409, message: 'You decided the 开工节点 gate for investment_dept already (round 1): resources_bureau is decided by another person', errors: [{ path: 'path.stage', code: 'state', message: 'you decided round 1 for investment_dept' }] }),
    );
    // A new round is a new say.
    expect(decide(both, { decision: 'approve' }, { gate: { ...gate, round: 2 }, approvals: [mine] }).approval.role).toBe('investment_dept');
    expect(() => decide(both, { decision: 'approve' }, { approvals: [approval('investment_dept'), approval('resources_bureau')] })).toThrow(
      expect.objectContaining({ status: 409, message: 'investment_dept, resources_bureau already decided on this gate (round 1)', errors: [{ path: 'path.stage', code: 'state', message: 'investment_dept, resources_bureau decided in round 1' }] }),
    );
  });

  it('is for the departments the gate names only: a park center of its park only', () => {
    expect(() => decide(who(['eco_bureau']), { decision: 'approve' })).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('Deciding the 开工节点 gate') }));
    expect(() => decide(who(['park_center'], { park: '别的园区' }), { decision: 'approve' })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('needs a reason to reject, and reopens tasks only on a rejection', () => {
    expect(() => decide(resources, { decision: 'reject' })).toThrow(expect.objectContaining({ status: 400, message: 'A rejection needs its reason', errors: [{ path: 'comment', code: 'required', message: 'is required when rejecting' }] }));
    expect(() => decide(resources, { decision: 'reject', comment: '' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decide(resources, { decision: 'approve', reopenTasks: ['LANDING.eia'] })).toThrow(
      expect.objectContaining({ status: 400, message: 'Only a rejection reopens tasks', errors: [{ path: 'reopenTasks', code: 'not_allowed', message: 'only with decision reject' }] }),
    );
  });

  it('refuses a gate not there yet, already passed, not open, or not the project’s current stage', () => {
    expect(() => decide(resources, { decision: 'approve' }, { gate: undefined })).toThrow(expect.objectContaining({ status: 404, message: 'Project prj-1 has no LANDING gate yet' }));
    expect(() => decide(resources, { decision: 'approve' }, { gate: { ...gate, passedAt: '2026-09-20T00:00:00Z' } })).toThrow(expect.objectContaining({ status: 409, message: 'The 开工节点 gate was passed already', errors: [{ path: 'path.stage', code: 'state', message: 'passed already' }] }));
    // Not open, its tasks not done: said so. Its tasks all done (a completion a moment ago, the review not run yet): a retry.
    expect(() => decide(resources, { decision: 'approve' }, { gate: { ...gate, open: false }, tasks: [started[0], done[1]] })).toThrow(expect.objectContaining({ status: 409, message: 'The 开工节点 gate is not open: the stage\'s required tasks are not done', errors: [{ path: 'path.stage', code: 'state', message: 'not open' }] }));
    expect(() => decide(resources, { decision: 'approve' }, { gate: { ...gate, open: false } })).toThrow(expect.objectContaining({ status: 409, retryAfterSeconds: 1, message: expect.stringContaining('gate opens in a moment: its required tasks are done') }));
    expect(() => decide(resources, { decision: 'approve' }, { project: { ...project, stage: 'SIGNING' } })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is not at the LANDING gate', errors: [{ path: 'path.stage', code: 'state', message: 'the project is in SIGNING' }] }));
    // An exited project at this very gate is told so, not that it is "not at the LANDING gate" (helper 117).
    expect(() => decide(resources, { decision: 'approve' }, { project: { ...project, status: 'EXITED' as const } })).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining('project prj-1 is EXITED'), errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
    // Someone who may not decide this gate is told so first (403), not the gate's state.
    const outsider = { sub: 'u-disc', name: '纪检', roles: ['discipline_office' as const] };
    for (const over of [{ gate: { ...gate, open: false } }, { gate: { ...gate, passedAt: '2026-09-20T00:00:00Z' } }, { project: { ...project, stage: 'SIGNING' as const } }]) {
      expect(() => decide(outsider, { decision: 'approve' }, over)).toThrow(expect.objectContaining({ status: 403 }));
    }
  });

  it('a rejection without tasks to redo starts the next round at once: the gate stays open, its overdue mark cleared', () => {
    const r = decide(resources, { decision: 'reject', comment: '材料不全' });
    expect(r.approval).toMatchObject({ decision: 'reject', comment: '材料不全', round: 1 });
    expect(r.reopened).toEqual([]);
    expect(r.gate).toStrictEqual({ ...gate, open: true, round: 2, roundStartedDate: '2026-09-21', overdueSince: null });
  });

  it('a rejection leaves the old round’s count of decisions behind: the new round counts its own', () => {
    const r = decide(resources, { decision: 'reject', comment: '材料不全' }, { gate: { ...gate, roundDecisions: 2 } });
    expect(r.gate).not.toHaveProperty('roundDecisions');
  });

  it('tallies a round: the named departments that approved in it, and its meeting when the gate requires one', () => {
    const needed = gate.requiredApprovals.length + (gate.meetingRequired ? 1 : 0);
    expect(gateTally(gate, [])).toEqual({ needed, made: 0 });
    // A rejection, an earlier round and a second approval of one department do not count; this round's meeting does.
    const approvals = [approval('resources_bureau'), approval('resources_bureau'), approval('investment_dept', 1, 'reject'), approval('park_center', 0)];
    const withMeeting: Gate = { ...gate, meetingRequired: true, meeting: { heldOn: '2026-09-18', attendees: [], decisions: [], followUps: [], recordedBy: 'u', recordedAt: 'x', round: 1 } };
    expect(gateTally(gate, approvals)).toEqual({ needed, made: 1 });
    expect(gateTally(withMeeting, approvals)).toEqual({ needed: gate.requiredApprovals.length + 1, made: 2 });
    // The meeting of an earlier round does not count in this one.
    expect(gateTally({ ...withMeeting, round: 2 }, approvals).made).toBe(0);
  });

  it('a rejection reopens the completed tasks it names, their clocks restarting today, and closes the gate for the round', () => {
    const r = decide(resources, { decision: 'reject', comment: '出让合同需重签', reopenTasks: ['LANDING.land_transfer'] });
    expect(r.gate).toMatchObject({ open: false, round: 2, roundStartedDate: '2026-09-21', overdueSince: null });
    // 5 working days after Monday 21 September, across the Mid-Autumn Friday: Tuesday 29; yellow 2 working days before.
    expect(r.reopened).toStrictEqual([{ ...done[0], status: 'open', completion: undefined, startedDate: '2026-09-21', dueDate: '2026-09-29', yellowDate: '2026-09-24', calendarProvisional: false, light: 'green', requiredForGate: true }]);
  });

  it('a task the matrix does not require for the gate, reopened by a rejection, holds the gate until it is done again', () => {
    const optional = done.map((t) => ({ ...t, requiredForGate: t.id === 'LANDING.eia' ? false : t.requiredForGate }));
    const r = decide(resources, { decision: 'reject', comment: '环评资料需补正', reopenTasks: ['LANDING.eia'] }, { tasks: optional });
    expect(r.reopened.map((t) => [t.id, t.requiredForGate])).toEqual([['LANDING.eia', true]]);
    expect(gateWaitsOf([optional[0]!, ...r.reopened], 'LANDING').map((w) => w.id)).toEqual(['LANDING.eia']);
  });

  it('names each task it cannot reopen: not of this stage, unknown, listed twice, still open, or not a matrix task', () => {
    const reject = (reopenTasks: string[], more: Partial<Args> = {}) => () => decide(resources, { decision: 'reject', comment: '退回', reopenTasks }, more);
    expect(reject(['SIGNING.pre_site'])).toThrow(expect.objectContaining({ status: 400, message: 'No LANDING task SIGNING.pre_site to reopen', errors: [{ path: 'reopenTasks[0]', code: 'unknown_ref', message: 'not a task of this stage' }] }));
    expect(reject(['LANDING.nothing'])).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'reopenTasks[0]', code: 'unknown_ref', message: 'not a task of this stage' }] }));
    expect(reject(['LANDING.eia', 'LANDING.eia'])).toThrow(expect.objectContaining({ status: 400, message: 'LANDING.eia is listed twice in reopenTasks', errors: [{ path: 'reopenTasks[1]', code: 'duplicate', message: 'listed twice' }] }));
    expect(reject(['LANDING.followup-1'])).toThrow(
      expect.objectContaining({ status: 400, message: 'LANDING.followup-1 cannot be reopened', errors: [{ path: 'reopenTasks[0]', code: 'state', message: 'only a completed task of the stage can be reopened' }] }),
    );
    expect(reject(['LANDING.eia'], { tasks: [done[0], started[1]] })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'reopenTasks[0]', code: 'state', message: 'only a completed task of the stage can be reopened' }] }));
    // Both completed tasks of the stage reopen together.
    expect(decide(resources, { decision: 'reject', comment: '退回', reopenTasks: ['LANDING.eia', 'LANDING.land_transfer'] }).reopened.map((t) => t.id)).toEqual(['LANDING.eia', 'LANDING.land_transfer']);
  });
});
