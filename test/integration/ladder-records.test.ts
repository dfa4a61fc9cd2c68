// The ladder's records and the exit decision through the API, on DynamoDB Local with the workflow port faked (the
// real state machines are in lifecycle-exit.test.ts): the joint assessment concluded to continue (the plan as tasks,
// the ladder held), the extend decision at exit pending (the planned completion moved), an exit refused without a
// breach, an idempotent exit decision starting its execution once through the outbox, a failed exit redriven — and,
// where it can no longer be redriven, taken over by the next attempt.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import { startOnWorkday } from '../support/workday-clock.ts';

const store = isolatedStore('ladder');
// These tests expect the rungs owed "today", raised on working days only: on a weekend, the coming Monday.
startOnWorkday();
const workflow = registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: listTasks } = await import('../../functions/lifecycle/http/list-tasks.ts');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: assess } = await import('../../functions/supervision/http/record-assessment.ts');
const { handler: interview } = await import('../../functions/supervision/http/record-interview.ts');
const { handler: check } = await import('../../functions/supervision/http/record-compliance-check.ts');
const { handler: decideExit } = await import('../../functions/supervision/http/decide-exit.ts');
const { handler: redrive } = await import('../../functions/supervision/http/redrive-exit.ts');
const { handler: ladder } = await import('../../functions/supervision/http/get-ladder.ts');
const { handler: exitStep } = await import('../../functions/supervision/steps/exit-step.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const projects = await import('../../functions/projects/store/projects.ts');
const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { clock } = await import('../../functions/kernel/runtime/clock.ts');
const { seedConfig } = await import('../support/config.ts');
const { listAudit } = await import('../../functions/kernel/store/audit.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
/** A role's inbox, for one project. */
const inbox = async (recipient: string, projectId: string) =>
  ((await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient } }))).Items ?? []).filter((n) => n.projectId === projectId) as { kind: string; body: string }[];

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => {
  delete process.env.ZONEFLOW_CLOCK_START;
  return store.destroy();
});

const today = () => shanghaiDate(clock.now());
/** `days` calendar days from today, moved to a working day (an extension's date must be one; this store has no calendar loaded: Monday–Friday). */
const workingDayAfter = (days: number) => {
  let d = addCalendarDays(today(), days);
  while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addCalendarDays(d, 1);
  return d;
};
const NAMES = ['NONE', 'URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING'];

/** An admitted project put on rung `level` since today (as the workflow's review would have left it). */
async function onRung(level: number, over: Record<string, unknown> = {}): Promise<string> {
  const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000 }) }));
  await call(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created.body.id }, body: { decision: 'approve' } }));
  const p = (await projects.getProject(created.body.id))!;
  const escalation = { level, name: NAMES[level]!, since: today(), trigger: { kind: 'start_overdue', item: 'GROUNDBREAKING.start_of_works', label: '开工', since: '2026-01-05' }, next: { step: NAMES[level + 1] ?? 'EXIT_DECISION', dueDate: addCalendarDays(today(), 14) } };
  await transact(projects.replaceProject({ ...p, escalation, ...over, version: p.version + 1 } as never, p));
  return p.id;
}

const view = async (id: string) => (await call<{ escalation: { level: number; name: string; next: { dueDate: string } | null; extendedUntil?: string }; plannedCompletion: string | null; exit: { status: string; execution: string; redrives: number } | null }>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }))).body;
const breach = () => ({ checkedOn: today(), findings: [{ clause: '第七条 开工时限', finding: '未按期开工', breached: true }], summary: '违约' });

