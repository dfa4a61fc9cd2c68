// GET /funds/{year} — the pre-work fund 项目前期保障经费 of a year: each bucket's budget, allocated, spent and remaining,
// and whether it takes new allocations today (`open`: this year and `yearsAhead` after it; a past year's accounts are
// read, not drawn on). An open year's buckets not drawn on yet show the configured budget untouched (what a first draw
// stores); a year not open shows the accounts it has — none for a closed year nobody drew on, or one not open yet — not
// today's budgets, which it never had (or may not have). A bucket config/funds no longer lists (dropped, or its code
// changed) shows in an open year while its allocations hold money: retired, its budget what it drew, nothing remaining.
import { json, route } from '#kernel/http/route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { openFundYears, remainingOf, shownBuckets } from '../domain/fund.ts';
import { presentBucket } from '../present.ts';
import * as routes from '../routes.ts';
import { storedBuckets } from '../store/buckets.ts';

export const handler = route(routes.getFunds, async (req) => {
  const year = Number(req.params.year);
  const [cfg, stored] = await Promise.all([getConfig('funds'), storedBuckets(year)]);
  const open = openFundYears(Number(shanghaiDate(clock.now()).slice(0, 4)), cfg.doc);
  const isOpen = year >= open.from && year <= open.to;
  // In the configuration's order either way, an open year's retired buckets after; a year not open, only the buckets it stored.
  const buckets = shownBuckets(year, stored, cfg.doc, isOpen);
  const sum = (f: (b: (typeof buckets)[number]) => number) => buckets.reduce((s, b) => s + f(b), 0);
  return json(200, {
    year,
    open: isOpen,
    buckets: buckets.map(presentBucket),
    totals: { budgetCny: sum((b) => b.budgetCny), allocatedCny: sum((b) => b.allocatedCny), spentCny: sum((b) => b.spentCny), remainingCny: sum(remainingOf) },
  });
});
