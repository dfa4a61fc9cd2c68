// Resume path: start every active project's current segment again from what DynamoDB records, and every exit procedure
// under way. The local runtime runs it at start (in-flight executions lived in the previous process's memory; each
// exit step does only what the exit record says is not done). A lifecycle that failed stays failed until ops resume it
// through the API (POST /projects/{id}/workflow/resume), and a failed exit until ops redrive it
// (POST /projects/{id}/exit/redrive), as on AWS.
import type { WorkflowPort } from '../functions/kernel/workflow/port.ts';

export async function resumeActiveLifecycles(workflow: WorkflowPort): Promise<number> {
  const { queryLedger } = await import('../functions/projects/store/ledger.ts');
  let resumed = 0;
  for (let startKey: Record<string, string> | undefined; ; ) {
    const page = await queryLedger({ filters: { status: 'ACTIVE' }, limit: 100, startKey });
    for (const p of page.items) {
      if (p.exit && (p.exit.status === 'decided' || p.exit.status === 'running')) await workflow.startExit(p.exit.execution, { projectId: p.id });
      if (!p.workflow || p.workflow.status === 'failed' || p.workflow.status === 'start_failed') continue;
      await workflow.startExecution(p.workflow.executionName, { projectId: p.id, stage: p.stage, segment: p.workflow.segment });
      resumed += 1;
    }
    if (!page.lastKey) return resumed;
    startKey = page.lastKey;
  }
}