describe('the joint assessment concluded to continue', () => {
  it('turns every department’s plan items into tasks and holds the ladder at L3 until the plan’s last date', async () => {
    const id = await onRung(3);
    const due = (days: number) => addCalendarDays(today(), days);
    const people = [users.investmentOfficer, users.resourcesOfficer, { ...users.supervisionOfficer, roles: ['construction_dept'] as never }, users.huitongParkCenter];
    const replies = [];
    for (const [i, who] of people.entries()) {
      replies.push(await call<{ pending: string[]; outcome: { decision: string; planUntil: string; taskIds: string[] } | null }>(assess, apiEvent('POST /projects/{id}/assessments', { as: who, params: { id }, body: { decision: 'continue', comment: '限期整改', plan: [{ item: `整改事项${i + 1}`, ...(i === 0 ? { itemEn: 'Resume works on site' } : {}), owner: 'enterprise', dueDate: due(30 + i * 10) }] } })));
    }
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(replies[0]!.body.pending).toEqual(['resources_bureau', 'construction_dept', 'park_center']);
    expect(replies[3]!.body.outcome).toMatchObject({ decision: 'continue', planUntil: due(60) });
    const tasks = (await call<{ items: { id: string; code: string; name: string; nameEn: string; dueDate: string; dueDateSet: string; yellowDate: string; lead: string }[] }>(listTasks, apiEvent('GET /projects/{id}/tasks', { as: users.committeeLeader, params: { id }, query: { limit: '100' } }))).body.items.filter((t) => t.code === 'rectification');
    expect(tasks.map((t) => [t.lead, t.dueDateSet])).toEqual([0, 1, 2, 3].map((i) => ['enterprise', due(30 + i * 10)]));
    // In English as the department wrote it, else named by the round it came from (never the Chinese text as English).
    expect(tasks.map((t) => [t.name, t.nameEn])).toEqual([
      ['整改事项1', 'Resume works on site'],
      ...[2, 3, 4].map((n) => [`整改事项${n}`, `Rectification (joint assessment round 1): 整改事项${n}`]),
    ]);
    // Scheduled as they are made: a date on a rest day moved to the next working day (within a weekend), a yellow date.
    for (const t of tasks) expect(t.dueDate >= t.dueDateSet && t.dueDate <= addCalendarDays(t.dueDateSet, 2) && t.yellowDate < t.dueDate).toBe(true);
    expect((await view(id)).escalation).toMatchObject({ level: 3, next: { dueDate: due(60) } });
    const file = (await call<{ assessments: { decisions: unknown[]; outcome: { decision: string } }[] }>(ladder, apiEvent('GET /projects/{id}/ladder', { as: users.supervisionOfficer, params: { id } }))).body;
    expect(file.assessments).toHaveLength(1);
    expect(file.assessments[0]!.decisions).toHaveLength(4);
    expectProblem(await call(ladder, apiEvent('GET /projects/{id}/ladder', { as: users.enterpriseA, params: { id } })), 403);
  });
});

describe('work agreed on the ladder, dated in a year with no calendar (this store has none loaded)', () => {
  // Ops are told of such a year once a project and year, in the change that dates the work: an interview's commitments
  // and a joint assessment's plan were flagged calendarProvisional and nobody was told.
  const provisionalTold = async (id: string) => (await inbox('OPS', id)).filter((n) => n.kind === 'calendar.provisional');

  it('an interview with commitments tells ops of the year', async () => {
    const id = await onRung(2);
    expect(await provisionalTold(id)).toHaveLength(0);
    const reply = await call(interview, apiEvent('POST /projects/{id}/interviews', { as: users.committeeLeader, params: { id }, body: { heldOn: today(), attendees: ['企业法人'], summary: '约谈', commitments: [{ item: '月底前复工', owner: 'enterprise', dueDate: addCalendarDays(today(), 20) }] } }));
    expect(reply.status, reply.text).toBe(201);
    const told = await provisionalTold(id);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('月底前复工');
  });

  it('a joint assessment concluded with a plan tells ops of the year, once for the round', async () => {
    const id = await onRung(3);
    const people = [users.investmentOfficer, users.resourcesOfficer, { ...users.supervisionOfficer, roles: ['construction_dept'] as never }, users.huitongParkCenter];
    for (const [i, who] of people.entries()) {
      const reply = await call(assess, apiEvent('POST /projects/{id}/assessments', { as: who, params: { id }, body: { decision: 'continue', comment: '限期整改', plan: [{ item: `限期整改${i + 1}`, owner: 'enterprise', dueDate: addCalendarDays(today(), 30 + i) }] } }));
      expect(reply.status, reply.text).toBe(201);
    }
    const told = await provisionalTold(id);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('限期整改1');
  });
});

