// POST /projects/{id}/workflow/resume — ops resume a failed lifecycle once its cause is fixed: the next segment of the
// same stage starts (through the outbox, like an admission) and continues from DynamoDB: tasks, gate, clocks and lights
// as they are recorded. 409 when the lifecycle is not failed; `"force": true` takes over one whose record still says
// running (stopped by hand, …): the new segment starts only once wake-workflow confirms the old one is not running.
import { resumeLifecycle } from '#lifecycle/domain/segment.ts';
import { diff } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { executionName } from '#kernel/workflow/port.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.resumeWorkflow, async (req) =>
  // Retried like every project change when another write gets in between (unless the caller pinned If-Match).
  changeProject(req, req.params.id, 'workflow.resumed', async (commit) => {
    const current = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const now = clock.now();
    const next = resumeLifecycle(current, now, (segment) => executionName({ projectId: current.id, stage: current.stage, segment }), req.body.force === true);
    const ref = next.workflow!;
    return commit(
      [
        replaceProject(next, current.version),
        auditOp(`PROJECT#${current.id}`, 'workflow.resumed', req.principal, { ...diff(current, next), after: { ...diff(current, next).after, note: req.body.note ?? null, force: req.body.force === true } }, now, req.requestId),
        signalOp({ kind: 'start', projectId: current.id, executionName: ref.executionName }, req.requestId),
      ],
      json(
        202,
        { projectId: current.id, stage: current.stage, executionName: ref.executionName, status: ref.status, resumedFrom: ref.resumedFrom ?? null, confirmsStopped: ref.confirmStopped === true },
        { ...etag(next.version), location: `/projects/${current.id}` },
      ),
    );
  }),
);
