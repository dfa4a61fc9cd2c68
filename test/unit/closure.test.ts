// The closed loop's records and decisions without I/O: the L3 joint assessment (parallel decisions, the outcome), the
// L4 compliance check, 逾期竣工 (the planned completion fixed at the groundbreaking gate, moved by an extension), the
// exit decision and the exit procedure's step records.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT_DEPARTMENTS, decideAssessment, holdForPlan, type Assessment, type AssessmentDecisionInput } from '../../functions/supervision/domain/assessment.ts';
import { recordComplianceCheck, type ComplianceCheck } from '../../functions/supervision/domain/compliance.ts';
import { currentTrigger, movedCompletion, raise, raisedNotices, NONE } from '../../functions/supervision/domain/escalation.ts';
import { closeExited, decideExit, exitFailed, exitFor, ExitRefused, extendDate, redriveRequested, stepDone } from '../../functions/supervision/domain/exit.ts';
import { plannedCompletionOf } from '../../functions/lifecycle/domain/meeting.ts';
import { assertNoExitUnderway, createProject, type Project } from '../../functions/projects/domain/project.ts';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { aTask, calendar2026, projectInput } from '../support/domain.ts';
import { presentAssessment } from '../../functions/supervision/present.ts';

const cfg = DEFAULT_CONFIG.escalation;
const at = (level: number, since = '2026-10-08') => ({ level, name: ['NONE', 'URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING'][level]!, since, trigger: { kind: 'start_overdue' as const, item: 't', label: '开工', since: '2026-09-14' }, next: { step: 'X', dueDate: '2026-10-30' } });
const staff = (role: string, extra: Record<string, string> = {}) => ({ sub: `u-${role}`, name: role, roles: [role as never], ...extra });
const base = createProject(projectInput(), staff('investment_dept'), DEFAULT_CONFIG.classification, { id: 'prj-1', now: new Date('2026-03-02T01:00:00Z') });
const project = (level: number, over: Partial<Project> = {}): Project => ({ ...base, stage: 'GROUNDBREAKING', status: 'ACTIVE', matrixVersion: 1, escalation: at(level), ...over });
const now = new Date('2026-10-09T02:00:00Z');
const dates = { yellowBeforeWd: 3, calendar: calendar2026 };

