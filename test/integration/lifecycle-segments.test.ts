// Segments (continue-as-new): an execution hands over to {projectId}-{stage}-{n+1} before its age or wake-up budget
// runs out, and after a restart every active project resumes from DynamoDB without duplicating its tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { entryOf } from '../../functions/catalog.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('execution segments', () => {
  it('hands over to the next segment of the same stage when the wake-up budget is spent', async () => {
    const { getConfig, putConfigVersion } = await import('../../functions/reference/store/reference.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const recurring = await getConfig('recurring');
    await transact([putConfigVersion({ name: 'recurring', version: recurring.version + 1, doc: { ...recurring.doc, segmentMaxWakeUps: 2 }, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    try {
      const { project, executionName, input } = await env.activeProject('lease');
      const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
      await api.holdSite(); // 厂房匹配 links the reserved facility (before the execution: its wake-ups are counted)
      await env.workflow.startExecution(executionName, input);
      // Each completion wakes the execution once; the third wake-up exceeds the budget of 2. Each completion waits for
      // the execution to register its next wait (a new token): two completions in one cycle would count as one wake-up.
      const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
      for (const code of ['pre_site_selection', 'planning_conditions', 'factory_matching']) {
        const task = await until(async () => (await api.tasks()).find((t) => t.code === code && t.startedDate));
        const before = await until(() => getWait(project.id));
        expect((await api.complete(task)).status).toBe(200);
        if (code !== 'factory_matching') await until(async () => ((await getWait(project.id))?.token ?? before.token) !== before.token || undefined);
      }
      const second = `${project.id}-SIGNING-2`;
      await until(() => env.workflow.executions.get(second));
      await until(() => env.workflow.executions.get(executionName)?.status === 'SUCCEEDED' || undefined);
      const p = await until(async () => {
        const current = await env.projects.getProject(project.id);
        return current?.workflow?.executionName === second && current.workflow.status === 'running' ? current : undefined;
      });
      expect(p.stage).toBe('SIGNING');
      expect(p.workflow?.segment).toBe(2);
      // The new segment continues the same stage: its tasks were not created again.
      expect((await api.tasks()).filter((t) => t.code === 'pre_site_selection')).toHaveLength(1);
    } finally {
      const current = await getConfig('recurring');
      await transact([putConfigVersion({ name: 'recurring', version: current.version + 1, doc: recurring.doc, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    }
  });

  it('a wait stale at birth whose token has timed out meanwhile ends its step quietly: the deadline path evaluates the change', async () => {
    const { handler } = await import('../../functions/lifecycle/steps/register-wait.ts');
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { project } = await env.activeProject('land');
    const current = (await env.projects.getProject(project.id))!;
    // Computed from an older version (the project changed after the evaluation); the runner knows no such token (it
    // timed out and was dropped), so its wake-up is refused — the step must not fail the lifecycle for that.
    const wait = { waitId: 'w-stale', kind: 'deadline' as const, stage: current.stage, dueAt: new Date().toISOString(), timeoutSeconds: 1, version: current.version - 1 };
    await expect(handler({ projectId: project.id, stage: current.stage, segment: 1, executionName: `${project.id}-${current.stage}-1`, wait, taskToken: 'local-timed-out' } as never)).resolves.toEqual({ registered: null });
    expect(await getWait(project.id)).toBeUndefined();
  });

  it('after a restart, every active project resumes from DynamoDB in its current segment', async () => {
    const { getWait } = await import('../../functions/lifecycle/store/stage.ts');
    const { resumeActiveLifecycles } = await import('../../local/resume.ts');
    const { LocalWorkflow } = await import('../../local/workflow-runner.ts');
    const { LOCAL_WORKFLOW } = await import('../../functions/kernel/workflow/port.ts');
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    const before = await until(() => getWait(project.id));

    // "Restart": the old runner and its in-memory executions are gone.
    env.workflow.stopAll();
    const fresh = new LocalWorkflow(async (fn, payload) => ((await import(`../../${entryOf(fn)}`)) as { handler: (e: unknown, c: unknown) => Promise<unknown> }).handler(payload, {}));
    (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = fresh;
    env.workflow = fresh;
    expect(await resumeActiveLifecycles(fresh)).toBeGreaterThanOrEqual(1);
    expect(fresh.executions.get(executionName)?.status).toBe('RUNNING');
    const after = await until(async () => {
      const w = await getWait(project.id);
      return w && w.token !== before.token ? w : undefined;
    });
    expect(after.executionName).toBe(executionName);
    // The resumed workflow reacts to work as before.
    const pre = (await api.tasks()).find((t) => t.code === 'pre_site_selection')!;
    expect((await api.complete(pre)).status).toBe(200);
    await until(async () => (await api.tasks()).find((t) => t.code === 'planning_conditions' && t.startedDate));
    expect((await api.tasks()).filter((t) => t.stage === 'SIGNING')).toHaveLength(5);
  });
});
