// A calendar correction after a task turned red: ops make the day it was due a holiday, so it is due later and not
// overdue any more. On the real ASL in the embedded runner with a scaled clock (a business day in four seconds): the red
// light is withdrawn — its department's overdue fact removed, the event on the project's audit, its lead department
// and supervision told — and when the work is still open past its new date it turns red again, recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // Tuesday 2 June 2026; a business day in four seconds.
  env = await lifecycleEnv({ clockStart: '2026-06-02T09:00:00+08:00', scale: 21_600 });
});
afterAll(() => env?.stop());

/** The `n` weekdays after `date` (June 2026 has no holiday before the 19th). */
function weekdaysAfter(date: string, n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(`${date}T00:00:00Z`); out.length < n; ) {
    d = new Date(d.getTime() + 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;

describe('a red light withdrawn by a calendar correction', () => {
  it('withdraws the overdue record when the due day is made a holiday, and records the red light again at the new date', { timeout: 240_000 }, async () => {
    const { project, executionName, input } = await env.activeProject('land', {}, 'LANDING');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const team = () => api.tasks().then((ts) => ts.find((t) => t.code === 'service_team'));
    // 组建服务专班, park center, 3 working days from the stage's first day (2 or 3 June, as the test's start took):
    // due D, red from the day after.
    const red = await until(async () => ((await team())?.light === 'red' ? await team() : undefined), 60_000, 50);
    const due = red!.dueDate!;
    expect(due >= '2026-06-05' && due <= '2026-06-09', due).toBe(true);

    // Ops make D and the two working days after it holidays (a correction, on the day after D): due three working days
    // later (D'), not overdue until the day after D' — a window of some days for the review woken by the correction.
    const [off1, off2, moved] = weekdaysAfter(due, 3);
    const off = [due, off1!, off2!];
    const getCalendar = await load('../../functions/reference/http/get-calendar.ts');
    const putCalendar = await load('../../functions/reference/http/put-calendar.ts');
    const year = await call<{ holidays: string[]; workdays: string[]; version: number }>(getCalendar, apiEvent('GET /calendar/{year}', { params: { year: '2026' } }));
    const put = await call(
      putCalendar,
      apiEvent('PUT /calendar/{year}', { as: api.as('ops'), params: { year: '2026' }, headers: { 'if-match': `"${year.body.version}"` }, body: { holidays: [...year.body.holidays, ...off].sort(), workdays: year.body.workdays } }),
    );
    expect(put.status, put.text).toBe(200);

    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const audit = async () => (await listAudit(`PROJECT#${project.id}`, 300)).items;
    const withdrawn = await until(async () => (await audit()).find((e) => e.action === 'task.overdue_withdrawn'), 30_000, 50);
    expect(withdrawn).toMatchObject({ before: { tasks: [{ taskId: red!.id, dueDate: due, light: 'red' }] }, after: { tasks: [{ taskId: red!.id, dueDate: moved }], reason: 'calendar' } });

    // The department's overdue fact of the day after D is gone (the report and the notice list no longer count it).
    const { queryDepartmentFacts } = await import('../../functions/supervision/store/departments.ts');
    const facts = async (from: string, to: string) => (await queryDepartmentFacts('park_center', from, to, true)).filter((f): f is Extract<typeof f, { kind: 'overdue' }> => f.kind === 'overdue' && f.taskId === red!.id && f.projectId === project.id);
    expect(await facts('2026-06-01', moved!)).toEqual([]);

    // Told to those who heard of the red light: the park center and supervision (the project's park).
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const inbox = async (key: string, kind: string) => (await queryInbox(key, 200)).items.filter((m) => m.kind === kind && m.projectId === project.id && String(m.title).includes('组建服务专班'));
    const parkInbox = `DEPT#park_center#${project.park}`;
    const told = await until(async () => ((await inbox(parkInbox, 'task.overdue_withdrawn')).length ? inbox(parkInbox, 'task.overdue_withdrawn') : undefined), 30_000, 50);
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toContain(moved);
    expect(await until(async () => ((await inbox(`DEPT#supervision_office`, 'task.overdue_withdrawn')).length ? true : undefined), 30_000, 50)).toBe(true);

    // Still open the day after D': red again, recorded and told once more — one overdue fact of the task in all.
    await until(async () => ((await facts('2026-06-01', '2026-06-30')).length ? true : undefined), 60_000, 50);
    const again = await facts('2026-06-01', '2026-06-30');
    expect(again.map((f) => f.dueDate)).toEqual([moved]);
    expect(again[0]!.date > moved!).toBe(true);
    expect(await team()).toMatchObject({ light: 'red', dueDate: moved });
    const overdue = (await audit()).filter((e) => e.action === 'task.overdue' && JSON.stringify(e.after).includes(red!.id));
    expect(overdue.map((e) => (e.after as { tasks: { dueDate: string }[] }).tasks[0]?.dueDate).sort()).toEqual([due, moved]);
    expect((await audit()).filter((e) => e.action === 'task.overdue_withdrawn')).toHaveLength(1);
  });
});
