// The invariants an auditor checks of a store at rest (`npm run check-store`, local/check-store.ts): read from the items
// of the tables as they are stored, not through the API, so a crash that left a change half made shows here. Pure: the
// items in, the breaches out (test/unit/store-check.test.ts).
//   · a quota's `allocated` is the sum of its live reservations, `remaining` = total − allocated, never below 0
//     (in decimal, as the domain sums them); a record of a kind the inventory does not have is named, not skipped
//   · a parcel or facility is held by at most one live reservation, its status and `heldBy` say which; one no live
//     reservation holds is available (or retired) — land an exit gave back is available again
//   · a project lists exactly its live reservations and allocations; an exited, rejected or completed-and-released
//     project holds nothing once its exit is done
//   · a fund bucket's allocated = Σ live allocations + Σ what released ones spent, remaining = budget − allocated ≥ 0,
//     spent = Σ allocations' spending; an allocation's spending ≤ its amount and = Σ its entries
//   · every letter is on its project's timeline once (letter.issued / exit.letter_issued), every letter number once
//   · every escalation rung raised once between two resets
//   · every inbox notice queued for delivery at most once per channel, every delivered job delivered once
//   · a record's version is the number of changes on its history (each change audited once)
//   · a project's stored versions: the ledger entry and the wait never ahead of the project

import { decimalDifference, decimalSum, INVENTORY_KINDS, isUnitKind, type InventoryKind } from '../functions/inventory/domain/resource.ts';

type Item = Record<string, unknown>;

export interface StoreSnapshot {
  readonly projects: readonly Item[];
  readonly inventory: readonly Item[];
  readonly audit: readonly Item[];
  readonly ledger?: readonly Item[];
  readonly delivery?: readonly Item[];
  readonly inbox?: readonly Item[];
}

export interface Breach {
  /** The invariant's name (stable: a script may count them). */
  readonly check: string;
  /** What the breach is about: a record's key. */
  readonly subject: string;
  readonly message: string;
}

export interface CheckReport {
  readonly counts: Record<string, number>;
  readonly breaches: readonly Breach[];
  /** States a crash may leave that the product knows and finishes when asked again: said, not breaches. */
  readonly warnings: readonly Breach[];
}

const isInventoryKind = (k: string): k is InventoryKind => (INVENTORY_KINDS as readonly string[]).includes(k);
const sk = (i: Item) => String(i.sk ?? '');
const pk = (i: Item) => String(i.pk ?? '');
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
/**
 * Quantities carry up to six decimal places and DynamoDB keeps them exact; a sum of doubles is not (near the 1e9 a
 * quota may hold it drifts by more than a millionth): summed and compared as the domain does, in decimal.
 */
const same = (a: number, b: number) => decimalDifference(a, b) === 0;

/** Live reservation status → the unit's status while it holds it. */
const UNIT_STATUS_OF: Record<string, string> = { reserved: 'reserved', transferred: 'transferred', leased: 'leased' };

