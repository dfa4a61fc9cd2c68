// A project read right after a write that changes its tasks agrees with them: the write (a completion, a meeting's
// follow-ups, a rejection reopening tasks, an amendment's follow-ups, an interview's commitments; the assessment's plan
// and the progress report the same way, untested here) records the project's light and task summary
// (open, overdue, next due) as they stand after it, before the stage review runs (no workflow runs here, so what the
// project shows is the write's own record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users } from '../support/events.ts';

const store = isolatedStore('task-summary');
const { handler: completeTask } = await import('../../functions/lifecycle/http/complete-task.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
const { handler: recordMeeting } = await import('../../functions/lifecycle/http/record-meeting.ts');
const { handler: amendMeeting } = await import('../../functions/lifecycle/http/amend-meeting.ts');
const { handler: decideGate } = await import('../../functions/lifecycle/http/decide-gate.ts');
const { handler: recordInterview } = await import('../../functions/supervision/http/record-interview.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { insertTask, putTask, putGate, getGate, listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
const { signingGateProject, today } = await import('../support/signing-gate.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

interface View { light: string; tasksSummary: { open: number; overdue: number; nextDue: string | null } }
const view = async (id: string) => (await call<View>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }))).body;
const complete = (id: string, taskId: string, as = users.investmentOfficer) =>
  call(completeTask, apiEvent('POST /projects/{id}/tasks/{taskId}/complete', { as, params: { id, taskId }, body: { note: '已办结' } }));

describe('the project after a completion', () => {
  it('counts the task closed and drops the red light it carried, at once', async () => {
    // The stage's first task started ten days ago, past its five working days and lit red; the others wait for it.
    const { project, tasks } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 10, gateOpen: false, project: { light: 'red', tasksSummary: { open: 5, overdue: 1, nextDue: null } } });
    expect(tasks).toHaveLength(5);
    const first = tasks.find((t) => t.code === 'pre_site_selection')!;
    await transact([putTask({ ...first, rev: 1, light: 'red' })]);
    expect(await view(project.id)).toMatchObject({ light: 'red', tasksSummary: { open: 5, overdue: 1 } });

    // A summary recorded before it kept the gate's waiting tasks: the gate names them from the tasks themselves.
    const needs = async () => (await call<{ gate: { needs: { kind: string; taskId?: string }[] } }>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id: project.id } }))).body.gate.needs.filter((n) => n.kind === 'task').map((n) => n.taskId);
    const required = tasks.filter((t) => t.requiredForGate).map((t) => t.id).sort();
    expect(await needs()).toEqual(required);

    const done = await complete(project.id, first.id);
    expect(done.status, done.text).toBe(200);
    // The tasks that waited only for it start with it: the soonest of their due dates is the next one due.
    const successors = (await listTasks(project.id)).filter((t) => t.after.length === 1 && t.after[0] === first.id);
    expect(successors.length).toBeGreaterThan(0);
    expect(successors.every((t) => t.startedDate !== null && t.dueDate !== null)).toBe(true);
    const nextDue = successors.map((t) => t.dueDate!).sort()[0];
    expect(await view(project.id)).toMatchObject({ light: 'green', tasksSummary: { open: 4, overdue: 0, nextDue } });
    // The completion recorded the summary with them: the task done is no longer named; the counts are all a read shows.
    expect(await needs()).toEqual(required.filter((id) => id !== first.id));
    expect(Object.keys((await view(project.id)).tasksSummary).sort()).toEqual(['nextDue', 'open', 'overdue']);
  });

  it('names the soonest due date of the work still open, and keeps a red light another task carries', async () => {
    const { project, tasks } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 10, gateOpen: false });
    const first = tasks.find((t) => t.code === 'pre_site_selection')!;
    const soon = addCalendarDays(today, 5);
    // Two follow-ups of the stage: one red, one due in five days.
    await transact([
      putTask({ ...first, rev: 1, dueDate: addCalendarDays(today, 20) }),
      ...['a', 'b'].map((k, i) => insertTask({ ...first, id: `SIGNING.followup-${k}`, code: 'meeting_followup', kind: 'followup', lead: 'resources_bureau', after: [], requiredForGate: false, dueDate: i ? soon : addCalendarDays(today, -2), light: i ? 'green' : 'red' })),
    ]);
    const done = await complete(project.id, first.id);
    expect(done.status, done.text).toBe(200);
    expect(await view(project.id)).toMatchObject({ light: 'red', tasksSummary: { open: 6, overdue: 1, nextDue: addCalendarDays(today, -2) } });
    expect((await listTasks(project.id)).filter((t) => t.status === 'open')).toHaveLength(6);
  });

  it('keeps the red light of a gate past its due date and undecided', async () => {
    const { project, tasks } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 10 });
    const gate = (await getGate(project.id, 'SIGNING'))!;
    await transact([putGate(project.id, { ...gate, dueDate: addCalendarDays(today, -1) })]);
    const first = tasks.find((t) => t.code === 'pre_site_selection')!;
    await transact([putTask({ ...first, rev: 1, dueDate: addCalendarDays(today, 20) })]);
    const done = await complete(project.id, first.id);
    expect(done.status, done.text).toBe(200);
    expect(await view(project.id)).toMatchObject({ light: 'red', tasksSummary: { overdue: 0 } });
  });
});