describe('the joint assessment’s plan, every department’s items together', () => {
  it('holds at most 75 items: a plan that would pass it is 400 on plan (nothing written), never a conclusion too large to commit (500)', async () => {
    const id = await onRung(3);
    const owners = ['enterprise', 'resources_bureau', 'construction_dept', 'park_center', 'approval_office', 'eco_bureau', 'soe', 'investment_dept'] as const;
    const plan = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ item: `${tag}整改${i}`, owner: owners[i % owners.length], dueDate: addCalendarDays(today(), 30) }));
    const people = [users.investmentOfficer, users.resourcesOfficer, { ...users.supervisionOfficer, roles: ['construction_dept'] as never }, users.huitongParkCenter];
    const decide = (i: number, n: number) => call(assess, apiEvent('POST /projects/{id}/assessments', { as: people[i]!, params: { id }, body: { decision: 'continue', comment: '限期整改', plan: plan(`部门${i}`, n) } }));
    for (const i of [0, 1, 2]) expect((await decide(i, 22)).status).toBe(201);
    const over = await decide(3, 25);
    expect(expectProblem(over, 400, ['plan']).errors?.[0]?.message).toBe("a round's rectification plan holds at most 75 items: the departments named 66 before, 9 more fit");
    const last = await call<{ outcome: { decision: string; taskIds: string[] } }>(assess, apiEvent('POST /projects/{id}/assessments', { as: people[3]!, params: { id }, body: { decision: 'continue', comment: '限期整改', plan: plan('部门3', 9) } }));
    expect(last.status, last.text).toBe(201);
    expect(last.body.outcome).toMatchObject({ decision: 'continue' });
    expect(last.body.outcome.taskIds).toHaveLength(75);
  });
});

