// The pre-work fund 项目前期保障经费: a yearly budget in buckets (default 20,000,000 CNY: 10,000,000 进地清单,
// 5,000,000 special-project infrastructure, 5,000,000 relic survey — the `funds` configuration), allocated to projects
// in integer yuan, spent against an allocation, and released (the unspent part back to its bucket) on release, a
// rejected admission or exit. Allocated never exceeds the budget; spent never exceeds what was allocated.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict, NotFound, ValidationFailed } from '#kernel/domain/errors.ts';
import { notActive, projectStateConflict } from '#projects/domain/project.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import { Forbidden } from '#kernel/domain/errors.ts';
import type { Role } from '#kernel/domain/codes.ts';

export interface FundsConfig {
  readonly buckets: readonly { readonly code: string; readonly name: { readonly zh: string; readonly en: string }; readonly budgetCny: number }[];
  /**
   * How many years after this one a budget may be drawn on ahead (an earmark for a project starting then); absent: 1.
   * A year before this one is closed: its accounts are kept (spending and releases go on) but nothing new is drawn.
   */
  readonly yearsAhead?: number;
}

/** The budget years an allocation may draw on today: this year and `yearsAhead` after it. */
export function openFundYears(thisYear: number, cfg: FundsConfig): { readonly from: number; readonly to: number } {
  return { from: thisYear, to: thisYear + (cfg.yearsAhead ?? DEFAULT_YEARS_AHEAD) };
}
const DEFAULT_YEARS_AHEAD = 1;

// Stryker disable all: defaults are data (domain.md §5).
export const DEFAULT_FUNDS_CONFIG: FundsConfig = {
  buckets: [
    { code: 'clearance', name: { zh: '进地清单', en: 'Land clearance list' }, budgetCny: 10_000_000 },
    { code: 'infrastructure', name: { zh: '专项基础设施', en: 'Special-project infrastructure' }, budgetCny: 5_000_000 },
    { code: 'relic_survey', name: { zh: '文物勘探', en: 'Relic survey' }, budgetCny: 5_000_000 },
  ],
};
// Stryker restore all

export const FUND_ROLES: readonly Role[] = ['ops', 'committee_leader'];
/**
 * Who reads a year's fund (GET /funds/{year}): its managers (api.md) and the discipline office, which reads every
 * record (domain.md §1). The supervision office supervises departments' work, not the fund's accounts.
 */
export const FUND_READERS = ['ops', 'committee_leader', 'discipline_office'] as const satisfies readonly Role[];

export interface Bucket {
  readonly year: number;
  readonly code: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly budgetCny: number;
  readonly allocatedCny: number;
  readonly spentCny: number;
}

export const remainingOf = (b: Pick<Bucket, 'budgetCny' | 'allocatedCny'>) => b.budgetCny - b.allocatedCny;

/** A year's buckets: those stored, and the configured ones not yet drawn on (nothing allocated). */
export function yearBuckets(year: number, stored: readonly Bucket[], cfg: FundsConfig): Bucket[] {
  const fresh = cfg.buckets.filter((c) => !stored.some((s) => s.code === c.code)).map((c): Bucket => ({ year, code: c.code, name: c.name, budgetCny: c.budgetCny, allocatedCny: 0, spentCny: 0 }));
  return [...stored, ...fresh].sort((a, b) => cfg.buckets.findIndex((c) => c.code === a.code) - cfg.buckets.findIndex((c) => c.code === b.code));
}

/** A bucket as a fund officer reads it: `retired` when config/funds no longer lists it in a year still open. */
export type ShownBucket = Bucket & { readonly retired: boolean };

/**
 * A year's buckets as GET /funds/{year} shows them. An open year: every configured bucket (at the budget in force where
 * not drawn on yet), in the configuration's order; then each stored one config/funds no longer lists (dropped, or its
 * code changed) while its allocations still hold money — retired: it keeps its accounts (spent on, released back) and
 * takes nothing new, so its budget is what it drew and nothing remains (its undrawn budget is no money to allocate, and
 * not counted beside the bucket that replaced it); one holding nothing is not shown. A year not open: the accounts it
 * stored, as they are.
 */
export function shownBuckets(year: number, stored: readonly Bucket[], cfg: FundsConfig, open: boolean): ShownBucket[] {
  const listed = (b: Bucket) => cfg.buckets.some((c) => c.code === b.code);
  if (!open) return yearBuckets(year, stored, cfg).filter((b) => stored.some((s) => s.code === b.code)).map((b) => ({ ...b, retired: false }));
  const live = yearBuckets(year, stored.filter(listed), cfg).map((b) => ({ ...b, retired: false }));
  const retired = stored.filter((b) => !listed(b) && b.allocatedCny > 0).map((b) => ({ ...b, budgetCny: b.allocatedCny, retired: true }));
  return [...live, ...retired];
}

export interface Spending {
  readonly amountCny: number;
  readonly note: string;
  /** The day it was paid (Asia/Shanghai; entries recorded before it was asked for have none: the day recorded). */
  readonly spentOn?: string;
  /** Whom it was paid to, when said. */
  readonly payee?: string;
  /** When it was recorded. */
  readonly at: string;
  readonly by: string;
}

