// A gate passes with the decision that completes it — the round's last approval, or the meeting when the approvals are
// in — in that decision's own transaction, on its day: the project is in its next stage when the answer comes back,
// before any workflow runs (none runs here). The escalation ladder resets with the pass and, when work that outlives
// the stage is still overdue, climbs back to L1 in the same transaction, with its urging letter.
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

beforeAll(() => store.createTables());
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
  });
});
