// Read-modify-write of a project by the workflow (no If-Match from a client): retried on a concurrent change.
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import { diff, type Project } from '#projects/domain/project.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { transact, type WriteOp } from '#kernel/store/client.ts';
import { loadProject, replaceProject } from './projects.ts';

/**
 * Applies `change` to the current project and commits it with its audit event and `extra` writes. `change` returns
 * undefined when there is nothing to do. Retries when another writer got in between (optimistic lock).
 */
export async function updateProject(
  id: string,
  action: string,
  by: Principal,
  now: Date,
  change: (p: Project) => { project: Project; extra?: WriteOp[]; unchanged?: boolean } | undefined,
): Promise<Project> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadProject(id);
    const result = change(current);
    if (!result) return current;
    if (result.unchanged) {
      // Only the extra writes: a record of something that does not change the project.
      await transact(result.extra ?? []);
      return current;
    }
    const next: Project = { ...result.project, version: current.version + 1, updatedAt: now.toISOString() };
    try {
      await transact([replaceProject(next, current.version), auditOp(`PROJECT#${id}`, action, by, diff(current, next), now), ...(result.extra ?? [])]);
      return next;
    } catch (err) {
      if (!(err instanceof PreconditionFailed) || attempt >= 5) throw err;
    }
  }
}
