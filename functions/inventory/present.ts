// The API representations of inventory records, reservations, matches and fund allocations (api.md v1.1 field names).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { AuditEvent } from '#kernel/store/audit.ts';
import type { FundAllocation, ShownBucket } from './domain/fund.ts';
import { remainingOf } from './domain/fund.ts';
import type { Match } from './domain/matching.ts';
import type { InventoryConfig } from './domain/period.ts';
import type { Reservation } from './domain/reservation.ts';
import { areaMu, confirmationDue, isStandardLand, staleNow, KIND_LABELS, type ParcelFacts, type Resource } from './domain/resource.ts';

type HistoryEvent = Pick<AuditEvent, 'at' | 'action' | 'actor' | 'actorName' | 'before' | 'after'>;

/** The keys of a record's history that name a project and its holding (reserve, link, release, reclaim), and why. */
const HOLDING_KEYS = new Set(['projectId', 'reservation', 'task', 'reason']);
const withoutHolding = (d: AuditEvent['before']) => Object.fromEntries(Object.entries(d).filter(([k]) => !HOLDING_KEYS.has(k)));

/**
 * A record as clients see it: its facts flat (api.md), status, stale, and for quantities what is allocated and left.
 * `seen` (holdersSeen): `holder` — the holder but no history of holdings; `none` — when it was taken, not by whom.
 */
export function presentResource(r: Resource, today: string, cfg: InventoryConfig, history?: readonly HistoryEvent[], seen: 'all' | 'holder' | 'none' = 'all') {
  const holders = seen === 'all';
  const facts = r.facts as unknown as Record<string, unknown>;
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: KIND_LABELS[r.kind].zh,
    ...facts,
    ...(typeof facts.areaM2 === 'number' ? { areaMu: areaMu(facts.areaM2) } : {}),
    ...(r.kind === 'parcels' ? { standardLand: isStandardLand(r.facts as ParcelFacts) } : {}),
    status: r.status,
    heldBy: seen !== 'none' || !r.heldBy ? r.heldBy : { since: r.heldBy.since },
    ...(r.total !== undefined ? { total: r.total, allocated: r.allocated ?? 0, remaining: r.remaining ?? 0 } : {}),
    stale: staleNow(r, today, cfg),
    confirmationDue: confirmationDue(r, today, cfg),
    staleSince: r.staleSince,
    confirmedPeriod: r.confirmedPeriod,
    confirmedAt: r.confirmedAt,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(history ? { history: history.map((e) => ({ at: e.at, action: e.action, actor: e.actor, actorName: e.actorName, before: holders ? e.before : withoutHolding(e.before), after: holders ? e.after : withoutHolding(e.after) })) } : {}),
  };
}

export const presentReservation = (r: Reservation) => ({
  id: r.id,
  projectId: r.projectId,
  kind: r.kind,
  resourceId: r.resourceId,
  resourceLabel: r.resourceLabel,
  amount: r.amount,
  unit: r.unit,
  status: r.status,
  links: r.links,
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  note: r.note ?? null,
  released: r.released ?? null,
});

export const presentMatch = (m: Match) => ({ resourceId: m.resourceId, code: m.code, park: m.park, score: m.score, fits: m.fits, stale: m.stale, reasons: m.reasons.map((r) => r.zh), reasonsEn: m.reasons.map((r) => r.en) });

export const presentBucket = (b: ShownBucket) => ({ code: b.code, name: b.name.zh, nameEn: b.name.en, budgetCny: b.budgetCny, allocatedCny: b.allocatedCny, spentCny: b.spentCny, remainingCny: remainingOf(b), retired: b.retired });

export const presentAllocation = (a: FundAllocation) => ({
  id: a.id,
  projectId: a.projectId,
  year: a.year,
  bucket: a.bucket,
  amountCny: a.amountCny,
  spentCny: a.spentCny,
  unspentCny: a.status === 'allocated' ? a.amountCny - a.spentCny : 0,
  purpose: a.purpose,
  status: a.status,
  spending: a.spending.map((s) => ({ amountCny: s.amountCny, note: s.note, spentOn: s.spentOn ?? shanghaiDate(new Date(s.at)), payee: s.payee ?? null, at: s.at, by: s.by })),
  createdAt: a.createdAt,
  createdBy: a.createdBy,
  released: a.released ?? null,
});
