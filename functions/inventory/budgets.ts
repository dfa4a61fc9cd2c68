// Publishing the `funds` configuration 经费预算调整: its budgets apply to the years still open for allocations (this year
// and `yearsAhead` after it) — to the buckets already drawn on as well as to those not yet stored — in the publication's
// own transaction. A budget below what its year has allocated from that bucket is refused (409 naming the bucket's
// budget), nothing published. A bucket left out keeps its accounts (retired: its answer's warnings say what stays on
// it). A closed year's accounts keep the budgets they had.
import { Conflict } from '#kernel/domain/errors.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { MAX_TRANSACTION_ITEMS, type WriteOp } from '#kernel/store/client.ts';
import { budgetChangedNote, openFundYears, retiredNotes, type Bucket, type FundsConfig } from './domain/fund.ts';
import { budgetsPublishedStampOp, readBudgetStamp, setBucketBudget, storedBuckets } from './store/buckets.ts';

/** One stored bucket's budget as published: before and after. */
export interface BudgetChange {
  readonly year: number;
  readonly code: string;
  readonly index: number;
  readonly before: number;
  readonly after: number;
  readonly allocatedCny: number;
}

/** What a new `funds` document changes in the open years' stored buckets (pure: the refusal names the document's field). */
export function budgetChanges(doc: FundsConfig, stored: readonly Bucket[]): BudgetChange[] {
  return stored.flatMap((b) => {
    const index = doc.buckets.findIndex((c) => c.code === b.code);
    const c = doc.buckets[index];
    // A bucket the new document leaves out keeps its accounts (its allocations still draw on it).
    if (!c) return [];
    const renamed = c.name.zh !== b.name.zh || c.name.en !== b.name.en;
    if (c.budgetCny === b.budgetCny && !renamed) return [];
    if (c.budgetCny < b.allocatedCny) throw belowAllocated(b.year, b.code, index, b.allocatedCny);
    return [{ year: b.year, code: b.code, index, before: b.budgetCny, after: c.budgetCny, allocatedCny: b.allocatedCny }];
  });
}


const belowAllocated = (year: number, code: string, index: number, allocated: number) =>
  new Conflict(`${year} has ${allocated} CNY allocated from ${code} already: its budget cannot be less (nothing was published)`, [
    { path: `doc.buckets[${index}].budgetCny`, code: 'too_small', message: `at least ${allocated} (allocated in ${year})` },
  ]);

/**
 * The writes that apply a published `funds` document to the open years' stored buckets, one audit event a year changed,
 * and a line a change for the publication's answer (`warnings`: which accounts moved).
 */
export async function republishedBudgets(doc: FundsConfig, version: number, by: Principal, now: Date, requestId: string, previous?: FundsConfig): Promise<{ writes: WriteOp[]; notes: string[] }> {
  const open = openFundYears(Number(shanghaiDate(now).slice(0, 4)), doc);
  const years = Array.from({ length: open.to - open.from + 1 }, (_, i) => open.from + i);
  // The stamp first, then the stored buckets: a first draw committed after this read moves the stamp, and the
  // publication is decided again on the buckets it stored (store/buckets.ts).
  const stamp = await readBudgetStamp();
  const stored = await Promise.all(years.map(storedBuckets));
  const writes: WriteOp[] = [budgetsPublishedStampOp(stamp, version)];
  const notes: string[] = [];
  let changed = 0;
  years.forEach((year, i) => {
    notes.push(...retiredNotes(doc, previous, stored[i]!));
    const changes = budgetChanges(doc, stored[i]!);
    if (!changes.length) return;
    changed += changes.length;
    for (const c of changes) {
      const cfg = doc.buckets[c.index]!;
      writes.push(setBucketBudget(year, c.code, c.after, cfg.name, () => belowAllocated(year, c.code, c.index, c.allocatedCny)));
      if (c.before !== c.after) notes.push(budgetChangedNote(year, c));
    }
    const of = (f: (c: BudgetChange) => number) => Object.fromEntries(changes.map((c) => [c.code, f(c)]));
    writes.push(auditOp({ key: `FUND#${year}`, name: `${year}年度项目前期保障经费` }, 'fund.budget_changed', by, { before: { budgetCny: of((c) => c.before) }, after: { budgetCny: of((c) => c.after) } }, now, requestId));
  });
  // The publication's own items (its version, its audit event, the idempotency record) share the transaction.
  if (writes.length > MAX_TRANSACTION_ITEMS - 5) {
    throw new Conflict(`The new budgets would write ${writes.length} records of the open years at once, more than one publication can: publish them in steps (fewer buckets changed at a time)`, [
      { path: 'doc.buckets', code: 'too_big', message: `changes ${changed} stored budgets of ${years.length} open years at once: change fewer buckets a publication` },
    ]);
  }
  return { writes, notes };
}
