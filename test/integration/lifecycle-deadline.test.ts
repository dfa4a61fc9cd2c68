// The real ASL in the embedded runner on a fast business clock: callback waits time out at the working-day deadlines;
// tasks turn yellow, then red, the lead department is notified, supervision takes over, and a 容缺 obligation that is
// not met goes red like any task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // Three business days per real second: a 5-working-day task passes its due date in about 3 s, and its yellow window
  // (3 working days) lasts about 2 s — room for a late wake-up on a busy machine.
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 3 * 86_400 });
});
afterAll(() => env?.stop());

async function inbox(recipient: string) {
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient } }));
  return (out.Items ?? []) as { kind: string; projectId: string; title: string }[];
}

describe('deadlines as Step Functions timers (States.Timeout on the callback wait)', () => {
  it('a task nobody completes turns yellow, then red; its department is notified and supervision takes over', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { project, executionName, input } = await env.activeProject();
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const red = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.light === 'red'), 60_000);
    expect(red.status).toBe('open');
    expect((await api.project()).light).toBe('red');
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items;
    const overdue = events.filter((e) => e.action === 'task.overdue').flatMap((e) => (e.after as { tasks: { taskId: string }[] }).tasks);
    expect(overdue.map((t) => t.taskId)).toContain('SIGNING.pre_site_selection');
    const dept = (await inbox('DEPT#investment_dept')).filter((n) => n.projectId === project.id).map((n) => n.kind);
    expect(dept).toEqual(expect.arrayContaining(['task.yellow', 'task.overdue']));
    expect((await inbox('DEPT#supervision_office')).some((n) => n.projectId === project.id && n.kind === 'supervision.handover')).toBe(true);
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
  });

  it('a 容缺 completion counts as done, and its obligation goes red when the document is not delivered in time', async () => {
    const { project, executionName, input } = await env.activeProject('lease');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection'));
    const today = env.clock.now();
    const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
    // Two calendar days on, moved to a working day (a date on a rest day would be moved there by the product).
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const { workdayInfo } = await import('../../functions/reference/domain/calendar.ts');
    const calendar = await loadCalendar();
    let dueDate = addCalendarDays(shanghaiDate(today), 2);
    while (!workdayInfo(dueDate, calendar).workday) dueDate = addCalendarDays(dueDate, 1);
    const reply = await api.complete(pre, { note: '先行办理', deficiencies: [{ document: '选址意见书原件', dueDate }] });
    expect(reply.status).toBe(200);
    expect((reply.body as { task: { status: string } }).task.status).toBe('done_with_deficiencies');
    // The successor starts: 容缺 counts as done.
    await until(async () => (await api.tasks()).find((t) => t.code === 'planning_conditions' && t.startedDate));
    const obligation = await until(async () => (await api.tasks()).find((t) => t.kind === 'obligation' && t.light === 'red'), 60_000);
    expect(obligation).toMatchObject({ id: 'SIGNING.pre_site_selection.obligation-1', lead: 'investment_dept', dueDate, status: 'open' });
  });
});

describe('an undecided gate past its due date', () => {
  it('reminds the approvers who have not decided and tells supervision, once', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { project, executionName, input } = await env.activeProject('lease');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await api.finishTasks('SIGNING');
    await until(async () => ((await api.project()).gate?.open ? true : undefined));
    expect((await api.decide('SIGNING', 'committee_leader', { decision: 'approve' })).status).toBe(201);
    // The gate's 10 working days pass (about 5 s at this clock) with two approvers still undecided.
    const event = await until(async () => (await listAudit(`PROJECT#${project.id}`, 200)).items.find((e) => e.action === 'gate.overdue'), 60_000);
    expect((event.after as { pending: string[] }).pending.sort()).toEqual(['investment_dept', 'resources_bureau']);
    expect((await inbox('DEPT#resources_bureau')).some((n) => n.projectId === project.id && n.kind === 'gate.overdue')).toBe(true);
    expect((await inbox('DEPT#committee_leader')).some((n) => n.projectId === project.id && n.kind === 'gate.overdue')).toBe(false);
    expect((await api.project()).light).toBe('red');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await listAudit(`PROJECT#${project.id}`, 200)).items.filter((e) => e.action === 'gate.overdue')).toHaveLength(1);
  });
});

