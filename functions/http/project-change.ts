// Shared shape of every API change to a running project: re-read and retry on a concurrent change (unless the client
// pinned a version with If-Match), commit atomically with the project's version bump, then wake its workflow.
import { PreconditionFailed } from '#domain/errors.ts';
import { assertCanRead, type Principal } from '#domain/principal.ts';
import { assertVersion, type Project } from '#domain/project.ts';
import { loadProject } from '#adapters/dynamodb/projects.ts';
import { nudgeWorkflow } from '#adapters/workflow/nudge.ts';
import type { ApiResult } from './route.ts';

export async function changeProject(
  projectId: string,
  ifMatch: number | undefined,
  reason: string,
  attempt: () => Promise<ApiResult>,
): Promise<ApiResult> {
  for (let n = 1; ; n++) {
    try {
      const result = await attempt();
      if (result.statusCode < 300) await nudgeWorkflow(projectId, reason);
      return result;
    } catch (err) {
      // Parallel approvers (并联审批) touch the same project at once: each re-reads and applies its own decision.
      if (!(err instanceof PreconditionFailed) || ifMatch !== undefined || n >= 10) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * n));
    }
  }
}

/** The project a change applies to: visible to the caller (else 404) and at the version the caller pinned (else 412). */
export async function loadForChange(id: string, principal: Principal, ifMatch: number | undefined): Promise<Project> {
  const project = await loadProject(id);
  assertCanRead(principal, project);
  assertVersion(project, ifMatch);
  return project;
}
