// The store's invariants as `npm run check-store` checks them (local/store-check.ts): a consistent store passes, and
// each breach an auditor looks for is found and named.
import { describe, expect, it } from 'vitest';
import { INVENTORY_KINDS, isUnitKind } from '../../functions/inventory/domain/resource.ts';
import { checkStore, type StoreSnapshot } from '../../local/store-check.ts';

const project = (id: string, extra: Record<string, unknown> = {}) => ({ pk: `PROJECT#${id}`, sk: 'PROJECT', id, status: 'ACTIVE', stage: 'SIGNING', park: '汇通产业园', version: 3, reservations: [], fundAllocations: [], ...extra });
const reservation = (projectId: string, id: string, resourceId: string, extra: Record<string, unknown> = {}) => ({ pk: `PROJECT#${projectId}`, sk: `RESERVATION#${id}`, id, projectId, resourceId, status: 'reserved', amount: 100, ...extra });
const allocation = (projectId: string, id: string, extra: Record<string, unknown> = {}) => ({ pk: `PROJECT#${projectId}`, sk: `FUNDALLOC#${id}`, id, projectId, year: 2026, bucket: 'clearance', amountCny: 1000, spentCny: 0, spending: [], status: 'allocated', ...extra });
const energy = (id: string, total: number, allocated: number) => ({ pk: 'KIND#energy', sk: id, id, kind: 'energy', total, allocated, remaining: total - allocated, status: 'available', version: 2 });
const parcel = (id: string, extra: Record<string, unknown> = {}) => ({ pk: 'KIND#parcels', sk: id, id, kind: 'parcels', status: 'available', heldBy: null, version: 1, ...extra });
const bucket = (allocatedCny: number, spentCny: number, budgetCny = 10_000) => ({ pk: 'FUND#2026', sk: 'clearance', year: 2026, budgetCny, allocatedCny, remainingCny: budgetCny - allocatedCny, spentCny });

/** A consistent store: a project holding 100 of a quota, a parcel, and an allocation partly spent; another released. */
function consistent(): StoreSnapshot {
  return {
    projects: [
      project('p1', {
        reservations: [{ id: 'r1', status: 'reserved' }, { id: 'r2', status: 'reserved' }],
        fundAllocations: [{ id: 'a1', spentCny: 300 }],
      }),
      reservation('p1', 'r1', 'ene-1'),
      reservation('p1', 'r2', 'par-1', { amount: 5000 }),
      reservation('p1', 'r0', 'ene-1', { status: 'released' }),
      allocation('p1', 'a1', { spentCny: 300, spending: [{ amountCny: 300 }] }),
      allocation('p1', 'a0', { status: 'released', amountCny: 500, spentCny: 200, spending: [{ amountCny: 200 }], released: { returnedCny: 300 } }),
    ],
    inventory: [energy('ene-1', 1000, 100), parcel('par-1', { status: 'reserved', heldBy: { projectId: 'p1', reservationId: 'r2' } }), parcel('par-2'), bucket(1200, 500)],
    audit: [...history('ene-1', 2), ...history('par-1', 1), ...history('par-2', 1)],
  };
}

/** `n` events on a record's history (its versions). */
const history = (id: string, n: number) => Array.from({ length: n }, (_, i) => ({ subject: `RESOURCE#${id}`, seq: `${i}`, action: i ? 'resource.reserved' : 'inventory.created' }));

const checks = (s: StoreSnapshot) => checkStore(s).breaches.map((b) => `${b.check} ${b.subject}`);

