// POST /projects/{id}/production — quarterly production figures 达产达效 in OPERATION; when they meet the contract
// targets (configurable share) the 达产 gate opens for its approvers. A quarter filed already is corrected with If-Match
// (the project's version read; 412 when stale, 409 without).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { targetsMet } from '#projects/domain/production.ts';
import { presentProjectFor } from '#projects/present.ts';
import { getConfig } from '#reference/store/reference.ts';
import { reportProduction } from '../domain/progress.ts';
import * as routes from '../routes.ts';
import { getStageEntry } from '../store/stage.ts';

export const handler = writeRoute(routes.reportProduction, async (req) => {
  // The stage's first entry is written once: read outside the unit of work (a project not in OPERATION has none, and is refused there).
  const [recurring, operation] = await Promise.all([getConfig('recurring'), getStageEntry(req.params.id, 'OPERATION')]);
  const share = recurring.doc.producingTargetShare;
  const { quarter, ...figures } = req.body;
  return changeProject(
    req,
    req.params.id,
    (current, now) => ({
      project: reportProduction({ project: current, by: req.principal, input: req.body, today: shanghaiDate(now), operationSince: operation?.enteredDate, correction: req.ifMatch !== undefined }),
      action: 'production.reported',
      audit: { before: { [quarter]: current.production?.[quarter] ?? null }, after: { [quarter]: figures } },
    }),
    async (next, _change, shown) => json(200, { ...presentProjectFor(req.principal, await shown()), targetsMet: targetsMet(next, share) }, etag(next.version)),
  );
});
