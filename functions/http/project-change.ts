// Shared shape of every API change to a running project: re-read and retry on a concurrent change (unless the client
// pinned a version with If-Match), commit atomically with the project's version bump, then wake its workflow.
import { PreconditionFailed } from '#domain/errors.ts';
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
