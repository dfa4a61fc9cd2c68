// GET /funds/{year} — the pre-work fund 项目前期保障经费 of a year: each bucket's budget, allocated, spent and remaining
// (buckets not drawn on yet show the configured budget untouched), and whether it takes new allocations today (`open`:
// this year and `yearsAhead` after it; a past year's accounts are read, not drawn on).
import { json, route } from '#kernel/http/route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { openFundYears, remainingOf, yearBuckets } from '../domain/fund.ts';
import { presentBucket } from '../present.ts';
import * as routes from '../routes.ts';
import { storedBuckets } from '../store/buckets.ts';

export const handler = route(routes.getFunds, async (req) => {
  const year = Number(req.params.year);
  const [cfg, stored] = await Promise.all([getConfig('funds'), storedBuckets(year)]);
  const buckets = yearBuckets(year, stored, cfg.doc);
  const open = openFundYears(Number(shanghaiDate(clock.now()).slice(0, 4)), cfg.doc);
  const sum = (f: (b: (typeof buckets)[number]) => number) => buckets.reduce((s, b) => s + f(b), 0);
  return json(200, {
    year,
    open: year >= open.from && year <= open.to,
    buckets: buckets.map(presentBucket),
    totals: { budgetCny: sum((b) => b.budgetCny), allocatedCny: sum((b) => b.allocatedCny), spentCny: sum((b) => b.spentCny), remainingCny: sum(remainingOf) },
  });
});
