// Resume path: start every active project's current segment again from what DynamoDB records, and every exit procedure
// under way; free the notification channels the previous process held. The local runtime runs it at start (in-flight
// executions lived in the previous process's memory; each exit step does only what the exit record says is not done).
// A lifecycle that failed stays failed until ops resume it through the API (POST /projects/{id}/workflow/resume), and a
// failed exit until ops redrive it (POST /projects/{id}/exit/redrive), as on AWS.
import type { WorkflowPort } from '../functions/kernel/workflow/port.ts';
import type { Project } from '../functions/projects/domain/project.ts';

/** `except`: a project left as it is (the demo's stalled project while its month waits to be carried on: start.ts). */
export async function resumeActiveLifecycles(workflow: WorkflowPort, opts: { except?: string } = {}): Promise<number> {
  const { queryLedger } = await import('../functions/projects/store/ledger.ts');
  let resumed = 0;
  for (let startKey: Record<string, string> | undefined; ; ) {
    const page = await queryLedger({ filters: { status: 'ACTIVE' }, limit: 100, startKey });
    for (const p of page.items) if (p.id !== opts.except && (await resumeLifecycle(workflow, p))) resumed += 1;
    if (!page.lastKey) return resumed;
    startKey = page.lastKey;
  }
}

/**
 * One active project's segment (and its exit under way) started again from what DynamoDB records; whether a segment was
 * (local/replay-ladder.ts resumes the demo's stalled project alone: the other projects live on `npm start`'s clock).
 */
export async function resumeLifecycle(workflow: WorkflowPort, p: Project): Promise<boolean> {
  if (p.exit && (p.exit.status === 'decided' || p.exit.status === 'running')) await workflow.startExit(p.exit.execution, { projectId: p.id });
  if (!p.workflow || p.workflow.status === 'failed' || p.workflow.status === 'start_failed') return false;
  // The previous process died after a gate passed and before "Start next segment" recorded the new stage's first
  // segment: the project is in the new stage with the old stage's execution recorded. What that step would have
  // done is done now — record {id}-{stage}-1 and start it — rather than run the old name over the new stage.
  if (!p.workflow.executionName.startsWith(`${p.id}-${p.stage}-`)) {
    const { startSegment } = await import('../functions/lifecycle/steps/start-segment.ts');
    // Only while the project is still as read: active in that stage, the old stage's execution recorded.
    await startSegment({ projectId: p.id, stage: p.stage, segment: 1 }, workflow, (current) => current.status === 'ACTIVE' && current.stage === p.stage && !current.workflow?.executionName.startsWith(`${p.id}-${p.stage}-`));
    return true;
  }
  await workflow.startExecution(p.workflow.executionName, { projectId: p.id, stage: p.stage, segment: p.workflow.segment });
  return true;
}

/**
 * Frees every notification channel a dispatcher of the previous process held: this process is the store's only
 * dispatcher (as it is its only workflow runner above), so a lease still set at start belongs to a process that was
 * killed while it worked the channel, and would hold the channel's queue until it ran out (up to 110 s of wall time).
 * How many channels were freed.
 */
export async function freeChannelLeases(): Promise<number> {
  const { knownChannels } = await import('../functions/notifications/store/delivery-reads.ts');
  const { breakLease } = await import('../functions/notifications/store/deliveries.ts');
  return (await Promise.all((await knownChannels()).map(breakLease))).filter(Boolean).length;
}