describe('the joint assessment 联合研判 (L3)', () => {
  const departments = ['investment_dept', 'resources_bureau', 'park_center'] as const;
  const decide = (role: string, input: AssessmentDecisionInput, current?: Assessment, over: Partial<Parameters<typeof decideAssessment>[0]> = {}) =>
    decideAssessment({ project: project(3), current, tasks: [aTask('GROUNDBREAKING.followup-1', { stage: 'GROUNDBREAKING', kind: 'followup' })], input, by: staff(role, role === 'park_center' ? { park: base.park } : {}), departments, now, today: '2026-10-09', limits: DEFAULT_CONFIG.limits, dates, ...over });
  const cont = (item: string, dueDate = '2026-11-30'): AssessmentDecisionInput => ({ decision: 'continue', comment: '可整改', plan: [{ item, owner: 'enterprise', dueDate }] });

  it('collects one decision per named department; the last concludes: all continue → the plan as tasks, held until its last date', () => {
    const a = decide('investment_dept', cont('提交开工计划', '2026-11-20'));
    expect(a.assessment).toMatchObject({ round: 1, rungSince: '2026-10-08', departments, outcome: null });
    expect(a.planTasks).toEqual([]);
    const b = decide('resources_bureau', cont('补办用地手续', '2026-12-15'), a.assessment);
    expect(b.assessment.outcome).toBeNull();
    const c = decide('park_center', cont('进场施工', '2026-11-30'), b.assessment);
    expect(c.assessment.outcome).toEqual({ decision: 'continue', on: '2026-10-09', planUntil: '2026-12-15', taskIds: ['GROUNDBREAKING.followup-2', 'GROUNDBREAKING.followup-3', 'GROUNDBREAKING.followup-4'] });
    expect(c.planTasks.map((t) => [t.name.zh, t.lead, t.dueDate, t.code, t.kind, t.startedDate, t.standard])).toEqual([
      ['提交开工计划', 'enterprise', '2026-11-20', 'rectification', 'followup', '2026-10-09', '联合研判（第1轮）整改事项'],
      ['补办用地手续', 'enterprise', '2026-12-15', 'rectification', 'followup', '2026-10-09', '联合研判（第1轮）整改事项'],
      ['进场施工', 'enterprise', '2026-11-30', 'rectification', 'followup', '2026-10-09', '联合研判（第1轮）整改事项'],
    ]);
    expect(c.decided).toMatchObject({ department: 'park_center', by: 'u-park_center', decision: 'continue' });
    expect(c.planTasks.every((t) => t.matrixVersion === 1 && t.park === base.park && t.enterpriseId === base.investor.enterpriseId)).toBe(true);
    // The first department cannot decide again once others have.
    expect(() => decide('investment_dept', cont('again'), b.assessment)).toThrow(expect.objectContaining({ status: 409, message: 'investment_dept has decided in round 1 already', errors: [{ path: 'path.id', code: 'state', message: 'investment_dept decided in round 1' }] }));
    expect(holdForPlan(project(3).escalation, '2026-12-15').next).toEqual({ step: 'X', dueDate: '2026-12-15' });
    expect(holdForPlan({ ...NONE }, '2026-12-15').next).toEqual({ step: 'COMPLIANCE_CHECK', dueDate: '2026-12-15' });
  });

  it('any proceed concludes proceed with no plan; a new stay on the rung is a new round', () => {
    const a = decide('investment_dept', cont('x'));
    const b = decide('resources_bureau', { decision: 'proceed', comment: '闲置超期' }, a.assessment);
    const c = decide('park_center', cont('y'), b.assessment);
    expect(c.assessment.outcome).toMatchObject({ decision: 'proceed', planUntil: null, taskIds: [] });
    expect(c.planTasks).toEqual([]);
    const again = decide('investment_dept', cont('z'), c.assessment, { project: project(3, { escalation: at(3, '2026-10-09') }) });
    expect(again.assessment).toMatchObject({ round: 2, rungSince: '2026-10-09', outcome: null, decisions: [expect.objectContaining({ department: 'investment_dept' })] });
  });

  it('refuses: off the rung (409), not a named department (403), twice (409), after the outcome (409), a plan that does not fit the decision (400)', () => {
    expect(DEFAULT_ASSESSMENT_DEPARTMENTS).toEqual(['investment_dept', 'resources_bureau', 'construction_dept', 'park_center']);
    expect(DEFAULT_CONFIG.escalation.assessmentDepartments).toEqual(DEFAULT_ASSESSMENT_DEPARTMENTS);
    expect(() => decide('investment_dept', cont('x'), undefined, { project: project(2) })).toThrow(expect.objectContaining({ status: 409, message: "The joint assessment 联合研判 is the ladder's L3 rung; project prj-1 is at L2", errors: [{ path: 'path.id', code: 'state', message: 'at L2' }] }));
    expect(() => decide('investment_dept', cont('x'), undefined, { project: project(3, { status: 'EXITED' }) })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is EXITED', errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
    // The window ended yesterday (L4 is due, its review not run yet): refused as on L4; on its last day, still taken.
    const ended = (dueDate: string) => project(3, { escalation: { ...at(3), next: { step: 'COMPLIANCE_CHECK', dueDate } } });
    expect(() => decide('investment_dept', cont('x'), undefined, { project: ended('2026-10-08') })).toThrow(expect.objectContaining({ status: 409, message: "The joint assessment's window ended on 2026-10-08: the ladder climbs to L4 履约核查", errors: [{ path: 'path.id', code: 'state', message: 'its window ended on 2026-10-08' }] }));
    expect(decide('investment_dept', cont('x'), undefined, { project: ended('2026-10-09') }).assessment.decisions).toHaveLength(1);
    expect(() => decide('eco_bureau', cont('x'))).toThrow(expect.objectContaining({ status: 403, message: 'The joint assessment is decided by: investment_dept, resources_bureau, park_center' }));
    expect(() => decideAssessment({ project: project(3), current: undefined, tasks: [], input: cont('x'), by: staff('park_center', { park: '别的园区' }), departments, now, today: '2026-10-09', limits: DEFAULT_CONFIG.limits, dates })).toThrow(expect.objectContaining({ status: 403 }));
    const a = decide('investment_dept', cont('x'));
    expect(() => decide('investment_dept', cont('x'), a.assessment)).toThrow(expect.objectContaining({ status: 409, message: 'investment_dept has decided in round 1 already', errors: [{ path: 'path.id', code: 'state', message: 'investment_dept decided in round 1' }] }));
    const done = { ...a.assessment, outcome: { decision: 'proceed' as const, on: '2026-10-09', planUntil: null, taskIds: [] } };
    expect(() => decide('park_center', cont('x'), done)).toThrow(expect.objectContaining({ status: 409, message: 'The joint assessment of round 1 is concluded (proceed)', errors: [{ path: 'path.id', code: 'state', message: 'round 1 concluded (proceed)' }] }));
    expect(() => decide('investment_dept', { decision: 'continue', comment: 'x' })).toThrow(expect.objectContaining({ status: 400, message: 'plan: a decision to continue names at least one rectification item', errors: [{ path: 'plan', code: 'required', message: 'a decision to continue names at least one rectification item' }] }));
    expect(() => decide('investment_dept', { ...cont('x', '2026-10-01'), plan: [{ item: 'a', owner: 'enterprise', dueDate: '2026-10-01' }, { item: 'b', owner: 'enterprise', dueDate: '2026-10-02' }] })).toThrow(expect.objectContaining({ message: 'plan[0].dueDate: must be after today (2026-10-09) and on or before 2027-10-09; plan[1].dueDate: must be after today (2026-10-09) and on or before 2027-10-09' }));
    expect(() => decide('investment_dept', { ...cont('x'), decision: 'proceed' })).toThrow(expect.objectContaining({ errors: [{ path: 'plan', code: 'not_allowed', message: 'a decision to proceed has no rectification plan' }] }));
    expect(() => decide('investment_dept', cont('x', '2026-10-09'))).toThrow(expect.objectContaining({ errors: [{ path: 'plan[0].dueDate', code: 'out_of_range', message: 'must be after today (2026-10-09) and on or before 2027-10-09' }] }));
    expect(() => decide('investment_dept', cont('x', '2027-10-10'))).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'plan[0].dueDate' })] }));
    expect(decide('investment_dept', cont('x', '2027-10-09')).assessment.decisions).toHaveLength(1);
    // One department's plan names an item of one owner once (two timed tasks for the same work otherwise).
    expect(() => decide('investment_dept', { ...cont('x'), plan: [{ item: '补交 材料', owner: 'enterprise', dueDate: '2026-11-30' }, { item: '补交材料', owner: 'enterprise', dueDate: '2026-12-10' }] })).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'plan[1].item', code: 'duplicate', message: '补交材料 (enterprise) is agreed already' }] }),
    );
    // One user holding two named departments decides for the first still to decide, and only once in a round.
    const dual = { ...staff('investment_dept'), sub: 'u-dual', roles: ['investment_dept', 'resources_bureau'] as never[] };
    const first = decide('investment_dept', cont('x'), undefined, { by: dual });
    expect(first.decided).toMatchObject({ department: 'investment_dept', by: 'u-dual' });
    expect(() => decide('x', cont('x'), first.assessment, { by: dual })).toThrow(expect.objectContaining({ status: 409, message: 'You decided round 1 of the joint assessment for investment_dept already: resources_bureau is decided by another person', errors: [{ path: 'path.id', code: 'state', message: 'you decided round 1 for investment_dept' }] }));
    // Another person decided investment_dept: the dual user decides resources_bureau (not a 409 for the first role).
    expect(decide('x', cont('x'), a.assessment, { by: dual }).decided).toMatchObject({ department: 'resources_bureau', by: 'u-dual' });
    const both = decide('resources_bureau', cont('x'), a.assessment).assessment;
    expect(() => decide('x', cont('x'), both, { by: dual })).toThrow(expect.objectContaining({ status: 409, message: 'investment_dept, resources_bureau have decided in round 1 already', errors: [{ path: 'path.id', code: 'state', message: 'investment_dept, resources_bureau decided in round 1' }] }));
    // The departments of the round are the ones named when it began (a configuration change mid-round changes nothing).
    expect(decide('resources_bureau', cont('x'), a.assessment, { departments: ['eco_bureau'] }).assessment.departments).toEqual(departments);
    // The plan's tasks count against the project's open items like any follow-up.
    expect(() => decide('park_center', cont('x'), decide('resources_bureau', cont('x'), a.assessment).assessment, { limits: { ...DEFAULT_CONFIG.limits, openItemsPerProject: 2 } })).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('tells someone who may not decide so (403) before where the project stands on the ladder', () => {
    expect(() => decide('discipline_office', cont('x'), undefined, { project: project(0) })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => decide('investment_dept', cont('x'), undefined, { project: project(0) })).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('shows a round the ladder left undecided (its window ended, L4) as lapsed: no one pending, no outcome', () => {
    const a = decide('investment_dept', cont('提交开工计划')).assessment;
    expect(presentAssessment(a, at(3))).toMatchObject({ open: true, lapsed: false, pending: ['resources_bureau', 'park_center'] });
    expect(presentAssessment(a, at(4, '2026-10-23'))).toMatchObject({ open: false, lapsed: true, pending: [], outcome: null });
    // Who let it lapse: the departments that never decided, named still.
    expect(presentAssessment(a, at(4, '2026-10-23')).undecided).toEqual(['resources_bureau', 'park_center']);
    expect(presentAssessment(a, at(3)).undecided).toEqual(['resources_bureau', 'park_center']);
    // Reset and raised to L3 again: a new stay, the old round lapsed.
    expect(presentAssessment(a, at(3, '2026-11-02'))).toMatchObject({ open: false, lapsed: true });
    expect(presentAssessment(a)).toMatchObject({ open: true, lapsed: false });
  });
});

