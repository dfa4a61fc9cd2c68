// No user action can stop a lifecycle: the real ASL in the embedded runner on a business clock of one day per second.
// Write sets users can grow are never one transaction; transient faults are retried by the state machine; a real bug
// is recorded, and ops resume the lifecycle through the API once it is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, call, users, type Handler } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { entryOf } from '../../functions/catalog.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 86_400 });
});
afterAll(() => env?.stop());

async function inbox(recipient: string) {
  const { ddb } = await import('../../functions/kernel/store/client.ts');
  const out = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient } }));
  return (out.Items ?? []) as { kind: string; projectId: string; title: string }[];
}

const handler = async (name: string) => ((await import(`../../${entryOf(name)}`)) as { handler: Handler }).handler;

// An injected fault hits whichever execution runs that step next: this test runs first, while no other lifecycle of
// the file is running.
describe('faults in a workflow step', () => {
  it('a throttled step and a timed-out step are retried by the state machine, and the lifecycle goes on', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { project, executionName, input } = await env.activeProject('lease');
    env.injectFault('evaluate-stage', () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' }), 2);
    env.injectFault('enter-stage', () => Object.assign(new Error('Task timed out after 30.03 seconds'), { name: 'Sandbox.Timedout' }), 1);
    await env.workflow.startExecution(executionName, input);
    await until(() => getWait(project.id), 60_000);
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
    expect((await env.projects.getProject(project.id))?.workflow?.status).toBe('running');
  });
});

