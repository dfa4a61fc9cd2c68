// POST /projects/{id}/workflow/resume — ops resume a failed lifecycle once its cause is fixed: the next segment of the
// same stage starts (through the outbox, like an admission) and continues from DynamoDB: tasks, gate, clocks and lights
// as they are recorded. 409 when the lifecycle is not failed; `"force": true` takes over one whose record still says
// running (stopped by hand, …): the new segment starts only once wake-workflow confirms the old one is not running.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { executionName } from '#kernel/workflow/port.ts';
import { changeProject } from '#projects/change.ts';
import { resumeLifecycle } from '../domain/segment.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.resumeWorkflow, async (req) =>
  changeProject(
    req,
    req.params.id,
    (current, now) => {
      const project = resumeLifecycle(current, now, (segment) => executionName({ projectId: current.id, stage: current.stage, segment }), req.body.force === true);
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