describe('the compliance check 履约核查 (L4)', () => {
  const input = { checkedOn: '2026-10-09', findings: [{ clause: '第七条', finding: '未按期开工', breached: true }, { clause: '第九条', finding: '无法核查', breached: false }], summary: '违约' };
  const run = (over: Partial<Parameters<typeof recordComplianceCheck>[0]> = {}) => recordComplianceCheck({ project: project(4), input, earlier: [], by: staff('supervision_office'), number: 1, now, today: '2026-10-09', ladder: cfg, ...over });

  it('records the findings, a breach when any clause is breached', () => {
    expect(run()).toMatchObject({ number: 1, breach: true, level: 4, recordedBy: 'u-supervision_office', recordedAt: now.toISOString(), checkedOn: '2026-10-09' });
    expect(run({ input: { ...input, findings: [{ clause: '第七条', finding: '已整改', breached: false }] } }).breach).toBe(false);
    expect(run({ by: staff('committee_leader') }).recordedBy).toBe('u-committee_leader');
    // On the day the rung began, and late, at exit pending (L4's window passed without it): an exit rests on it.
    expect(run({ input: { ...input, checkedOn: '2026-10-08' } }).checkedOn).toBe('2026-10-08');
    expect(run({ project: project(5) })).toMatchObject({ level: 5, breach: true });
    // One check a climb: at exit pending, not after the one that raised it (or a late one) — an earlier climb's does not count.
    expect(() => run({ project: project(5), earlier: [{ number: 1, recordedAt: '2026-10-08T02:00:00.000Z' }], number: 2 })).toThrow(
      expect.objectContaining({ status: 409, message: 'Compliance check no. 1 is on record for this rung: the exit decision rests on it (extend, and the next climb checks again)', errors: [{ path: 'path.id', code: 'state', message: 'check no. 1 on record for this rung' }] }),
    );
    expect(run({ project: project(5), earlier: [{ number: 1, recordedAt: '2026-06-01T02:00:00.000Z' }], number: 2 })).toMatchObject({ number: 2, level: 5 });
    // At L4 the check is the rung's own (it raises exit pending), whatever came before.
    expect(run({ earlier: [{ number: 1, recordedAt: '2026-10-08T02:00:00.000Z' }], number: 2 }).level).toBe(4);
    // Not once an exit is on record: it rests on the check it was decided on.
    const exit = { status: 'failed' as const, execution: 'e', attempt: 1, decidedBy: 'u', decidedAt: '', reason: 'r', complianceCheck: 1, steps: {}, released: [], letter: null, failure: null, redrives: 0 };
    expect(() => run({ project: project(5, { exit }) })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is being exited 退出程序 on compliance check no. 1', errors: [{ path: 'path.id', code: 'state', message: 'being exited 退出程序 (failed)' }] }));
  });

  it('refuses: not the rung owner (403), not at L4 (409), a date outside the rung (400), a clause twice (400)', () => {
    expect(() => run({ by: staff('investment_dept') })).toThrow(expect.objectContaining({ status: 403, message: 'Recording the compliance check 履约核查 is for: supervision_office, committee_leader' }));
    expect(() => run({ project: project(3) })).toThrow(expect.objectContaining({ status: 409, message: "The compliance check 履约核查 is the ladder's L4 rung; project prj-1 is at L3", errors: [{ path: 'path.id', code: 'state', message: 'at L3' }] }));
    expect(() => run({ project: project(4, { status: 'COMPLETED' }) })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is COMPLETED', errors: [{ path: 'path.id', code: 'state', message: 'is COMPLETED' }] }));
    expect(() => run({ input: { ...input, checkedOn: '2026-10-10', findings: [input.findings[0]!, input.findings[0]!] } })).toThrow(expect.objectContaining({ message: 'checkedOn: must lie between 2026-10-08 (the rung began) and today (2026-10-09); findings[1].clause: clause 第七条 is listed twice' }));
    expect(() => run({ input: { ...input, checkedOn: '2026-10-07' } })).toThrow(expect.objectContaining({ errors: [{ path: 'checkedOn', code: 'out_of_range', message: 'must lie between 2026-10-08 (the rung began) and today (2026-10-09)' }] }));
    expect(() => run({ input: { ...input, checkedOn: '2026-10-10' } })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => run({ input: { ...input, findings: [input.findings[0]!, input.findings[0]!] } })).toThrow(expect.objectContaining({ errors: [{ path: 'findings[1].clause', code: 'duplicate', message: 'clause 第七条 is listed twice' }] }));
  });
});

describe('raise: a record moves the ladder on', () => {
  it('to the given rung today, with its window and the trigger kept', () => {
    const r = raise({ state: project(4).escalation, level: 5, trigger: null, today: '2026-10-09', cfg, calendar: calendar2026 });
    expect(r.state).toMatchObject({ level: 5, name: 'EXIT_PENDING', since: '2026-10-09', trigger: { kind: 'start_overdue' }, next: { step: 'EXIT_DECISION', dueDate: '2026-10-22' } });
    expect(r.events).toEqual([{ action: 'escalation.raised', before: { level: 4, name: 'COMPLIANCE_CHECK' }, after: expect.objectContaining({ level: 5, name: 'EXIT_PENDING' }) }]);
    expect(r.change).toEqual({ kind: 'raised', rung: cfg.rungs[4] });
    expect(raise({ state: NONE, level: 4, trigger: null, today: '2026-10-09', cfg, calendar: calendar2026 }).state.next).toEqual({ step: 'EXIT_PENDING', dueDate: '2026-10-22', window: { from: '2026-10-09', wd: 10 }, calendarProvisional: false });
    expect(() => raise({ state: NONE, level: 6, trigger: null, today: '2026-10-09', cfg, calendar: calendar2026 })).toThrow('config/escalation has no rung 6');
  });
});

describe('who a raised rung tells', () => {
  const told = (level: number, c?: { assessmentDepartments?: typeof DEFAULT_ASSESSMENT_DEPARTMENTS }) => {
    const p = project(level - 1);
    const r = raise({ state: p.escalation, level, trigger: null, today: '2026-10-09', cfg, calendar: calendar2026 });
    return raisedNotices(p, { rung: r.change.rung, state: r.state }, c).map((n) => (n as { to: string }).to);
  };
  it('its owner and supervision; the enterprise at its interview (L2) and compliance check (L4); the assessing departments at L3', () => {
    const owner = (level: number) => cfg.rungs[level - 1]!.owner;
    expect(told(1)).toEqual([...new Set([owner(1), 'supervision_office'])]);
    expect(told(2)).toEqual([...new Set([owner(2), 'supervision_office', 'enterprise'])]);
    expect(told(3)).toEqual([...new Set([owner(3), 'supervision_office', ...DEFAULT_ASSESSMENT_DEPARTMENTS])]);
    expect(told(3, { assessmentDepartments: ['eco_bureau', 'supervision_office'] })).toEqual([...new Set([owner(3), 'supervision_office', 'eco_bureau'])]);
    expect(told(4)).toEqual([...new Set([owner(4), 'supervision_office', 'enterprise'])]);
    expect(told(5)).toEqual([...new Set([owner(5), 'supervision_office'])]);
  });
});

describe('逾期竣工: the planned completion', () => {
  it('is fixed by the groundbreaking gate meeting only (required there), after it and within ten years', () => {
    expect(plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-05-01', plannedCompletionDate: '2027-12-31' })).toBe('2027-12-31');
    // Required there: nothing later sets one, and 逾期竣工 is measured against it.
    expect(() => plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-05-01' })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'plannedCompletionDate', code: 'required', message: 'required at this gate' }] }));
    expect(plannedCompletionOf('LANDING', { heldOn: '2026-05-01' })).toBeUndefined();
    // A later round's meeting keeps the date an earlier one fixed.
    expect(plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-06-01' }, '2027-12-31')).toBeUndefined();
    expect(() => plannedCompletionOf('LANDING', { heldOn: '2026-05-01', plannedCompletionDate: '2027-12-31' })).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: 'plannedCompletionDate' })] }));
    expect(() => plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-05-01', plannedCompletionDate: '2026-05-01' })).toThrow(expect.objectContaining({ errors: [{ path: 'plannedCompletionDate', code: 'out_of_range', message: 'must be after 2026-05-01 and on or before 2036-05-01' }] }));
    expect(plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-05-01', plannedCompletionDate: '2036-05-01' })).toBe('2036-05-01');
    expect(() => plannedCompletionOf('GROUNDBREAKING', { heldOn: '2026-05-01', plannedCompletionDate: '2036-05-02' })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('triggers the ladder as completion_overdue past its grace; an extension past it moves it', () => {
    const completion = { id: 'completion', code: 'completion', label: '逾期竣工', dueDate: '2026-09-14', open: true };
    expect(currentTrigger({ items: [completion], stalledSince: null, today: '2026-09-22', cfg, calendar: calendar2026 })).toEqual({ kind: 'completion_overdue', item: 'completion', label: '逾期竣工', since: '2026-09-14' });
    expect(currentTrigger({ items: [completion], stalledSince: null, today: '2026-09-21', cfg, calendar: calendar2026 })).toBeNull();
    expect(currentTrigger({ items: [{ ...completion, open: false }], stalledSince: null, today: '2026-12-22', cfg, calendar: calendar2026 })).toBeNull();
    expect(movedCompletion({ plannedCompletion: '2026-09-14' }, '2026-12-01')).toBe('2026-12-01');
    expect(movedCompletion({ plannedCompletion: '2027-09-14' }, '2026-12-01')).toBe('2027-09-14');
    expect(movedCompletion({}, '2026-12-01')).toBeNull();
  });
});

describe('the exit decision and the exit procedure 退出程序', () => {
  const check = (breach: boolean): ComplianceCheck => ({ number: 2, checkedOn: '2026-10-09', findings: [], summary: '', breach, level: 4, recordedBy: 'u', recordedAt: now.toISOString() });
  const decide = (over: Partial<Parameters<typeof decideExit>[0]> = {}) => decideExit({ project: project(5), by: staff('committee_leader'), reason: '长期未开工', latestCheck: check(true), now, execution: 'prj-1-EXIT-1', ...over });

  it('records the exit decided on the latest breached compliance check, for its workflow to carry out', () => {
    const d = decide();
    expect(d.project.exit).toEqual({ status: 'decided', execution: 'prj-1-EXIT-1', attempt: 1, decidedBy: 'u-committee_leader', decidedAt: now.toISOString(), reason: '长期未开工', complianceCheck: 2, steps: {}, released: [], letter: null, failure: null, redrives: 0 });
    expect(d.event).toEqual({ action: 'exit.decided', before: {}, after: { execution: 'prj-1-EXIT-1', reason: '长期未开工', complianceCheck: 2 } });
    expect(d.project.status).toBe('ACTIVE');
  });

  it('refuses: not the leader (403), not at exit pending (409), already under way (409), no check or no breach (409); extend needs a date (400)', () => {
    expect(() => decide({ by: staff('supervision_office') })).toThrow(expect.objectContaining({ status: 403, message: 'The exit decision 退出决定 needs one of the roles: committee_leader' }));
    expect(() => decide({ project: project(4) })).toThrow(expect.objectContaining({ status: 409, message: "The exit decision is taken at the ladder's exit rung (L5); project prj-1 is at L4", errors: [{ path: 'path.id', code: 'state', message: 'at L4' }] }));
    expect(() => decide({ project: project(5, { status: 'EXITED' }) })).toThrow(expect.objectContaining({ status: 409, message: 'Project prj-1 is EXITED', errors: [{ path: 'path.id', code: 'state', message: 'is EXITED' }] }));
    const running = decide().project;
    expect(() => decide({ project: running })).toThrow(expect.objectContaining({ status: 409, message: 'The exit of project prj-1 is decided (prj-1-EXIT-1)', errors: [{ path: 'path.id', code: 'state', message: 'being exited 退出程序 (decided)' }] }));
    const none = 'No compliance check 履约核查 (L4) of this climb is on record for project prj-1: an exit rests on one (record it at exit pending)';
    // The project is what lacks the check (path.id); a check that found no breach refuses the decision sent (`decision`:
    // extend is taken) — each named in errors[], as every other refusal of the route is.
    const noCheck = [{ path: 'path.id', code: 'state', message: 'no compliance check 履约核查 of this climb on record' }];
    expect(() => decide({ latestCheck: undefined })).toThrow(expect.objectContaining({ status: 409, message: none, errors: noCheck }));
    // A check from an earlier climb (before an extension put the ladder back) does not carry an exit now.
    expect(() => decide({ latestCheck: { ...check(true), recordedAt: '2026-06-01T02:00:00.000Z' } })).toThrow(expect.objectContaining({ status: 409, message: none, errors: noCheck }));
    expect(() => decide({ latestCheck: check(false) })).toThrow(
      expect.objectContaining({ status: 409, message: 'The compliance check no. 2 (2026-10-09) found no clause breached: extend instead of exiting', errors: [{ path: 'decision', code: 'state', message: 'compliance check no. 2 found no clause breached: only extend' }] }),
    );
    expect(() => extendDate({ decision: 'extend', reason: 'x' })).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'newDueDate', code: 'required', message: 'required when decision is extend' }] }));
    expect(extendDate({ decision: 'extend', reason: 'x', newDueDate: '2026-12-01' })).toBe('2026-12-01');
    expect(() => assertNoExitUnderway(running, 'No extension')).toThrow(expect.objectContaining({ status: 409, message: 'No extension: project prj-1 is being exited 退出程序 (decided, prj-1-EXIT-1)', errors: [{ path: 'path.id', code: 'state', message: 'being exited 退出程序 (decided)' }] }));
    expect(() => assertNoExitUnderway(project(5), 'x')).not.toThrow();
    expect(() => assertNoExitUnderway({ ...running, exit: { ...running.exit!, status: 'done' } }, 'x')).not.toThrow();
  });

  it('each step works on its own execution only and is recorded once; close ends the project, the ladder and the lifecycle', () => {
    const decided = decide().project;
    expect(exitFor(decided, 'prj-1-EXIT-1')).toBe(decided.exit);
    expect(() => exitFor(decided, 'prj-1-EXIT-9')).toThrow(ExitRefused);
    expect(new ExitRefused('x').name).toBe('ExitRefused');
    expect(() => exitFor(project(5), 'prj-1-EXIT-1')).toThrow('Execution prj-1-EXIT-1 is not the exit of project prj-1 (none decided)');
    expect(() => exitFor({ ...decided, status: 'COMPLETED' }, 'prj-1-EXIT-1')).toThrow(ExitRefused);
    const checked = stepDone(decided.exit!, 'check', now);
    expect(checked).toMatchObject({ status: 'running', steps: { check: now.toISOString() } });
    const released = stepDone(checked, 'release', now, { released: ['rsv-1'] });
    expect(released).toMatchObject({ released: ['rsv-1'], steps: { check: now.toISOString(), release: now.toISOString() } });
    const withWorkflow = { ...decided, workflow: { segment: 1, executionName: 'prj-1-GROUNDBREAKING-1', startedAt: now.toISOString(), status: 'running' as const }, stalled: true };
    const closed = closeExited(withWorkflow, released, now);
    expect(closed).toMatchObject({ status: 'EXITED', escalation: { level: 0, name: 'NONE' }, stalled: false, workflow: { status: 'ended' }, exit: { status: 'done', failure: null, steps: { close: now.toISOString() } } });
    // After the end, a redelivered step has nothing to do.
    expect(exitFor(closed, 'prj-1-EXIT-1')).toBeUndefined();
  });

  it('a failed execution is recorded for its exit only, and ops redrive only a failed exit', () => {
    const decided = decide().project;
    const failed = exitFailed(decided, 'prj-1-EXIT-1', 'SimulatedCrash', 'boom', now)!;
    expect(failed.exit).toMatchObject({ status: 'failed', failure: { at: now.toISOString(), error: 'SimulatedCrash', cause: 'boom' } });
    expect(exitFailed(decided, 'prj-1-EXIT-2', 'E', '', now)).toBeUndefined();
    expect(exitFailed(failed, 'prj-1-EXIT-1', 'E', '', now)).toBeUndefined();
    // A failure after a redrive has a higher redrive count: recorded (the console's redrive too); a late copy of an
    // earlier failure after a redrive is not.
    const again = exitFailed(failed, 'prj-1-EXIT-1', 'E2', 'again', now, 1)!;
    expect(again.exit).toMatchObject({ status: 'failed', failure: { error: 'E2', redriveCount: 1 } });
    expect(exitFailed(redriveRequested(again), 'prj-1-EXIT-1', 'SimulatedCrash', 'boom', now, 0)).toBeUndefined();
    expect(exitFailed(redriveRequested(again), 'prj-1-EXIT-1', 'E3', '', now, 2)!.exit!.status).toBe('failed');
    expect(exitFailed(project(5), 'prj-1-EXIT-1', 'E', '', now)).toBeUndefined();
    expect(exitFailed(closeExited(decided, decided.exit!, now), 'prj-1-EXIT-1', 'E', '', now)).toBeUndefined();
    expect(exitFailed(decided, 'prj-1-EXIT-1', 'E', 'x'.repeat(5000), now)!.exit!.failure!.cause).toHaveLength(1000);
    expect(redriveRequested(failed).exit).toMatchObject({ status: 'running', redrives: 1, failure: { error: 'SimulatedCrash' } });
    expect(() => redriveRequested(decided)).toThrow(expect.objectContaining({ status: 409, message: 'The exit of project prj-1 is decided: only a failed exit is redriven', errors: [{ path: 'path.id', code: 'state', message: 'exit decided' }] }));
    expect(() => redriveRequested(project(5))).toThrow(expect.objectContaining({ status: 409, message: 'The exit of project prj-1 is not decided: only a failed exit is redriven', errors: [{ path: 'path.id', code: 'state', message: 'exit not decided' }] }));
    // A late failure event of an exit that finished (the project EXITED) records nothing, whatever the record says.
    expect(exitFailed({ ...decided, status: 'EXITED' }, 'prj-1-EXIT-1', 'E', '', now)).toBeUndefined();
  });
});
