// POST /projects/{id}/exit — the committee leader's decision at exit pending (L5): `exit` → 202, the exit procedure
// runs as its own workflow (started through the outbox; the project shows `exit.status` and reaches EXITED when it
// ends); `extend` with a new date → 200, the ladder back to 0 as with an extension (a planned completion before the new
// date moves to it). On the timeline.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { exitExecutionName } from '#kernel/workflow/port.ts';
import type { Role } from '#kernel/domain/codes.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { assertAtExitRung, assertExitDecisionFields, decideExit, extendDate } from '../domain/exit.ts';
import { extensionChange } from '../extension.ts';
import { ladderOwedBeforeDecision } from '#lifecycle/ladder-reset.ts';
import * as routes from '../routes.ts';
import { latestComplianceCheck } from '../store/ladder-records.ts';

const EXIT_TOLD: readonly Role[] = ['enterprise', 'park_center', 'resources_bureau', 'supervision_office'];

export const handler = writeRoute(routes.decideExit, async (req) => {
  assertExitDecisionFields(req.body);
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      if (req.body.decision === 'extend') {
        assertAtExitRung(project);
        return extensionChange(project, req.principal, { newDueDate: extendDate(req.body), reason: req.body.reason }, now, 'exit.extended');
      }
      const decided = decideExit({ project, by: req.principal, reason: req.body.reason, latestCheck: await latestComplianceCheck(project.id), now, execution: exitExecutionName(project.id) });
      const exit = decided.project.exit!;
      // The committee leader's reminder the review owed and had not sent yet (it fell behind): recorded before the
      // decision. The ladder stands still from the decision, so the reminder's next window is not carried onto it.
      const owed = await ladderOwedBeforeDecision(project, shanghaiDate(now), now);
      return {
        project: decided.project,
        action: 'exit.decided',
        audit: { after: decided.event.after },
        owed: owed?.events,
        notices: EXIT_TOLD.map((to) => ({ kind: 'exit.decided' as const, project, to, reason: req.body.reason })),
        signal: { kind: 'exit', projectId: project.id, executionName: exit.execution, mode: 'start' },
      };
    },
    // An exit under way: Location names where its outcome shows (the project's exit.status), as a resumed lifecycle's 202 does.
    async (next, change, shown) =>
      change.action === 'exit.decided' ? json(202, presentProject(await shown()), { ...etag(next.version), location: `/projects/${next.id}` }) : json(200, presentProject(await shown()), etag(next.version)),
  );
});