describe('the exit decision', () => {
  it('extend at exit pending: back to level 0 until the new date, a planned completion before it moved to it', async () => {
    const id = await onRung(5, { plannedCompletion: '2026-06-30', stage: 'CONSTRUCTION' });
    const newDueDate = workingDayAfter(90);
    const extended = await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'extend', reason: '企业增资到位', newDueDate } }));
    expect(extended.status, extended.text).toBe(200);
    expect(await view(id)).toMatchObject({ escalation: { level: 0, extendedUntil: newDueDate }, plannedCompletion: newDueDate, exit: null });
  });

  it('is refused when the compliance check found no breach, and starts its execution once when it did', async () => {
    const id = await onRung(4);
    const honoured = await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: { ...breach(), findings: [{ clause: '第七条', finding: '已开工', breached: false }] } }));
    expect(honoured.status, honoured.text).toBe(201);
    expect((await view(id)).escalation.level).toBe(5);
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } })), 409);

    const other = await onRung(4);
    expect((await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id: other }, body: breach() }))).status).toBe(201);
    // One check a climb: a later one at exit pending (ten at once, saying no clause is breached) cannot override it.
    const later = await Promise.all(Array.from({ length: 10 }, () => call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id: other }, body: { ...breach(), findings: [{ clause: '第七条', finding: '已开工', breached: false }] } }))));
    for (const reply of later) expect(expectProblem(reply, 409).detail).toContain('Compliance check no. 1 is on record for this rung');
    expect((await call<{ complianceChecks: unknown[] }>(ladder, apiEvent('GET /projects/{id}/ladder', { as: users.supervisionOfficer, params: { id: other } }))).body.complianceChecks).toHaveLength(1);
    const headers = { 'idempotency-key': `exit-${other}` };
    const first = await call<{ exit: { execution: string } }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id: other }, body: { decision: 'exit', reason: '违约' }, headers }));
    const replay = await call<{ exit: { execution: string } }>(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id: other }, body: { decision: 'exit', reason: '违约' }, headers }));
    expect([first.status, replay.status]).toEqual([202, 202]);
    expect(replay.body).toEqual(first.body);
    await store.deliverSignals();
    await store.deliverSignals();
    expect(workflow.exits.filter((e) => e.input.projectId === other)).toEqual([{ name: `${other}-EXIT-1`, input: { projectId: other } }]);
    // A restarted local runtime starts again every exit under way (its executions lived in the previous process).
    const { resumeActiveLifecycles } = await import('../../local/resume.ts');
    await resumeActiveLifecycles(workflow);
    expect(workflow.exits.filter((e) => e.input.projectId === other).map((e) => e.name)).toEqual([`${other}-EXIT-1`, `${other}-EXIT-1`]);
    expect(workflow.exits.filter((e) => e.input.projectId === id)).toEqual([]);
  });

  it('a failed exit is redriven; one that can no longer be is taken over by the next attempt, started once', async () => {
    const id = await onRung(4);
    await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: breach() }));
    const decided = await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } }));
    expect(decided.status).toBe(202);
    // A 202 says where its outcome shows (the project's exit.status), as a resumed lifecycle's does.
    expect(decided.headers.location).toBe(`/projects/${id}`);
    await store.deliverSignals();
    const name = `${id}-EXIT-1`;
    expectProblem(await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: users.opsEngineer, params: { id }, body: { reason: '未失败' } })), 409);

    // The machine reports the execution failed: recorded on the project, ops told.
    const event = (execution: string, redriveCount = 0) => ({ 'detail-type': 'Step Functions Execution Status Change', detail: { name: execution, status: 'FAILED', input: JSON.stringify({ projectId: id }), error: 'States.TaskFailed', cause: 'boom', redriveCount } });
    // Its log lines name the execution as every lifecycle line does (`executionName`: the runbook's search key).
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line)) as Record<string, unknown>));
    try {
      expect(await exitStep(event(name) as never)).toEqual({ recorded: true });
      expect(await exitStep(event(name) as never)).toEqual({ recorded: false });
    } finally {
      spy.mockRestore();
    }
    expect(lines.find((l) => l.message === 'exit execution failed')).toMatchObject({ projectId: id, executionName: name });
    expect((await view(id)).exit).toMatchObject({ status: 'failed', execution: name });

    // Redrivable: redriven in place.
    workflow.redrivable.add(name);
    const redriven = await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: users.opsEngineer, params: { id }, body: { reason: '已修复' } }));
    expect(redriven.status).toBe(202);
    expect(redriven.headers.location).toBe(`/projects/${id}`);
    await store.deliverSignals();
    expect(workflow.redrives.filter((r) => r === name)).toHaveLength(1);
    expect((await view(id)).exit).toMatchObject({ status: 'running', execution: name, redrives: 1 });

    // A late copy of the first failure changes nothing now; the redriven execution's own failure is recorded.
    expect(await exitStep(event(name) as never)).toEqual({ recorded: false });
    expect(await exitStep(event(name, 1) as never)).toEqual({ recorded: true });
    // Failed again and no longer redrivable (on AWS after 14 days; locally after a restart): the next attempt.
    workflow.redrivable.delete(name);
    workflow.statuses.set(name, 'FAILED');
    expect((await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: users.opsEngineer, params: { id }, body: { reason: '再试' } }))).status).toBe(202);
    const warned: Record<string, unknown>[] = [];
    const warnSpy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void warned.push(JSON.parse(String(line)) as Record<string, unknown>));
    try {
      await store.deliverSignals();
      await store.deliverSignals();
    } finally {
      warnSpy.mockRestore();
    }
    expect(warned.find((l) => String(l.message).startsWith('exit execution not redrivable'))).toMatchObject({ projectId: id, executionName: name, next: `${id}-EXIT-2` });
    expect((await view(id)).exit).toMatchObject({ status: 'decided', execution: `${id}-EXIT-2`, redrives: 2 });
    expect(workflow.exits.filter((e) => e.input.projectId === id).map((e) => e.name)).toEqual([name, `${id}-EXIT-2`]);
    // The old execution's late failure changes nothing now.
    expect(await exitStep(event(name, 5) as never)).toEqual({ recorded: false });
  });
});

