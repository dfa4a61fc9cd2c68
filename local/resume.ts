// Resume path: start every active project's current segment again from what DynamoDB records. The local runtime runs
// it at start (in-flight executions lived in the previous process's memory); ops use the same idea after a deploy.
import type { WorkflowPort } from '../functions/adapters/workflow/port.ts';

export async function resumeActiveLifecycles(workflow: WorkflowPort): Promise<number> {
  const { queryLedger } = await import('../functions/adapters/dynamodb/projects.ts');
  let resumed = 0;
  for (let cursor: string | undefined; ; ) {
    const page = await queryLedger({ filters: { status: 'ACTIVE' }, limit: 100, cursor });
    for (const p of page.items) {
      if (!p.workflow || p.workflow.status === 'failed') continue;
      await workflow.startExecution(p.workflow.executionName, { projectId: p.id, stage: p.stage, segment: p.workflow.segment });
      resumed += 1;
    }
    if (!page.nextCursor) return resumed;
    cursor = page.nextCursor;
  }
}
