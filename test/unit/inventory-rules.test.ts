// The inventory's refusals and reasons in detail: each refusal's status, the field it names and what it says (a client
// shows them next to the field), the matching reasons word for word, the fund's and the notices' edges.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { allocate, openFundYears, overdrawn, releaseAllocation, spend, yearBuckets, DEFAULT_FUNDS_CONFIG, MAX_ALLOCATIONS_PER_PROJECT, MAX_SPENDING_ENTRIES, type Bucket, type FundAllocation } from '../../functions/inventory/domain/fund.ts';
import { matchOne, rankMatches, reuseCandidates, type Match } from '../../functions/inventory/domain/matching.ts';
import { DEFAULT_INVENTORY_CONFIG } from '../../functions/inventory/domain/period.ts';
import { assertAvailable, assertGateNeeds, gateNeeds, labelOf, overbooked, release, reserve, taskLink, withStatus, type HeldReservation, type Reservation } from '../../functions/inventory/domain/reservation.ts';
import { confirmationDue, confirmResource, createResource, requireMaintainer, requireReader, isStale, isUnitKind, parkOf, patchResource, totalOf, unitOf, type Resource } from '../../functions/inventory/domain/resource.ts';
import { configErrors, DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { configSchema } from '../../functions/reference/schemas.ts';
import { projectIdOf, recipientOf, render, type Notice } from '../../functions/notifications/domain/notices.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';
import { factsSchema } from '../../functions/inventory/schemas.ts';
import { demoInventory } from '../../local/demo-inventory.ts';

/** The budget years open on the tests' today (2026): this one and the next. */
const OPEN = { from: 2026, to: 2027 };

const cfg = DEFAULT_INVENTORY_CONFIG;
const who = (role: string, extra: Partial<Principal> = {}): Principal => ({ sub: `u-${role}`, name: role, roles: [role as Principal['roles'][number]], ...extra });
const now = new Date('2026-11-30T02:00:00Z');
const ctx = { now, today: '2026-11-30', cfg };
const parcel = (over: Record<string, unknown> = {}) => createResource('parcels', parcelBody(over) as never, who('resources_bureau'), { ...ctx, id: 'par-1' });
const facility = (over: Record<string, unknown> = {}) => createResource('facilities', facilityBody(over) as never, who('soe'), { ...ctx, id: 'fac-1' });
const quota = (kind: 'energy' | 'environment' | 'utilities', facts: Record<string, unknown>, allocated = 0): Resource => {
  const r = createResource(kind, facts as never, who(kind === 'utilities' ? 'construction_dept' : 'eco_bureau'), { ...ctx, id: `${kind.slice(0, 3)}-1` });
  return { ...r, allocated, remaining: (r.total ?? 0) - allocated };
};
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { status: number; errors?: { path: string; message: string }[] };
    return { status: e.status, message: e.message, errors: e.errors };
  }
  throw new Error('expected a refusal');
};