describe('check-store invariants', () => {
  it('a consistent store holds every invariant', () => {
    expect(checkStore(consistent()).breaches).toEqual([]);
  });

  it("a quota's allocated that is not the sum of its live reservations", () => {
    const s = consistent();
    expect(checks({ ...s, inventory: [energy('ene-1', 1000, 200), ...s.inventory.slice(1)] })).toEqual(['quota.allocated energy/ene-1']);
  });

  it('a parcel held by two projects, or marked held by none', () => {
    const s = consistent();
    expect(checks({ ...s, projects: [...s.projects, project('p2', { reservations: [{ id: 'r9', status: 'reserved' }] }), reservation('p2', 'r9', 'par-1')] })).toContain('unit.holders parcels/par-1');
    expect(checks({ ...s, inventory: [...s.inventory.slice(0, 2), parcel('par-2', { status: 'reserved', heldBy: { projectId: 'p3', reservationId: 'rx' } }), s.inventory[3]!] })).toEqual([
      'unit.holder parcels/par-2',
      'unit.status parcels/par-2',
    ]);
  });

  it('an exited project that still holds what its exit should have given back', () => {
    const s = consistent();
    const exited = { ...(s.projects[0] as Record<string, unknown>), status: 'EXITED', exit: { status: 'done' } };
    expect(checks({ ...s, projects: [exited, ...s.projects.slice(1)] })).toEqual(['project.closed_holds p1']);
    // While its exit is under way it may still hold them.
    expect(checks({ ...s, projects: [{ ...exited, exit: { status: 'releasing' } }, ...s.projects.slice(1)] })).toEqual([]);
  });

  it('quantities in six decimal places: sums of doubles are not breaches', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in doubles; DynamoDB keeps 0.3.
    const s: StoreSnapshot = {
      projects: [project('p1', { reservations: [{ id: 'r1', status: 'reserved' }, { id: 'r2', status: 'reserved' }] }), reservation('p1', 'r1', 'ene-1', { amount: 0.1 }), reservation('p1', 'r2', 'ene-1', { amount: 0.2 })],
      inventory: [{ ...energy('ene-1', 1, 0.3), remaining: 0.7 }],
      audit: history('ene-1', 2),
    };
    expect(checks(s)).toEqual([]);
  });

  it('quantities near the billion a quota may hold: forty reservations summed in doubles are still not breaches', () => {
    // At 1e9 a double's step is 1.2e-7: the float sum of these drifts 7e-7 from the exact decimal one DynamoDB keeps.
    const amounts = [47690738.134395, 34766549.178024, 35982295.318382, 13706290.855468, 38096147.820432, 40902328.287957, 8532860.26731, 41435183.928975, 27377879.471368, 48520147.249699, 36557687.181226, 41434672.695916, 2978353.274309, 2833329.150676, 9609362.465154, 41732537.533501, 29350376.451501, 4652082.853443, 41061228.00964, 18964480.075584, 8193368.733252, 14483205.374153, 11559846.139089, 41821393.399888, 3590005.978045, 12660228.673269, 4683636.8917, 46960103.333515, 6914088.071465, 18302565.853705, 43437113.329, 18984516.687841, 25135125.576475, 7916266.381862, 46935100.940338, 29916562.351596, 34850791.068402, 7754581.755094, 5291520.177934, 7438844.824748];
    const decimal = (d: bigint) => Number(`${d.toString().slice(0, -6)}.${d.toString().slice(-6)}`);
    const exact = amounts.reduce((a, x) => a + BigInt(x.toFixed(6).replace('.', '')), 0n);
    const allocated = decimal(exact);
    const s: StoreSnapshot = {
      projects: [project('p1', { reservations: amounts.map((_, i) => ({ id: `r${i}`, status: 'reserved' })) }), ...amounts.map((amount, i) => reservation('p1', `r${i}`, 'ene-1', { amount }))],
      inventory: [{ ...energy('ene-1', 1_000_000_000, allocated), remaining: decimal(1_000_000_000_000000n - exact) }],
      audit: history('ene-1', 2),
    };
    expect(checks(s)).toEqual([]);
  });

  it('a record of a kind the inventory does not have is named, not skipped', () => {
    const s = consistent();
    const odd = { ...parcel('xyz-1'), pk: 'KIND#parcel', kind: 'parcel', status: 'reserved', heldBy: { projectId: 'p9', reservationId: 'r9' } };
    expect(checks({ ...s, inventory: [...s.inventory, odd], audit: [...s.audit, ...history('xyz-1', 1)] })).toEqual(['resource.kind parcel/xyz-1']);
  });

  it('every inventory kind is checked: a unit kind for its holder, a quantity kind for its sum', () => {
    for (const kind of INVENTORY_KINDS) {
      const rec = isUnitKind(kind) ? { ...parcel('k-1'), pk: `KIND#${kind}`, kind, status: 'reserved' } : { ...energy('k-1', 10, 5), pk: `KIND#${kind}`, kind };
      const found = checks({ projects: [], inventory: [rec], audit: history('k-1', rec.version) });
      expect(found, kind).toEqual([isUnitKind(kind) ? `unit.status ${kind}/k-1` : `quota.allocated ${kind}/k-1`]);
    }
  });

  it('a rejection cut between its transactions: a note, not a breach, while the project is pending', () => {
    const s = consistent();
    const released = reservation('p1', 'r1', 'ene-1', { status: 'released' });
    const pending = { ...(s.projects[0] as Record<string, unknown>), status: 'PENDING_ADMISSION' };
    const report = checkStore({ ...s, projects: [pending, released, ...s.projects.slice(2)], inventory: [energy('ene-1', 1000, 0), ...s.inventory.slice(1)] });
    expect(report.breaches).toEqual([]);
    expect(report.warnings.map((w) => `${w.check} ${w.subject}`)).toEqual(['project.release_unfinished p1']);
    // An active project listing a released reservation is a breach.
    expect(checks({ ...s, projects: [s.projects[0]!, released, ...s.projects.slice(2)], inventory: [energy('ene-1', 1000, 0), ...s.inventory.slice(1)] })).toEqual(['project.reservations p1']);
  });

  it("a record's version that its history does not account for, once each", () => {
    const s = consistent();
    expect(checks({ ...s, audit: s.audit.slice(1) })).toEqual(['resource.history energy/ene-1']);
    expect(checks({ ...s, audit: [...s.audit, ...history('par-2', 1)] })).toEqual(['resource.history parcels/par-2']);
  });

  it('a project listing a reservation it does not hold', () => {
    const s = consistent();
    const p = { ...(s.projects[0] as Record<string, unknown>), reservations: [{ id: 'r1', status: 'reserved' }] };
    expect(checks({ ...s, projects: [p, ...s.projects.slice(1)] })).toEqual(['project.reservations p1']);
  });

  it("the fund's year against its allocations: allocated, spent, over budget, overspent", () => {
    const s = consistent();
    expect(checks({ ...s, inventory: [...s.inventory.slice(0, 3), bucket(1500, 500)] })).toEqual(['fund.allocated 2026/clearance']);
    expect(checks({ ...s, inventory: [...s.inventory.slice(0, 3), bucket(1200, 400)] })).toEqual(['fund.spent 2026/clearance']);
    expect(checks({ ...s, inventory: [...s.inventory.slice(0, 3), bucket(1200, 500, 1000)] })).toContain('fund.over_budget 2026/clearance');
    const over = allocation('p1', 'a1', { amountCny: 1000, spentCny: 1100, spending: [{ amountCny: 1100 }] });
    expect(checks({ ...s, projects: [...s.projects.slice(0, 4), over, s.projects[5]!] })).toContain('fund.overspent p1/a1');
  });

  it('a letter on the timeline twice, or not at all; a rung raised twice without a reset', () => {
    const letter = { pk: 'PROJECT#p1', sk: 'LETTER#l1', id: 'l1', projectId: 'p1', number: '督办〔2026〕1号' };
    const issued = (seq: string) => ({ subject: 'PROJECT#p1', seq, action: 'letter.issued', after: { letter: 'l1' } });
    const raised = (seq: string, level: number) => ({ subject: 'PROJECT#p1', seq, action: 'escalation.raised', after: { level } });
    const s = consistent();
    expect(checks({ ...s, projects: [...s.projects, letter], audit: [...s.audit, issued('1')] })).toEqual([]);
    expect(checks({ ...s, projects: [...s.projects, letter], audit: [...s.audit, issued('1'), issued('2')] })).toEqual(['letter.audit p1/l1']);
    expect(checks({ ...s, projects: [...s.projects, letter] })).toEqual(['letter.audit p1/l1']);
    expect(checks({ ...s, audit: [...s.audit, raised('1', 1), { subject: 'PROJECT#p1', seq: '2', action: 'escalation.reset' }, raised('3', 1)] })).toEqual([]);
    expect(checks({ ...s, audit: [...s.audit, raised('1', 1), raised('2', 2), raised('3', 2)] })).toEqual(['ladder.audit p1']);
  });

  it('a notice pending on a channel that is not in its queue, or delivered and still queued', () => {
    const s = consistent();
    const notice = (status: string) => ({ recipient: 'DEPT#ops', seq: '2026-01-01T00:00:00Z#n1', delivery: { all: { status, attempts: 0 } } });
    const job = { channel: 'all', sk: 'JOB#2026-01-01T00:00:00Z#n1#DEPT#ops' };
    expect(checks({ ...s, inbox: [notice('pending')], delivery: [job] })).toEqual([]);
    expect(checks({ ...s, inbox: [notice('delivered')], delivery: [] })).toEqual([]);
    expect(checks({ ...s, inbox: [notice('pending')], delivery: [] })).toEqual(['delivery.lost DEPT#ops/2026-01-01T00:00:00Z#n1']);
    expect(checks({ ...s, inbox: [notice('delivered')], delivery: [job] })).toEqual(['delivery.requeued DEPT#ops/2026-01-01T00:00:00Z#n1']);
  });
});
