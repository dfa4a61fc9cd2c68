// A gate passes with the decision that completes it — the round's last approval, or the meeting when the approvals are
// in — in that decision's own transaction, on its day: the project is in its next stage when the answer comes back,
// before any workflow runs (none runs here), and the next stage is entered with it — its tasks on their clocks from
// that day, not from when the lifecycle reaches the stage. The escalation ladder resets with the pass and, when work that outlives
// the stage is still overdue, climbs back to L1 in the same transaction, with its urging letter.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { startOnWorkday } from '../support/workday-clock.ts';
import { apiEvent, call, users, type User } from '../support/events.ts';
import type { Project } from '../../functions/projects/domain/project.ts';
import type { Task } from '../../functions/lifecycle/domain/task.ts';

const store = isolatedStore('gate-pass');
// The pass climbs to L1 "today", raised on working days only: on a weekend, the coming Monday.
startOnWorkday();
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: decideGate } = await import('../../functions/lifecycle/http/decide-gate.ts');
const { getGate, listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
const { listLetters } = await import('../../functions/supervision/store/letters.ts');
const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');
const { handler: enterStage } = await import('../../functions/lifecycle/steps/enter-stage.ts');
const { getStageEntry } = await import('../../functions/lifecycle/store/stage.ts');
const { DEFAULT_CONFIG, MAX_TASKS_PER_STAGE } = await import('../../functions/reference/domain/config.ts');
const { seedConfig, publishTestConfig } = await import('../support/config.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => {
  delete process.env.ZONEFLOW_CLOCK_START;
  return store.destroy();
});

type Escalation = Project['escalation'];

/** An ACTIVE project in SIGNING with every task done and its gate open; optionally on a rung and with an overdue 容缺 obligation. */
async function project(opts: { escalation?: Escalation; overdueObligation?: boolean } = {}) {
  // The signing gate of a land project waits for a parcel reservation (config/inventory gateNeeds): it holds one.
  const reservations = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'parcel-1', amount: 1, status: 'reserved' as const }];
  const obligation = (first: Task): Task => ({ ...first, id: 'SIGNING.obligation-1', code: 'obligation', kind: 'obligation', status: 'open', completion: undefined, startedDate: addCalendarDays(today, -40), dueDate: addCalendarDays(today, -30), after: [], requiredForGate: false, limitWd: null });
  const { project: p } = await signingGateProject({
    prefix: 'gp',
    startedDaysAgo: 40,
    tasksDone: true,
    project: { reservations, ...(opts.escalation ? { escalation: opts.escalation } : {}) },
    extraTasks: (first) => (opts.overdueObligation ? [obligation(first)] : []),
  });
  return p;
}

const approve = (id: string, as: User) => call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as, params: { id, stage: 'SIGNING' }, body: { decision: 'approve' } }));
const meet = (id: string) => call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps: [] } }));
const approvers = [users.committeeLeader, users.investmentOfficer, users.resourcesOfficer];
const actions = async (id: string) => (await store.audit(`PROJECT#${id}`)).map((e) => String(e.action));
const landing = async (id: string) => (await listTasks(id)).filter((t) => t.stage === 'LANDING');
/** The default matrix's LANDING tasks for a land project. */
const LANDING_TASKS = DEFAULT_CONFIG.matrix.tasks.filter((t) => t.stage === 'LANDING' && t.siteModes.includes('land'));
const inbox = async (projectId: string) => ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).filter((n) => n.projectId === projectId);
const passed = async (id: string) => {
  await meet(id);
  for (const as of approvers) expect((await approve(id, as)).status).toBe(201);
  expect((await store.storedProject(id))?.stage).toBe('LANDING');
};