describe('construction supervision and failed steps', () => {
  it('a construction site with no progress report for 20 working days is flagged stalled 施工停滞; a report clears it', async () => {
    const { project, executionName, input } = await env.activeProject('land', {}, 'CONSTRUCTION');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const meeting = await until(async () => (await api.tasks()).find((t) => t.code === 'progress_meeting'));
    expect(meeting).toMatchObject({ kind: 'recurring', lead: 'park_center', requiredForGate: false });
    // The series is held by progress reports, not closed through the generic completion.
    expect((await api.complete(meeting)).status).toBe(409);
    const { getProject } = env.projects;
    await until(async () => ((await getProject(project.id))?.stalled ? true : undefined), 60_000);
    expect((await inbox('DEPT#supervision_office')).some((n) => n.projectId === project.id && n.kind === 'construction.stalled')).toBe(true);
    const reply = await api.progress(35, 10);
    expect(reply.status).toBe(200);
    expect((reply.body as { stalled: boolean; progress: { constructionPct: number } })).toMatchObject({ stalled: false, progress: { constructionPct: 35 } });
    // The report held this period's progress meeting and scheduled the next one.
    const meetings = (await api.tasks()).filter((t) => t.code === 'progress_meeting');
    expect(meetings.filter((t) => t.status === 'done').length).toBeGreaterThanOrEqual(1);
    expect(meetings.filter((t) => t.status === 'open')).toHaveLength(1);
  });

  it('a step that keeps failing is caught: the failure is recorded on the project, ops are told, the execution fails', async () => {
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { project, executionName, input } = await env.activeProject('lease');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await until(() => getWait(project.id));
    // A corrupt gate record makes "Evaluate stage" throw on every attempt; a completion wakes it.
    await ddb.send(new PutCommand({ TableName: process.env.TABLE_PROJECTS, Item: { pk: `PROJECT#${project.id}`, sk: 'GATE#SIGNING', stage: 'SIGNING', requiredApprovals: 'not-a-list', round: 1, open: true } }));
    const pre = (await api.tasks()).find((t) => t.code === 'pre_site_selection')!;
    expect((await api.complete(pre)).status).toBe(200);
    await until(() => (env.workflow.executions.get(executionName)?.status === 'FAILED' ? true : undefined));
    const failed = await env.projects.getProject(project.id);
    expect(failed?.workflow).toMatchObject({ status: 'failed', executionName });
    expect(failed?.workflow?.lastError).toMatch(/TypeError/);
    expect((await inbox('OPS')).some((n) => n.projectId === project.id && n.kind === 'workflow.failed')).toBe(true);
  });
});

