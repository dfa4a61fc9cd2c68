// A task that waits only for another starts in the transaction that completes that other one — not at the lifecycle's
// review a moment later: the department completing both back to back is not told to retry (409), the successor's clock
// starts on the day of the completion, and the review that follows (the real ASL in the embedded runner on a business
// clock of a day a second) starts nothing again but still sleeps on the new clock: its yellow and red lights come on
// their days, told once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { addCalendarDays, shanghaiDate } from '../../functions/kernel/domain/dates.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // A Monday in November, clear of holidays: planning_conditions' 10 working days are two weeks, about 14 s.
  env = await lifecycleEnv({ clockStart: '2026-11-02T09:00:00+08:00', scale: 86_400 });
});
afterAll(() => env?.stop());

async function inbox(recipient: string, projectId: string) {
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient } }));
  return ((out.Items ?? []) as { kind: string; projectId: string; createdAt: string }[]).filter((n) => n.projectId === projectId);
}

async function started() {
  const { project, executionName, input } = await env.activeProject('lease');
  const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
  await env.workflow.startExecution(executionName, input);
  const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.startedDate));
  return { project, api, pre };
}

describe('a successor started by the completion that leaves it ready', () => {
  it('is completed right after its predecessor: 200, not a 409 to retry, its clock from the day of the completion', async () => {
    const { api, pre } = await started();
    const before = shanghaiDate(env.clock.now());
    const first = await api.complete(pre);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const after = shanghaiDate(env.clock.now());
    const next = await api.complete({ id: 'SIGNING.planning_conditions', lead: 'resources_bureau' });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    const done = (await api.tasks()).find((t) => t.id === 'SIGNING.planning_conditions')!;
    expect(done.status).toBe('done');
    expect(done.startedDate! >= before && done.startedDate! <= after).toBe(true);
  });

  it('lights yellow and red on their days, once each, with the review woken by the completion finding nothing to start', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { project, api, pre } = await started();
    const before = shanghaiDate(env.clock.now());
    expect((await api.complete(pre)).status).toBe(200);
    // Started by the completion itself: there as soon as it answered, before any review ran.
    const b = (await api.tasks()).find((t) => t.id === 'SIGNING.planning_conditions')!;
    expect(b.startedDate! >= before).toBe(true);
    expect(b.dueDate).not.toBeNull();
    const { listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
    const stored = (await listTasks(project.id)).find((t) => t.id === b.id)!;
    await until(async () => ((await api.tasks()).find((t) => t.id === b.id && t.light === 'red') ? true : undefined), 60_000);
    const yellow = (await inbox('DEPT#resources_bureau', project.id)).filter((n) => n.kind === 'task.yellow');
    expect(yellow).toHaveLength(1);
    // On its day, never before it; at a day a second a loaded machine's wake-up may land a day or two on (the simulation's
    // oracle, at a slower clock, holds lights to their exact day).
    const onOrSoonAfter = (at: string, day: string) => expect(at >= day && at <= addCalendarDays(day, 3), `${at} on or soon after ${day}`).toBe(true);
    onOrSoonAfter(shanghaiDate(new Date(yellow[0]!.createdAt)), stored.yellowDate!);
    const events = (await listAudit(`PROJECT#${project.id}`, 200)).items;
    const red = events.filter((e) => e.action === 'task.overdue' && (e.after as { tasks: { taskId: string }[] }).tasks.some((t) => t.taskId === b.id));
    expect(red).toHaveLength(1);
    onOrSoonAfter(shanghaiDate(new Date(red[0]!.at)), addCalendarDays(stored.dueDate!, 1));
    // Its start and dates were written once, by the completion: the reviews that followed wrote it twice more, for its
    // yellow and its red light, and changed none of its dates.
    const now = (await listTasks(project.id)).find((t) => t.id === b.id)!;
    expect(now).toMatchObject({ startedDate: stored.startedDate, dueDate: stored.dueDate, yellowDate: stored.yellowDate, light: 'red', rev: stored.rev! + 2 });
  });
});

describe('a successor of the progress meeting (a matrix ops published)', () => {
  it('starts with the progress report that holds the meeting it waits for', async () => {
    const { getConfig, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const matrix = await getConfig('matrix');
    const waiting = { ...matrix.doc, tasks: matrix.doc.tasks.map((t) => (t.code === 'equipment_commissioning' ? { ...t, after: ['progress_meeting'] } : t)) };
    await transact([putConfigVersion({ name: 'matrix', version: matrix.version + 1, doc: waiting, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    const { project, executionName, input } = await env.activeProject('land', {}, 'CONSTRUCTION');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const meeting = await until(async () => (await api.tasks()).find((t) => t.code === 'progress_meeting' && t.startedDate));
    expect((await api.tasks()).find((t) => t.code === 'equipment_commissioning')).toMatchObject({ startedDate: null });
    // A report holds the meeting of a period begun before today: a business day on.
    await until(async () => (shanghaiDate(env.clock.now()) > meeting.startedDate! ? true : undefined));
    const before = shanghaiDate(env.clock.now());
    expect((await api.progress(20, 5)).status).toBe(200);
    const tasks = await api.tasks();
    expect(tasks.find((t) => t.id === meeting.id)?.status).toBe('done');
    const commissioning = tasks.find((t) => t.code === 'equipment_commissioning')!;
    expect(commissioning.startedDate! >= before).toBe(true);
  });
});

describe('a task waiting for two (a matrix ops published), both completed at the same moment', () => {
  it('is started once, by whichever completion commits last, and its yellow light told once', async () => {
    const { getConfig, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const matrix = await getConfig('matrix');
    // 项目审议 waits for 规划设计条件 and a check of another department beside it; its one working day lights it yellow at once.
    const planning = matrix.doc.tasks.find((t) => t.code === 'planning_conditions')!;
    const check = { ...planning, code: 'extra_check', name: { zh: '附加核查', en: 'Extra check' }, lead: 'scitech_dept' as const };
    const joined = { ...matrix.doc, tasks: [...matrix.doc.tasks.map((t) => (t.code === 'project_review' ? { ...t, after: ['planning_conditions', 'extra_check'], limitWd: 1 } : t)), check] };
    await transact([putConfigVersion({ name: 'matrix', version: matrix.version + 1, doc: joined, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    const { project, api, pre } = await started();
    expect((await api.complete(pre)).status).toBe(200);
    const tasks = await api.tasks();
    const both = await Promise.all(['planning_conditions', 'extra_check'].map((code) => api.complete(tasks.find((t) => t.code === code)!)));
    expect(both.map((r) => r.status), JSON.stringify(both.map((r) => r.body))).toEqual([200, 200]);
    const review = (await api.tasks()).find((t) => t.code === 'project_review')!;
    expect(review.startedDate).not.toBeNull();
    // Past its due date the review lights it red: by then every review since the two completions has run.
    await until(async () => ((await api.tasks()).find((t) => t.id === review.id && t.light === 'red') ? true : undefined), 60_000);
    expect((await inbox('DEPT#committee_leader', project.id)).filter((n) => n.kind === 'task.yellow')).toHaveLength(1);
    const starts = (await listAudit(`PROJECT#${project.id}`, 200)).items.filter((e) => ((e.after as { started?: string[] }).started ?? []).includes(review.id));
    expect(starts).toHaveLength(1);
  });
});
