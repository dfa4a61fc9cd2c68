// The inventory's rules without DynamoDB: records (ownership, facts, edits, stale), refresh periods, reservations
// (what may be held, by whom, what a task or gate needs), matching (scores and reasons on tricky cases) and the fund.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import { allocate, releaseAllocation, spend, yearBuckets, DEFAULT_FUNDS_CONFIG, type Bucket } from '../../functions/inventory/domain/fund.ts';
import { matchOne, rankMatches, reuseCandidates } from '../../functions/inventory/domain/matching.ts';
import { DEFAULT_INVENTORY_CONFIG, nextPeriodStart, periodEnd, periodOf, previousPeriod, reminderFrom } from '../../functions/inventory/domain/period.ts';
import { applyLink, assertGateNeeds, gateNeeds, release, reserve, taskLink, withStatus, type Reservation } from '../../functions/inventory/domain/reservation.ts';
import {
  areaMu,
  confirmationDue,
  confirmResource,
  createResource,
  factErrors,
  isStale,
  mayMaintain,
  naturalKey,
  patchResource,
  type FacilityFacts,
  type ParcelFacts,
  type Resource,
} from '../../functions/inventory/domain/resource.ts';
import { calendar2026 } from '../support/domain.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';

/** The budget years open on the tests' today (2026): this one and the next. */
const OPEN = { from: 2026, to: 2027 };

const cfg = DEFAULT_INVENTORY_CONFIG;
const who = (role: string, extra: Partial<Principal> = {}): Principal => ({ sub: `u-${role}`, name: role, roles: [role as Principal['roles'][number]], ...extra });
const resources = who('resources_bureau');
const soe = who('soe');
const park = (p: string) => who('park_center', { park: p });
const now = new Date('2026-11-30T02:00:00Z');
const ctx = { now, today: '2026-11-30', cfg };

const parcelFacts = (over: Partial<ParcelFacts> = {}): ParcelFacts => parcelBody({ readiness: { relicSurvey: '2026-03-01', landApproval: '2026-04-01', clearanceList: '2026-05-01', infrastructure: '2026-06-01' }, ...over }) as ParcelFacts;
const facilityFacts = (over: Partial<FacilityFacts> = {}): FacilityFacts => facilityBody({ owner: '建投公司', ...over });
const aParcel = (over: Partial<ParcelFacts> = {}, id = 'par-1') => createResource('parcels', parcelFacts(over), resources, { ...ctx, id });
const aFacility = (over: Partial<FacilityFacts> = {}, id = 'fac-1') => createResource('facilities', facilityFacts(over), soe, { ...ctx, id });
const energy = (total: number, allocated = 0): Resource => ({ ...createResource('energy', { year: 2026, totalTce: total }, who('eco_bureau'), { ...ctx, id: 'ene-1' }), allocated, remaining: total - allocated });