// Side by side: each test stops its own project's lifecycle and waits for the business clock to pass a date (idle
// seconds), then reads only what its project holds.
describe.concurrent('lateness is recorded whenever the deadline wake-up runs', () => {
  /** A lease project whose lifecycle started its first task and then stopped (as one awaiting an ops resume). */
  async function stoppedWithFirstTask() {
    const { project, executionName, input } = await env.activeProject('lease');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.startedDate));
    const execution = env.workflow.executions.get(executionName)!;
    execution.status = 'ABORTED';
    execution.abort();
    return { project, api, pre };
  }

  it('a task completed past due before any review lit it red records its red light first, once, at the completion', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    // The lifecycle stops: no deadline wake-up will light anything.
    const { project, api, pre } = await stoppedWithFirstTask();
    await until(async () => (shanghaiDate(env.clock.now()) > pre.dueDate! ? true : undefined), 60_000);
    const still = (await api.tasks()).find((t) => t.id === pre.id)!;
    expect(still.light).not.toBe('red');
    expect((await api.complete(still)).status).toBe(200);
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items;
    const red = events.filter((e) => e.action === 'task.overdue');
    expect(red).toHaveLength(1);
    expect(red[0]!.after).toMatchObject({ tasks: [{ taskId: pre.id, dueDate: pre.dueDate, lead: 'investment_dept' }], atCompletion: true });
    expect(events.filter((e) => e.action === 'task.completed')).toHaveLength(1);
    expect((await inbox('DEPT#investment_dept')).filter((n) => n.projectId === project.id && n.kind === 'task.overdue')).toHaveLength(1);
    // No hand-over to supervision for work already done.
    expect((await inbox('DEPT#supervision_office')).some((n) => n.projectId === project.id && n.kind === 'supervision.handover')).toBe(false);
    // The department's overdue fact (部门督办) is kept beside its completion fact.
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const facts = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_PROJECTS, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'DEPT#investment_dept' } }));
    const mine = (facts.Items ?? []).filter((f) => f.projectId === project.id && f.taskId === pre.id).map((f) => f.kind);
    expect(mine.sort()).toEqual(['completed', 'overdue']);
  });

  it('a task completed past its grace before any review raised the ladder records the rung it owed (L1), then the reset', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    const { pastGrace } = await import('../../functions/supervision/domain/escalation.ts');
    const { loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    // The lifecycle stops: no review raises the ladder, however long the task stays overdue.
    const { project, api, pre } = await stoppedWithFirstTask();
    const calendar = await loadCalendar();
    // Past its grace, on a working day: a rung is raised on working days only (one owed on a rest day waits for the next).
    const { workdayInfo } = await import('../../functions/reference/domain/calendar.ts');
    // And the two days after it too: the completion below lands some business hours after the wait ends (a third of a
    // second is a day here; more on a loaded machine), and one landing on a Saturday would owe no rung.
    const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
    const workdays = (day: string) => [0, 1, 2].every((n) => workdayInfo(addCalendarDays(day, n), calendar).workday);
    const owed = (day: string) => pastGrace(pre.dueDate!, day, DEFAULT_CONFIG.escalation, calendar) && workdays(day);
    await until(async () => (owed(shanghaiDate(env.clock.now())) ? true : undefined), 60_000);
    expect((await api.project()).escalation).toMatchObject({ level: 0 });
    expect((await api.complete(pre)).status).toBe(200);
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items;
    const ladder = events.filter((e) => e.action.startsWith('escalation.')).map((e) => [e.action, (e.after as { level?: number }).level, (e.after as { atChange?: boolean }).atChange]);
    expect(ladder).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect((await api.project()).escalation).toMatchObject({ level: 0, name: 'NONE' });
    // Work done: no urging letter goes out, and nobody is told of a rung already left.
    const { listLetters } = await import('../../functions/supervision/store/letters.ts');
    expect(await listLetters(project.id)).toEqual([]);
    expect((await inbox('DEPT#supervision_office')).filter((n) => n.projectId === project.id && n.kind.startsWith('escalation.'))).toEqual([]);
  });

  it('a progress report on a site stalled past its date that no review flagged records the rung it owed (L1), then the reset', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    const { getConfig, loadCalendar } = await import('../../functions/reference/store/reference.ts');
    const { addWorkingDays } = await import('../../functions/reference/domain/calendar.ts');
    const { getStageEntry } = await import('../../functions/lifecycle/store/stage.ts');
    const { project, executionName, input } = await env.activeProject('land', {}, 'CONSTRUCTION');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await until(async () => (await api.tasks()).find((t) => t.code === 'progress_meeting' && t.startedDate));
    // The lifecycle stops: no review flags the stall or raises the ladder.
    const execution = env.workflow.executions.get(executionName)!;
    execution.status = 'ABORTED';
    execution.abort();
    // The configuration in force (20 working days without a report): by then the first progress meeting (every 10) is
    // past its due date and its grace too — a meeting is recurring work, never a trigger of the ladder itself.
    const entered = (await getStageEntry(project.id, 'CONSTRUCTION'))!.enteredDate;
    const stallDate = addWorkingDays(entered, (await getConfig('recurring')).doc.stalledAfterWd, await loadCalendar()).date;
    // Past it, on a working day: a rung is raised on working days only (one owed on a rest day waits for the next).
    const calendar = await loadCalendar();
    const { workdayInfo } = await import('../../functions/reference/domain/calendar.ts');
    // And the two days after it too: the report below lands some business hours after the wait ends (a third of a second
    // is a day here; more on a loaded machine), and one landing on a Saturday would owe no rung.
    const { addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
    await until(async () => {
      const day = shanghaiDate(env.clock.now());
      return day > stallDate && [0, 1, 2].every((n) => workdayInfo(addCalendarDays(day, n), calendar).workday) ? true : undefined;
    }, 60_000);
    expect(await api.project()).toMatchObject({ stalled: false, escalation: { level: 0 } });
    expect((await api.progress(20, 5)).status).toBe(200);
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items.filter((e) => e.action.startsWith('escalation.'));
    expect(events.map((e) => [e.action, (e.after as { level?: number }).level, (e.after as { atChange?: boolean }).atChange])).toEqual([
      ['escalation.raised', 1, true],
      ['escalation.reset', 0, undefined],
    ]);
    expect((events[0]!.after as { trigger?: unknown }).trigger).toMatchObject({ kind: 'stalled', since: entered });
    expect(await api.project()).toMatchObject({ stalled: false, escalation: { level: 0, name: 'NONE' } });
    expect((await inbox('DEPT#supervision_office')).filter((n) => n.projectId === project.id && n.kind.startsWith('escalation.'))).toEqual([]);
  });

  it('a progress report holding a meeting past due that no review lit records its red light first', async () => {
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
    const { project, executionName, input } = await env.activeProject('land', {}, 'CONSTRUCTION');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const meeting = await until(async () => (await api.tasks()).find((t) => t.code === 'progress_meeting' && t.startedDate));
    const execution = env.workflow.executions.get(executionName)!;
    execution.status = 'ABORTED';
    execution.abort();
    await until(async () => (shanghaiDate(env.clock.now()) > meeting.dueDate! ? true : undefined), 60_000);
    expect((await api.tasks()).find((t) => t.id === meeting.id)!.light).not.toBe('red');
    expect((await api.progress(20, 5)).status).toBe(200);
    const red = (await listAudit(`PROJECT#${project.id}`, 100)).items.filter((e) => e.action === 'task.overdue');
    expect(red.map((e) => e.after)).toEqual([{ tasks: [{ taskId: meeting.id, dueDate: meeting.dueDate, lead: 'park_center' }], atCompletion: true }]);
    expect((await api.tasks()).find((t) => t.id === meeting.id)).toMatchObject({ status: 'done' });
  });
});