export interface FundAllocation {
  readonly id: string;
  readonly projectId: string;
  readonly year: number;
  readonly bucket: string;
  readonly amountCny: number;
  readonly spentCny: number;
  readonly purpose: string;
  readonly status: 'allocated' | 'released';
  readonly spending: readonly Spending[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly released?: { readonly at: string; readonly by: string; readonly reason: string; readonly returnedCny: number };
}

/** What a project record carries of its allocations (the ones not released). */
export interface HeldAllocation {
  readonly id: string;
  readonly year: number;
  readonly bucket: string;
  readonly amountCny: number;
  readonly spentCny: number;
}

/** Spending entries one allocation keeps (bounded: it is one item). */
export const MAX_SPENDING_ENTRIES = 100;
export const MAX_ALLOCATIONS_PER_PROJECT = 20;

function requireFundRole(by: Principal, what: string) {
  if (!hasRole(by, ...FUND_ROLES)) throw new Forbidden(`${what} is for: ${FUND_ROLES.join(', ')}`);
}

/** 409 naming what is left when an allocation would overdraw its bucket (as read; the write's condition decides). */
export function overdrawn(bucket: Bucket, amount: number): Conflict {
  return new Conflict(`Only ${remainingOf(bucket)} CNY remain in ${bucket.year} ${bucket.name.zh} (asked for ${amount}): nothing was allocated`, [
    { path: 'amountCny', code: 'too_big', message: `at most ${remainingOf(bucket)} remain` },
  ]);
}

export function allocate(args: {
  project: { id: string; status: string; fundAllocations?: readonly HeldAllocation[]; exit?: unknown };
  bucket: Bucket | undefined;
  /** Whether config/funds lists the bucket now (one it leaves out keeps its accounts, and takes no new allocation). */
  listed?: boolean;
  input: { bucket: string; amountCny: number; purpose: string };
  year: number;
  /** The budget years open today (openFundYears). */
  open: { readonly from: number; readonly to: number };
  by: Principal;
  id: string;
  now: Date;
}): { allocation: FundAllocation; held: HeldAllocation[] } {
  const { project, bucket, input, by, open } = args;
  requireFundRole(by, 'Allocating the pre-work fund');
  if (args.year < open.from || args.year > open.to) {
    const why = args.year < open.from ? `${args.year}'s budget is closed` : `${args.year}'s budget is not open yet`;
    throw new ValidationFailed(`No allocation from ${args.year}: ${why}`, [{ path: 'year', code: 'out_of_range', message: `a budget year from ${open.from} to ${open.to} (${why})` }]);
  }
  if (!bucket) throw new ValidationFailed(`No fund bucket ${input.bucket} in ${args.year}`, [{ path: 'bucket', code: 'unknown_ref', message: 'unknown bucket' }]);
  if (args.listed === false) {
    throw new Conflict(`${bucket.year} ${bucket.name.zh} (${bucket.code}) is no longer in config/funds: its accounts are kept, nothing new is allocated from it`, [
      { path: 'bucket', code: 'state', message: 'not in config/funds any more' },
    ]);
  }
  if (project.status !== 'ACTIVE' && project.status !== 'PENDING_ADMISSION') throw notActive(project, `Project ${project.id} is ${project.status}: no new allocations`);
  if (project.exit) throw projectStateConflict(`Project ${project.id} is being exited 退出程序: no new allocations`, 'being exited');
  const held = project.fundAllocations ?? [];
  if (held.length >= MAX_ALLOCATIONS_PER_PROJECT) {
    throw new Conflict(`${project.id} holds ${held.length} fund allocations, the most one project may`, [{ path: 'path.id', code: 'state', message: `holds ${held.length} fund allocations, the most one project may` }]);
  }
  if (remainingOf(bucket) < input.amountCny) throw overdrawn(bucket, input.amountCny);
  const allocation: FundAllocation = {
    id: args.id,
    projectId: project.id,
    year: args.year,
    bucket: bucket.code,
    amountCny: input.amountCny,
    spentCny: 0,
    purpose: input.purpose,
    status: 'allocated',
    spending: [],
    createdAt: args.now.toISOString(),
    createdBy: by.sub,
  };
  return { allocation, held: [...held, { id: allocation.id, year: allocation.year, bucket: allocation.bucket, amountCny: allocation.amountCny, spentCny: 0 }] };
}

export function spend(args: {
  project: { id: string; fundAllocations?: readonly HeldAllocation[]; exit?: { readonly status: string; readonly decidedAt: string } };
  allocation: FundAllocation | undefined;
  aid: string;
  input: { amountCny: number; note: string; spentOn?: string | undefined; payee?: string | undefined };
  by: Principal;
  now: Date;
}) {
  const { allocation, input, by } = args;
  requireFundRole(by, 'Recording spending of the pre-work fund');
  if (!allocation || allocation.projectId !== args.project.id) throw new NotFound(`Project ${args.project.id} has no fund allocation ${args.aid}`);
  if (allocation.status !== 'allocated') throw new Conflict(`Allocation ${allocation.id} was released`, [{ path: 'path.aid', code: 'state', message: 'released' }]);
  if (allocation.spending.length >= MAX_SPENDING_ENTRIES) {
    throw new Conflict(`Allocation ${allocation.id} has ${MAX_SPENDING_ENTRIES} spending entries, the most it keeps`, [{ path: 'path.aid', code: 'state', message: `has ${MAX_SPENDING_ENTRIES} spending entries, the most it keeps` }]);
  }
  const today = shanghaiDate(args.now);
  const allocatedOn = shanghaiDate(new Date(allocation.createdAt));
  const spentOn = input.spentOn ?? today;
  if (spentOn > today) throw new ValidationFailed(`Spending cannot be dated after today (${today})`, [{ path: 'spentOn', code: 'out_of_range', message: `on or before today, ${today}` }]);
  if (spentOn < allocatedOn) {
    throw new ValidationFailed(`Allocation ${allocation.id} was made on ${allocatedOn}: nothing was paid from it before`, [{ path: 'spentOn', code: 'out_of_range', message: `on or after ${allocatedOn}, the day the allocation was made` }]);
  }
  // An exit decided stops the fund's payments to the project: a payment made up to that day may still be recorded (its
  // unspent part is what the exit gives back to the bucket), none dated after it.
  const exit = args.project.exit;
  if (exit && exit.status !== 'done') {
    const decidedOn = shanghaiDate(new Date(exit.decidedAt));
    if (spentOn > decidedOn) {
      throw new Conflict(`Project ${args.project.id} was decided to exit 退出 on ${decidedOn}: the fund pays it nothing after that day`, [
        { path: 'spentOn', code: 'out_of_range', message: `on or before ${decidedOn}, the day the exit was decided` },
      ]);
    }
  }
  const left = allocation.amountCny - allocation.spentCny;
  if (input.amountCny > left) throw new Conflict(`Only ${left} CNY of allocation ${allocation.id} are unspent`, [{ path: 'amountCny', code: 'too_big', message: `at most ${left}` }]);
  const entry: Spending = { amountCny: input.amountCny, note: input.note, spentOn, ...(input.payee !== undefined ? { payee: input.payee } : {}), at: args.now.toISOString(), by: by.sub };
  const next: FundAllocation = { ...allocation, spentCny: allocation.spentCny + input.amountCny, spending: [...allocation.spending, entry] };
  return { allocation: next, held: (args.project.fundAllocations ?? []).map((h) => (h.id === next.id ? { ...h, spentCny: next.spentCny } : h)) };
}

/** Releasing an allocation: its unspent part goes back to the bucket (a user's release, a rejected admission, exit). */
export function releaseAllocation(args: { project: { id: string; fundAllocations?: readonly HeldAllocation[] }; allocation: FundAllocation | undefined; aid: string; by: Principal; reason: string; now: Date; system?: boolean }) {
  const { allocation, by } = args;
  if (!args.system) requireFundRole(by, 'Releasing a fund allocation');
  if (!allocation || allocation.projectId !== args.project.id) throw new NotFound(`Project ${args.project.id} has no fund allocation ${args.aid}`);
  if (allocation.status !== 'allocated') throw new Conflict(`Allocation ${allocation.id} was released already`, [{ path: 'path.aid', code: 'state', message: 'released already' }]);
  const returnedCny = allocation.amountCny - allocation.spentCny;
  const next: FundAllocation = { ...allocation, status: 'released', released: { at: args.now.toISOString(), by: by.sub, reason: args.reason, returnedCny } };
  return { allocation: next, returnedCny, held: (args.project.fundAllocations ?? []).filter((h) => h.id !== allocation.id) };
}

/**
 * The buckets of an open year a new document retires — listed by the one in force, left out now (dropped, or its code
 * changed) — while their allocations hold money: that money stays on the old account, and nothing new is drawn from it
 * (GET /funds/{year} shows it retired). Said in the publication's answer, so a code changed by mistake is seen at once.
 */
export function retiredNotes(doc: FundsConfig, previous: FundsConfig | undefined, stored: readonly Bucket[]): string[] {
  const listed = (cfg: FundsConfig, code: string) => cfg.buckets.some((c) => c.code === code);
  return stored
    .filter((b) => b.allocatedCny > 0 && !listed(doc, b.code) && (!previous || listed(previous, b.code)))
    .map((b) => `${b.year} ${b.code}: no longer in config/funds — its ${b.allocatedCny} CNY allocated stay on its account (retired: nothing new is drawn from it)`);
}

/** A publication's line for a stored budget it changed (`warnings`: which accounts moved). */
export const budgetChangedNote = (year: number, c: { readonly code: string; readonly before: number; readonly after: number; readonly allocatedCny: number }): string =>
  `${year} ${c.code}: budget ${c.before} → ${c.after} CNY (${c.allocatedCny} allocated)`;
