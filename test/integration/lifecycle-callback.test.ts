// The real ASL in the embedded runner at real-time scale: a long deadline does not time out early, the workflow
// resumes on task success through the token stored in DynamoDB, and a repeated callback is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.workflow.stopAll());

describe('lifecycle segment in the local runner (real time)', () => {
  it('enters SIGNING, stores the wait token in DynamoDB, and a ~56-day deadline does not fire early', async () => {
    const { getWait } = await import('../../functions/adapters/dynamodb/lifecycle.ts');
    const { project, executionName, input } = await env.activeProject();
    await env.workflow.startExecution(executionName, input);
    const wait = await until(() => getWait(project.id));
    expect(wait.executionName).toBe(executionName);
    expect(wait.wait.kind).toBe('yellow');
    // Beyond Node's 2^31−1 ms timer limit: unpatched, the runner would time the state out after 1 ms.
    expect(wait.wait.timeoutSeconds * 1000).toBeGreaterThan(2 ** 31);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
    const after = await env.projects.getProject(project.id);
    expect(after?.light).toBe('green');
    expect(after?.workflow?.status).toBe('running');
  });

  it('resumes on task success and ends; the same token a second time is refused', async () => {
    const { getWait } = await import('../../functions/adapters/dynamodb/lifecycle.ts');
    const { TaskTokenRejected } = await import('../../functions/adapters/workflow/port.ts');
    const { project, executionName, input } = await env.activeProject('lease');
    await env.workflow.startExecution(executionName, input);
    const wait = await until(() => getWait(project.id));
    await env.workflow.sendTaskSuccess(wait.token, { next: 'end' });
    await until(() => env.workflow.executions.get(executionName)?.status === 'SUCCEEDED');
    await expect(env.workflow.sendTaskSuccess(wait.token, { next: 'end' })).rejects.toBeInstanceOf(TaskTokenRejected);
  });

  it('starting the same segment name twice is idempotent (one execution)', async () => {
    const { executionName, input } = await env.activeProject();
    const first = await env.workflow.startExecution(executionName, input);
    const second = await env.workflow.startExecution(executionName, input);
    expect(first.alreadyStarted).toBe(false);
    expect(second.alreadyStarted).toBe(true);
  });

  it('creates the SIGNING tasks once from the matrix, with working-day due dates across National Day 2026', async () => {
    const { getWait } = await import('../../functions/adapters/dynamodb/lifecycle.ts');
    const { listTasks } = await import('../../functions/adapters/dynamodb/tasks.ts');
    const { project, executionName, input } = await env.activeProject();
    await env.workflow.startExecution(executionName, input);
    await until(() => getWait(project.id));
    const tasks = await listTasks(project.id);
    // land mode: 预选址, 规划设计条件, 土地清单, 项目审议, 挂地 (厂房匹配 is lease only).
    expect(tasks.map((t) => t.code).sort()).toEqual(['land_list', 'land_listing', 'planning_conditions', 'pre_site_selection', 'project_review']);
    const pre = tasks.find((t) => t.code === 'pre_site_selection')!;
    // 5 working days after 2026-09-21 skip the Mid-Autumn holiday (Fri 2026-09-25) and the weekend.
    expect(pre).toMatchObject({ lead: 'investment_dept', startedDate: '2026-09-21', status: 'open', light: 'green', calendarProvisional: false });
    expect(pre.dueDate).toBe('2026-09-29');
    // 规划设计条件 waits for 预选址.
    expect(tasks.find((t) => t.code === 'planning_conditions')).toMatchObject({ startedDate: null, dueDate: null });
    // A resumed segment does not create them again.
    await env.workflow.startExecution(`${project.id}-SIGNING-2`, { ...input, segment: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await listTasks(project.id)).toHaveLength(5);
  });
});
