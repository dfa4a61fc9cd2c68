// POST /projects/{id}/fund-allocations/{aid}/spending — spending recorded against an allocation (never more than it
// holds unspent); the bucket's spent total moves with it, in one transaction with the project's audit event.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { BURST_ATTEMPTS } from '#kernel/unit-of-work.ts';
import { changeProject } from '#projects/change.ts';
import { spend, type FundAllocation } from '../domain/fund.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { getAllocation, replaceAllocation } from '../store/allocations.ts';
import { spendBucket } from '../store/buckets.ts';

export const handler = writeRoute(routes.recordSpending, async (req) => {
  let allocation: FundAllocation | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const stored = await getAllocation(project.id, req.params.aid);
      const decided = spend({ project, allocation: stored, aid: req.params.aid, input: req.body, by: req.principal, now });
      allocation = decided.allocation;
      return {
        project: { ...project, fundAllocations: decided.held },
        action: 'fund.spent',
        audit: { after: { allocation: allocation.id, amountCny: req.body.amountCny, note: req.body.note, spentOn: allocation.spending.at(-1)!.spentOn, payee: req.body.payee ?? null, spentCny: allocation.spentCny } },
        writes: [replaceAllocation(allocation, stored!), spendBucket(allocation.year, allocation.bucket, req.body.amountCny)],
        signal: null,
      };
    },
    (next) => json(201, presentAllocation(allocation!), { ...etag(next.version), location: `/projects/${next.id}/fund-allocations/${allocation!.id}` }),
    // Payments recorded at once on one project's allocations each move its version: as many rounds as senders.
    { attempts: BURST_ATTEMPTS },
  );
});