export function checkStore(s: StoreSnapshot): CheckReport {
  const breaches: Breach[] = [];
  const warnings: Breach[] = [];
  const breach = (check: string, subject: string, message: string) => breaches.push({ check, subject, message });

  const projects = new Map<string, Item>();
  const reservations: Item[] = [];
  const allocations: Item[] = [];
  const letters: Item[] = [];
  const waits = new Map<string, Item>();
  for (const i of s.projects) {
    const key = sk(i);
    const id = pk(i).startsWith('PROJECT#') ? pk(i).slice('PROJECT#'.length) : undefined;
    if (!id) continue;
    if (key === 'PROJECT') projects.set(id, i);
    else if (key.startsWith('RESERVATION#')) reservations.push(i);
    else if (key.startsWith('FUNDALLOC#')) allocations.push(i);
    else if (key.startsWith('LETTER#')) letters.push(i);
    else if (key === 'WAIT') waits.set(id, i);
  }
  const resources = new Map<string, Item>();
  const buckets: Item[] = [];
  for (const i of s.inventory) {
    if (pk(i).startsWith('KIND#')) resources.set(sk(i), i);
    else if (pk(i).startsWith('FUND#')) buckets.push(i);
  }

  // Reservations against the records they hold.
  const liveByResource = new Map<string, Item[]>();
  for (const r of reservations) {
    if (r.status === 'released') continue;
    const list = liveByResource.get(String(r.resourceId)) ?? [];
    list.push(r);
    liveByResource.set(String(r.resourceId), list);
  }
  for (const [id, rec] of resources) {
    const kind = String(rec.kind);
    const live = liveByResource.get(id) ?? [];
    if (!isInventoryKind(kind)) {
      breach('resource.kind', `${kind}/${id}`, `of kind ${kind}, which the inventory does not have (${INVENTORY_KINDS.join(', ')}): not checked`);
    } else if (!isUnitKind(kind)) {
      const sum = live.reduce((a, r) => decimalSum(a, num(r.amount)), 0);
      if (!same(num(rec.allocated), sum)) breach('quota.allocated', `${kind}/${id}`, `allocated ${num(rec.allocated)} but its ${live.length} live reservations hold ${sum}`);
      if (!same(num(rec.remaining), decimalDifference(num(rec.total), num(rec.allocated)))) breach('quota.remaining', `${kind}/${id}`, `remaining ${num(rec.remaining)} ≠ total ${num(rec.total)} − allocated ${num(rec.allocated)}`);
      if (num(rec.remaining) < 0) breach('quota.remaining', `${kind}/${id}`, `remaining ${num(rec.remaining)} is below 0`);
    } else {
      const held = rec.heldBy as { projectId?: string; reservationId?: string } | null | undefined;
      if (live.length > 1) breach('unit.holders', `${kind}/${id}`, `held by ${live.length} live reservations: ${live.map((r) => `${String(r.projectId)}/${String(r.id)}`).join(', ')}`);
      if (live.length === 0) {
        if (held) breach('unit.holder', `${kind}/${id}`, `heldBy ${held.projectId}/${held.reservationId}, which is not a live reservation`);
        if (rec.status !== 'available' && rec.status !== 'retired') breach('unit.status', `${kind}/${id}`, `status ${String(rec.status)} but no live reservation holds it`);
      } else {
        const r = live[0]!;
        if (!held || held.reservationId !== r.id || held.projectId !== r.projectId) breach('unit.holder', `${kind}/${id}`, `live reservation ${String(r.projectId)}/${String(r.id)} but heldBy ${held ? `${held.projectId}/${held.reservationId}` : 'null'}`);
        if (rec.status !== UNIT_STATUS_OF[String(r.status)]) breach('unit.status', `${kind}/${id}`, `status ${String(rec.status)} but its reservation is ${String(r.status)}`);
      }
    }
  }
  // Each version of a record is one change, and each change is on its history (RESOURCE#<id>) once: a version without
  // its event is a change nobody can account for, an event too many a change recorded twice.
  const historyOf = new Map<string, number>();
  for (const e of s.audit) if (String(e.subject ?? '').startsWith('RESOURCE#')) historyOf.set(String(e.subject).slice('RESOURCE#'.length), (historyOf.get(String(e.subject).slice('RESOURCE#'.length)) ?? 0) + 1);
  for (const [id, rec] of resources) {
    const events = historyOf.get(id) ?? 0;
    if (events !== num(rec.version)) breach('resource.history', `${String(rec.kind)}/${id}`, `at version ${num(rec.version)} with ${events} events on its history`);
  }
  for (const r of reservations) {
    if (r.status !== 'released' && !resources.has(String(r.resourceId))) breach('reservation.resource', `${String(r.projectId)}/${String(r.id)}`, `holds ${String(r.resourceId)}, which is not in the inventory`);
  }

  // What each project lists against its items.
  const liveOf = (items: Item[], live: (i: Item) => boolean) => {
    const m = new Map<string, Item[]>();
    for (const i of items) if (live(i)) m.set(String(i.projectId), [...(m.get(String(i.projectId)) ?? []), i]);
    return m;
  };
  const liveRes = liveOf(reservations, (r) => r.status !== 'released');
  const liveAlloc = liveOf(allocations, (a) => a.status !== 'released');
  for (const [id, p] of projects) {
    // A release of everything (a rejection, an exit) gives each holding back in its own transaction before the
    // project's: one cut between them leaves the project listing holdings already back, which every answer leaves out
    // (inventory/released-meanwhile.ts) until the release is sent again (a rejection) or re-run (an exit) and finishes.
    const releasing = p.status === 'PENDING_ADMISSION' || (!!p.exit && (p.exit as Item).status !== 'done');
    const releasedIds = new Set([...reservations, ...allocations].filter((x) => x.projectId === id && x.status === 'released').map((x) => String(x.id)));
    const unfinished = [...((p.reservations as Item[] | undefined) ?? []), ...((p.fundAllocations as Item[] | undefined) ?? [])].filter((h) => releasedIds.has(String(h.id)));
    if (releasing && unfinished.length) warnings.push({ check: 'project.release_unfinished', subject: id, message: `lists ${unfinished.map((h) => String(h.id)).join(', ')}, given back already by a release of everything not finished (send the rejection again / redrive the exit)` });
    const leftOut = (h: Item) => !(releasing && releasedIds.has(String(h.id)));
    const listedR = ((p.reservations as Item[] | undefined) ?? []).filter(leftOut).map((h) => String(h.id)).sort();
    const storedR = (liveRes.get(id) ?? []).map((r) => String(r.id)).sort();
    if (listedR.join() !== storedR.join()) breach('project.reservations', id, `lists [${listedR.join(', ')}] but holds [${storedR.join(', ')}]`);
    for (const h of (p.reservations as Item[] | undefined) ?? []) {
      const r = (liveRes.get(id) ?? []).find((x) => x.id === h.id);
      if (r && r.status !== h.status) breach('project.reservations', id, `lists ${String(h.id)} as ${String(h.status)}, stored ${String(r.status)}`);
    }
    const listedA = ((p.fundAllocations as Item[] | undefined) ?? []).filter(leftOut).map((h) => String(h.id)).sort();
    const storedA = (liveAlloc.get(id) ?? []).map((a) => String(a.id)).sort();
    if (listedA.join() !== storedA.join()) breach('project.allocations', id, `lists [${listedA.join(', ')}] but holds [${storedA.join(', ')}]`);
    for (const h of (p.fundAllocations as Item[] | undefined) ?? []) {
      const a = (liveAlloc.get(id) ?? []).find((x) => x.id === h.id);
      if (a && num(a.spentCny) !== num(h.spentCny)) breach('project.allocations', id, `lists ${String(h.id)} spent ${num(h.spentCny)}, stored ${num(a.spentCny)}`);
    }
    const closed = p.status === 'EXITED' || p.status === 'REJECTED';
    const exitOpen = !!p.exit && (p.exit as Item).status !== 'done';
    if (closed && !exitOpen && (storedR.length || storedA.length)) breach('project.closed_holds', id, `${String(p.status)} but still holds ${storedR.length} reservations and ${storedA.length} allocations`);
    const wait = waits.get(id);
    if (wait && typeof wait.version === 'number' && wait.version > num(p.version)) breach('version.wait', id, `its wait was computed at version ${wait.version}, after the project's ${num(p.version)}`);
  }
  for (const r of reservations) if (!projects.has(String(r.projectId))) breach('reservation.project', String(r.id), `of ${String(r.projectId)}, which does not exist`);

  // The fund.
  const byBucket = new Map<string, { live: number; releasedSpent: number; spent: number }>();
  for (const a of allocations) {
    const key = `${num(a.year)}/${String(a.bucket)}`;
    const acc = byBucket.get(key) ?? { live: 0, releasedSpent: 0, spent: 0 };
    if (a.status === 'released') {
      acc.releasedSpent += num(a.spentCny);
      const returned = num((a.released as Item | undefined)?.returnedCny);
      if (returned !== num(a.amountCny) - num(a.spentCny)) breach('fund.allocation', `${String(a.projectId)}/${String(a.id)}`, `released ${returned} back, but ${num(a.amountCny)} − spent ${num(a.spentCny)} = ${num(a.amountCny) - num(a.spentCny)}`);
    } else acc.live += num(a.amountCny);
    acc.spent += num(a.spentCny);
    byBucket.set(key, acc);
    const entries = ((a.spending as Item[] | undefined) ?? []).reduce((x, e) => x + num(e.amountCny), 0);
    if (entries !== num(a.spentCny)) breach('fund.allocation', `${String(a.projectId)}/${String(a.id)}`, `spent ${num(a.spentCny)} but its entries sum to ${entries}`);
    if (num(a.spentCny) > num(a.amountCny)) breach('fund.overspent', `${String(a.projectId)}/${String(a.id)}`, `spent ${num(a.spentCny)} of ${num(a.amountCny)} allocated`);
  }
  const bucketKeys = new Set<string>();
  for (const b of buckets) {
    const key = `${pk(b).slice('FUND#'.length)}/${sk(b)}`;
    bucketKeys.add(key);
    const acc = byBucket.get(key) ?? { live: 0, releasedSpent: 0, spent: 0 };
    const expected = acc.live + acc.releasedSpent;
    if (num(b.allocatedCny) !== expected) breach('fund.allocated', key, `allocated ${num(b.allocatedCny)} but its allocations hold ${acc.live} and released ones spent ${acc.releasedSpent} (${expected})`);
    if (num(b.remainingCny) !== num(b.budgetCny) - num(b.allocatedCny)) breach('fund.remaining', key, `remaining ${num(b.remainingCny)} ≠ budget ${num(b.budgetCny)} − allocated ${num(b.allocatedCny)}`);
    if (num(b.allocatedCny) > num(b.budgetCny)) breach('fund.over_budget', key, `allocated ${num(b.allocatedCny)} over its budget ${num(b.budgetCny)}`);
    if (num(b.spentCny) !== acc.spent) breach('fund.spent', key, `spent ${num(b.spentCny)} but its allocations spent ${acc.spent}`);
  }
  for (const key of byBucket.keys()) if (!bucketKeys.has(key)) breach('fund.bucket', key, 'allocations draw on a bucket that is not stored');

  // Letters and rungs on the timeline.
  const auditByProject = new Map<string, Item[]>();
  for (const e of s.audit) {
    const subject = String(e.subject ?? '');
    if (!subject.startsWith('PROJECT#')) continue;
    const id = subject.slice('PROJECT#'.length);
    auditByProject.set(id, [...(auditByProject.get(id) ?? []), e]);
  }
  const letterEvents = new Map<string, number>();
  for (const [, events] of auditByProject) {
    for (const e of events) {
      if (e.action !== 'letter.issued') continue;
      const lid = String((e.after as Item | undefined)?.letter ?? (e.after as Item | undefined)?.id ?? '');
      if (lid) letterEvents.set(lid, (letterEvents.get(lid) ?? 0) + 1);
    }
  }
  const numbers = new Map<string, string>();
  for (const l of letters) {
    const id = String(l.id ?? sk(l).slice('LETTER#'.length));
    const n = letterEvents.get(id) ?? 0;
    if (n !== 1) breach('letter.audit', `${String(l.projectId ?? pk(l).slice(8))}/${id}`, `on the timeline ${n} times (letter.issued)`);
    const number = String(l.number ?? '');
    if (number && numbers.has(number)) breach('letter.number', number, `taken by ${numbers.get(number)} and ${id}`);
    numbers.set(number, id);
  }
  for (const [id, events] of auditByProject) {
    const sorted = [...events].sort((a, b) => String(a.seq).localeCompare(String(b.seq)));
    let seen = new Set<number>();
    for (const e of sorted) {
      if (e.action === 'escalation.reset' || e.action === 'escalation.extended') seen = new Set();
      if (e.action !== 'escalation.raised') continue;
      const level = num((e.after as Item | undefined)?.level);
      if (seen.has(level)) breach('ladder.audit', id, `rung ${level} raised twice without a reset between (${String(e.seq)})`);
      seen.add(level);
    }
  }

  // Deliveries: a notice pending on a channel is in that channel's queue, one delivered or failed is not.
  const queued = new Set<string>();
  for (const d of s.delivery ?? []) if (String(d.sk ?? '').startsWith('JOB#')) queued.add(`${String(d.channel)}|${String(d.sk)}`);
  const jobOf = new Set<string>();
  let routed = 0;
  for (const n of s.inbox ?? []) {
    for (const [channel, st] of Object.entries((n.delivery as Record<string, Item> | undefined) ?? {})) {
      if (channel === 'inApp' || channel === 'in_app' || typeof st !== 'object' || st === null) continue;
      routed++;
      const job = `${channel}|JOB#${String(n.seq)}#${String(n.recipient)}`;
      jobOf.add(job);
      const status = String(st.status);
      if (status === 'pending' && !queued.has(job)) breach('delivery.lost', `${String(n.recipient)}/${String(n.seq)}`, `pending on ${channel} but not in its queue: never sent`);
      if (status !== 'pending' && queued.has(job)) breach('delivery.requeued', `${String(n.recipient)}/${String(n.seq)}`, `${status} on ${channel} but still in its queue: sent again`);
    }
  }
  for (const job of queued) if (!jobOf.has(job)) breach('delivery.orphan', job, 'queued for a notice whose delivery status does not name the channel');

  // The ledger against its projects.
  for (const e of s.ledger ?? []) {
    const id = pk(e).slice('PROJECT#'.length);
    const p = projects.get(id);
    if (!p) {
      breach('ledger.project', id, 'a ledger entry of no project');
      continue;
    }
    for (const f of ['stage', 'status', 'park'] as const) if (e[f] !== undefined && e[f] !== p[f]) breach('ledger.facet', id, `ledger ${f} ${String(e[f])}, project ${String(p[f])}`);
  }

  return {
    counts: {
      projects: projects.size,
      resources: resources.size,
      reservations: reservations.length,
      liveReservations: [...liveRes.values()].reduce((a, l) => a + l.length, 0),
      allocations: allocations.length,
      buckets: buckets.length,
      letters: letters.length,
      auditEvents: s.audit.length,
      noticesRouted: routed,
    },
    breaches,
    warnings,
  };
}
