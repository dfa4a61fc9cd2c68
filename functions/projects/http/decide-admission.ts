// POST /projects/{id}/admission — one admission decision 准入; the last approval starts the lifecycle execution (through
// the outbox: the start signal commits with the decision, wake-workflow starts the execution).
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { decideAdmission, diff, type Project } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { executionName } from '#kernel/workflow/port.ts';
import type { AdmissionBody } from '#projects/schemas.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import type * as z from 'zod/mini';
import { presentProject } from '#projects/present.ts';
import { etag, json, type ApiResult } from '#kernel/http/route.ts';
import { writeRoute, type WriteRequest } from '#kernel/http/write-route.ts';
import * as routes from '#projects/routes.ts';

type AdmissionBodyType = z.infer<typeof AdmissionBody>;

export const handler = writeRoute(routes.decideAdmission,
  async (req) => {
    if (req.body.decision === 'reject' && !req.body.reason) {
      throw new ValidationFailed('A rejection needs a reason', [{ path: 'reason', message: 'is required when rejecting' }]);
    }
    // The track department and the committee leader of a major project decide in parallel: a lost race re-reads.
    // No wake signal: before this decision there is no workflow to wake; the start signal starts it.
    return changeProject(req, req.params.id, 'admission', () => decide(req));
  },
);

async function decide(req: WriteRequest<AdmissionBodyType, Record<string, never>, { id: string }>): Promise<ApiResult> {
  const current = await loadForChange(req.params.id, req.principal, req.ifMatch);
  const now = clock.now();
  const decided = decideAdmission(current, req.principal, req.body, now);
  let project: Project = decided.project;
  if (decided.started) {
    // The project records the responsibility matrix version in force when its lifecycle starts.
    const matrix = await getConfig('matrix');
    const input = { projectId: project.id, stage: project.stage, segment: 1 };
    project = {
      ...project,
      matrixVersion: matrix.version,
      workflow: { segment: 1, executionName: executionName(input), startedAt: now.toISOString(), status: 'starting' },
    };
  }
  return req.commit(
    [
      replaceProject(project, current.version),
      auditOp(`PROJECT#${project.id}`, `admission.${req.body.decision}`, req.principal, diff(current, project), now, req.requestId),
      ...(project.workflow && decided.started
        ? [signalOp({ kind: 'start', projectId: project.id, executionName: project.workflow.executionName }, req.requestId)]
        : []),
    ],
    json(200, presentProject(project), etag(project.version)),
  );
}