describe('the gate passes with the decision that completes it', () => {
  it('the last approval, the meeting recorded: the project is in LANDING when the answer comes back', async () => {
    const p = await project();
    expect((await meet(p.id)).body).toMatchObject({ passedTo: null });
    for (const as of approvers.slice(0, 2)) expect((await approve(p.id, as)).body).toMatchObject({ passedTo: null });
    expect((await store.storedProject(p.id))?.stage).toBe('SIGNING');
    const last = await approve(p.id, approvers[2]!);
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ passedTo: 'LANDING', approval: { role: 'resources_bureau' } });
    const stored = await store.storedProject(p.id);
    expect(stored).toMatchObject({ stage: 'LANDING', status: 'ACTIVE' });
    expect(last.headers.etag).toBe(`"${String(stored?.version)}"`);
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ open: false, passedAt: expect.any(String) });
    expect(await actions(p.id)).toContain('stage.passed');
    // The lifecycle is woken to enter the next stage.
    expect((await store.signals()).filter((s) => s.projectId === p.id && s.kind === 'wake').length).toBeGreaterThan(0);
    // Passed: a further decision or meeting is refused, nothing written.
    expectProblem(await approve(p.id, approvers[0]!), 409);
  });

  it('the meeting the approvals waited for passes it in its own transaction', async () => {
    const p = await project();
    for (const as of approvers) expect((await approve(p.id, as)).body).toMatchObject({ passedTo: null });
    const m = await meet(p.id);
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ passedTo: 'LANDING' });
    expect((await store.storedProject(p.id))?.stage).toBe('LANDING');
    expect(await getGate(p.id, 'SIGNING')).toMatchObject({ passedAt: expect.any(String), meeting: { heldOn: today } });
  });

  it('keeps the rung a 容缺 obligation still overdue holds (no reset, no second urging letter); from level 0 it climbs to L1 at once; nothing overdue: it resets', async () => {
    const onL2: Escalation = { level: 2, name: 'INTERVIEW', since: addCalendarDays(today, -5), trigger: { kind: 'task_overdue', item: 'SIGNING.obligation-1', label: '容缺', since: addCalendarDays(today, -30) }, next: { step: 'JOINT_ASSESSMENT', dueDate: addCalendarDays(today, 5) } };
    const held = await project({ escalation: onL2, overdueObligation: true });
    await meet(held.id);
    for (const as of approvers) await approve(held.id, as);
    const after = await store.storedProject(held.id);
    // The same rung, since the same day, its window as it was: the climb is not started over at every gate.
    expect(after).toMatchObject({ stage: 'LANDING', escalation: { level: 2, since: onL2.since, trigger: { item: 'SIGNING.obligation-1' }, next: { step: 'JOINT_ASSESSMENT', dueDate: onL2.next!.dueDate } } });
    expect((await actions(held.id)).filter((a) => a.startsWith('escalation.'))).toEqual([]);
    expect(await listLetters(held.id)).toEqual([]);
    // The obligation keeps its clock in the next stage.
    expect((await listTasks(held.id)).find((t) => t.id === 'SIGNING.obligation-1')).toMatchObject({ status: 'open' });

    // Not on the ladder yet: the overdue obligation starts it at L1 from the day the stage passed, urging letter and all.
    const fresh = await project({ overdueObligation: true });
    await meet(fresh.id);
    for (const as of approvers) await approve(fresh.id, as);
    expect(await store.storedProject(fresh.id)).toMatchObject({ stage: 'LANDING', escalation: { level: 1, since: today, trigger: { item: 'SIGNING.obligation-1' } } });
    expect((await actions(fresh.id)).filter((a) => a.startsWith('escalation.'))).toEqual(['escalation.raised']);
    expect((await listLetters(fresh.id)).map((l) => l.series)).toEqual(['urging']);

    // Nothing overdue left: the pass only resets.
    const free = await project({ escalation: onL2 });
    await meet(free.id);
    for (const as of approvers) await approve(free.id, as);
    expect(await store.storedProject(free.id)).toMatchObject({ stage: 'LANDING', escalation: { level: 0 } });
    expect((await actions(free.id)).filter((a) => a.startsWith('escalation.'))).toEqual(['escalation.reset']);
    expect(await listLetters(free.id)).toEqual([]);
  });

  it('twenty last approvals at once (the same approver) pass the gate once', async () => {
    const p = await project();
    await meet(p.id);
    for (const as of approvers.slice(0, 2)) await approve(p.id, as);
    const answers = await Promise.all(Array.from({ length: 20 }, () => approve(p.id, approvers[2]!)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409)).toBe(true);
    expect((await actions(p.id)).filter((a) => a === 'stage.passed')).toHaveLength(1);
    // The next stage entered once, with its tasks once.
    expect((await actions(p.id)).filter((a) => a === 'stage.entered')).toHaveLength(1);
    expect(await landing(p.id)).toHaveLength(LANDING_TASKS.length);
  });
});