describe('the project after other writes that add or reopen work', () => {
  const followUp = (dueDate: string) => ({ item: '补充用地资料', owner: 'resources_bureau', dueDate });
  const meeting = (id: string, followUps: unknown[]) =>
    call(recordMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting', { as: users.committeeLeader, params: { id, stage: 'SIGNING' }, body: { heldOn: today, attendees: ['分管领导'], decisions: ['同意转段'], followUps } }));

  it("counts a meeting's follow-up at once, with its due date", async () => {
    const { project } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 20, tasksDone: true, project: { tasksSummary: { open: 0, overdue: 0, nextDue: null } } });
    const due = addCalendarDays(today, 12);
    const recorded = await meeting(project.id, [followUp(due)]);
    expect(recorded.status, recorded.text).toBe(201);
    // Its due date as the meeting set it (a date that is no working day moves to the next one).
    const added = (await listTasks(project.id)).find((t) => t.kind === 'followup')!;
    expect(added.dueDate! >= due).toBe(true);
    expect(await view(project.id)).toMatchObject({ light: 'green', tasksSummary: { open: 1, overdue: 0, nextDue: added.dueDate } });
  });

  it("counts an amendment's new follow-up at once", async () => {
    const { project } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 20, tasksDone: true, project: { tasksSummary: { open: 0, overdue: 0, nextDue: null } } });
    const first = await meeting(project.id, []);
    expect(first.status, first.text).toBe(201);
    const due = addCalendarDays(today, 9);
    const amended = await call(amendMeeting, apiEvent('POST /projects/{id}/gates/{stage}/meeting/amendments', { as: users.committeeLeader, params: { id: project.id, stage: 'SIGNING' }, body: { reason: '补记会议事项', addFollowUps: [followUp(due)] } }));
    expect(amended.status, amended.text).toBe(201);
    // Its due date as the amendment set it (a date that is no working day moves to the next one).
    const added = (await listTasks(project.id)).find((t) => t.kind === 'followup')!;
    expect(added.dueDate! >= due).toBe(true);
    expect(await view(project.id)).toMatchObject({ tasksSummary: { open: 1, nextDue: added.dueDate } });
  });

  it('counts the tasks a rejection reopens at once', async () => {
    const { project, tasks } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 20, tasksDone: true, project: { tasksSummary: { open: 0, overdue: 0, nextDue: null } } });
    const reopen = tasks.slice(0, 2).map((t) => t.id);
    const rejected = await call(decideGate, apiEvent('POST /projects/{id}/gates/{stage}/approvals', { as: users.resourcesOfficer, params: { id: project.id, stage: 'SIGNING' }, body: { decision: 'reject', comment: '用地资料不全', reopenTasks: reopen } }));
    expect(rejected.status, rejected.text).toBe(201);
    const shown = await view(project.id);
    expect(shown.tasksSummary.open).toBe(2);
    expect(shown.tasksSummary.nextDue).toEqual((await listTasks(project.id)).filter((t) => t.status === 'open').map((t) => t.dueDate).sort()[0]);
  });

  it("counts an interview's commitments at once", async () => {
    const since = addCalendarDays(today, -3);
    const { project } = await signingGateProject({ prefix: 'ts', startedDaysAgo: 20, tasksDone: true, project: { tasksSummary: { open: 0, overdue: 0, nextDue: null }, escalation: { level: 2, name: 'INTERVIEW', since, trigger: null, next: null } } });
    const due = addCalendarDays(today, 30);
    const recorded = await call(recordInterview, apiEvent('POST /projects/{id}/interviews', { as: users.committeeLeader, params: { id: project.id }, body: { heldOn: today, attendees: ['分管领导', '企业负责人'], summary: '企业说明进度', commitments: [{ item: '限期开工', itemEn: 'Start works by the agreed date', owner: 'enterprise', dueDate: due }] } }));
    expect(recorded.status, recorded.text).toBe(201);
    const commitment = (await listTasks(project.id)).find((t) => t.code === 'interview_commitment')!;
    expect(commitment.name).toEqual({ zh: '限期开工', en: 'Start works by the agreed date' });
    expect(await view(project.id)).toMatchObject({ tasksSummary: { open: 1, overdue: 0, nextDue: commitment.dueDate } });
  });
});