describe('inventory records', () => {
  it('derive 亩 (1 亩 = 666.67 m²) and a natural key per kind', () => {
    expect(areaMu(66_667)).toBe(100);
    expect(areaMu(1_000)).toBe(1.5);
    expect(naturalKey('parcels', parcelFacts())).toBe('JZ-1');
    expect(naturalKey('environment', { year: 2027, pollutant: 'COD', totalTonnes: 1 })).toBe('2027#COD');
    expect(naturalKey('utilities', { park: 'A', utility: 'gas', capacity: 1, unit: 'm3/d' })).toBe('A#gas');
    expect(naturalKey('energy', { year: 2027, totalTce: 1 })).toBe('2027');
  });

  it('are kept by their kind’s owners; a park center only in its own park; quotas (no park) never by a park center', () => {
    expect(mayMaintain(resources, 'parcels', '汇通产业园', cfg)).toBe(true);
    expect(mayMaintain(soe, 'parcels', '汇通产业园', cfg)).toBe(false);
    expect(mayMaintain(park('汇通产业园'), 'facilities', '汇通产业园', cfg)).toBe(true);
    expect(mayMaintain(park('科创城'), 'facilities', '汇通产业园', cfg)).toBe(false);
    expect(mayMaintain(park('汇通产业园'), 'utilities', undefined, cfg)).toBe(false);
    expect(() => aParcel({}, 'par-x') && createResource('parcels', parcelFacts(), soe, { ...ctx, id: 'par-2' })).toThrow(/kept by: resources_bureau/);
  });

  it('start available, confirmed in the period they are created in, quantities with nothing allocated', () => {
    expect(aParcel()).toMatchObject({ status: 'available', heldBy: null, confirmedPeriod: '2026', staleSince: null, version: 1 });
    expect(aFacility()).toMatchObject({ confirmedPeriod: '2026Q4' });
    expect(energy(500)).toMatchObject({ total: 500, allocated: 0, remaining: 500 });
  });

  it('refuse readiness done in the future and a utility unit that does not fit', () => {
    expect(factErrors('parcels', parcelFacts({ readiness: { relicSurvey: '2026-12-01', landApproval: null, clearanceList: null, infrastructure: '2026-11-30' } }), '2026-11-30')).toEqual([
      { path: 'readiness.relicSurvey', code: 'out_of_range', message: expect.stringContaining('文物勘探') },
    ]);
    expect(factErrors('parcels', parcelFacts({ readiness: { relicSurvey: null, landApproval: '2026-01-01', clearanceList: null, infrastructure: null }, readinessEvidence: { relicSurvey: '文物局函〔2026〕1号', landApproval: '晋政地〔2026〕5号' } }), '2026-11-30')).toEqual([
      { path: 'readinessEvidence.relicSurvey', code: 'not_allowed', message: expect.stringContaining('not done') },
    ]);
    expect(factErrors('utilities', { park: 'A', utility: 'power', capacity: 5, unit: 'MW' }, '2026-11-30')).toEqual([]);
    expect(factErrors('utilities', { park: 'A', utility: 'water', capacity: 5, unit: 'MW' }, '2026-11-30')).toEqual([{ path: 'unit', code: 'enum', message: 'water capacity is stated in t/d' }]);
  });

  it('refuse an industry listed twice on a parcel or a facility, at the repeat', () => {
    expect(factErrors('parcels', parcelFacts({ industries: ['nev', 'biomedicine', 'nev'] }), '2026-11-30')).toEqual([{ path: 'industries[2]', code: 'duplicate', message: 'nev is listed twice' }]);
    expect(factErrors('facilities', facilityFacts({ industries: ['biomedicine', 'biomedicine'] }), '2026-11-30')).toEqual([{ path: 'industries[1]', code: 'duplicate', message: 'biomedicine is listed twice' }]);
    expect(factErrors('facilities', facilityFacts({ industries: ['biomedicine', 'nev'] }), '2026-11-30')).toEqual([]);
  });

  it('edit: identity fixed, totals never below what is held, a held unit neither retired nor its area changed, a retired record back only as available', () => {
    expect(() => patchResource(aParcel(), { facts: { code: 'X' } }, resources, ctx)).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'facts.code', code: 'not_allowed', message: expect.any(String) }] }));
    expect(patchResource(aParcel(), { facts: { code: 'JZ-1', use: '仓储用地' } }, resources, ctx).facts.use).toBe('仓储用地');
    expect(() => patchResource(energy(100, 60), { facts: { totalTce: 59 } }, who('eco_bureau'), ctx)).toThrow(expect.objectContaining({ status: 409, errors: [{ path: 'facts.totalTce', code: 'too_small', message: 'must be at least 60' }] }));
    expect(patchResource(energy(100, 60), { facts: { totalTce: 60 } }, who('eco_bureau'), ctx)).toMatchObject({ total: 60, remaining: 0 });
    const held: Resource = { ...aParcel(), status: 'reserved', heldBy: { projectId: 'prj-1', reservationId: 'rsv-1', since: '' } };
    expect(() => patchResource(held, { status: 'retired' }, resources, ctx)).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => patchResource(held, { facts: { areaM2: 100 } }, resources, ctx)).toThrow(expect.objectContaining({ status: 409 }));
    // Nor grown: the area a project holds is the area it reserved (release, correct, reserve again).
    expect(() => patchResource(held, { facts: { areaM2: 70_000 } }, resources, ctx)).toThrow(expect.objectContaining({ status: 409, errors: [expect.objectContaining({ path: 'facts.areaM2' })] }));
    expect((patchResource(held, { facts: { use: '仓储用地' } }, resources, ctx).facts as ParcelFacts).use).toBe('仓储用地');
    expect(() => patchResource(aParcel(), { status: 'available' }, resources, ctx)).not.toThrow();
    expect(() => patchResource(held, { status: 'available' }, resources, ctx)).toThrow(/only a retired record/);
    const retired = patchResource(aParcel(), { status: 'retired' }, resources, ctx);
    expect(patchResource(retired, { status: 'available' }, resources, ctx).status).toBe('available');
  });

  it('are due for confirmation in a period they were not confirmed in, stale once that period ended, and a confirmation clears both', () => {
    const f = { ...aFacility(), confirmedPeriod: '2026Q3' };
    expect(confirmationDue(f, '2026-11-30', cfg)).toBe(true);
    expect(isStale(f, '2026-11-30', cfg)).toBe(false);
    expect(isStale(f, '2027-01-01', cfg)).toBe(true);
    expect(isStale({ ...f, status: 'retired' }, '2027-01-01', cfg)).toBe(false);
    const again = confirmResource({ ...f, staleSince: '2027-01-01' }, soe, { ...ctx, today: '2027-01-02' });
    expect(again).toMatchObject({ confirmedPeriod: '2027Q1', staleSince: null });
    expect(isStale({ ...aParcel(), confirmedPeriod: '2025' }, '2026-12-31', cfg)).toBe(false);
    expect(isStale({ ...aParcel(), confirmedPeriod: '2025' }, '2027-01-01', cfg)).toBe(true);
  });
});

