// A project read right after one of its tasks is completed agrees with its tasks: the completion records the project's
// light and task summary (open, overdue, next due) as they stand after it, before the stage review runs (no workflow
// runs here, so what the project shows is the completion's own record).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users } from '../support/events.ts';

const store = isolatedStore('task-summary');
const { handler: completeTask } = await import('../../functions/lifecycle/http/complete-task.ts');
const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
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

    const done = await complete(project.id, first.id);
    expect(done.status, done.text).toBe(200);
    expect(await view(project.id)).toMatchObject({ light: 'green', tasksSummary: { open: 4, overdue: 0, nextDue: null } });
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