describe('a rung the midnight review owed before a decision (the review fell behind its clock)', () => {
  const ladderEvents = async (id: string) =>
    (await listAudit(`PROJECT#${id}`, 100)).items
      .filter((e) => e.action.startsWith('escalation.') || e.action.startsWith('exit.'))
      .map((e) => [e.action, (e.after as { level?: number }).level, (e.after as { atChange?: boolean }).atChange ?? false]);
  /** On rung `level`, in construction with its planned completion long past (the trigger stands), the window ending `windowEnds`. */
  const overdueOnRung = (level: number, windowEnds: string) =>
    onRung(level, {
      stage: 'CONSTRUCTION',
      plannedCompletion: '2026-01-05',
      escalation: { level, name: NAMES[level]!, since: addCalendarDays(windowEnds, -20), trigger: { kind: 'completion_overdue', item: 'completion', label: '逾期竣工', since: '2026-01-05' }, next: { step: NAMES[level + 1] ?? 'EXIT_DECISION', dueDate: windowEnds } },
    });
  const extension = async (id: string) => {
    const { handler: grantExtension } = await import('../../functions/supervision/http/grant-extension.ts');
    return call(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id }, body: { reason: '企业融资到位', newDueDate: workingDayAfter(60) } }));
  };

  it('an extension on a rung whose window ended records the next rung first (atChange), then the extension from it', async () => {
    const id = await overdueOnRung(2, addCalendarDays(today(), -3));
    const reply = await extension(id);
    expect(reply.status, reply.text).toBe(200);
    expect(await ladderEvents(id)).toEqual([
      ['escalation.raised', 3, true],
      ['escalation.extended', 0, false],
    ]);
    const events = (await listAudit(`PROJECT#${id}`, 100)).items;
    const extended = events.find((e) => e.action === 'escalation.extended')!;
    expect(extended.before).toMatchObject({ escalation: { level: 3, trigger: { kind: 'completion_overdue' } } });
    expect((await view(id)).escalation).toMatchObject({ level: 0, extendedUntil: workingDayAfter(60) });
    // Supervision hears of the extension from the rung it knew (L2); of the owed L3 nobody hears.
    const told = await inbox('DEPT#supervision_office', id);
    expect(told.map((n) => n.kind)).toEqual(['escalation.reset']);
    expect(told[0]!.body).toContain('由L2恢复正常');
    // The enterprise is told its new date, and that the ladder is lifted from the rung it knew.
    const enterprise = await inbox(`ENTERPRISE#${(await projects.getProject(id))!.investor.enterpriseId}`, id);
    expect(enterprise.filter((n) => n.kind === 'escalation.extended').map((n) => n.body)).toEqual([expect.stringContaining(`管委会批准延期至${workingDayAfter(60)}`)]);
    expect(enterprise.find((n) => n.kind === 'escalation.extended')!.body).toContain('督办由L2解除');
  });

  it('an extension while an earlier one is still in force records only itself', async () => {
    const id = await onRung(0, { stage: 'CONSTRUCTION', plannedCompletion: '2026-01-05', escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null, extendedUntil: addCalendarDays(today(), 5) } });
    expect((await extension(id)).status).toBe(200);
    // Off the ladder, the enterprise is still told its new date (nobody else: there was no rung to lift).
    const enterprise = await inbox(`ENTERPRISE#${(await projects.getProject(id))!.investor.enterpriseId}`, id);
    expect(enterprise.filter((n) => n.kind === 'escalation.extended').map((n) => n.body)).toEqual([expect.not.stringContaining('解除')]);
    expect((await inbox('DEPT#supervision_office', id)).filter((n) => n.kind.startsWith('escalation.'))).toEqual([]);
    expect(await ladderEvents(id)).toEqual([['escalation.extended', 0, false]]);
    // The same extension again, ten at once (resent, no Idempotency-Key): nothing to change, 409 each, nothing recorded.
    const again = await Promise.all(Array.from({ length: 10 }, () => extension(id)));
    for (const r of again) expectProblem(r, 409, ['newDueDate']);
    expect(await ladderEvents(id)).toEqual([['escalation.extended', 0, false]]);
  });

  it('at level 0 in construction, a site stalled by the rule that no review flagged owes L1 before the extension', async () => {
    const id = await onRung(0, { stage: 'CONSTRUCTION', stalled: false, progress: { constructionPct: 10, equipmentPct: 0, reportedOn: addCalendarDays(today(), -60) }, escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null } });
    expect((await extension(id)).status).toBe(200);
    expect(await ladderEvents(id)).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.extended', 0, false],
    ]);
    const raised = (await listAudit(`PROJECT#${id}`, 100)).items.find((e) => e.action === 'escalation.raised')!;
    expect(raised.after).toMatchObject({ trigger: { kind: 'stalled', since: addCalendarDays(today(), -60) } });
    // Reported recently: not stalled, nothing owed.
    const fresh = await onRung(0, { stage: 'CONSTRUCTION', stalled: false, progress: { constructionPct: 10, equipmentPct: 0, reportedOn: addCalendarDays(today(), -3) }, escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null } });
    expect((await extension(fresh)).status).toBe(200);
    expect(await ladderEvents(fresh)).toEqual([['escalation.extended', 0, false]]);
  });

  it('extend at exit pending whose window ended records the reminder owed first', async () => {
    const id = await overdueOnRung(5, addCalendarDays(today(), -2));
    const reply = await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'extend', reason: '企业增资到位', newDueDate: workingDayAfter(60) } }));
    expect(reply.status, reply.text).toBe(200);
    expect(await ladderEvents(id)).toEqual([
      ['escalation.exit_reminder', undefined, true],
      ['exit.extended', 0, false],
    ]);
  });

  it('an extension within the window, or with nothing overdue, records only itself', async () => {
    const within = await overdueOnRung(2, addCalendarDays(today(), 3));
    expect((await extension(within)).status).toBe(200);
    expect(await ladderEvents(within)).toEqual([['escalation.extended', 0, false]]);
    const idle = await onRung(0, { escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null } });
    expect((await extension(idle)).status).toBe(200);
    expect(await ladderEvents(idle)).toEqual([['escalation.extended', 0, false]]);
  });

  it('at level 0 with work past its grace, an extension records the L1 owed first', async () => {
    const id = await onRung(0, { stage: 'CONSTRUCTION', plannedCompletion: '2026-01-05', escalation: { level: 0, name: 'NONE', since: null, trigger: null, next: null } });
    expect((await extension(id)).status).toBe(200);
    expect(await ladderEvents(id)).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.extended', 0, false],
    ]);
  });

  it('an extension the committee leader may not grant (the date) records nothing, not even the rung owed', async () => {
    const id = await overdueOnRung(2, addCalendarDays(today(), -3));
    const { handler: grantExtension } = await import('../../functions/supervision/http/grant-extension.ts');
    expectProblem(await call(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id }, body: { reason: '日期有误', newDueDate: today() } })), 400, ['newDueDate']);
    expect(await ladderEvents(id)).toEqual([]);
    expect((await view(id)).escalation.level).toBe(2);
  });

  it('an extension to a rest day is refused on newDueDate, naming the next working day; nothing is recorded', async () => {
    const id = await overdueOnRung(2, addCalendarDays(today(), 3));
    const { handler: grantExtension } = await import('../../functions/supervision/http/grant-extension.ts');
    let saturday = addCalendarDays(today(), 30);
    while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6) saturday = addCalendarDays(saturday, 1);
    const monday = addCalendarDays(saturday, 2);
    const refused = await call<{ errors: { path: string; code: string; message: string }[] }>(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id }, body: { reason: '企业融资到位', newDueDate: saturday } }));
    expectProblem(refused, 400, ['newDueDate']);
    expect(refused.body.errors[0]).toMatchObject({ code: 'out_of_range', message: expect.stringContaining(monday) });
    // The same at exit pending (decision extend).
    const l5 = await overdueOnRung(5, addCalendarDays(today(), 3));
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id: l5 }, body: { decision: 'extend', reason: '企业增资到位', newDueDate: saturday } })), 400, ['newDueDate']);
    expect(await ladderEvents(id)).toEqual([]);
    expect(await ladderEvents(l5)).toEqual([]);
    expect((await view(id)).escalation).toMatchObject({ level: 2 });
    // The working day it names is taken.
    const granted = await call(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id }, body: { reason: '企业融资到位', newDueDate: monday } }));
    expect(granted.status, granted.text).toBe(200);

    // An extension to a rest day granted before such dates were refused, sent again: in force already (409), not a 400.
    const earlier = await onRung(0, {});
    const p = (await projects.getProject(earlier))!;
    await transact(projects.replaceProject({ ...p, escalation: { ...p.escalation, level: 0, name: 'NONE', extendedUntil: saturday }, version: p.version + 1 } as never, p));
    const again = await call<{ errors: { code: string }[] }>(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id: earlier }, body: { reason: '企业融资到位', newDueDate: saturday } }));
    expectProblem(again, 409, ['newDueDate']);
    expect(again.body.errors[0]!.code).toBe('state');
  });

  it('the exit decision at exit pending whose window ended records the reminder owed first; the ladder then stands still', async () => {
    const id = await overdueOnRung(4, addCalendarDays(today(), 20));
    expect((await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: breach() }))).status).toBe(201);
    // The reminder's window at L5 ended without the review running (as a review fallen behind leaves it).
    const p = (await projects.getProject(id))!;
    const windowEnds = addCalendarDays(today(), -2);
    await transact(projects.replaceProject({ ...p, escalation: { ...p.escalation, next: { step: 'EXIT_DECISION', dueDate: windowEnds } }, version: p.version + 1 }, p));
    const reply = await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } }));
    expect(reply.status, reply.text).toBe(202);
    expect((await ladderEvents(id)).slice(-2)).toEqual([
      ['escalation.exit_reminder', undefined, true],
      ['exit.decided', undefined, false],
    ]);
    // The ladder stands still from the decision: the reminder's next window is on its event, not carried onto the project.
    const after = await view(id);
    expect(after.escalation).toMatchObject({ level: 5, next: { dueDate: windowEnds } });
    expect(after.exit).toMatchObject({ status: 'decided' });
    const reminder = (await listAudit(`PROJECT#${id}`, 100)).items.find((e) => e.action === 'escalation.exit_reminder')!;
    expect((reminder.after as { next: { dueDate: string } }).next.dueDate > windowEnds).toBe(true);
    // The committee leader is not reminded of a decision taken at that moment.
    expect((await inbox('DEPT#committee_leader', id)).map((n) => n.kind)).not.toContain('escalation.exit_reminder');
  });
});

