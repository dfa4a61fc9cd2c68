// POST /projects/{id}/workflow/resume — ops resume a failed lifecycle once its cause is fixed: the next segment of the
// same stage starts (through the outbox, like an admission) and continues from DynamoDB: tasks, gate, clocks and lights
// as they are recorded. 409 when the lifecycle is not failed.
import { resumeLifecycle } from '#domain/lifecycle.ts';
import { diff } from '#domain/project.ts';
import { auditOp } from '#adapters/dynamodb/audit.ts';
import { signalOp } from '#adapters/dynamodb/outbox.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { clock } from '#adapters/clock.ts';
import { executionName } from '#adapters/workflow/port.ts';
import { loadForChange } from '#http/project-change.ts';
import { ResumeBody } from '#http/schemas/lifecycle.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { etag, json, route } from '#http/route.ts';

export const handler = route({ auth: ['ops'], params: ProjectIdParams, body: ResumeBody, idempotent: true }, async (req) => {
  const current = await loadForChange(req.params.id, req.principal, req.ifMatch);
  const now = clock.now();
  const next = resumeLifecycle(current, now, (segment) => executionName({ projectId: current.id, stage: current.stage, segment }));
  const ref = next.workflow!;
  return req.commit(
    [
      replaceProject(next, current.version),
      auditOp(`PROJECT#${current.id}`, 'workflow.resumed', req.principal, { ...diff(current, next), after: { ...diff(current, next).after, note: req.body.note ?? null } }, now, req.requestId),
      signalOp({ kind: 'start', projectId: current.id, executionName: ref.executionName }, req.requestId),
    ],
    json(
      202,
      { projectId: current.id, stage: current.stage, executionName: ref.executionName, status: ref.status, resumedFrom: ref.resumedFrom ?? null },
      { ...etag(next.version), location: `/projects/${current.id}` },
    ),
  );
});
