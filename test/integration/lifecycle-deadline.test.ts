// The real ASL in the embedded runner on a fast business clock: the callback wait times out at the yellow-light date,
// then at the due date, and the workflow turns the project yellow, then red, notifies, and keeps supervising.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // 15 business days per real second: the 40-working-day SIGNING deadline passes in about 4 s.
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 15 * 86_400 });
});
afterAll(() => env?.workflow.stopAll());

describe('stage deadline timers (States.Timeout on the callback wait)', () => {
  it('turns the light yellow, then red, with overdue events in the audit log', async () => {
    const { listAudit } = await import('../../functions/adapters/dynamodb/audit.ts');
    const { project, executionName, input } = await env.activeProject();
    await env.workflow.startExecution(executionName, input);
    const red = await until(async () => {
      const p = await env.projects.getProject(project.id);
      return p?.light === 'red' ? p : undefined;
    }, 20_000);
    expect(red.status).toBe('ACTIVE');
    const actions = (await listAudit(`PROJECT#${project.id}`, 100)).items.map((e) => e.action);
    expect(actions.indexOf('deadline.yellow')).toBeGreaterThan(actions.indexOf('stage.entered'));
    expect(actions.indexOf('deadline.overdue')).toBeGreaterThan(actions.indexOf('deadline.yellow'));
    expect(env.workflow.executions.get(executionName)?.status).toBe('RUNNING');
  });
});
