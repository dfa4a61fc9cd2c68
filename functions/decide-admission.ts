// POST /projects/{id}/admission — one admission decision 准入; the last approval starts the lifecycle execution.
import { ValidationFailed } from '#domain/errors.ts';
import { decideAdmission, diff, type Project } from '#domain/project.ts';
import { auditOp, SYSTEM_ACTOR } from '#adapters/dynamodb/audit.ts';
import { transact } from '#adapters/dynamodb/client.ts';
import { replaceProject } from '#adapters/dynamodb/projects.ts';
import { getConfig } from '#adapters/dynamodb/reference.ts';
import { clock } from '#adapters/clock.ts';
import { log } from '#adapters/log.ts';
import { executionName, workflow } from '#adapters/workflow/index.ts';
import { AdmissionBody, } from '#http/schemas/project.ts';
import { ProjectIdParams } from '#http/schemas/params.ts';
import { changeProject, loadForChange } from '#http/project-change.ts';
import type * as z from 'zod/mini';

type AdmissionBodyType = z.infer<typeof AdmissionBody>;
import { presentProject } from '#http/present.ts';
import { etag, json, route, type ApiRequest, type ApiResult } from '#http/route.ts';

export const handler = route(
  { auth: ['investment_dept', 'scitech_dept', 'committee_leader'], params: ProjectIdParams, body: AdmissionBody, idempotent: true },
  async (req) => {
    if (req.body.decision === 'reject' && !req.body.reason) {
      throw new ValidationFailed('A rejection needs a reason', [{ path: 'reason', message: 'is required when rejecting' }]);
    }
    // The track department and the committee leader of a major project decide in parallel: a lost race re-reads.
    return changeProject(req.params.id, req.ifMatch, 'admission', () => decide(req));
  },
);

async function decide(req: ApiRequest<AdmissionBodyType, Record<string, never>, { id: string }>): Promise<ApiResult> {
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
    const response = await req.commit(
      [
        replaceProject(project, current.version),
        auditOp(`PROJECT#${project.id}`, `admission.${req.body.decision}`, req.principal, diff(current, project), now, req.requestId),
      ],
      json(200, presentProject(project), etag(project.version)),
    );
    if (!decided.started) return response;
    const failed = await startLifecycle(project);
    return failed ? json(200, presentProject(failed), etag(failed.version)) : response;
}

/**
 * Starts segment 1 (idempotent by name). A failure is recorded on the project for ops to redrive, not hidden; the
 * project as recorded is returned so the client sees `start_failed` and the current ETag.
 */
async function startLifecycle(project: Project): Promise<Project | undefined> {
  const ref = project.workflow!;
  try {
    await workflow.startExecution(ref.executionName, { projectId: project.id, stage: project.stage, segment: ref.segment });
    return undefined;
  } catch (err) {
    log.error('lifecycle start failed', { projectId: project.id, executionName: ref.executionName, err });
    const now = clock.now();
    const failed: Project = {
      ...project,
      workflow: { ...ref, status: 'start_failed', lastError: (err as Error).message },
      version: project.version + 1,
      updatedAt: now.toISOString(),
    };
    try {
      await transact([
        replaceProject(failed, project.version),
        auditOp(`PROJECT#${project.id}`, 'workflow.start_failed', SYSTEM_ACTOR, diff(project, failed), now),
      ]);
      return failed;
    } catch (e) {
      log.error('could not record the start failure', { projectId: project.id, err: e });
      return undefined;
    }
  }
}
