// POST /projects/{id}/workflow/resume — ops resume a failed lifecycle once its cause is fixed: the next segment of the
// same stage starts (through the outbox, like an admission) and continues from DynamoDB: tasks, gate, clocks and lights
// as they are recorded. 409 when the lifecycle is not failed; `"force": true` takes over one whose record still says
// running (stopped by hand, …): 409 while Step Functions says that execution is running; wake-workflow checks again
// before the new segment starts.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { workflow } from '#kernel/workflow/index.ts';
import { executionName } from '#kernel/workflow/port.ts';
import { changeProject } from '#projects/change.ts';
import { projectStateConflict } from '#projects/domain/project.ts';
import { resumeLifecycle } from '../domain/segment.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.resumeWorkflow, async (req) =>
  changeProject(
    req,
    req.params.id,
    async (current, now) => {
      const project = resumeLifecycle(current, now, (segment) => executionName({ projectId: current.id, stage: current.stage, segment }), req.body.force === true);
      // Forced over an execution Step Functions says is running: refused now, with nothing recorded, rather than
      // accepted and then recorded start_failed while the old execution carries on. (wake-workflow checks again before
      // it starts the new segment: a stop and a start could still cross.)
      const previous = project.workflow!.confirmStopped ? project.workflow!.resumedFrom : undefined;
      if (previous && (await workflow.describeExecution(previous)) === 'RUNNING') {
        throw projectStateConflict(`${previous} is still running: nothing was resumed. Stop it first (in Step Functions; the local runtime restarts every running lifecycle from DynamoDB at each npm start — see the runbook's "ExecutionsAborted"), or let it go on`, `${previous} still running`);
      }
      return {
        project,
        action: 'workflow.resumed',
        audit: { after: { note: req.body.note ?? null, force: req.body.force === true } },
        signal: { kind: 'start', projectId: current.id, executionName: project.workflow!.executionName },
      };
    },
    (next) => {
      const ref = next.workflow!;
      return json(
        202,
        { projectId: next.id, stage: next.stage, executionName: ref.executionName, status: ref.status, resumedFrom: ref.resumedFrom ?? null, confirmsStopped: ref.confirmStopped === true },
        { ...etag(next.version), location: `/projects/${next.id}` },
      );
    },
  ),
);