describe('while an exit is under way', () => {
  it('refuses extensions, new holdings and another compliance check; a start refused for good is a failed exit', async () => {
    const id = await onRung(4);
    await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: breach() }));
    expect((await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'exit', reason: '违约' } }))).status).toBe(202);
    const newDueDate = workingDayAfter(30);
    expectProblem(await call(decideExit, apiEvent('POST /projects/{id}/exit', { as: users.committeeLeader, params: { id }, body: { decision: 'extend', reason: '再给机会', newDueDate } })), 409);
    const { handler: grantExtension } = await import('../../functions/supervision/http/grant-extension.ts');
    expectProblem(await call(grantExtension, apiEvent('POST /projects/{id}/extension', { as: users.committeeLeader, params: { id }, body: { reason: '再给机会', newDueDate } })), 409);
    expectProblem(await call(check, apiEvent('POST /projects/{id}/compliance-checks', { as: users.supervisionOfficer, params: { id }, body: breach() })), 409);
    const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.opsEngineer, params: { id }, body: { bucket: 'clearance', amountCny: 1000, purpose: '追加' } })), 409);
    const { handler: createResource } = await import('../../functions/inventory/http/create-resource.ts');
    const { handler: reserve } = await import('../../functions/inventory/http/reserve-resource.ts');
    const { parcelBody } = await import('../support/inventory.ts');
    const parcel = await call<{ id: string }>(createResource, apiEvent('POST /inventory/{kind}', { as: users.resourcesOfficer, params: { kind: 'parcels' }, body: parcelBody({ code: `EXIT-${id.slice(-6)}` }) }));
    expect(parcel.status, parcel.text).toBe(201);
    expectProblem(await call(reserve, apiEvent('POST /projects/{id}/reservations', { as: users.huitongParkCenter, params: { id }, body: { kind: 'parcels', resourceId: parcel.body.id } })), 409);

    // Step Functions refuses the start for good (rights, a missing machine): the exit is failed, not stuck "decided".
    workflow.exitFailure = Object.assign(new Error('not authorized to perform states:StartExecution'), { name: 'AccessDeniedException' });
    try {
      await store.deliverSignals();
    } finally {
      workflow.exitFailure = undefined;
    }
    expect((await view(id)).exit).toMatchObject({ status: 'failed', execution: `${id}-EXIT-1` });
    // Fixed: ops redrive it — never started, so it cannot be redriven in place: the next attempt starts.
    expect((await call(redrive, apiEvent('POST /projects/{id}/exit/redrive', { as: users.opsEngineer, params: { id }, body: { reason: '权限已修复' } }))).status).toBe(202);
    await store.deliverSignals();
    await store.deliverSignals();
    expect((await view(id)).exit).toMatchObject({ status: 'decided', execution: `${id}-EXIT-2` });
    expect(workflow.exits.filter((e) => e.input.projectId === id).map((e) => e.name)).toEqual([`${id}-EXIT-1`, `${id}-EXIT-2`]);
  });
});

describe('the planned completion 计划竣工', () => {
  it('is fixed only at the groundbreaking gate meeting: 400 naming the field elsewhere', async () => {
    const id = await onRung(0);
    const reply = await call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today(), attendees: ['管委会'], decisions: ['同意'], followUps: [], plannedCompletionDate: addCalendarDays(today(), 400) } }));
    expectProblem(reply, 400, ['plannedCompletionDate']);
  });
});