describe('refresh periods', () => {
  it('are years for parcels and quarters for the rest, with their ends, predecessors and the reminder day', () => {
    expect(periodOf('parcels', '2027-05-01', cfg)).toBe('2027');
    expect(['2027-01-01', '2027-03-31', '2027-04-01', '2027-12-31'].map((d) => periodOf('energy', d, cfg))).toEqual(['2027Q1', '2027Q1', '2027Q2', '2027Q4']);
    expect(['2027Q1', '2027Q2', '2027Q3', '2027Q4', '2027'].map(periodEnd)).toEqual(['2027-03-31', '2027-06-30', '2027-09-30', '2027-12-31', '2027-12-31']);
    expect(['2027Q1', '2027Q3', '2027'].map(previousPeriod)).toEqual(['2026Q4', '2027Q2', '2026']);
    expect(['2027Q1', '2027Q4', '2027'].map(nextPeriodStart)).toEqual(['2027-04-01', '2028-01-01', '2028-01-01']);
    // 10 working days before 2026-09-30 on the 2026 calendar (25 September is a holiday).
    expect(reminderFrom('2026Q3', cfg, calendar2026)).toBe('2026-09-15');
  });
});

const project = (over: Record<string, unknown> = {}) => ({ id: 'prj-1', park: '汇通产业园', investor: { enterpriseId: 'ent-a' }, siteMode: 'land' as const, stage: 'SIGNING' as const, status: 'ACTIVE', reservations: [], ...over });

