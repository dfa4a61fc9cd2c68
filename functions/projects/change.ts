// Shared shape of every API change to a running project: re-read and retry on a concurrent change (unless the client
// pinned a version with If-Match), and commit atomically with the project's version bump and the outbox signal that
// wakes its workflow (delivered by wake-workflow from the outbox stream).
import { Conflict, PreconditionFailed } from '#kernel/domain/errors.ts';
import { assertCanRead, type Principal } from '#kernel/domain/principal.ts';
import { assertVersion, type Project } from '#projects/domain/project.ts';
import { ConcurrentChange, type WriteOp } from '#kernel/store/client.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { loadProject } from '#projects/store/projects.ts';
import type { ApiResult } from '#kernel/http/route.ts';

/** ApiRequest.commit, plus the signal that wakes the project's workflow in the same transaction. */
export type Commit = (ops: readonly WriteOp[], response: ApiResult) => Promise<ApiResult>;

interface ChangeRequest {
  readonly ifMatch: number | undefined;
  readonly requestId: string;
  commit(ops: readonly WriteOp[], response: ApiResult): Promise<ApiResult>;
}

export async function changeProject(
  req: ChangeRequest,
  projectId: string,
  reason: string,
  attempt: (commit: Commit) => Promise<ApiResult>,
): Promise<ApiResult> {
  const commit: Commit = (ops, response) => req.commit([...ops, signalOp({ kind: 'wake', projectId, reason }, req.requestId)], response);
  for (let n = 1; ; n++) {
    try {
      return await attempt(commit);
    } catch (err) {
      // Parallel approvers (并联审批) touch the same project at once: each re-reads and applies its own decision.
      // A task the workflow changed meanwhile (its light) is no stale If-Match: re-read even when the client pinned
      // the project's version, which that change did not move.
      const raced = err instanceof ConcurrentChange || (err instanceof PreconditionFailed && req.ifMatch === undefined);
      if (!raced) throw err;
      if (n >= 10) throw err instanceof ConcurrentChange ? new Conflict('The project is changing right now; retry the request') : err;
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
