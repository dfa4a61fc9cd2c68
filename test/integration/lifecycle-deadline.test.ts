// The real ASL in the embedded runner on a fast business clock: callback waits time out at the working-day deadlines;
// tasks turn yellow, then red, the lead department is notified, supervision takes over, and a 容缺 obligation that is
// not met goes red like any task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // One business day every 0.2 real seconds: a 5-working-day task passes its due date in about 1.5 s.
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 5 * 86_400 });
});
afterAll(() => env?.workflow.stopAll());

async function inbox(recipient: string) {
  const { ddb } = await import('../../functions/adapters/dynamodb/client.ts');
  const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient } }));
  return (out.Items ?? []) as { kind: string; projectId: string; title: string }[];
}

describe('deadlines as Step Functions timers (States.Timeout on the callback wait)', () => {
  it('a task nobody completes turns yellow, then red; its department is notified and supervision takes over', async () => {
    const { listAudit } = await import('../../functions/adapters/dynamodb/audit.ts');
    const { project, executionName, input } = await env.activeProject();
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const red = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.light === 'red'), 60_000);
    expect(red.status).toBe('open');
    expect((await api.project()).light).toBe('red');
    const events = (await listAudit(`PROJECT#${project.id}`, 100)).items;
    expect(events.some((e) => e.action === 'task.overdue' && (e.after as { taskId?: string }).taskId === 'SIGNING.pre_site_selection')).toBe(true);
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
    const { shanghaiDate, addCalendarDays } = await import('../../functions/domain/calendar.ts');
    const dueDate = addCalendarDays(shanghaiDate(today), 2);
    const reply = await api.complete(pre, { note: '先行办理', deficiencies: [{ document: '选址意见书原件', dueDate }] });
    expect(reply.status).toBe(200);
    expect((reply.body as { task: { status: string } }).task.status).toBe('done_with_deficiencies');
    // The successor starts: 容缺 counts as done.
    await until(async () => (await api.tasks()).find((t) => t.code === 'planning_conditions' && t.startedDate));
    const obligation = await until(async () => (await api.tasks()).find((t) => t.kind === 'obligation' && t.light === 'red'), 60_000);
    expect(obligation).toMatchObject({ id: 'SIGNING.pre_site_selection.obligation-1', lead: 'investment_dept', dueDate, status: 'open' });
  });
});