describe('reservations', () => {
  it('hold a whole parcel for a land project, by its park center or the resources bureau', () => {
    const { reservation, held } = reserve({ project: project(), resource: aParcel(), input: { kind: 'parcels' }, by: park('汇通产业园'), id: 'rsv-1', now, cfg });
    expect(reservation).toMatchObject({ kind: 'parcels', resourceId: 'par-1', amount: 66_667, unit: 'm2', status: 'reserved', resourceLabel: 'JZ-1' });
    expect(held).toEqual([{ id: 'rsv-1', kind: 'parcels', resourceId: 'par-1', amount: 66_667, status: 'reserved' }]);
    expect(() => reserve({ project: project(), resource: aParcel(), input: { kind: 'parcels' }, by: park('科创城'), id: 'r', now, cfg })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => reserve({ project: project(), resource: aParcel(), input: { kind: 'parcels' }, by: soe, id: 'r', now, cfg })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuse: the wrong site mode, an amount on a unit or none on a quota, one held already, the cap, a taken or retired record, more than remains, a closed project', () => {
    const by = resources;
    const r = (p: ReturnType<typeof project>, resource: Resource, amount?: number) => () => reserve({ project: p, resource, input: { kind: resource.kind, amount }, by, id: 'r', now, cfg });
    expect(r(project({ siteMode: 'lease' }), aParcel())).toThrow(expect.objectContaining({ status: 409, errors: [{ path: 'kind', code: 'not_allowed', message: expect.any(String) }] }));
    expect(r(project(), aParcel(), 5)).toThrow(expect.objectContaining({ status: 400, errors: [{ path: 'amount', code: 'not_allowed', message: expect.any(String) }] }));
    expect(r(project(), energy(10))).toThrow(expect.objectContaining({ status: 400 }));
    expect(r(project({ reservations: [{ id: 'a', kind: 'parcels', resourceId: 'par-1', amount: 1, status: 'reserved' }] }), aParcel())).toThrow(/already holds/);
    const many = Array.from({ length: cfg.reservationsPerProject }, (_, i) => ({ id: `r${i}`, kind: 'energy' as const, resourceId: `ene-${i}`, amount: 1, status: 'reserved' as const }));
    expect(r(project({ reservations: many }), aParcel())).toThrow(/the most one project may/);
    expect(r(project(), { ...aParcel(), status: 'reserved', heldBy: { projectId: 'p2', reservationId: 'x', since: '' } })).toThrow(/reserved by another project/);
    expect(r(project(), { ...aParcel(), status: 'retired' })).toThrow(/retired/);
    expect(r(project(), energy(10, 8), 3)).toThrow(expect.objectContaining({ status: 409, message: expect.stringContaining('Only 2 tce') }));
    expect(r(project(), energy(10, 8), 2)).not.toThrow();
    // A quota may be topped up by the same project.
    expect(r(project({ reservations: [{ id: 'a', kind: 'energy', resourceId: 'ene-1', amount: 8, status: 'reserved' }] }), energy(10, 8), 2)).not.toThrow();
    expect(r(project({ status: 'REJECTED' }), aParcel())).toThrow(/REJECTED/);
    expect(r(project({ status: 'PENDING_ADMISSION' }), aParcel())).not.toThrow();
  });

  it('release what is only reserved; transferred land comes back only through exit', () => {
    const stored: Reservation = { id: 'rsv-1', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'JZ-1', amount: 1, unit: 'm2', status: 'reserved', createdAt: '', createdBy: '', links: [] };
    const p = project({ reservations: [{ id: 'rsv-1', kind: 'parcels', resourceId: 'par-1', amount: 1, status: 'reserved' }] });
    const out = release({ project: p, reservation: stored, rid: 'rsv-1', by: resources, reason: '调整', now, cause: 'released' });
    expect(out.reservation).toMatchObject({ status: 'released', released: { by: 'u-resources_bureau', reason: '调整' } });
    expect(out.held).toEqual([]);
    expect(() => release({ project: p, reservation: undefined, rid: 'rsv-9', by: resources, reason: '', now, cause: 'released' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => release({ project: p, reservation: { ...stored, status: 'released' }, rid: 'rsv-1', by: resources, reason: '', now, cause: 'released' })).toThrow(/already/);
    expect(() => release({ project: p, reservation: { ...stored, status: 'transferred' }, rid: 'rsv-1', by: resources, reason: '', now, cause: 'released' })).toThrow(/exit procedure/);
    expect(release({ project: p, reservation: { ...stored, status: 'transferred' }, rid: 'rsv-1', by: who('committee_leader'), reason: '退出', now, cause: 'exit' }).reservation.status).toBe('released');
    expect(() => release({ project: p, reservation: { ...stored, projectId: 'prj-2' }, rid: 'rsv-1', by: resources, reason: '', now, cause: 'released' })).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('tasks: 土地清单 links the held parcel, 土地出让 transfers it, a task without a link needs none, and without a reservation the 409 says which', () => {
    const held = [{ id: 'rsv-1', kind: 'parcels' as const, resourceId: 'par-1', amount: 1, status: 'reserved' as const }];
    expect(taskLink({ project: project({ reservations: held }), taskCode: 'land_list', taskName: '土地清单', cfg })).toMatchObject({ effect: 'link', held: { id: 'rsv-1' } });
    expect(taskLink({ project: project({ reservations: held }), taskCode: 'land_transfer', taskName: '土地出让', cfg })).toMatchObject({ effect: 'transferred' });
    expect(taskLink({ project: project(), taskCode: 'eia_guidance', taskName: '环评', cfg })).toBeUndefined();
    expect(() => taskLink({ project: project(), taskCode: 'land_list', taskName: '土地清单', cfg })).toThrow(expect.objectContaining({ status: 409, errors: [{ path: 'reservation', code: 'required', message: 'no parcels reservation held' }] }));
    const stored: Reservation = { id: 'rsv-1', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'JZ-1', amount: 1, unit: 'm2', status: 'reserved', createdAt: '', createdBy: '', links: [] };
    const linked = applyLink(stored, 'land_list', 'link', now);
    expect(linked).toMatchObject({ status: 'reserved', links: [{ task: 'land_list', effect: 'link' }] });
    const transferred = applyLink(linked, 'land_transfer', 'transferred', now);
    expect(transferred.status).toBe('transferred');
    expect(withStatus(held, transferred)).toEqual([{ ...held[0], status: 'transferred' }]);
    // A task redone after its gate reopened it finds the reservation it transferred.
    expect(taskLink({ project: project({ reservations: withStatus(held, transferred) }), taskCode: 'land_transfer', taskName: '土地出让', cfg })).toMatchObject({ held: { status: 'transferred' } });
  });

  it('gates: SIGNING and LANDING need the site of the project’s mode', () => {
    expect(gateNeeds(project(), 'SIGNING', cfg).map((n) => n.kind)).toEqual(['parcels']);
    expect(gateNeeds(project({ siteMode: 'lease' }), 'LANDING', cfg).map((n) => n.kind)).toEqual(['facilities']);
    expect(gateNeeds(project(), 'GROUNDBREAKING', cfg)).toEqual([]);
    expect(() => assertGateNeeds(project(), 'SIGNING', cfg)).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => assertGateNeeds(project({ reservations: [{ id: 'r', kind: 'parcels', resourceId: 'p', amount: 1, status: 'transferred' }] }), 'LANDING', cfg)).not.toThrow();
  });
});

describe('refusals name the path parameter they are about', () => {
  const at = (path: string, code: string) => expect.objectContaining({ errors: [expect.objectContaining({ path, code })] });
  const stored: Reservation = { id: 'rsv-1', projectId: 'prj-1', kind: 'parcels', resourceId: 'par-1', resourceLabel: 'JZ-1', amount: 1, unit: 'm2', status: 'reserved', createdAt: '', createdBy: '', links: [] };
  const p = project({ reservations: [{ id: 'rsv-1', kind: 'parcels', resourceId: 'par-1', amount: 1, status: 'reserved' }] });
  const leader = who('committee_leader');
  const bucket: Bucket = { year: 2026, code: 'clearance', name: { zh: '进地清单', en: '' }, budgetCny: 10_000_000, allocatedCny: 0, spentCny: 0 };

  it('a reservation released already, or land transferred: 409 at path.rid', () => {
    expect(() => release({ project: p, reservation: { ...stored, status: 'released' }, rid: 'rsv-1', by: resources, reason: '', now, cause: 'released' })).toThrow(at('path.rid', 'state'));
    expect(() => release({ project: p, reservation: { ...stored, status: 'transferred' }, rid: 'rsv-1', by: resources, reason: '', now, cause: 'released' })).toThrow(at('path.rid', 'state'));
  });

  it('a project that takes no new holdings (closed, being exited, at its cap): 409 at path.id', () => {
    const r = (over: Record<string, unknown>) => () => reserve({ project: project(over), resource: aParcel(), input: { kind: 'parcels' }, by: resources, id: 'r', now, cfg });
    expect(r({ status: 'EXITED' })).toThrow(at('path.id', 'state'));
    expect(r({ exit: { status: 'running' } })).toThrow(at('path.id', 'state'));
    expect(r({ reservations: Array.from({ length: cfg.reservationsPerProject }, (_, i) => ({ id: `r${i}`, kind: 'energy' as const, resourceId: `ene-${i}`, amount: 1, status: 'reserved' as const })) })).toThrow(at('path.id', 'state'));
    const a = (over: Record<string, unknown>) => () => allocate({ project: { id: 'prj-1', status: 'ACTIVE', fundAllocations: [], ...over }, bucket, input: { bucket: 'clearance', amountCny: 1, purpose: '' }, year: 2026, open: OPEN, by: leader, id: 'f', now });
    expect(a({ status: 'REJECTED' })).toThrow(at('path.id', 'state'));
    expect(a({ exit: { status: 'decided', decidedAt: now.toISOString() } })).toThrow(at('path.id', 'state'));
    expect(a({ fundAllocations: Array.from({ length: 20 }, (_, i) => ({ id: `fal-${i}`, year: 2026, bucket: 'clearance', amountCny: 1, spentCny: 0 })) })).toThrow(at('path.id', 'state'));
  });

  it('an allocation released (spent on or released again), or full of spending entries: 409 at path.aid', () => {
    const held = { id: 'prj-1', status: 'ACTIVE', fundAllocations: [{ id: 'fal-1', year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 0 }] };
    const { allocation } = allocate({ project: { ...held, fundAllocations: [] }, bucket, input: { bucket: 'clearance', amountCny: 1_000, purpose: 'x' }, year: 2026, open: OPEN, by: leader, id: 'fal-1', now });
    const released = releaseAllocation({ project: held, allocation, aid: 'fal-1', by: leader, reason: 'x', now }).allocation;
    expect(() => releaseAllocation({ project: held, allocation: released, aid: 'fal-1', by: leader, reason: '', now })).toThrow(at('path.aid', 'state'));
    expect(() => spend({ project: held, allocation: released, aid: 'fal-1', input: { amountCny: 1, note: '' }, by: leader, now })).toThrow(at('path.aid', 'state'));
    const full = { ...allocation, spending: Array.from({ length: 100 }, () => ({ amountCny: 1, note: '', at: '', by: '' })), spentCny: 100 };
    expect(() => spend({ project: held, allocation: full, aid: 'fal-1', input: { amountCny: 1, note: '' }, by: leader, now })).toThrow(at('path.aid', 'state'));
  });

  it("a park center changing or confirming another park's record: 403 at path.id", () => {
    const kc = aFacility({ park: '科创城' });
    expect(() => confirmResource(kc, park('汇通产业园'), ctx)).toThrow(at('path.id', 'not_allowed'));
    expect(() => patchResource(kc, { facts: { rentCnyPerM2Month: 11 } }, park('汇通产业园'), ctx)).toThrow(at('path.id', 'not_allowed'));
  });
});

describe('matching', () => {
  const needs = { areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500 };
  const p = { park: '汇通产业园', industry: 'nev', needs };

  it('scores a facility that meets every need, with each reason', () => {
    const m = matchOne(p, aFacility({ areaM2: 8_000, floorLoadKnM2: 20, clearHeightM: 10, powerKva: 2_000 }) as Resource<'facilities'>);
    expect(m.fits).toBe(true);
    // 40 fits + 20 own park + 20 × 7500/8000 + 5 (no cluster) + 2.5 × 3 details + 2.5 area stated = 93.75 → 93.8
    expect(m.score).toBe(93.8);
    expect(m.reasons.map((r) => r.zh)).toEqual([
      '面积满足8,000 m² ≥ 需求7,500 m²',
      '楼面荷载满足20 kN/m² ≥ 需求15 kN/m²',
      '净高满足10 m ≥ 需求9 m',
      '供电容量满足2,000 kVA ≥ 需求1,500 kVA',
      '位于本园区（汇通产业园）',
      '面积利用率94%（12亩）',
    ]);
  });

  it('lists every unmet need of a misfit (and only those), scoring it 0', () => {
    const m = matchOne(p, aFacility({ areaM2: 7_000, floorLoadKnM2: 10, powerKva: 2_000 }) as Resource<'facilities'>);
    expect(m).toMatchObject({ fits: false, score: 0 });
    expect(m.reasons.map((r) => r.zh)).toEqual(['面积不足7,000 m² < 需求7,500 m²', '楼面荷载不足10 kN/m² < 需求15 kN/m²']);
  });

  it('treats an exact fit as a fit, an unstated need as met (saying so), another park as a lower score', () => {
    expect(matchOne(p, aFacility({ areaM2: 7_500, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_500 }) as Resource<'facilities'>).fits).toBe(true);
    const vague = matchOne({ park: '汇通产业园', industry: 'nev' }, aFacility() as Resource<'facilities'>);
    expect(vague.fits).toBe(true);
    expect(vague.reasons.at(-1)!.zh).toBe('项目未填报需求：面积、楼面荷载、净高、用电负荷');
    const away = matchOne({ ...p, park: '科创城' }, aFacility({ areaM2: 8_000, floorLoadKnM2: 20, clearHeightM: 10, powerKva: 2_000 }) as Resource<'facilities'>);
    expect(away.score).toBe(73.8);
    expect(away.reasons.map((r) => r.zh)).toContain('位于其他园区（汇通产业园）');
  });

  it('parcels: industry cluster and 标准地 readiness count; a parcel planned for other industries misfits', () => {
    const ready = matchOne(p, aParcel({ areaM2: 10_000, industries: ['nev'] }) as Resource<'parcels'>);
    // 40 + 20 + 20 × 0.75 + 10 cluster + 2.5 × 4 readiness = 95
    expect(ready.score).toBe(95);
    expect(ready.reasons.map((r) => r.zh)).toEqual(expect.arrayContaining(['产业集群匹配（新能源汽车）', '标准地：4项条件均已具备', '存量可出让']));
    const half = matchOne(p, aParcel({ areaM2: 10_000, supply: 'incremental', readiness: { relicSurvey: null, landApproval: '2026-01-01', clearanceList: null, infrastructure: '2026-01-01' } }) as Resource<'parcels'>);
    expect(half.score).toBe(85);
    expect(half.reasons.map((r) => r.zh)).toEqual(expect.arrayContaining(['标准地条件2/4，未完成：文物勘探、进地清单', '增量用地，需报批']));
    const other = matchOne(p, aParcel({ areaM2: 10_000, industries: ['biomedicine'] }) as Resource<'parcels'>);
    expect(other).toMatchObject({ fits: false, score: 0 });
    expect(other.reasons.map((r) => r.zh)).toEqual(['产业不符：规划为生物医药']);
  });

  it('ranks fits best first (ties by code), misfits apart, held records not at all — the same way every time', () => {
    const a = aFacility({ code: 'B', areaM2: 8_000 }, 'fac-b');
    const b = aFacility({ code: 'A', areaM2: 8_000 }, 'fac-a');
    const big = aFacility({ code: 'C', areaM2: 30_000 }, 'fac-c');
    const small = aFacility({ code: 'D', areaM2: 100 }, 'fac-d');
    const held = { ...aFacility({ code: 'E' }, 'fac-e'), status: 'reserved' as const };
    const vague = { park: '汇通产业园', industry: 'nev', needs: { areaM2: 7_500 } };
    const ranked = rankMatches(vague, [a, big, small, b, held] as Resource<'facilities'>[]);
    expect(ranked.items.map((m) => m.code)).toEqual(['A', 'B', 'C']);
    expect(ranked.misfits.map((m) => m.code)).toEqual(['D']);
    expect(rankMatches(vague, [b, small, big, a] as Resource<'facilities'>[])).toEqual(ranked);
  });

  it('offers a freed parcel to SIGNING land projects that fit and hold none, best first, at most the limit', () => {
    const parcel = aParcel({ areaM2: 40_000 }) as Resource<'parcels'>;
    const base = { name: 'x', investor: { enterpriseId: 'e' }, siteMode: 'land', stage: 'SIGNING', status: 'ACTIVE', industry: 'nev', park: '汇通产业园' };
    const projects = [
      { ...base, id: 'p-fit', needs: { areaM2: 38_000 } },
      { ...base, id: 'p-loose', needs: { areaM2: 10_000 } },
      { ...base, id: 'p-big', needs: { areaM2: 90_000 } },
      { ...base, id: 'p-lease', siteMode: 'lease', needs: { areaM2: 1 } },
      { ...base, id: 'p-landing', stage: 'LANDING', needs: { areaM2: 1 } },
      { ...base, id: 'p-holds', reservations: [{ kind: 'parcels' }], needs: { areaM2: 1 } },
      { ...base, id: 'p-exit', status: 'EXITED', needs: { areaM2: 1 } },
      { ...base, id: 'p-self', needs: { areaM2: 1 } },
    ];
    expect(reuseCandidates(parcel, projects, 'p-self', 5).map((c) => c.project.id)).toEqual(['p-fit', 'p-loose']);
    expect(reuseCandidates(parcel, projects, 'p-self', 1).map((c) => c.project.id)).toEqual(['p-fit']);
  });
});

describe('the pre-work fund', () => {
  const bucket = (over: Partial<Bucket> = {}): Bucket => ({ year: 2026, code: 'clearance', name: { zh: '进地清单', en: '' }, budgetCny: 10_000_000, allocatedCny: 0, spentCny: 0, ...over });
  const leader = who('committee_leader');
  const prj = { id: 'prj-1', status: 'ACTIVE', fundAllocations: [] };

  it('shows configured buckets not yet drawn on beside stored ones, in configuration order', () => {
    expect(yearBuckets(2026, [bucket({ code: 'relic_survey', budgetCny: 5_000_000, allocatedCny: 1 })], DEFAULT_FUNDS_CONFIG).map((b) => [b.code, b.allocatedCny])).toEqual([
      ['clearance', 0],
      ['infrastructure', 0],
      ['relic_survey', 1],
    ]);
  });

  it('allocates within the bucket (409 naming what is left), only by ops or the committee leader, never for a closed project', () => {
    const { allocation, held } = allocate({ project: prj, bucket: bucket({ allocatedCny: 4_000_000 }), input: { bucket: 'clearance', amountCny: 6_000_000, purpose: '清表' }, year: 2026, open: OPEN, by: leader, id: 'fal-1', now });
    expect(allocation).toMatchObject({ amountCny: 6_000_000, spentCny: 0, status: 'allocated' });
    expect(held).toHaveLength(1);
    expect(() => allocate({ project: prj, bucket: bucket({ allocatedCny: 4_000_001 }), input: { bucket: 'clearance', amountCny: 6_000_000, purpose: '' }, year: 2026, open: OPEN, by: leader, id: 'f', now })).toThrow(/Only 5999999 CNY/);
    expect(() => allocate({ project: prj, bucket: bucket(), input: { bucket: 'clearance', amountCny: 1, purpose: '' }, year: 2026, open: OPEN, by: park('汇通产业园'), id: 'f', now })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => allocate({ project: prj, bucket: undefined, input: { bucket: 'x', amountCny: 1, purpose: '' }, year: 2026, open: OPEN, by: leader, id: 'f', now })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => allocate({ project: { ...prj, status: 'EXITED' }, bucket: bucket(), input: { bucket: 'clearance', amountCny: 1, purpose: '' }, year: 2026, open: OPEN, by: leader, id: 'f', now })).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('spends within the allocation and releases its unspent part', () => {
    const { allocation } = allocate({ project: prj, bucket: bucket(), input: { bucket: 'clearance', amountCny: 1_000, purpose: 'x' }, year: 2026, open: OPEN, by: leader, id: 'fal-1', now });
    const held = { ...prj, fundAllocations: [{ id: 'fal-1', year: 2026, bucket: 'clearance', amountCny: 1_000, spentCny: 0 }] };
    const spent = spend({ project: held, allocation, aid: 'fal-1', input: { amountCny: 400, note: '清表' }, by: leader, now });
    expect(spent.allocation).toMatchObject({ spentCny: 400, spending: [{ amountCny: 400, note: '清表' }] });
    expect(spent.held[0]!.spentCny).toBe(400);
    expect(() => spend({ project: held, allocation: spent.allocation, aid: 'fal-1', input: { amountCny: 601, note: '' }, by: leader, now })).toThrow(/Only 600 CNY/);
    const back = releaseAllocation({ project: held, allocation: spent.allocation, aid: 'fal-1', by: leader, reason: '退出', now });
    expect(back).toMatchObject({ returnedCny: 600, held: [], allocation: { status: 'released', released: { returnedCny: 600 } } });
    expect(() => releaseAllocation({ project: held, allocation: back.allocation, aid: 'fal-1', by: leader, reason: '', now })).toThrow(/already/);
    expect(() => spend({ project: held, allocation: back.allocation, aid: 'fal-1', input: { amountCny: 1, note: '' }, by: leader, now })).toThrow(/released/);
  });
});

describe('one sign for a square metre', () => {
  it('a match’s reasons write m² — as the reservations’ unit, the reports’ headers and the console do — never ㎡', () => {
    const m = matchOne({ park: '汇通产业园', industry: 'nev', needs: { areaM2: 9_000, floorLoadKnM2: 30 } }, aFacility({ areaM2: 8_000, floorLoadKnM2: 20 }) as Resource<'facilities'>);
    const words = m.reasons.flatMap((r) => [r.zh, r.en]);
    expect(words).toEqual(['面积不足8,000 m² < 需求9,000 m²', 'Area too small: 8,000 m² < need 9,000 m²', '楼面荷载不足20 kN/m² < 需求30 kN/m²', 'Floor load too small: 20 kN/m² < need 30 kN/m²']);
    expect(words.join('')).not.toContain('㎡');
  });
});
