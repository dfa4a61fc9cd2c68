// DELETE /projects/{id}/fund-allocations/{aid} — releases an allocation: its unspent part goes back to the bucket; the
// allocation keeps its spending and is marked released (who, when, why, how much came back).
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { releaseAllocation, type FundAllocation } from '../domain/fund.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { getAllocation, replaceAllocation } from '../store/allocations.ts';
import { returnToBucket } from '../store/buckets.ts';

export const handler = writeRoute(routes.releaseAllocation, async (req) => {
  const reason = req.query.reason ?? '经费释放';
  let allocation: FundAllocation | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const stored = await getAllocation(project.id, req.params.aid);
      const decided = releaseAllocation({ project, allocation: stored, aid: req.params.aid, by: req.principal, reason, now });
      allocation = decided.allocation;
      return {
        project: { ...project, fundAllocations: decided.held },
        action: 'fund.released',
        audit: { after: { allocation: allocation.id, returnedCny: decided.returnedCny, reason } },
        writes: [replaceAllocation(allocation, stored!), ...(decided.returnedCny > 0 ? [returnToBucket(allocation.year, allocation.bucket, decided.returnedCny)] : [])],
        signal: null,
      };
    },
    (next) => json(200, presentAllocation(allocation!), etag(next.version)),
  );
});
