// A local runtime killed between a gate's pass and the record of the next stage's segment ("Start next segment" had not
// run): the restart's resume finds the project in the new stage with the old stage's execution recorded. It must start
// the new stage's first segment and record it (as the step would have), not run the old execution's name again over the
// new stage — the project then said `workflow.executionName: …-SIGNING-1` all through LANDING, no `workflow.segment` on
// its timeline, and ops looking for `{projectId}-LANDING-1` found nothing (seen live with `kill -9` of `npm start`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { entryOf } from '../../functions/catalog.ts';

/** While set, "Start next segment" never returns: the process dies there. */
let crashAtHandover = true;
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({
    clockStart: '2026-09-21T09:00:00+08:00',
    scale: 1,
    instrument: (name, handler) => (name === 'start-segment' ? (async (...args: unknown[]) => (crashAtHandover ? new Promise(() => {}) : handler(...(args as [never, never])))) as typeof handler : handler),
  });
});
afterAll(() => env?.stop());

describe('restart after a crash at the stage handover', () => {
  it('starts and records the new stage’s first segment, once, and the lifecycle goes on', async () => {
    const { LocalWorkflow } = await import('../../local/workflow-runner.ts');
    const { LOCAL_WORKFLOW } = await import('../../functions/kernel/workflow/port.ts');
    const { resumeActiveLifecycles } = await import('../../local/resume.ts');
    const { listAudit } = await import('../../functions/kernel/store/audit.ts');
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await api.finishTasks('SIGNING');
    await api.passGate('SIGNING', '2026-09-21');
    // The gate passed (the project says LANDING) and the handover hangs: the SIGNING execution is still recorded.
    const passed = await until(async () => {
      const p = await env.projects.getProject(project.id);
      return p?.stage === 'LANDING' ? p : undefined;
    });
    expect(passed.workflow?.executionName).toBe(executionName);

    // "Restart": the old runner and its in-memory executions are gone.
    env.workflow.stopAll();
    crashAtHandover = false;
    const fresh = new LocalWorkflow(async (fn, payload) => ((await import(`../../${entryOf(fn)}`)) as { handler: (e: unknown, c: unknown) => Promise<unknown> }).handler(payload, {}));
    (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = fresh;
    env.workflow = fresh;
    expect(await resumeActiveLifecycles(fresh)).toBeGreaterThanOrEqual(1);

    const landing = `${project.id}-LANDING-1`;
    const resumed = await until(async () => {
      const p = await env.projects.getProject(project.id);
      return p?.workflow?.executionName === landing && p.workflow.status === 'running' ? p : undefined;
    });
    expect(resumed.stage).toBe('LANDING');
    expect(resumed.workflow?.segment).toBe(1);
    expect(fresh.executions.get(landing)?.status).toBe('RUNNING');
    expect(fresh.executions.has(executionName)).toBe(false);
    const segments = (await listAudit(`PROJECT#${project.id}`, 200)).items.filter((e) => e.action === 'workflow.segment');
    expect(segments.map((e) => (e.after as { workflow?: { executionName?: string } }).workflow?.executionName)).toEqual([landing]);
    // The stage was entered once, and the lifecycle goes on to the next gate.
    await api.finishTasks('LANDING');
    expect((await api.tasks()).filter((t) => t.stage === 'LANDING' && t.kind === 'matrix').map((t) => t.code).sort()).toEqual(['eia_guidance', 'land_transfer', 'service_team']);
    await api.passGate('LANDING', '2026-09-21');
    await api.waitForStage('GROUNDBREAKING');
  });
});