describe('the next stage is entered with the pass', () => {
  it("its tasks are there when the answer comes back, on their clocks from the pass day; the one yellow from its first day is lit and told", async () => {
    const p = await project();
    await passed(p.id);
    // Before any workflow runs: the entry, dated today, and every task of the stage.
    expect(await getStageEntry(p.id, 'LANDING')).toMatchObject({ stage: 'LANDING', segment: 1, enteredDate: today, tasks: LANDING_TASKS.length });
    const tasks = await landing(p.id);
    expect(tasks.map((t) => t.code).sort()).toEqual(LANDING_TASKS.map((t) => t.code).sort());
    // The tasks waiting for none start today; 组建服务专班 (3 working days, inside the yellow margin) is yellow at once.
    const ready = tasks.filter((t) => t.after.length === 0);
    expect(ready.length).toBeGreaterThan(0);
    for (const t of ready) expect(t.startedDate).toBe(today);
    expect(tasks.find((t) => t.code === 'service_team')).toMatchObject({ startedDate: today, light: 'yellow' });
    expect((await inbox(p.id)).filter((n) => n.kind === 'task.yellow').map((n) => n.recipient)).toEqual([expect.stringMatching(/^DEPT#park_center#/)]);
    expect(await getGate(p.id, 'LANDING')).toMatchObject({ stage: 'LANDING', open: false });
    // The project's light and counts say so at once: yellow, the stage's tasks open.
    expect(await store.storedProject(p.id)).toMatchObject({ light: 'yellow', tasksSummary: { open: LANDING_TASKS.length, overdue: 0 } });
    // On the timeline: the stage passed, then entered, in that order.
    const order = await actions(p.id);
    expect(order.indexOf('stage.entered')).toBeGreaterThan(order.indexOf('stage.passed'));
    // The lifecycle's `Enter stage`, when it comes, finds it entered: nothing written again, nothing told again.
    const snapshot = await store.snapshot();
    const entered = (await enterStage({ projectId: p.id, stage: 'LANDING', segment: 1 })) as { entered: boolean };
    expect(entered.entered).toBe(false);
    const after = await store.snapshot();
    expect(after.TABLE_INBOX).toBe(snapshot.TABLE_INBOX);
    expect(await landing(p.id)).toEqual(tasks);
    expect((await actions(p.id)).filter((a) => a === 'stage.entered')).toHaveLength(1);
  });

  it('a gate the review passes (its decisions all in, none of them passing it) enters the next stage in the review’s transaction', async () => {
    const p = await project();
    await meet(p.id);
    // The round's approvals recorded as decisions that each left the gate waiting (as two last approvals that missed
    // each other can): the lifecycle's review finds the round complete and passes the gate.
    const { insertApproval } = await import('../../functions/lifecycle/store/tasks.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const at = new Date().toISOString();
    await transact(approvers.map((u) => insertApproval(p.id, 'SIGNING', { role: u.roles[0]!, by: u.sub, decision: 'approve', at, round: 1 })));
    const { handler: evaluateStage } = await import('../../functions/lifecycle/steps/evaluate-stage.ts');
    expect(await evaluateStage({ projectId: p.id, stage: 'SIGNING', segment: 1 })).toMatchObject({ next: 'advance', stage: 'LANDING' });
    expect(await store.storedProject(p.id)).toMatchObject({ stage: 'LANDING' });
    expect(await getStageEntry(p.id, 'LANDING')).toMatchObject({ enteredDate: today, tasks: LANDING_TASKS.length });
    expect(await landing(p.id)).toHaveLength(LANDING_TASKS.length);
    expect((await actions(p.id)).filter((a) => a === 'stage.passed' || a === 'stage.entered')).toEqual(['stage.passed', 'stage.entered']);
  });

  it('a stage with more tasks than the pass can carry with it is entered by the lifecycle, as before', async () => {
    // The matrix allows up to MAX_TASKS_PER_STAGE tasks in a stage: with the pass's own writes, more than one
    // transaction holds — the pass leaves the entry to `Enter stage` (one transaction of its own).
    const extra = Array.from({ length: MAX_TASKS_PER_STAGE - LANDING_TASKS.length }, (_, i) => ({ ...LANDING_TASKS.find((t) => t.code === 'land_transfer')!, code: `extra_${i}`, after: [] }));
    await publishTestConfig('matrix', { ...DEFAULT_CONFIG.matrix, tasks: [...DEFAULT_CONFIG.matrix.tasks, ...extra] }, `LANDING 有 ${MAX_TASKS_PER_STAGE} 项任务`);
    const big = await project();
    await store.doc.send(new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({ TableName: store.tables.TABLE_PROJECTS, Key: { pk: `PROJECT#${big.id}`, sk: 'PROJECT' }, UpdateExpression: 'SET matrixVersion = :v', ExpressionAttributeValues: { ':v': 2 } }));
    await passed(big.id);
    expect(await getStageEntry(big.id, 'LANDING')).toBeUndefined();
    expect(await landing(big.id)).toEqual([]);
    const entered = (await enterStage({ projectId: big.id, stage: 'LANDING', segment: 1 })) as { entered: boolean; tasks: number };
    expect(entered).toMatchObject({ entered: true, tasks: MAX_TASKS_PER_STAGE });
    expect(await landing(big.id)).toHaveLength(MAX_TASKS_PER_STAGE);
  });
});
