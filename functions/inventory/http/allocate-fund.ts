// POST /projects/{id}/fund-allocations — ops or the committee leader allocate pre-work fund to a project from a bucket
// of the year (default: this year; a past year's budget is closed, and one opens `yearsAhead` years ahead, config/funds) in integer yuan. The allocation, the bucket's counters, the project record and its
// audit event commit together (a year's first draw stores its buckets in the same transaction: a refused allocation
// writes nothing); the bucket's condition (`remainingCny >= amount`) refuses an overdraft: 409 with what is left.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { newId } from '#kernel/runtime/ids.ts';
import { BURST_ATTEMPTS } from '#kernel/unit-of-work.ts';
import { changeProject } from '#projects/change.ts';
import { configInForceOp, getConfig, refusedOnKept } from '#reference/store/reference.ts';
import { allocate, openFundYears, overdrawn, yearBuckets, type FundAllocation } from '../domain/fund.ts';
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { presentAllocation } from '../present.ts';
import * as routes from '../routes.ts';
import { insertAllocation } from '../store/allocations.ts';
import { drawBucket, storedBuckets } from '../store/buckets.ts';

export const handler = writeRoute(routes.allocateFund, async (req) => {
  // The configuration as this function kept it, until a decision on it finds a newer one published (then as in force).
  let read: 'kept' | 'fresh' = 'kept';
  // The budget year as of each decision (not of the request's start): one decided again after midnight of 31 December
  // draws on the year open then, and one naming the year that closed meanwhile is refused.
  let year = req.body.year ?? Number(shanghaiDate(clock.now()).slice(0, 4));
  let allocation: FundAllocation | undefined;
  try {
    return await changeProject(
      req,
      req.params.id,
      async (project, now) => {
        const thisYear = Number(shanghaiDate(now).slice(0, 4));
        year = req.body.year ?? thisYear;
        // The year's buckets as stored, and the configured ones its first draw stores with this allocation — with the
        // budgets in force, read afresh (not as a warm function kept them), and stored only while no newer ones are
        // published meanwhile (buckets.ts: the stamp; else decided again on them).
        const stored = await storedBuckets(year);
        const kept = stored.some((b) => b.code === req.body.bucket) && read === 'kept';
        const config = await getConfig('funds', kept ? 'kept' : 'fresh');
        const cfg = config.doc;
        const open = openFundYears(thisYear, cfg);
        const all = yearBuckets(year, stored, cfg);
        const bucket = all.find((b) => b.code === req.body.bucket);
        let decided: ReturnType<typeof allocate>;
        try {
          decided = allocate({ project, bucket, listed: cfg.buckets.some((c) => c.code === req.body.bucket), input: req.body, year, open, by: req.principal, id: newId('fal', now), now });
        } catch (err) {
          // Not refused on the copy this function kept: a bucket it does not list (or a year it does not open) may be
          // one a newer version added — decided again on the version in force, refused only on that.
          if (!kept || !(err instanceof Conflict || err instanceof ValidationFailed)) throw err;
          read = 'fresh';
          throw refusedOnKept('funds', config.version, err as Error);
        }
        allocation = decided.allocation;
        return {
          project: { ...project, fundAllocations: decided.held },
          action: 'fund.allocated',
          audit: { after: { allocation: allocation.id, year, bucket: allocation.bucket, amountCny: allocation.amountCny, purpose: allocation.purpose } },
          // Decided on the buckets `config` lists and the years it opens: committed only while it is still the one in force
          // (a bucket dropped, a year closed by a publication meanwhile, or before a warm function's copy expired: decided
          // again on the version in force).
          writes: [
            insertAllocation(allocation),
            ...drawBucket(bucket!, allocation.amountCny, { stored, all, at: now, configVersion: config.version }),
            configInForceOp('funds', config.version, () => (read = 'fresh')),
          ],
          signal: null,
        };
      },
      (next) => json(201, presentAllocation(allocation!), { ...etag(next.version), location: `/projects/${next.id}/fund-allocations/${allocation!.id}` }),
      // Allocations sent at once to one project (a batch job's) each move its version: as many rounds as senders.
      { attempts: BURST_ATTEMPTS },
    );
  } catch (err) {
    // The bucket's condition refused it: say what is left now.
    if (err instanceof Conflict && err.errors?.[0]?.path === 'amountCny') {
      const fresh = (await storedBuckets(year)).find((b) => b.code === req.body.bucket);
      if (fresh) throw overdrawn(fresh, req.body.amountCny);
    }
    throw err;
  }
});