// The rest side by side: each waits on the business clock for its own project (idle seconds), and reads only what its
// project holds (its tasks, its audit, inbox entries filtered by its id; the dying step is its project's only).
describe.concurrent('each on a project of its own', () => {
  describe('a day on which 150 容缺 obligations fall due', () => {
    it('turns every one red in the same evaluation, tells each lead once, and the lifecycle keeps running', async () => {
      const { listAudit } = await import('../../functions/kernel/store/audit.ts');
      const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
      const { project, executionName, input } = await env.activeProject('land');
      const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
      await api.holdSite(); // 土地清单 links the reserved parcel
      await env.workflow.startExecution(executionName, input);
      // Three completions with 50 missing documents each, all due on the same day, twelve days (seconds here) ahead: the
      // completions wait for each task to start, beside the file's other lifecycles — a date already past at the last of
      // them would be refused.
      const dueDate = addCalendarDays(shanghaiDate(env.clock.now()), 12);
      const deficiencies = (prefix: string) => Array.from({ length: 50 }, (_, i) => ({ document: `${prefix}材料${i + 1}`, dueDate }));
      const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.startedDate));
      expect((await api.complete(pre, { deficiencies: deficiencies('选址') })).status).toBe(200);
      for (const code of ['planning_conditions', 'land_list']) {
        const task = await until(async () => (await api.tasks()).find((t) => t.code === code && t.startedDate));
        const reply = await api.complete(task, { deficiencies: deficiencies(code) });
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      }
      expect((await api.tasks()).filter((t) => t.kind === 'obligation')).toHaveLength(150);

      const red = await until(async () => {
        const obligations = (await api.tasks()).filter((t) => t.kind === 'obligation');
        return obligations.every((t) => t.light === 'red') ? obligations : undefined;
      }, 90_000);
      expect(red).toHaveLength(150);
      expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
      expect((await env.projects.getProject(project.id))?.workflow?.status).toBe('running');
      await new Promise((r) => setTimeout(r, 1_500));
      // Exactly once: one overdue record per obligation, one notice to its lead, one hand-over to supervision.
      const events = (await listAudit(`PROJECT#${project.id}`, 1000)).items.filter((e) => e.action === 'task.overdue');
      const overdue = events.flatMap((e) => (e.after as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId)).filter((id) => id.includes('obligation'));
      expect(overdue.sort()).toEqual(red.map((t) => t.id).sort());
      for (const [lead, count] of [['DEPT#investment_dept', 50], ['DEPT#resources_bureau', 50], ['DEPT#construction_dept', 50]] as const) {
        const notices = (await inbox(lead)).filter((n) => n.projectId === project.id && n.kind === 'task.overdue' && n.title.includes('容缺补正'));
        expect(notices, lead).toHaveLength(count);
      }
      const handovers = (await inbox('DEPT#supervision_office')).filter((n) => n.projectId === project.id && n.kind === 'supervision.handover' && n.title.includes('容缺补正'));
      expect(handovers).toHaveLength(150);
    });
  });

  describe('a deadline step that dies right after its commit', () => {
    it('is retried and tells each light change exactly once: nothing lost, nothing doubled', async () => {
      const { ddb } = await import('../../functions/kernel/store/client.ts');
      const { listAudit } = await import('../../functions/kernel/store/audit.ts');
      const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
      const { project, executionName, input } = await env.activeProject('lease');
      const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
      await env.workflow.startExecution(executionName, input);
      const pre = await until(async () => (await api.tasks()).find((t) => t.code === 'pre_site_selection' && t.startedDate));
      const dueDate = addCalendarDays(shanghaiDate(env.clock.now()), 4);
      const deficiencies = Array.from({ length: 30 }, (_, i) => ({ document: `补件${i + 1}`, dueDate }));
      expect((await api.complete(pre, { deficiencies })).status).toBe(200);

      // The first write that turns one of this project's obligations red commits — and then the step dies (a Lambda
      // timing out after the commit): the state machine retries the step.
      let died = 0;
      ddb.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          // The client's own stack sees the marshalled items ({ S: … }).
          const text = (v: unknown) => (v && typeof v === 'object' && 'S' in v ? (v as { S: string }).S : v);
          const items = ((args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] }).TransactItems ?? []).map((i) => i.Put?.Item ?? {});
          const turnsRed = items.some((i) => text(i.pk) === `PROJECT#${project.id}` && text(i.kind) === 'obligation' && text(i.light) === 'red');
          if (/^TransactWrite/.test(String(context.commandName)) && turnsRed && died === 0) {
            died += 1;
            throw Object.assign(new Error('Task timed out after the commit'), { name: 'TimeoutError' });
          }
          return result;
        },
        { step: 'initialize', name: `dieAfterCommit-${project.id}` },
      );
      try {
        await until(async () => ((await api.tasks()).filter((t) => t.kind === 'obligation' && t.light === 'red').length === 30 ? true : undefined), 60_000);
      } finally {
        ddb.middlewareStack.remove(`dieAfterCommit-${project.id}`);
      }
      expect(died).toBe(1);
      await new Promise((r) => setTimeout(r, 1_500));
      const notices = (await inbox('DEPT#investment_dept')).filter((n) => n.projectId === project.id && n.kind === 'task.overdue');
      expect(notices.map((n) => n.title).sort()).toEqual(deficiencies.map((d) => `红灯：容缺补正：${d.document}已逾期`).sort());
      const overdue = (await listAudit(`PROJECT#${project.id}`, 1000)).items.filter((e) => e.action === 'task.overdue');
      expect(overdue.flatMap((e) => (e.after as { tasks: unknown[] }).tasks)).toHaveLength(30);
      expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
    });
  });

  describe('a failed workflow step', () => {
    it('a real bug is recorded as failed; ops resume the lifecycle through the API once it is fixed, and its deadlines fire again', async () => {
      const { ddb } = await import('../../functions/kernel/store/client.ts');
      const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
      const resume = await handler('resume-workflow');
      const getProject = await handler('get-project');
      const { project, executionName, input } = await env.activeProject('lease');
      const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
      await env.workflow.startExecution(executionName, input);
      await until(() => getWait(project.id));
      // A running lifecycle is not resumed.
      expect((await call(resume, apiEvent('POST /projects/{id}/workflow/resume', { as: users.opsEngineer, params: { id: project.id } }))).status).toBe(409);

      // A corrupt gate record (its approvers not a list) makes "Evaluate stage" throw a TypeError: no retry helps.
      const poison = { pk: `PROJECT#${project.id}`, sk: 'GATE#SIGNING' };
      await ddb.send(new PutCommand({ TableName: process.env.TABLE_PROJECTS, Item: { ...poison, stage: 'SIGNING', name: { zh: '落地转段会议', en: 'gate' }, requiredApprovals: 'not-a-list', round: 1, open: true } }));
      const pre = (await api.tasks()).find((t) => t.code === 'pre_site_selection')!;
      expect((await api.complete(pre)).status).toBe(200);
      await until(() => (env.workflow.executions.get(executionName)?.status === 'FAILED' ? true : undefined), 60_000);
      const failed = await call<{ workflow: { status: string } }>(getProject, apiEvent('GET /projects/{id}', { as: users.opsEngineer, params: { id: project.id } }));
      expect(failed.body.workflow.status).toBe('failed');
      expect((await inbox('OPS')).some((n) => n.projectId === project.id && n.kind === 'workflow.failed')).toBe(true);
      // Only ops resume.
      expect((await call(resume, apiEvent('POST /projects/{id}/workflow/resume', { as: users.committeeLeader, params: { id: project.id } }))).status).toBe(403);

      // The fix: the corrupt record goes (the stage's gate is built again from the matrix).
      await ddb.send(new DeleteCommand({ TableName: process.env.TABLE_PROJECTS, Key: poison }));
      const reply = await call<{ executionName: string; resumedFrom: string }>(
        resume,
        apiEvent('POST /projects/{id}/workflow/resume', { as: users.opsEngineer, params: { id: project.id }, body: { note: '已修复损坏的任务记录' } }),
      );
      expect(reply.status, reply.text).toBe(202);
      expect(reply.body).toMatchObject({ executionName: `${project.id}-SIGNING-2`, resumedFrom: executionName, status: 'starting' });
      await until(() => (env.workflow.executions.get(`${project.id}-SIGNING-2`)?.status === 'RUNNING' ? true : undefined));
      // The deadlines run again: the next task started by the completion goes red when its 10 working days pass.
      const overdue = await until(async () => (await api.tasks()).find((t) => t.code === 'factory_matching' && t.light === 'red'), 60_000);
      expect(overdue.status).toBe('open');
      expect((await env.projects.getProject(project.id))?.workflow).toMatchObject({ status: 'running', executionName: `${project.id}-SIGNING-2`, resumedFrom: executionName });
      const { listAudit } = await import('../../functions/kernel/store/audit.ts');
      const resumed = (await listAudit(`PROJECT#${project.id}`, 200)).items.find((e) => e.action === 'workflow.resumed');
      expect(resumed).toMatchObject({ actor: users.opsEngineer.sub, after: { note: '已修复损坏的任务记录' } });
    });
  });
});
