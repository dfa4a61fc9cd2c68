// A stage begins when its gate passes (or, for SIGNING, when the admission is decided), not when the workflow gets round
// to writing its tasks: a local runtime killed between a gate's pass and the next stage's entry and started again days of
// business time later (a fast clock runs on while a killed runtime is down: seen live, `kill -9` of `npm start` at
// ×17280, the LANDING tasks started 3 days after the pass), or a lifecycle that could not start and was resumed later,
// started the stage's working-day clocks on the day of the restart — every deadline of the stage moved back by the
// outage, and the yellow and red lights with them. The tasks start on the day the stage began; the lights follow today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../functions/kernel/domain/dates.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import { entryOf } from '../../functions/catalog.ts';

/** While set, "Start next segment" never returns: the process dies there. */
let crashAtHandover = true;
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({
    // A business day a real second.
    clockStart: '2026-09-21T09:00:00+08:00',
    scale: 86_400,
    instrument: (name, handler) => (name === 'start-segment' ? (async (...args: unknown[]) => (crashAtHandover ? new Promise(() => {}) : handler(...(args as [never, never])))) as typeof handler : handler),
  });
});
afterAll(() => env?.stop());

describe('a stage entered late after a crash at the handover', () => {
  it('starts its tasks on the day the gate passed, not on the day of the restart', async () => {
    const { LocalWorkflow } = await import('../../local/workflow-runner.ts');
    const { LOCAL_WORKFLOW } = await import('../../functions/kernel/workflow/port.ts');
    const { resumeActiveLifecycles } = await import('../../local/resume.ts');
    const { getGate } = await import('../../functions/lifecycle/store/tasks.ts');
    const { project, executionName, input } = await env.activeProject('land');
    const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId });
    await env.workflow.startExecution(executionName, input);
    await api.finishTasks('SIGNING');
    await api.passGate('SIGNING', shanghaiDate(env.clock.now()));
    await until(async () => ((await env.projects.getProject(project.id))?.stage === 'LANDING' ? true : undefined));
    const passedOn = shanghaiDate(new Date((await getGate(project.id, 'SIGNING'))!.passedAt!));

    // Down for four business days, then "restarted": a fresh runner resumes the lifecycle.
    await new Promise((r) => setTimeout(r, 4_000));
    env.workflow.stopAll();
    crashAtHandover = false;
    const fresh = new LocalWorkflow(async (fn, payload) => ((await import(`../../${entryOf(fn)}`)) as { handler: (e: unknown, c: unknown) => Promise<unknown> }).handler(payload, {}));
    (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = fresh;
    env.workflow = fresh;
    expect(shanghaiDate(env.clock.now()) > passedOn).toBe(true);
    expect(await resumeActiveLifecycles(fresh)).toBeGreaterThanOrEqual(1);

    const landing = await until(async () => {
      const tasks = (await api.tasks()).filter((t) => t.stage === 'LANDING' && t.kind === 'matrix');
      return tasks.length ? tasks : undefined;
    });
    expect(landing.map((t) => [t.code, t.startedDate])).toEqual(landing.map((t) => [t.code, passedOn]));
    // 组建服务专班 (3 working days from the pass) is past due by now: red at the first review, not green for days more.
    const team = await until(async () => {
      const t = (await api.tasks()).find((x) => x.id === 'LANDING.service_team');
      return t?.light === 'red' ? t : undefined;
    });
    expect(team.dueDate! < shanghaiDate(env.clock.now())).toBe(true);
  });
});
