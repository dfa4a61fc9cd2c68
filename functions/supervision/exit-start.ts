// Delivery of an exit signal from the outbox (lifecycle/stream/wake-workflow.ts): start the execution the decision
// recorded, or redrive a failed one. At-least-once: a redelivered start finds the exit running (or the name taken), a
// redelivered redrive finds the execution running. An execution that can no longer be redriven (older than 14 days on
// AWS; gone with a restarted local runtime) gives way to the next attempt, which runs every step — each does only
// what the exit record says is not done.
import { SYSTEM_ACTOR } from '#kernel/store/audit.ts';
import type { Signal } from '#kernel/store/outbox.ts';
import { log } from '#kernel/runtime/log.ts';
import { workflow } from '#kernel/workflow/index.ts';
import { ExecutionNotRedrivable, exitExecutionName } from '#kernel/workflow/port.ts';
import { isTransient } from '#kernel/runtime/faults.ts';
import { changeProjectAs } from '#projects/change.ts';
import { exitFailed } from './domain/exit.ts';
import { getProject } from '#projects/store/projects.ts';

export async function deliverExit(signal: Extract<Signal, { kind: 'exit' }>): Promise<void> {
  const project = await getProject(signal.projectId);
  const exit = project?.exit;
  if (!project || !exit || exit.execution !== signal.executionName || project.status !== 'ACTIVE') return;
  const input = { projectId: project.id };
  if (signal.mode === 'start') {
    if (exit.status !== 'decided') return;
    try {
      await workflow.startExit(exit.execution, input);
    } catch (err) {
      // Throttling or an outage: the stream retries. Anything else (rights, a missing machine) is a failed exit that
      // ops redrive once it is fixed — recorded, told, and out of the stream's way.
      if (isTransient(err)) throw err;
      log.error('exit start failed', { projectId: project.id, executionName: exit.execution, err });
      const error = `${(err as Error).name}: ${(err as Error).message}`;
      await changeProjectAs(SYSTEM_ACTOR, project.id, (p, now) => {
        const failed = exitFailed(p, exit.execution, (err as Error).name, (err as Error).message, now);
        return failed && { project: failed, action: 'exit.start_failed', audit: { after: { execution: exit.execution, error } }, notices: [{ kind: 'workflow.failed', projectId: p.id, execution: exit.execution, error, during: 'exit' }], signal: null };
      });
    }
    return;
  }
  if (exit.status !== 'running') return;
  try {
    await workflow.redriveExit(exit.execution);
    log.info('exit execution redriven', { projectId: project.id, executionName: exit.execution });
  } catch (err) {
    if (!(err instanceof ExecutionNotRedrivable)) throw err;
    const status = await workflow.describeExecution(exit.execution, 'exit');
    if (status === 'RUNNING' || status === 'SUCCEEDED') return; // redriven already (a redelivered signal)
    const attempt = exit.attempt + 1;
    const execution = exitExecutionName(project.id, attempt);
    log.warn('exit execution not redrivable: the next attempt runs every step (each idempotent)', { projectId: project.id, executionName: exit.execution, next: execution, status });
    await changeProjectAs(SYSTEM_ACTOR, project.id, (p) => {
      if (p.exit?.execution !== exit.execution || p.exit.status !== 'running') return undefined;
      return {
        project: { ...p, exit: { ...p.exit, status: 'decided', execution, attempt, failure: null } },
        action: 'exit.attempt_started',
        audit: { after: { from: exit.execution, execution } },
        signal: { kind: 'exit', projectId: p.id, executionName: execution, mode: 'start' },
      };
    });
  }
}
