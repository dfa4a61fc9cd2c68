// The real ASL in the embedded runner at real-time scale: a long deadline does not time out early, the workflow
// resumes on task success through the token stored in DynamoDB, and a repeated callback is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('lifecycle segment in the local runner (real time)', () => {
  it('enters SIGNING and stores the wait token in DynamoDB; an API change wakes the workflow through it, once', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { TaskTokenRejected } = await import('../../functions/kernel/workflow/port.ts');
    const { project, executionName, input } = await env.activeProject('lease');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const first = await until(() => getWait(project.id));
    expect(first.executionName).toBe(executionName);
    expect(first.wait.kind).toBe('deadline');

    const pre = (await api.tasks()).find((t) => t.code === 'pre_site_selection')!;
    expect((await api.complete(pre)).status).toBe(200);
    // The completion consumed the token and resumed the execution, which started the successors and waits again.
    await until(async () => (await api.tasks()).find((t) => t.code === 'factory_matching' && t.startedDate));
    const second = await until(async () => {
      const w = await getWait(project.id);
      return w && w.token !== first.token ? w : undefined;
    });
    expect(second.wait.version).toBeGreaterThan(first.wait.version);
    // The used token is refused (a late or repeated callback changes nothing).
    await expect(env.workflow.sendTaskSuccess(first.token, { reason: 'late' })).rejects.toBeInstanceOf(TaskTokenRejected);
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
  });

  it('starting the same segment name twice is idempotent (one execution)', async () => {
    const { executionName, input } = await env.activeProject();
    const first = await env.workflow.startExecution(executionName, input);
    const second = await env.workflow.startExecution(executionName, input);
    expect(first.alreadyStarted).toBe(false);
    expect(second.alreadyStarted).toBe(true);
  });

  it('creates the SIGNING tasks once from the matrix, with working-day due dates across National Day 2026', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
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

  it('a 60-working-day deadline (beyond the 24.8-day Node timer limit) does not time out early', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { getConfig, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const matrix = await getConfig('matrix');
    const longer = { ...matrix.doc, tasks: matrix.doc.tasks.map((t) => (t.stage === 'SIGNING' && t.limitWd ? { ...t, limitWd: 60 } : t)) };
    await transact([putConfigVersion({ name: 'matrix', version: matrix.version + 1, doc: longer, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    const { project, executionName, input } = await env.activeProject();
    await env.workflow.startExecution(executionName, input);
    const wait = await until(() => getWait(project.id));
    expect(wait.wait.timeoutSeconds * 1000).toBeGreaterThan(2 ** 31);
    await new Promise((r) => setTimeout(r, 1_500));
    // Unpatched, the runner's setTimeout would have fired after 1 ms and the wait would have been replaced.
    expect((await getWait(project.id))?.token).toBe(wait.token);
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
    expect((await env.projects.getProject(project.id))?.light).toBe('green');
  });
});