describe('records: kinds, units, parks, owners', () => {
  it('tells unit kinds from quantities, and each record’s total, unit, park and label', () => {
    expect(['parcels', 'facilities', 'energy', 'environment', 'utilities'].map((k) => isUnitKind(k as never))).toEqual([true, true, false, false, false]);
    const energy = quota('energy', { year: 2026, totalTce: 500 });
    const env = quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 12 });
    const water = quota('utilities', { park: '汇通产业园', utility: 'water', capacity: 900, unit: 't/d' });
    expect([totalOf('energy', energy.facts), totalOf('environment', env.facts), totalOf('utilities', water.facts)]).toEqual([500, 12, 900]);
    expect([unitOf(energy), unitOf(env), unitOf(water), unitOf(parcel()), unitOf(facility())]).toEqual(['tce', 't', 't/d', 'm2', 'm2']);
    expect([parkOf(energy), parkOf(water), parkOf(parcel())]).toEqual([undefined, '汇通产业园', '汇通产业园']);
    expect([labelOf(energy), labelOf(env), labelOf(water), labelOf(parcel()), labelOf(facility())]).toEqual(['2026 能耗指标', '2026 COD', '汇通产业园 water', 'JZ-1', 'CF-1']);
    expect(env).toMatchObject({ total: 12, allocated: 0, remaining: 12 });
  });

  it('names who keeps a kind when someone else tries (a park center: of its park)', () => {
    expect(refusal(() => createResource('parcels', parcelBody() as never, who('soe'), { ...ctx, id: 'p' }))).toEqual({ status: 403, message: '土地 is kept by: resources_bureau', errors: [{ path: 'path.kind', code: 'not_allowed', message: 'the parcels inventory is kept by: resources_bureau' }] });
    expect(refusal(() => createResource('facilities', facilityBody() as never, who('park_center', { park: '科创城' }), { ...ctx, id: 'f' })).message).toBe('闲置厂房/楼宇 is kept by: soe, park_center (of its park)');
    expect(refusal(() => patchResource(parcel(), { facts: { use: 'x' } }, who('soe'), ctx)).status).toBe(403);
    expect(refusal(() => confirmResource(parcel(), who('soe'), ctx)).status).toBe(403);
    // Reading a kind the role does not read: named at the kind the path gives.
    expect(refusal(() => requireReader(who('eco_bureau'), 'parcels', cfg))).toEqual({ status: 403, message: "土地 is read by: resources_bureau, park_center, investment_dept, scitech_dept, committee_leader, discipline_office (inventory.readers and the kind's owners)", errors: [{ path: 'path.kind', code: 'not_allowed', message: 'the parcels inventory is read by: resources_bureau, park_center, investment_dept, scitech_dept, committee_leader, discipline_office' }] });
    // A park center without a park claim keeps nothing, and is told its token is the cause and what to do, not only who
    // keeps the kind (it is one of them).
    expect(refusal(() => createResource('facilities', facilityBody() as never, who('park_center'), { ...ctx, id: 'f' }))).toEqual({
      status: 403,
      message: "Your token names no park: a park center keeps the 闲置厂房/楼宇 records of its own park — ask ops to set your account's park (custom:park), then sign in again",
      errors: [{ path: 'path.kind', code: 'not_allowed', message: "your token names no park: a park center keeps the facilities records of its own park — ask ops to set your account's park (custom:park), then sign in again" }],
    });
    // The same whether the body's park or the record's is at stake, and before a body is read (the kind's gate).
    expect(refusal(() => patchResource(facility(), { facts: { rentCnyPerM2Month: 1 } }, who('park_center'), ctx)).message).toMatch(/^Your token names no park: /);
    expect(refusal(() => requireMaintainer(who('park_center'), 'utilities', undefined, cfg)).message).toMatch(/^Your token names no park: a park center keeps the 水电气热 records/);
    // A kind no park center keeps: the keepers, as for anyone else.
    expect(refusal(() => requireMaintainer(who('park_center'), 'parcels', undefined, cfg)).message).toBe('土地 is kept by: resources_bureau');
    // Reading too: a park center whose token names no park reads no inventory as a park center (its ledger and its
    // report refuse it alike), told its token is the cause; with its park it reads, and so does another reader role.
    expect(refusal(() => requireReader(who('park_center'), 'parcels', cfg))).toEqual({
      status: 403,
      message: "Your token names no park: a park center reads the 土地 records as its park's service center — ask ops to set your account's park (custom:park), then sign in again",
      errors: [{ path: 'path.kind', code: 'not_allowed', message: "your token names no park: a park center reads the parcels records as its park's service center — ask ops to set your account's park (custom:park), then sign in again" }],
    });
    expect(() => requireReader(who('park_center', { park: '科创城' }), 'parcels', cfg)).not.toThrow();
    expect(() => requireReader({ ...who('park_center'), roles: ['park_center', 'investment_dept'] }, 'parcels', cfg)).not.toThrow();
  });

  it('checks facts on create and on edit, each error with its field and all of them in the message', () => {
    const future = { relicSurvey: '2026-12-01', landApproval: '2026-12-02', clearanceList: null, infrastructure: null };
    const created = refusal(() => createResource('parcels', parcelBody({ readiness: future }) as never, who('resources_bureau'), { ...ctx, id: 'p' }));
    expect(created.status).toBe(400);
    expect(created.errors!.map((e) => e.path)).toEqual(['readiness.relicSurvey', 'readiness.landApproval']);
    expect(created.message).toBe('readiness.relicSurvey: 文物勘探 cannot be done in the future (today is 2026-11-30); readiness.landApproval: 土地报批 cannot be done in the future (today is 2026-11-30)');
    const edited = refusal(() => patchResource(parcel(), { facts: { readiness: future } }, who('resources_bureau'), ctx));
    expect(edited.errors!.map((e) => e.path)).toEqual(['facts.readiness.relicSurvey', 'facts.readiness.landApproval']);
    // Today is not the future.
    expect(() => patchResource(parcel(), { facts: { readiness: { ...future, relicSurvey: '2026-11-30', landApproval: null } } }, who('resources_bureau'), ctx)).not.toThrow();
    const unit = refusal(() => createResource('utilities', { park: 'A', utility: 'gas', capacity: 1, unit: 't/d' } as never, who('construction_dept'), { ...ctx, id: 'u' }));
    expect(unit.errors).toEqual([{ path: 'unit', code: 'enum', message: 'gas capacity is stated in m3/d' }]);
  });

  it('keeps identity fields of every kind, naming each one changed', () => {
    const id = refusal(() => patchResource(facility(), { facts: { code: 'X', park: 'Y', owner: 'same?' } }, who('soe'), ctx));
    expect(id.status).toBe(400);
    expect(id.errors).toEqual([{ path: 'facts.code', code: 'not_allowed', message: 'identifies the record and cannot change: retire it and create a new one' }]);
    expect(id.message).toBe('facts.code: identifies the record and cannot change: retire it and create a new one');
    const eco = who('eco_bureau');
    expect(refusal(() => patchResource(quota('energy', { year: 2026, totalTce: 5 }), { facts: { year: 2027 } }, eco, ctx)).errors!.map((e) => e.path)).toEqual(['facts.year']);
    expect(refusal(() => patchResource(quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 5 }), { facts: { year: 2027, pollutant: 'SO2' } }, eco, ctx)).errors!.map((e) => e.path)).toEqual(['facts.year', 'facts.pollutant']);
    const cd = who('construction_dept');
    expect(refusal(() => patchResource(quota('utilities', { park: 'A', utility: 'gas', capacity: 5, unit: 'm3/d' }), { facts: { utility: 'heat' } }, cd, ctx)).errors!.map((e) => e.path)).toEqual(['facts.utility']);
    // The same value again is no change.
    expect(() => patchResource(facility(), { facts: { code: 'CF-1', park: '汇通产业园' } }, who('soe'), ctx)).not.toThrow();
  });

  it("corrects a parcel's or facility's park while no project holds it, by who keeps both parks", () => {
    expect(patchResource(parcel(), { facts: { park: '科创城' } }, who('resources_bureau'), ctx).facts).toMatchObject({ park: '科创城' });
    expect(patchResource({ ...parcel(), status: 'retired' }, { facts: { park: '科创城' } }, who('resources_bureau'), ctx).facts).toMatchObject({ park: '科创城' });
    // Held, transferred: the project's site and park must agree.
    const held = { ...parcel(), status: 'reserved' as const, heldBy: { projectId: 'prj-1', reservationId: 'rsv-1', since: '2026-11-01', park: '汇通产业园' } };
    expect(refusal(() => patchResource(held as never, { facts: { park: '科创城' } }, who('resources_bureau'), ctx))).toMatchObject({ status: 409, errors: [{ path: 'facts.park', code: 'state' }] });
    expect(refusal(() => patchResource({ ...parcel(), status: 'transferred' }, { facts: { park: '科创城' } }, who('resources_bureau'), ctx))).toMatchObject({ status: 409, errors: [{ path: 'facts.park', code: 'state' }] });
    // A park's center keeps its own park's facilities: it does not move one out of it.
    const center = who('park_center', { park: '汇通产业园' });
    expect(refusal(() => patchResource(facility(), { facts: { park: '科创城' } }, center, ctx))).toMatchObject({ status: 403, errors: [{ path: 'facts.park', code: 'not_allowed' }] });
    expect(patchResource(facility(), { facts: { park: '科创城' } }, who('soe'), ctx).facts).toMatchObject({ park: '科创城' });
  });

  it('keeps totals above what is held, per kind, naming the field', () => {
    expect(refusal(() => patchResource(quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 10 }, 4), { facts: { totalTonnes: 3 } }, who('eco_bureau'), ctx))).toEqual({
      status: 409,
      message: 'Projects hold 4 t; the total cannot drop below it',
      errors: [{ path: 'facts.totalTonnes', code: 'too_small', message: 'must be at least 4' }],
    });
    expect(refusal(() => patchResource(quota('utilities', { park: 'A', utility: 'water', capacity: 10, unit: 't/d' }, 7), { facts: { capacity: 6 } }, who('construction_dept'), ctx)).errors).toEqual([{ path: 'facts.capacity', code: 'too_small', message: 'must be at least 7' }]);
    expect(patchResource(quota('energy', { year: 2026, totalTce: 10 }, 4), { facts: { totalTce: 12 } }, who('eco_bureau'), ctx)).toMatchObject({ total: 12, allocated: 4, remaining: 8 });
    // A unit record has no total to keep.
    expect(patchResource(parcel(), { facts: { areaM2: 5 } }, who('resources_bureau'), ctx)).not.toHaveProperty('total');
  });

  it('retires only what no project holds; a held parcel\'s area never changes (shrinks or grows); facilities alike', () => {
    const holder = { projectId: 'prj-9', reservationId: 'rsv-9', since: '' };
    const held = { ...parcel(), status: 'reserved' as const, heldBy: holder };
    expect(refusal(() => patchResource(held, { status: 'retired' }, who('resources_bureau'), ctx))).toEqual({ status: 409, message: 'par-1 is held by a project: release it before retiring it', errors: [{ path: 'status', code: 'state', message: 'held by a project' }] });
    expect(refusal(() => patchResource(quota('energy', { year: 2026, totalTce: 10 }, 1), { status: 'retired' }, who('eco_bureau'), ctx)).status).toBe(409);
    expect(patchResource(quota('energy', { year: 2026, totalTce: 10 }, 0), { status: 'retired' }, who('eco_bureau'), ctx).status).toBe('retired');
    expect(refusal(() => patchResource({ ...parcel(), status: 'transferred' as const, heldBy: holder }, { status: 'available' }, who('resources_bureau'), ctx))).toEqual({ status: 409, message: 'par-1 is transferred: only a retired record comes back as available', errors: [{ path: 'status', code: 'state', message: 'is transferred' }] });
    expect(refusal(() => patchResource(held, { facts: { areaM2: 66_666 } }, who('resources_bureau'), ctx))).toEqual({ status: 409, message: 'par-1 is held by prj-9: its area cannot change under it (release the reservation first, then correct the area and reserve again)', errors: [{ path: 'facts.areaM2', code: 'state', message: 'held by a project' }] });
    expect(refusal(() => patchResource(held, { facts: { areaM2: 66_668 } }, who('resources_bureau'), ctx)).errors).toEqual([{ path: 'facts.areaM2', code: 'state', message: 'held by a project' }]);
    expect(patchResource(held, { facts: { use: '工业用地（M1）' } }, who('resources_bureau'), ctx).facts).toMatchObject({ areaM2: 66_667, use: '工业用地（M1）' });
    expect(patchResource({ ...parcel(), status: 'available' }, { facts: { areaM2: 1 } }, who('resources_bureau'), ctx).facts).toMatchObject({ areaM2: 1 });
    const heldFacility = { ...facility(), status: 'reserved' as const, heldBy: holder };
    expect(refusal(() => patchResource(heldFacility, { facts: { areaM2: 10 } }, who('soe'), ctx)).status).toBe(409);
    expect(patchResource(heldFacility, { facts: { rentCnyPerM2Month: 9 } }, who('soe'), ctx).facts).toMatchObject({ rentCnyPerM2Month: 9 });
    // Setting the status it already has is no change.
    expect(patchResource({ ...held, status: 'retired' as const, heldBy: null }, { status: 'retired' }, who('resources_bureau'), ctx).status).toBe('retired');
    expect(patchResource(parcel(), { status: 'available' }, who('resources_bureau'), ctx).status).toBe('available');
  });

  it('due and stale follow the period: confirmed this period is neither, a retired record is never either', () => {
    const f = facility();
    expect([confirmationDue(f, '2026-12-31', cfg), isStale(f, '2026-12-31', cfg)]).toEqual([false, false]);
    expect([confirmationDue(f, '2027-01-01', cfg), isStale(f, '2027-01-01', cfg)]).toEqual([true, false]);
    expect([confirmationDue(f, '2027-04-01', cfg), isStale(f, '2027-04-01', cfg)]).toEqual([true, true]);
    const retired = { ...f, status: 'retired' as const };
    expect([confirmationDue(retired, '2027-04-01', cfg), isStale(retired, '2027-04-01', cfg)]).toEqual([false, false]);
    expect(confirmResource({ ...f, confirmedPeriod: '2026Q1', staleSince: '2026-07-01' }, who('soe'), ctx)).toMatchObject({ confirmedPeriod: '2026Q4', confirmedAt: now.toISOString(), staleSince: null });
    expect(patchResource({ ...f, confirmedPeriod: '2026Q1', staleSince: '2026-07-01' }, { facts: { rentCnyPerM2Month: 3 } }, who('soe'), ctx)).toMatchObject({ confirmedPeriod: '2026Q4', staleSince: null });
  });

  it('takes a confirmation again the same day, nothing changed since, as the one already made (the record itself: nothing to write)', () => {
    const f = facility(); // created — so confirmed — at `now`, 2026-11-30
    expect(confirmResource(f, who('soe'), ctx)).toBe(f);
    expect(confirmResource(f, who('soe'), { ...ctx, now: new Date('2026-11-30T09:00:00Z') })).toBe(f); // 17:00 in Shanghai: still that day
    // The next Shanghai day (2026-12-01 00:30 there), a change since, or a stale flag: a confirmation is written.
    const nextDay = { now: new Date('2026-11-30T16:30:00Z'), today: '2026-12-01', cfg };
    expect(confirmResource(f, who('soe'), nextDay)).toMatchObject({ confirmedAt: '2026-11-30T16:30:00.000Z' });
    const changed = { ...f, updatedAt: '2026-11-30T03:00:00.000Z' };
    expect(confirmResource(changed, who('soe'), { ...ctx, now: new Date('2026-11-30T04:00:00Z') })).toMatchObject({ confirmedAt: '2026-11-30T04:00:00.000Z' });
    expect(confirmResource({ ...f, staleSince: '2026-10-01' }, who('soe'), ctx)).toMatchObject({ staleSince: null });
    expect(confirmResource({ ...f, staleSince: '2026-10-01' }, who('soe'), ctx)).not.toBe(f);
    // Still only its keepers, even when there is nothing to write.
    expect(refusal(() => confirmResource(f, who('resources_bureau'), ctx)).status).toBe(403);
  });
});

