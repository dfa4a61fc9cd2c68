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

  it('records the stage entry once with its working-day deadline from the matrix and calendar', async () => {
    const { getStageEntry, getWait } = await import('../../functions/adapters/dynamodb/lifecycle.ts');
    const { project, executionName, input } = await env.activeProject();
    await env.workflow.startExecution(executionName, input);
    await until(() => getWait(project.id));
    const entry = await getStageEntry(project.id, 'SIGNING');
    // land mode: 预选址 5 → 规划设计条件 10 → 项目审议 10 → 挂地 5, plus the gate's 10 = 40 working days.
    expect(entry?.limitWd).toBe(40);
    expect(entry?.enteredDate).toBe('2026-09-21');
    // 40 working days after 2026-09-21 across National Day 2026 (with the 10-10 调休 Saturday).
    expect(entry?.dueDate).toBe('2026-11-23');
    expect(entry?.provisional).toBe(false);
  });
});
