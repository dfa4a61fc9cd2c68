// DELETE /projects/{id}/fund-allocations/{aid} — releases an allocation: its unspent part goes back to the bucket; the
// allocation keeps its spending and is marked released (who, when, why, how much came back).
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { BURST_ATTEMPTS } from '#kernel/unit-of-work.ts';
import { changeProject } from '#projects/change.ts';
import type { FundAllocation } from '../domain/fund.ts';
import { allocationRelease } from '../release-all.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { getAllocation } from '../store/allocations.ts';

export const handler = writeRoute(routes.releaseAllocation, async (req) => {
  const reason = req.query.reason ?? '经费释放';
  let allocation: FundAllocation | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const a = allocationRelease({ project, stored: await getAllocation(project.id, req.params.aid), aid: req.params.aid, by: req.principal, reason, now });
      allocation = a.allocation;
      return { project: { ...project, fundAllocations: a.held }, action: 'fund.released', audit: { after: { allocation: a.allocation.id, returnedCny: a.returnedCny, reason } }, writes: a.writes, signal: null };
    },
    (next) => json(200, presentAllocation(allocation!), etag(next.version)),
    // Releases sent at once on one project each move its version: as many rounds as senders.
    { attempts: BURST_ATTEMPTS },
  );
});