const project = (over: Record<string, unknown> = {}) => ({ id: 'prj-1', park: '汇通产业园', investor: { enterpriseId: 'ent-a' }, siteMode: 'land' as const, stage: 'SIGNING' as const, status: 'ACTIVE', ...over });
const stored = (over: Partial<Reservation> = {}): Reservation => ({ id: 'rsv-1', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'JZ-1', amount: 1, unit: 'm2', status: 'reserved', createdAt: '', createdBy: '', links: [], ...over });

describe('the demo inventory of npm start (local/seed.ts)', () => {
  it('passes the API\'s rules on whatever day the business clock starts: readiness done in the past, quotas of its year', () => {
    for (const today of ['2026-03-02', '2026-11-30', '2031-01-01']) {
      for (const item of demoInventory(today)) {
        const parsed = factsSchema(item.kind).safeParse(item.body);
        expect(parsed.success, `${today} ${item.kind} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        expect(() => createResource(item.kind, item.body as never, who(item.role, item.role === 'park_center' ? { park: '汇通产业园' } : {}), { now: new Date(`${today}T02:00:00Z`), today, cfg, id: 'x' })).not.toThrow();
      }
      expect(demoInventory(today).filter((i) => i.kind === 'energy').map((i) => (i.body as { year: number }).year)).toEqual([Number(today.slice(0, 4)), Number(today.slice(0, 4)) + 1]);
    }
  });
});

describe('reservations: refusals word for word', () => {
  const reserveAs = (p: ReturnType<typeof project>, resource: Resource, amount?: number, by = who('resources_bureau')) => refusal(() => reserve({ project: p, resource, input: { kind: resource.kind, amount }, by, id: 'rsv-2', now, cfg }));

  it('site mode, amount and duplicate refusals name their field', () => {
    expect(reserveAs(project({ siteMode: 'lease' }), parcel())).toEqual({ status: 409, message: 'prj-1 租赁 leases a facility: it does not hold parcels', errors: [{ path: 'kind', code: 'not_allowed', message: 'does not fit site mode lease' }] });
    expect(reserveAs(project(), facility())).toEqual({ status: 409, message: 'prj-1 摘地 takes land: it does not hold facilities', errors: [{ path: 'kind', code: 'not_allowed', message: 'does not fit site mode land' }] });
    expect(reserveAs(project(), parcel(), 3)).toEqual({ status: 400, message: 'A reservation of parcels holds the whole 土地: send no amount', errors: [{ path: 'amount', code: 'not_allowed', message: 'not used for parcels' }] });
    expect(reserveAs(project(), quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 5 }))).toEqual({ status: 400, message: 'A reservation of environment needs the amount (t)', errors: [{ path: 'amount', code: 'required', message: 'required' }] });
    const held = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'par-1', amount: 1, status: 'reserved' as const }];
    expect(reserveAs(project({ reservations: held }), parcel())).toEqual({ status: 409, message: 'prj-1 already holds par-1', errors: [{ path: 'resourceId', code: 'duplicate', message: 'already held by this project' }] });
    expect(reserveAs(project({ status: 'COMPLETED' }), parcel())).toEqual({ status: 409, message: 'Project prj-1 is COMPLETED: it holds no new resources', errors: [{ path: 'path.id', code: 'state', message: 'is COMPLETED' }] });
    expect(reserveAs(project(), parcel(), undefined, who('soe')).message).toBe('Reserving resources is for: park_center, resources_bureau (of the project’s park)');
  });

  it('a new reservation starts reserved with no links, beside what the project held', () => {
    const before: HeldReservation[] = [{ id: 'rsv-0', kind: 'energy', resourceId: 'ene-1', amount: 5, status: 'reserved' }];
    const { reservation, held } = reserve({ project: project({ reservations: before }), resource: parcel(), input: { kind: 'parcels' }, by: who('park_center', { park: '汇通产业园' }), id: 'rsv-2', now, cfg });
    expect(reservation).toEqual({ id: 'rsv-2', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'JZ-1', amount: 66_667, unit: 'm2', status: 'reserved', createdAt: now.toISOString(), createdBy: 'u-park_center', links: [] });
    expect(held.map((h) => h.id)).toEqual(['rsv-0', 'rsv-2']);
    const q = reserve({ project: project(), resource: quota('utilities', { park: '汇通产业园', utility: 'power', capacity: 100, unit: 'MW' }), input: { kind: 'utilities', amount: 40 }, by: who('resources_bureau'), id: 'rsv-3', now, cfg });
    expect(q.reservation).toMatchObject({ amount: 40, unit: 'MW', resourceLabel: '汇通产业园 power' });
  });

  it('says what is left: a held or retired record, or the amount that remains', () => {
    expect(refusal(() => assertAvailable({ ...parcel(), status: 'retired' }, 1))).toEqual({ status: 409, message: 'JZ-1 is retired from the inventory', errors: [{ path: 'resourceId', code: 'state', message: 'retired' }] });
    expect(refusal(() => assertAvailable({ ...parcel(), status: 'transferred', heldBy: { projectId: 'p', reservationId: 'r', since: '' } }, 1))).toEqual({ status: 409, message: '土地 JZ-1 is transferred by another project: nothing was reserved', errors: [{ path: 'resourceId', code: 'state', message: 'transferred' }] });
    expect(refusal(() => assertAvailable({ ...parcel(), status: 'reserved' }, 1)).message).toBe('土地 JZ-1 is reserved: nothing was reserved');
    expect(refusal(() => assertAvailable(quota('energy', { year: 2026, totalTce: 10 }, 7), 4))).toEqual({ status: 409, message: 'Only 3 tce of 2026 能耗指标 remain (asked for 4): nothing was reserved', errors: [{ path: 'amount', code: 'too_big', message: 'at most 3 tce remain' }] });
    expect(overbooked(quota('energy', { year: 2026, totalTce: 10 }, 10)).message).toBe('Only 0 tce of 2026 能耗指标 remain: nothing was reserved');
    expect(() => assertAvailable(quota('energy', { year: 2026, totalTce: 10 }, 7), 3)).not.toThrow();
    expect(() => assertAvailable({ ...quota('energy', { year: 2026, totalTce: 10 }), remaining: undefined }, 1)).toThrow(/Only 0/);
    const ob = overbooked(quota('energy', { year: 2026, totalTce: 10 }, 10), 2);
    expect([ob.kind, ob.resourceId, ob.amount]).toEqual(['energy', 'ene-1', 2]);
  });

  it('releases: by a reserver unless the exit procedure does it; the held list loses exactly that one', () => {
    const held: HeldReservation[] = [
      { id: 'rsv-1', kind: 'parcels', resourceId: 'par-1', amount: 1, status: 'reserved' },
      { id: 'rsv-2', kind: 'energy', resourceId: 'ene-1', amount: 1, status: 'reserved' },
    ];
    expect(refusal(() => release({ project: project({ reservations: held }), reservation: stored(), rid: 'rsv-1', by: who('soe'), reason: '', now, cause: 'released' })).status).toBe(403);
    const byExit = release({ project: project({ reservations: held }), reservation: stored({ status: 'leased' }), rid: 'rsv-1', by: who('committee_leader'), reason: '退出', now, cause: 'exit' });
    expect(byExit.held.map((h) => h.id)).toEqual(['rsv-2']);
    expect(byExit.reservation.released).toEqual({ at: now.toISOString(), by: 'u-committee_leader', reason: '退出' });
    expect(release({ project: project(), reservation: stored(), rid: 'rsv-1', by: who('resources_bureau'), reason: '', now, cause: 'released' }).held).toEqual([]);
    expect(refusal(() => release({ project: project(), reservation: undefined, rid: 'rsv-7', by: who('resources_bureau'), reason: '', now, cause: 'released' })).message).toBe('Project prj-1 has no reservation rsv-7');
    expect(refusal(() => release({ project: project(), reservation: stored({ status: 'released' }), rid: 'rsv-1', by: who('resources_bureau'), reason: '', now, cause: 'released' })).message).toBe('Reservation rsv-1 was released already');
    expect(refusal(() => release({ project: project(), reservation: stored({ status: 'leased' }), rid: 'rsv-1', by: who('resources_bureau'), reason: '', now, cause: 'released' })).message).toBe('JZ-1 is leased: it comes back to the inventory only through the exit procedure (land reclaimed)');
  });

  it('task links pick the reservation of the link’s kind: any for link, reserved (else already moved) for transfer', () => {
    const held: HeldReservation[] = [
      { id: 'rsv-e', kind: 'energy', resourceId: 'ene-1', amount: 1, status: 'reserved' },
      { id: 'rsv-a', kind: 'parcels', resourceId: 'par-a', amount: 1, status: 'transferred' },
      { id: 'rsv-b', kind: 'parcels', resourceId: 'par-b', amount: 1, status: 'reserved' },
    ];
    expect(taskLink({ project: project({ reservations: held }), taskCode: 'land_list', taskName: '土地清单', cfg })!.held.id).toBe('rsv-a');
    expect(taskLink({ project: project({ reservations: held }), taskCode: 'land_transfer', taskName: '土地出让', cfg })!.held.id).toBe('rsv-b');
    expect(taskLink({ project: project({ reservations: held.slice(0, 2) }), taskCode: 'land_transfer', taskName: '土地出让', cfg })!.held.id).toBe('rsv-a');
    expect(refusal(() => taskLink({ project: project({ reservations: [held[0]!] }), taskCode: 'land_transfer', taskName: '土地出让', cfg }))).toEqual({
      status: 409,
      message: '土地出让 needs the project to hold a 土地 reservation: POST /projects/prj-1/reservations { "kind": "parcels", "resourceId": … }',
      errors: [{ path: 'reservation', code: 'required', message: 'no parcels reservation held' }],
    });
    expect(taskLink({ project: project({ siteMode: 'lease', reservations: [{ id: 'rsv-f', kind: 'facilities', resourceId: 'fac-1', amount: 1, status: 'reserved' }] }), taskCode: 'lease_signing', taskName: '租赁签约', cfg })).toMatchObject({ effect: 'leased', kind: 'facilities', held: { id: 'rsv-f' } });
    expect(withStatus(held, stored({ id: 'rsv-b', status: 'transferred' })).map((h) => h.status)).toEqual(['reserved', 'transferred', 'transferred']);
  });

  it('gate needs: by stage and site mode, met by any reservation of the kind, the 409 listing each', () => {
    expect(gateNeeds(project(), 'SIGNING', cfg)).toEqual([{ kind: 'parcels', message: '招商签约转段需要项目持有土地预留', en: 'The Signing gate needs a reservation held by the project: Land parcel' }]);
    expect(gateNeeds(project({ reservations: [{ id: 'e', kind: 'energy', resourceId: 'e', amount: 1, status: 'reserved' }] }), 'SIGNING', cfg)).toHaveLength(1);
    expect(gateNeeds(project({ reservations: [{ id: 'p', kind: 'parcels', resourceId: 'p', amount: 1, status: 'reserved' }] }), 'SIGNING', cfg)).toEqual([]);
    expect(refusal(() => assertGateNeeds(project(), 'LANDING', cfg))).toEqual({
      status: 409,
      message: '落地摘地转段需要项目持有土地预留: reserve parcels first (POST /projects/prj-1/reservations)',
      errors: [{ path: 'reservation', code: 'required', message: 'no parcels reservation held' }],
    });
  });
});

describe('matching: reasons word for word', () => {
  const needs = { areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500 };
  const p = { park: '汇通产业园', industry: 'nev', needs };
  const fac = (over: Record<string, unknown>) => facility(over) as Resource<'facilities'>;

  it('states each fit and misfit in zh and en, decimals kept to two places', () => {
    const m = matchOne({ ...p, needs: { areaM2: 7_500.5, clearHeightM: 9.25 } }, fac({ areaM2: 8_000.125, clearHeightM: 9.5, floorLoadKnM2: 20, powerKva: 2_000 }));
    expect(m.reasons.slice(0, 2)).toEqual([
      { zh: '面积满足8,000.13 m² ≥ 需求7,500.5 m²', en: 'Area 8,000.13 m² ≥ need 7,500.5 m²' },
      { zh: '净高满足9.5 m ≥ 需求9.25 m', en: 'Clear height 9.5 m ≥ need 9.25 m' },
    ]);
    const miss = matchOne(p, fac({ areaM2: 8_000, floorLoadKnM2: 20, clearHeightM: 8.5, powerKva: 2_000 }));
    expect(miss.reasons).toEqual([{ zh: '净高不足8.5 m < 需求9 m', en: 'Clear height too small: 8.5 m < need 9 m' }]);
    expect(matchOne(p, fac({ areaM2: 8_000, floorLoadKnM2: 20, clearHeightM: 10, powerKva: 1_000 })).reasons).toEqual([{ zh: '供电容量不足1,000 kVA < 需求1,500 kVA', en: 'Power too small: 1,000 kVA < need 1,500 kVA' }]);
  });

  it('scores each part: the park, how fully the area is used, the cluster, the details stated', () => {
    const full = fac({ areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500, industries: ['nev'] });
    // 40 + 20 park + 20 × 1 + 10 cluster + 7.5 details + 2.5 area = 100
    expect(matchOne(p, full).score).toBe(100);
    expect(matchOne(p, full).reasons.map((r) => r.zh)).toContain('产业集群匹配（新能源汽车）');
    expect(matchOne(p, full).reasons.map((r) => r.en)).toEqual(expect.arrayContaining(["Planned for the project's industry (New-energy vehicles)", "In the project's park (汇通产业园)", 'Area used 100% (11.25 mu)']));
    // Only floor load stated: 40 + 20 park + 10 cluster + 2.5 floor load = 72.5, and the reasons say which needs were not stated.
    const loadOnly = matchOne({ ...p, needs: { floorLoadKnM2: 15 } }, full);
    expect(loadOnly.score).toBe(72.5);
    // In English too: which needs, not how many (it read 'Needs not stated: 3').
    expect(loadOnly.reasons.at(-1)).toEqual({ zh: '项目未填报需求：面积、净高、用电负荷', en: 'Needs not stated: area, clear height, power load' });
    const other = matchOne(p, fac({ industries: ['biomedicine', 'medical_devices'], floorLoadKnM2: 20, powerKva: 2_000, areaM2: 8_000 }));
    expect(other.reasons).toEqual([{ zh: '产业不符：规划为生物医药、医疗器械', en: 'Planned for other industries: Biomedicine, Medical devices' }]);
    const away = matchOne({ ...p, park: '科创城' }, full);
    expect(away.reasons).toContainEqual({ zh: '位于其他园区（汇通产业园）', en: 'In another park (汇通产业园)' });
    expect(away.score).toBe(80);
    // In English the park by its English name when the zone's parks give one (GET /config/parks' nameEn).
    const parkEn = (name: string) => (name === '汇通产业园' ? 'Huitong Industrial Park' : undefined);
    expect(matchOne(p, full, false, parkEn).reasons).toContainEqual({ zh: '位于本园区（汇通产业园）', en: "In the project's park (Huitong Industrial Park)" });
    expect(matchOne({ ...p, park: '科创城' }, full, false, parkEn).reasons).toContainEqual({ zh: '位于其他园区（汇通产业园）', en: 'In another park (Huitong Industrial Park)' });
    expect(rankMatches(p, [full], () => false, parkEn).items[0]!.reasons).toContainEqual({ zh: '位于本园区（汇通产业园）', en: "In the project's park (Huitong Industrial Park)" });
  });

  it('a record not confirmed for its period says so and ranks below a confirmed equal, still listed', () => {
    const full = fac({ areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500, industries: ['nev'] });
    const stale = matchOne(p, full, true);
    expect(stale).toMatchObject({ score: 90, fits: true, stale: true });
    expect(stale.reasons.at(-1)).toEqual({ zh: '信息待核实：本期尚未确认在库，预留前请与管理单位核实', en: 'Not confirmed for this period: check it is still as stated before reserving' });
    expect(matchOne(p, full)).toMatchObject({ score: 100, stale: false });
    // A misfit says it too, its score 0 as any misfit's.
    expect(matchOne(p, fac({ areaM2: 100 }), true)).toMatchObject({ score: 0, fits: false, stale: true });
    const a = { ...full, id: 'fac-a', facts: { ...full.facts, code: 'A' } } as Resource<'facilities'>;
    const b = { ...full, id: 'fac-b', facts: { ...full.facts, code: 'B' } } as Resource<'facilities'>;
    expect(rankMatches(p, [a, b], (r) => r.id === 'fac-a').items.map((m) => m.code)).toEqual(['B', 'A']);
  });

  it('parcels: 标准地 and supply reasons in both languages', () => {
    const ready = matchOne(p, parcel({ areaM2: 10_000, readiness: { relicSurvey: '2026-01-01', landApproval: '2026-01-01', clearanceList: '2026-01-01', infrastructure: '2026-01-01' } }) as Resource<'parcels'>);
    expect(ready.reasons).toEqual(expect.arrayContaining([{ zh: '标准地：4项条件均已具备', en: 'Standard land: all four readiness items done' }, { zh: '存量可出让', en: 'Stock land, ready to transfer' }]));
    const partial = matchOne(p, parcel({ areaM2: 10_000, supply: 'incremental', readiness: { relicSurvey: null, landApproval: '2026-01-01', clearanceList: null, infrastructure: null } }) as Resource<'parcels'>);
    expect(partial.reasons).toEqual(expect.arrayContaining([{ zh: '标准地条件1/4，未完成：文物勘探、进地清单、基础设施', en: 'Readiness 1/4, not done: relic survey, clearance list, infrastructure' }, { zh: '增量用地，需报批', en: 'Incremental land, approval needed' }]));
  });

  it('orders ties by code both ways and keeps misfits ranked too', () => {
    const a = { ...fac({ code: 'A' }), id: 'fac-a' } as Resource<'facilities'>;
    const b = { ...fac({ code: 'B' }), id: 'fac-b' } as Resource<'facilities'>;
    const m1 = { ...fac({ code: 'M1', areaM2: 10 }), id: 'fac-m1' } as Resource<'facilities'>;
    const m2 = { ...fac({ code: 'M2', areaM2: 20 }), id: 'fac-m2' } as Resource<'facilities'>;
    const vague = { park: '汇通产业园', industry: 'nev', needs: { areaM2: 100 } };
    const codes = (ms: Match[]) => ms.map((m) => m.code);
    expect(codes(rankMatches(vague, [b, a, a].slice(0, 2)).items)).toEqual(['A', 'B']);
    expect(codes(rankMatches(vague, [a, b]).items)).toEqual(['A', 'B']);
    expect(codes(rankMatches(vague, [m2, m1]).misfits)).toEqual(['M1', 'M2']);
    expect(codes(rankMatches(vague, [m1, m2]).misfits)).toEqual(['M1', 'M2']);
  });

  it('lists misfits nearest first: the project’s own park, then the fewest needs unmet, then code', () => {
    const needs = { park: '汇通产业园', industry: 'nev', needs: { areaM2: 100, clearHeightM: 9 } };
    const one = (code: string, park: string, over: Record<string, unknown>) => ({ ...fac({ code, park, clearHeightM: 10, ...over }), id: `fac-${code}` }) as Resource<'facilities'>;
    const awayOneShort = one('A1', '科创城', { areaM2: 50 });
    const homeTwoShort = one('Z2', '汇通产业园', { areaM2: 50, clearHeightM: 5 });
    const homeOneShort = one('Z1', '汇通产业园', { areaM2: 50 });
    const homeOneShortToo = one('Y1', '汇通产业园', { clearHeightM: 5, areaM2: 200 });
    const codes = rankMatches(needs, [awayOneShort, homeTwoShort, homeOneShort, homeOneShortToo]).misfits.map((m) => m.code);
    expect(codes).toEqual(['Y1', 'Z1', 'Z2', 'A1']);
  });

  it('reuse: facilities go to lease projects, ranked by score then id, pending ones too', () => {
    const freed = fac({ areaM2: 8_000 });
    const base = { name: 'x', investor: { enterpriseId: 'e' }, siteMode: 'lease', stage: 'SIGNING', status: 'ACTIVE', industry: 'nev', park: '汇通产业园' };
    const projects = [
      { ...base, id: 'p-b', needs: { areaM2: 4_000 } },
      { ...base, id: 'p-a', needs: { areaM2: 4_000 } },
      { ...base, id: 'p-best', needs: { areaM2: 7_900 } },
      { ...base, id: 'p-pending', status: 'PENDING_ADMISSION', needs: { areaM2: 100 } },
      { ...base, id: 'p-land', siteMode: 'land', needs: { areaM2: 100 } },
      { ...base, id: 'p-holds-energy', reservations: [{ kind: 'energy' }], needs: { areaM2: 100 } },
    ];
    expect(reuseCandidates(freed, projects, undefined, 10).map((c) => c.project.id)).toEqual(['p-best', 'p-a', 'p-b', 'p-holds-energy', 'p-pending']);
    expect(reuseCandidates({ ...freed, status: 'reserved' }, projects, undefined, 1)[0]!.match.fits).toBe(true);
  });
});

describe('the fund: refusals word for word', () => {
  const bucket = (over: Partial<Bucket> = {}): Bucket => ({ year: 2026, code: 'clearance', name: { zh: '进地清单', en: '' }, budgetCny: 10_000_000, allocatedCny: 0, spentCny: 0, ...over });
  const leader = who('committee_leader');
  const alloc = (over: Partial<FundAllocation> = {}): FundAllocation => ({ id: 'fal-1', projectId: 'prj-1', year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 0, purpose: 'x', status: 'allocated', spending: [], createdAt: '2026-03-02T01:00:00Z', createdBy: '', ...over });
  const prj = (held = 0) => ({ id: 'prj-1', status: 'ACTIVE', fundAllocations: Array.from({ length: held }, (_, i) => ({ id: `fal-${i + 1}`, year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 0 })) });

  it('lists configured buckets in configuration order whatever order they are stored in', () => {
    const stored = [bucket({ code: 'relic_survey', budgetCny: 5 }), bucket({ code: 'clearance', budgetCny: 7 })];
    expect(yearBuckets(2026, stored, DEFAULT_FUNDS_CONFIG).map((b) => [b.code, b.budgetCny])).toEqual([
      ['clearance', 7],
      ['infrastructure', 5_000_000],
      ['relic_survey', 5],
    ]);
    expect(overdrawn(bucket({ allocatedCny: 9_000_000 }), 2_000_000)).toMatchObject({ message: 'Only 1000000 CNY remain in 2026 进地清单 (asked for 2000000): nothing was allocated', errors: [{ path: 'amountCny', code: 'too_big', message: 'at most 1000000 remain' }] });
  });

  it('draws on this year’s budget and up to yearsAhead after it, never on a closed year', () => {
    expect(openFundYears(2026, DEFAULT_FUNDS_CONFIG)).toEqual({ from: 2026, to: 2027 });
    expect(openFundYears(2026, { ...DEFAULT_FUNDS_CONFIG, yearsAhead: 0 })).toEqual({ from: 2026, to: 2026 });
    const input = { bucket: 'clearance', amountCny: 1, purpose: '' };
    const at = (year: number) => refusal(() => allocate({ project: prj(), bucket: bucket(), input, year, open: OPEN, by: leader, id: 'f', now }));
    expect(at(2025)).toEqual({ status: 400, message: "No allocation from 2025: 2025's budget is closed", errors: [{ path: 'year', code: 'out_of_range', message: "a budget year from 2026 to 2027 (2025's budget is closed)" }] });
    expect(at(2028)).toEqual({ status: 400, message: "No allocation from 2028: 2028's budget is not open yet", errors: [{ path: 'year', code: 'out_of_range', message: "a budget year from 2026 to 2027 (2028's budget is not open yet)" }] });
    for (const year of [2026, 2027]) expect(allocate({ project: prj(), bucket: bucket(), input, year, open: OPEN, by: leader, id: 'f', now }).allocation.year).toBe(year);
    // Who may allocate is told first: a park center asking for a closed year hears it is not theirs to do.
    expect(refusal(() => allocate({ project: prj(), bucket: bucket(), input, year: 2020, open: OPEN, by: who('park_center'), id: 'f', now })).status).toBe(403);
  });

  it('allocation refusals', () => {
    const input = { bucket: 'clearance', amountCny: 1, purpose: '' };
    expect(refusal(() => allocate({ project: prj(), bucket: bucket(), input, year: 2026, open: OPEN, by: who('park_center'), id: 'f', now, }))).toEqual({ status: 403, message: 'Allocating the pre-work fund is for: ops, committee_leader', errors: undefined });
    expect(refusal(() => allocate({ project: prj(), bucket: undefined, input: { ...input, bucket: 'x' }, year: 2027, open: OPEN, by: leader, id: 'f', now }))).toEqual({ status: 400, message: 'No fund bucket x in 2027', errors: [{ path: 'bucket', code: 'unknown_ref', message: 'unknown bucket' }] });
    expect(refusal(() => allocate({ project: { ...prj(), status: 'REJECTED' }, bucket: bucket(), input, year: 2026, open: OPEN, by: leader, id: 'f', now })).message).toBe('Project prj-1 is REJECTED: no new allocations');
    expect(() => allocate({ project: { ...prj(), status: 'PENDING_ADMISSION' }, bucket: bucket(), input, year: 2026, open: OPEN, by: who('ops'), id: 'f', now })).not.toThrow();
    expect(refusal(() => allocate({ project: prj(MAX_ALLOCATIONS_PER_PROJECT), bucket: bucket(), input, year: 2026, open: OPEN, by: leader, id: 'f', now })).message).toBe(`prj-1 holds ${MAX_ALLOCATIONS_PER_PROJECT} fund allocations, the most one project may`);
    expect(allocate({ project: prj(MAX_ALLOCATIONS_PER_PROJECT - 1), bucket: bucket(), input, year: 2026, open: OPEN, by: leader, id: 'f', now }).held).toHaveLength(MAX_ALLOCATIONS_PER_PROJECT);
    expect(allocate({ project: { id: 'prj-1', status: 'ACTIVE' }, bucket: bucket(), input: { ...input, amountCny: 10_000_000 }, year: 2026, open: OPEN, by: leader, id: 'fal-9', now }).held).toEqual([{ id: 'fal-9', year: 2026, bucket: 'clearance', amountCny: 10_000_000, spentCny: 0 }]);
  });

  it('spending refusals and the held list it updates', () => {
    const spendAs = (allocation: FundAllocation | undefined, amountCny: number, by = leader, project = prj(2)) => spend({ project, allocation, aid: 'fal-1', input: { amountCny, note: '清表' }, by, now });
    expect(refusal(() => spendAs(alloc(), 1, who('soe'))).message).toBe('Recording spending of the pre-work fund is for: ops, committee_leader');
    expect(refusal(() => spendAs(undefined, 1))).toEqual({ status: 404, message: 'Project prj-1 has no fund allocation fal-1', errors: undefined });
    expect(refusal(() => spendAs(alloc({ projectId: 'prj-2' }), 1)).status).toBe(404);
    expect(refusal(() => spendAs(alloc({ spending: Array.from({ length: MAX_SPENDING_ENTRIES }, () => ({ amountCny: 0, note: '', at: '', by: '' })) }), 1)).message).toBe(`Allocation fal-1 has ${MAX_SPENDING_ENTRIES} spending entries, the most it keeps`);
    expect(() => spendAs(alloc({ spending: Array.from({ length: MAX_SPENDING_ENTRIES - 1 }, () => ({ amountCny: 0, note: '', at: '', by: '' })) }), 1)).not.toThrow();
    expect(refusal(() => spendAs(alloc({ spentCny: 600 }), 401))).toEqual({ status: 409, message: 'Only 400 CNY of allocation fal-1 are unspent', errors: [{ path: 'amountCny', code: 'too_big', message: 'at most 400' }] });
    const exact = spendAs(alloc({ spentCny: 600 }), 400);
    expect(exact.held).toEqual([
      { id: 'fal-1', year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 1_000 },
      { id: 'fal-2', year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 0 },
    ]);
    expect(spend({ project: { id: 'prj-1' }, allocation: alloc(), aid: 'fal-1', input: { amountCny: 1, note: '' }, by: leader, now }).held).toEqual([]);
  });

  it('dates spending on the day paid: today when left out, never after today nor before the allocation was made', () => {
    // now is 2026-11-30 10:00 in Shanghai; the allocation was made 2026-03-02 09:00 there.
    const spendOn = (spentOn?: string, payee?: string) => spend({ project: prj(1), allocation: alloc(), aid: 'fal-1', input: { amountCny: 1, note: 'n', spentOn, payee }, by: leader, now }).allocation.spending[0];
    expect(spendOn()).toEqual({ amountCny: 1, note: 'n', spentOn: '2026-11-30', at: now.toISOString(), by: leader.sub });
    expect(spendOn('2026-03-02', '市测绘院')).toEqual({ amountCny: 1, note: 'n', spentOn: '2026-03-02', payee: '市测绘院', at: now.toISOString(), by: leader.sub });
    expect(refusal(() => spendOn('2026-12-01'))).toEqual({ status: 400, message: 'Spending cannot be dated after today (2026-11-30)', errors: [{ path: 'spentOn', code: 'out_of_range', message: 'on or before today, 2026-11-30' }] });
    expect(refusal(() => spendOn('2026-03-01'))).toEqual({ status: 400, message: 'Allocation fal-1 was made on 2026-03-02: nothing was paid from it before', errors: [{ path: 'spentOn', code: 'out_of_range', message: 'on or after 2026-03-02, the day the allocation was made' }] });
    // The day in Shanghai, not in UTC: made at 2026-03-01T17:00Z is 03-02 there.
    expect(() => spend({ project: prj(1), allocation: alloc({ createdAt: '2026-03-01T17:00:00Z' }), aid: 'fal-1', input: { amountCny: 1, note: '', spentOn: '2026-03-02' }, by: leader, now })).not.toThrow();
    expect(refusal(() => spend({ project: prj(1), allocation: alloc({ createdAt: '2026-03-01T17:00:00Z' }), aid: 'fal-1', input: { amountCny: 1, note: '', spentOn: '2026-03-01' }, by: leader, now })).status).toBe(400);
  });

  it('after an exit is decided, records only what was paid up to that day (the exit gives the rest back)', () => {
    // Decided 2026-11-20 at 17:30 UTC: 21 November in Shanghai. `now` is 2026-11-30.
    const exiting = (status: string) => ({ ...prj(1), exit: { status, decidedAt: '2026-11-20T17:30:00Z' } });
    const spendOn = (status: string, spentOn?: string) => spend({ project: exiting(status), allocation: alloc(), aid: 'fal-1', input: { amountCny: 1, note: 'n', spentOn }, by: leader, now });
    expect(spendOn('running', '2026-11-21').allocation.spentCny).toBe(1);
    expect(spendOn('decided', '2026-11-10').allocation.spentCny).toBe(1);
    expect(refusal(() => spendOn('running', '2026-11-22'))).toEqual({
      status: 409,
      message: 'Project prj-1 was decided to exit 退出 on 2026-11-21: the fund pays it nothing after that day',
      errors: [{ path: 'spentOn', code: 'out_of_range', message: 'on or before 2026-11-21, the day the exit was decided' }],
    });
    // Left out, the day is today: after the decision.
    expect(refusal(() => spendOn('failed')).status).toBe(409);
  });

  it('release refusals, the system release, and the held list it leaves', () => {
    const releaseAs = (allocation: FundAllocation | undefined, by = leader, system?: boolean) => releaseAllocation({ project: prj(2), allocation, aid: 'fal-1', by, reason: 'r', now, system });
    expect(refusal(() => releaseAs(alloc(), who('soe'))).message).toBe('Releasing a fund allocation is for: ops, committee_leader');
    expect(releaseAs(alloc(), who('committee_leader', { sub: 'sys' }), true).held.map((h) => h.id)).toEqual(['fal-2']);
    expect(releaseAs(alloc(), who('soe'), true).allocation.status).toBe('released');
    expect(refusal(() => releaseAs(undefined)).message).toBe('Project prj-1 has no fund allocation fal-1');
    expect(refusal(() => releaseAs(alloc({ projectId: 'prj-2' }))).status).toBe(404);
    expect(releaseAllocation({ project: { id: 'prj-1' }, allocation: alloc(), aid: 'fal-1', by: leader, reason: 'r', now }).held).toEqual([]);
  });
});

describe('notices and configuration of the inventory', () => {
  const np = { id: 'prj-1', name: '示例项目', park: '科创城', investor: { enterpriseId: 'ent-a' } };
  it('address and word the inventory notices', () => {
    const available: Notice = { kind: 'resource.available', project: np, resource: { kind: 'facilities', label: 'HT-A3', id: 'fac-1', park: '汇通产业园' }, score: 92.8, reasons: ['面积满足', '位于本园区'] };
    expect([recipientOf(available), projectIdOf(available)]).toEqual(['DEPT#park_center#科创城', 'prj-1']);
    expect(render(available)).toEqual({
      zh: { title: '要素可用：HT-A3', body: '示例项目：汇通产业园 HT-A3（fac-1）重新可用，匹配得分92.8。面积满足；位于本园区' },
      en: { title: 'Available again: HT-A3', body: '示例项目: HT-A3 (fac-1) in 汇通产业园 is available again and fits (score 92.8).' },
    });
    const due: Notice = { kind: 'inventory.refresh_due', inbox: 'DEPT#soe', inventory: '闲置厂房/楼宇', period: '2027Q1', periodEnd: '2027-03-31', unconfirmed: 3 };
    expect([recipientOf(due), projectIdOf(due)]).toEqual(['DEPT#soe', undefined]);
    expect(render(due)).toEqual({
      // The period as the console's inventory page says it (2027年第1季度), and its word for it: 本期待确认.
      zh: { title: '要素清单本期待确认：闲置厂房/楼宇', body: '2027年第1季度更新期将于2027-03-31结束，尚有3条未确认，请及时更新确认（季度更新、动态清零）。' },
      en: { title: 'Inventory due for confirmation: 闲置厂房/楼宇', body: 'The 2027 Q1 period ends on 2027-03-31; 3 record(s) are not confirmed yet.' },
    });
    const stale: Notice = { kind: 'inventory.stale', inbox: 'DEPT#park_center#汇通产业园', inventory: '土地', period: '2026', stale: 2 };
    expect([recipientOf(stale), projectIdOf(stale)]).toEqual(['DEPT#park_center#汇通产业园', undefined]);
    expect(render(stale)).toEqual({
      // A record not confirmed in its period is 待核实 on the console's page and in the park report, not 过期.
      zh: { title: '要素清单待核实：土地', body: '2条记录未在2026年度更新期内确认，已标记为待核实，请核实后确认。' },
      en: { title: 'Inventory records stale: 土地', body: '2 record(s) were not confirmed in 2026 and are flagged stale; confirm them once checked.' },
    });
  });

  it('refuses a task linked twice and a bucket listed twice (each naming the duplicate), takes the defaults', () => {
    const inv = DEFAULT_CONFIG.inventory;
    expect(configErrors('inventory', inv)).toEqual([]);
    expect(configErrors('inventory', { ...inv, taskLinks: [...inv.taskLinks, { task: 'land_list', kind: 'parcels', effect: 'link' }] })).toEqual([{ path: 'doc.taskLinks[4].task', code: 'duplicate', message: 'duplicate task' }]);
    expect(configErrors('funds', DEFAULT_CONFIG.funds)).toEqual([]);
    expect(configErrors('funds', { buckets: [...DEFAULT_CONFIG.funds.buckets, { code: 'clearance', name: { zh: 'x', en: 'x' }, budgetCny: 1 }] })).toEqual([{ path: 'doc.buckets[3].code', code: 'duplicate', message: 'duplicate bucket' }]);
    // A link to a task the matrix in force has not would never move a reservation on: refused — unless the document in
    // force links it already (projects on an older matrix still complete it). Every default link names a default task.
    const matrixTasks = new Set(DEFAULT_CONFIG.matrix.tasks.map((t) => t.code));
    expect(configErrors('inventory', inv, inv, { matrixTasks })).toEqual([]);
    const linked = { ...inv, taskLinks: [...inv.taskLinks, { task: 'constructor', kind: 'parcels' as const, effect: 'link' as const }] };
    expect(configErrors('inventory', linked, inv, { matrixTasks })).toEqual([
      { path: 'doc.taskLinks[4].task', code: 'unknown_ref', message: 'no task constructor in the matrix in force: the link would never move a reservation on' },
    ]);
    expect(configErrors('inventory', linked, linked, { matrixTasks })).toEqual([]);
    // A gate need listed twice (same stage, site mode and kind) is named at the repeat; at PRODUCING, which has no gate,
    // a need would never be asked: the schema takes the gates' stages only.
    const need = inv.gateNeeds[1]!;
    expect(configErrors('inventory', { ...inv, gateNeeds: [...inv.gateNeeds, need] })).toEqual([{ path: 'doc.gateNeeds[4]', code: 'duplicate', message: `${need.stage} ${need.siteMode} ${need.kind} is listed twice` }]);
    expect(configSchema('inventory').safeParse({ ...inv, gateNeeds: [{ stage: 'OPERATION', siteMode: 'land', kind: 'parcels' }] }).success).toBe(true);
    const producing = configSchema('inventory').safeParse({ ...inv, gateNeeds: [{ stage: 'PRODUCING', siteMode: 'land', kind: 'parcels' }] });
    expect(producing.success).toBe(false);
    expect(producing.error?.issues.map((i) => i.path.join('.'))).toEqual(['gateNeeds.0.stage']);
    // A configuration with no semantic rule of its own has no errors to report.
    expect(configErrors('lights', DEFAULT_CONFIG.lights)).toEqual([]);
  });
});
