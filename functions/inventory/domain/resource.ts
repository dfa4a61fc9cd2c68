// Resource inventories 要素保障 ("要素等项目": resources kept ready before projects arrive): land parcels, idle
// factories and buildings, energy and environmental quotas, utility capacity. Two families: a *unit* resource (a
// parcel, a facility) is held whole by at most one project; a *quantity* resource (a year's energy quota, a pollutant's
// capacity, a park's water) is allocated in amounts that never exceed what remains. Pure rules: who owns a kind,
// what a record holds, how it changes.
import type { Role } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict, Forbidden, repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { hasRole, tokenNamesNoPark, type Principal } from '#kernel/domain/principal.ts';
import { nextVersion } from '#kernel/domain/version.ts';
import { DEFAULT_INVENTORY_READERS, periodOf, previousPeriod, type InventoryConfig } from './period.ts';

export const INVENTORY_KINDS = ['parcels', 'facilities', 'energy', 'environment', 'utilities'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];
export const UNIT_KINDS = ['parcels', 'facilities'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export type QuantityKind = Exclude<InventoryKind, UnitKind>;
export const isUnitKind = (k: InventoryKind): k is UnitKind => k === 'parcels' || k === 'facilities';

// Stryker disable all: labels, units and id prefixes are data (domain.md §5), not rules.
export const KIND_LABELS: Record<InventoryKind, { zh: string; en: string }> = {
  parcels: { zh: '土地', en: 'Land parcel' },
  facilities: { zh: '闲置厂房/楼宇', en: 'Idle factory or building' },
  energy: { zh: '能耗指标', en: 'Energy-consumption quota' },
  environment: { zh: '环境容量', en: 'Environmental capacity' },
  utilities: { zh: '水电气热', en: 'Utility capacity' },
};

/** The unit each kind's amounts are counted in (quantity kinds; utilities carry their own). */
export const QUANTITY_UNITS: Record<Exclude<QuantityKind, 'utilities'>, string> = { energy: 'tce', environment: 't' };

export const RESOURCE_STATUSES = ['available', 'reserved', 'transferred', 'leased', 'retired'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const LAND_SUPPLY = ['stock', 'incremental'] as const;
/** 标准地 readiness: 文物勘探, 土地报批, 进地清单, 基础设施. */
export const READINESS_ITEMS = ['relicSurvey', 'landApproval', 'clearanceList', 'infrastructure'] as const;
export type ReadinessItem = (typeof READINESS_ITEMS)[number];
export const READINESS_LABELS: Record<ReadinessItem, string> = { relicSurvey: '文物勘探', landApproval: '土地报批', clearanceList: '进地清单', infrastructure: '基础设施' };
export const READINESS_LABELS_EN: Record<ReadinessItem, string> = { relicSurvey: 'relic survey', landApproval: 'land approval', clearanceList: 'clearance list', infrastructure: 'infrastructure' };
export const POLLUTANTS = ['COD', 'NH3-N', 'TN', 'TP', 'SO2', 'NOx', 'PM', 'VOCs'] as const;
export const UTILITIES = ['water', 'power', 'gas', 'heat'] as const;
export type Utility = (typeof UTILITIES)[number];
/** The units a utility's capacity may be stated in (water t/d; power kVA or MW; gas m³/d; heat t/h of steam or MW). */
export const UTILITY_UNITS: Record<Utility, readonly string[]> = { water: ['t/d'], power: ['kVA', 'MW'], gas: ['m3/d'], heat: ['t/h', 'MW'] };
export const UTILITY_LABELS: Record<Utility, { zh: string; en: string }> = { water: { zh: '供水', en: 'Water' }, power: { zh: '供电', en: 'Power' }, gas: { zh: '供气', en: 'Gas' }, heat: { zh: '供热', en: 'Heat' } };
/** The units of the inventories' amounts in words, as a Chinese page or file says them (吨标准煤, 吨/日); kVA and MW as they are. */
export const UNIT_LABELS: Record<string, { zh: string; en: string }> = {
  tce: { zh: '吨标准煤', en: 'tce' },
  t: { zh: '吨', en: 't' },
  't/d': { zh: '吨/日', en: 't/d' },
  't/h': { zh: '吨/时', en: 't/h' },
  'm3/d': { zh: 'm³/日', en: 'm³/d' },
  kVA: { zh: 'kVA', en: 'kVA' },
  MW: { zh: 'MW', en: 'MW' },
  m2: { zh: 'm²', en: 'm²' },
};

// Stryker restore all

export { areaMu, M2_PER_MU } from '#kernel/domain/values.ts';

export interface ParcelFacts {
  readonly code: string;
  readonly park: string;
  readonly areaM2: number;
  /** Land use (工业用地, 仓储用地 …). */
  readonly use: string;
  /** 存量可出让 stock, ready to transfer; 增量可报批 incremental, to be approved. */
  readonly supply: (typeof LAND_SUPPLY)[number];
  /** Each readiness item's completion date (YYYY-MM-DD), or null while it is not done. */
  readonly readiness: Readonly<Record<ReadinessItem, string | null>>;
  /** Where each done item's evidence is (document number, file reference). */
  readonly readinessEvidence?: Readonly<Partial<Record<ReadinessItem, string>>>;
  /** Industries the parcel is planned for (产业集群); empty: any. */
  readonly industries?: readonly string[];
  /** GeoJSON Polygon or MultiPolygon outline. */
  readonly outline?: { readonly type: 'Polygon'; readonly coordinates: number[][][] } | { readonly type: 'MultiPolygon'; readonly coordinates: number[][][][] };
}

export interface FacilityFacts {
  readonly code: string;
  readonly park: string;
  /** The zone SOE that owns it. */
  readonly owner: string;
  readonly areaM2: number;
  readonly floorLoadKnM2: number;
  readonly clearHeightM: number;
  readonly powerKva: number;
  readonly rentCnyPerM2Month: number;
  /** 厂房 factory or 楼宇 building. */
  readonly facilityType?: 'factory' | 'building';
  readonly industries?: readonly string[];
}

export interface EnergyFacts {
  readonly year: number;
  readonly totalTce: number;
}
export interface EnvironmentFacts {
  readonly year: number;
  readonly pollutant: (typeof POLLUTANTS)[number];
  readonly totalTonnes: number;
}
export interface UtilityFacts {
  readonly park: string;
  readonly utility: Utility;
  readonly capacity: number;
  readonly unit: string;
}

export interface FactsOf {
  parcels: ParcelFacts;
  facilities: FacilityFacts;
  energy: EnergyFacts;
  environment: EnvironmentFacts;
  utilities: UtilityFacts;
}
export type AnyFacts = FactsOf[InventoryKind];

/** Who holds a unit resource. */
export interface Holder {
  readonly projectId: string;
  readonly reservationId: string;
  readonly since: string;
  /** The holding project's park (kept since 2026-12-02; a park center sees a holder of its own park only). */
  readonly park?: string;
}

export interface Resource<K extends InventoryKind = InventoryKind> {
  readonly id: string;
  readonly kind: K;
  readonly facts: FactsOf[K];
  readonly status: ResourceStatus;
  /** Unit resources: the project holding it (reserved, transferred, leased). */
  readonly heldBy: Holder | null;
  /** Quantity resources: the total, what projects hold, and what remains (total − allocated). */
  readonly total?: number;
  readonly allocated?: number;
  readonly remaining?: number;
  /** The refresh period (2027 or 2027Q1) the item was last confirmed in 季度更新、动态清零. */
  readonly confirmedPeriod: string;
  readonly confirmedAt: string;
  /** Set by the refresh job for an item not confirmed in its period (a read also derives it: see isStale). */
  readonly staleSince: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

/** A code as the zone reads it: full-width forms as their ASCII (NFKC), letters in one case — "ht-a3", "ＨＴ-Ａ3" and "HT-A3" name one factory. */
export const codeKey = (code: string) => code.normalize('NFKC').toUpperCase();

/**
 * The key that makes a record unique within its kind: a parcel's or facility's code (as codeKey reads it), a year's
 * quota, a park's utility.
 */
export function naturalKey(kind: InventoryKind, f: AnyFacts): string {
  switch (kind) {
    case 'parcels':
    case 'facilities':
      return codeKey((f as ParcelFacts).code);
    case 'energy':
      return String((f as EnergyFacts).year);
    case 'environment':
      return `${(f as EnvironmentFacts).year}#${(f as EnvironmentFacts).pollutant}`;
    case 'utilities':
      return `${(f as UtilityFacts).park}#${(f as UtilityFacts).utility}`;
  }
}

// Stryker disable next-line all: id prefixes are data.
export const ID_PREFIX: Record<InventoryKind, string> = { parcels: 'par', facilities: 'fac', energy: 'ene', environment: 'env', utilities: 'utl' };

/** The kinds whose records belong to a park (the others, quotas, are zone-wide). */
export const PARK_KINDS = ['parcels', 'facilities', 'utilities'] as const satisfies readonly InventoryKind[];
export const isParkKind = (k: InventoryKind): k is (typeof PARK_KINDS)[number] => (PARK_KINDS as readonly InventoryKind[]).includes(k);

/** A record as people name it: its code (a parcel, a facility), its utility, else its id. */
export const resourceLabel = (r: Pick<Resource, 'id' | 'facts'>): string => ('code' in r.facts ? r.facts.code : 'utility' in r.facts ? r.facts.utility : r.id);

/** The park a record belongs to (quotas are zone-wide: none). */
export const parkOf = (r: Pick<Resource, 'kind' | 'facts'>): string | undefined => ('park' in r.facts ? r.facts.park : undefined);

/** A quantity record's total, from its facts. */
export function totalOf(kind: QuantityKind, f: AnyFacts): number {
  if (kind === 'energy') return (f as EnergyFacts).totalTce;
  if (kind === 'environment') return (f as EnvironmentFacts).totalTonnes;
  return (f as UtilityFacts).capacity;
}

/** The unit a resource's amounts are counted in. */
export function unitOf(r: Pick<Resource, 'kind' | 'facts'>): string {
  if (r.kind === 'utilities') return (r.facts as UtilityFacts).unit;
  if (r.kind === 'energy' || r.kind === 'environment') return QUANTITY_UNITS[r.kind];
  return 'm2';
}

/** Who reads the records of a kind: its owners and the configured readers (`inventory.readers`). */
export const readersOf = (kind: InventoryKind, cfg: Pick<InventoryConfig, 'kinds' | 'readers'>): readonly Role[] => [...new Set([...cfg.kinds[kind].owners, ...(cfg.readers ?? DEFAULT_INVENTORY_READERS)])];

/** Who reads some inventory: the union over the kinds (GET /inventory's 403, OpenAPI x-roles, the console's menu). */
export const inventoryReaders = (cfg: Pick<InventoryConfig, 'kinds' | 'readers'>): Role[] => [...new Set(INVENTORY_KINDS.flatMap((kind) => readersOf(kind, cfg)))];

/**
 * Whether a user reads the records of a kind: through one of its reader roles — a park center's only with its park
 * named (a center whose token names none is a misconfigured account: it reads nothing as a park center, as its ledger
 * and its report refuse it).
 */
export const mayReadKind = (p: Principal, kind: InventoryKind, cfg: InventoryConfig): boolean =>
  readersOf(kind, cfg).some((role) => hasRole(p, role) && (role !== 'park_center' || p.park !== undefined));

/** A park center that would read the kind but whose token names no park: its token is the cause, not its role. */
export const readsButNamesNoPark = (p: Principal, kind: InventoryKind, cfg: InventoryConfig): boolean =>
  !mayReadKind(p, kind, cfg) && p.park === undefined && hasRole(p, 'park_center') && readersOf(kind, cfg).includes('park_center');

/** What a park center whose token names no park is told on an inventory read (`kind`: the path's, or none for all). */
export const noParkToRead = (kind?: InventoryKind): Forbidden => {
  const rule = (label: string) => `a park center reads the ${label} as its park's service center`;
  return new Forbidden(
    tokenNamesNoPark(rule(kind ? `${KIND_LABELS[kind].zh} records` : 'inventories')),
    kind ? [{ path: 'path.kind', code: 'not_allowed', message: tokenNamesNoPark(rule(`${kind} records`), 'your') }] : undefined,
  );
};

/** 403 unless the user reads the records of the kind, naming who does (a park center without a park: its token). */
export function requireReader(p: Principal, kind: InventoryKind, cfg: InventoryConfig): void {
  if (readsButNamesNoPark(p, kind, cfg)) throw noParkToRead(kind);
  if (!mayReadKind(p, kind, cfg)) {
    const readers = readersOf(kind, cfg).join(', ');
    throw new Forbidden(`${KIND_LABELS[kind].zh} is read by: ${readers} (inventory.readers and the kind's owners)`, [{ path: 'path.kind', code: 'not_allowed', message: `the ${kind} inventory is read by: ${readers}` }]);
  }
}

/**
 * What a reader sees of the projects that hold or drew on a record: `all` — the holder and the history's project,
 * reservation and task ids and reasons — for every reader but a park center reading through that role alone; such a
 * center sees the holder when it is a project of its park (`holder`), and no history of holdings (the projects of
 * other parks, and what was said of them, are not its to read; its own projects' holdings are on their pages).
 */
export function holdersSeen(p: Principal, r: Pick<Resource, 'kind' | 'heldBy'>, cfg: InventoryConfig): 'all' | 'holder' | 'none' {
  if (hasRole(p, ...readersOf(r.kind, cfg).filter((role) => role !== 'park_center'))) return 'all';
  return r.heldBy?.park !== undefined && r.heldBy.park === p.park ? 'holder' : 'none';
}

/** Whether a user may change records of a kind (the owners in configuration; a park center only in its park). */
export function mayMaintain(p: Principal, kind: InventoryKind, park: string | undefined, cfg: InventoryConfig): boolean {
  return cfg.kinds[kind].owners.some((role: Role) => hasRole(p, role) && (role !== 'park_center' || (park !== undefined && p.park === park)));
}

/**
 * 403 unless the user may change records of the kind in the park. `parkField`: where the park comes from — the body's
 * field (a new record, a corrected park) or the record the path names (`path.id`): a park center of another park is
 * told beside it.
 */
export function requireMaintainer(p: Principal, kind: InventoryKind, park: string | undefined, cfg: InventoryConfig, parkField?: string): void {
  if (!mayMaintain(p, kind, park, cfg)) {
    const owners = cfg.kinds[kind].owners;
    // A park center that would keep the kind but whose token names no park: its token is the cause, not its role.
    if (owners.includes('park_center') && hasRole(p, 'park_center') && p.park === undefined) {
      const rule = (label: string) => `a park center keeps the ${label} records of its own park`;
      throw new Forbidden(tokenNamesNoPark(rule(KIND_LABELS[kind].zh)), [{ path: 'path.kind', code: 'not_allowed', message: tokenNamesNoPark(rule(kind), 'your') }]);
    }
    const otherPark = parkField !== undefined && owners.includes('park_center') && hasRole(p, 'park_center') && p.park !== undefined && park !== p.park;
    throw new Forbidden(
      `${KIND_LABELS[kind].zh} is kept by: ${owners.join(', ')}${owners.includes('park_center') ? ' (of its park)' : ''}`,
      otherPark
        ? [{ path: parkField, code: 'not_allowed', message: `a park center keeps the records of its own park (${p.park})` }]
        : [{ path: 'path.kind', code: 'not_allowed', message: `the ${kind} inventory is kept by: ${owners.join(', ')}${owners.includes('park_center') ? ' (of its park)' : ''}` }],
    );
  }
}

/** Checks a record's facts beyond their schema: dates not in the future, units that fit the utility, industries named once. */
export function factErrors(kind: InventoryKind, f: AnyFacts, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (kind === 'parcels') {
    const p = f as ParcelFacts;
    for (const item of READINESS_ITEMS) {
      const date = p.readiness[item];
      if (date !== null && date > today) errors.push({ path: `readiness.${item}`, code: 'out_of_range', message: `${READINESS_LABELS[item]} cannot be done in the future (today is ${today})` });
      if (date === null && p.readinessEvidence?.[item] !== undefined) errors.push({ path: `readinessEvidence.${item}`, code: 'not_allowed', message: `evidence of ${READINESS_LABELS[item]}, which is not done (no date)` });
    }
  }
  // An industry a parcel or a facility is planned for is named once (the match's reasons would name it twice).
  if (kind === 'parcels' || kind === 'facilities') errors.push(...repeatsIn((f as ParcelFacts | FacilityFacts).industries, 'industries'));
  if (kind === 'utilities') {
    const u = f as UtilityFacts;
    if (!UTILITY_UNITS[u.utility].includes(u.unit)) errors.push({ path: 'unit', code: 'enum', message: `${u.utility} capacity is stated in ${UTILITY_UNITS[u.utility].join(' or ')}` });
  }
  return errors;
}

/**
 * total − allocated, exact to the six decimal places a quantity has (kernel/http/schemas.ts): in binary floating point
 * 10 − 9.55 is 0.4499999999999993, and a reservation of the 0.45 left would be refused. DynamoDB's own arithmetic (a
 * reservation's ADD) is decimal and exact.
 */
export function decimalDifference(a: number, b: number): number {
  return unscaled(scaled(a) - scaled(b));
}

/** a + b, exact to six decimal places as decimalDifference is (in binary floating point 1.1 + 2.2 is 3.3000000000000003). */
export function decimalSum(a: number, b: number): number {
  return unscaled(scaled(a) + scaled(b));
}

const scaled = (n: number) => BigInt(n.toFixed(6).replace('.', ''));
function unscaled(d: bigint): number {
  const sign = d < 0n ? '-' : '';
  const digits = (d < 0n ? -d : d).toString().padStart(7, '0');
  return Number(`${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`);
}

/** `prefix`: where the facts sit in the request (`facts.` in a PATCH body), so the error names the field as sent. */
function assertFacts(kind: InventoryKind, f: AnyFacts, today: string, prefix = ''): void {
  const errors = factErrors(kind, f, today).map((e) => ({ ...e, path: `${prefix}${e.path}` }));
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** A new record, confirmed in the period it is created in. */
export function createResource<K extends InventoryKind>(
  kind: K,
  facts: FactsOf[K],
  by: Principal,
  ctx: { id: string; now: Date; today: string; cfg: InventoryConfig },
): Resource<K> {
  requireMaintainer(by, kind, parkOf({ kind, facts }), ctx.cfg, 'park');
  assertFacts(kind, facts, ctx.today);
  const at = ctx.now.toISOString();
  const quantity = isUnitKind(kind) ? {} : { total: totalOf(kind as QuantityKind, facts), allocated: 0, remaining: totalOf(kind as QuantityKind, facts) };
  return {
    id: ctx.id,
    kind,
    facts,
    status: 'available',
    heldBy: null,
    ...quantity,
    confirmedPeriod: periodOf(kind, ctx.today, ctx.cfg),
    confirmedAt: at,
    staleSince: null,
    version: nextVersion(undefined),
    createdAt: at,
    createdBy: by.sub,
    updatedAt: at,
  };
}

/**
 * Fields that identify a record and cannot change once it exists (retire it and create another instead). A parcel's or
 * facility's park is not among them: it is corrected while no project holds the record (`parkCorrection`).
 */
const IDENTITY: Record<InventoryKind, readonly string[]> = {
  parcels: ['code'],
  facilities: ['code'],
  energy: ['year'],
  environment: ['year', 'pollutant'],
  utilities: ['park', 'utility'],
};

export interface ResourcePatch {
  readonly facts?: Readonly<Record<string, unknown>>;
  /** `retired`: withdrawn from the inventory (only while no project holds it); `available`: back from retirement. */
  readonly status?: 'available' | 'retired';
}

/**
 * An owner's edit (If-Match pinned by the caller): changed facts (identity fields fixed), retirement, and — as every
 * edit of a record in use does — confirmation for the current period (it clears `stale`). A quantity's total never drops below what
 * projects hold; a held unit cannot be retired or shrunk from under its project.
 */
export function patchResource<K extends InventoryKind>(current: Resource<K>, patch: ResourcePatch, by: Principal, ctx: { now: Date; today: string; cfg: InventoryConfig }): Resource<K> {
  requireMaintainer(by, current.kind, parkOf(current), ctx.cfg, 'path.id');
  const errors: FieldError[] = [];
  for (const key of IDENTITY[current.kind]) {
    if (patch.facts && key in patch.facts && patch.facts[key] !== (current.facts as unknown as Record<string, unknown>)[key]) {
      errors.push({ path: `facts.${key}`, code: 'not_allowed', message: 'identifies the record and cannot change: retire it and create a new one' });
    }
  }
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  parkCorrection(current, patch, by, ctx.cfg);
  const facts = { ...current.facts, ...(patch.facts ?? {}) } as FactsOf[K];
  assertFacts(current.kind, facts, ctx.today, 'facts.');
  let next: Resource<K> = { ...current, facts };
  if (!isUnitKind(current.kind)) {
    const total = totalOf(current.kind as QuantityKind, facts);
    const allocated = current.allocated ?? 0;
    if (total < allocated) {
      const field = current.kind === 'energy' ? 'totalTce' : current.kind === 'environment' ? 'totalTonnes' : 'capacity';
      throw new Conflict(`Projects hold ${allocated} ${unitOf(current)}; the total cannot drop below it`, [{ path: `facts.${field}`, code: 'too_small', message: `must be at least ${allocated}` }]);
    }
    // What projects hold is counted in the unit: it cannot change under them.
    if (current.kind === 'utilities' && allocated > 0 && (facts as UtilityFacts).unit !== (current.facts as UtilityFacts).unit) {
      throw new Conflict(`Projects hold ${allocated} ${unitOf(current)}; the unit cannot change while they do`, [{ path: 'facts.unit', code: 'state', message: `projects hold ${allocated} ${unitOf(current)}` }]);
    }
    next = { ...next, total, remaining: decimalDifference(total, allocated) };
  }
  if (patch.status && patch.status !== current.status) {
    const held = isUnitKind(current.kind) ? current.heldBy !== null : (current.allocated ?? 0) > 0;
    if (patch.status === 'retired' && held) throw new Conflict(`${current.id} is held by a project: release it before retiring it`, [{ path: 'status', code: 'state', message: 'held by a project' }]);
    if (patch.status === 'available' && current.status !== 'retired') throw new Conflict(`${current.id} is ${current.status}: only a retired record comes back as available`, [{ path: 'status', code: 'state', message: `is ${current.status}` }]);
    next = { ...next, status: patch.status };
  }
  // What a project holds is the area it reserved (its reservation's amount): neither less nor more changes under it —
  // a corrected survey is recorded once the holding is released (and reserved again at the new area).
  // Land transferred or a facility leased is not released by hand (only the exit procedure gives it back): its answer
  // does not send the keeper to a release that would be refused.
  if (isUnitKind(current.kind) && current.heldBy && patch.facts && 'areaM2' in patch.facts && patch.facts.areaM2 !== (current.facts as ParcelFacts).areaM2) {
    const how = current.status === 'reserved' ? 'release the reservation first, then correct the area and reserve again' : `it was ${current.status} at that area: only the exit procedure gives it back to the inventory`;
    throw new Conflict(`${current.id} is held by ${current.heldBy.projectId}: its area cannot change under it (${how})`, [{ path: 'facts.areaM2', code: 'state', message: 'held by a project' }]);
  }
  // A record retired (or edited while retired) is not in use: nothing about it is confirmed for the period.
  return next.status === 'retired' ? next : confirmed(next, ctx);
}

/**
 * A parcel or facility recorded in the wrong park is moved to the right one — only while no project holds it and it is
 * available or retired (a project's park and its site must agree; a transferred or leased record is history), and only
 * by who keeps the records of both parks (a park's center does not move a record out of its park).
 */
function parkCorrection(current: Resource, patch: ResourcePatch, by: Principal, cfg: InventoryConfig): void {
  const park = patch.facts?.park;
  if (!isUnitKind(current.kind) || typeof park !== 'string' || park === parkOf(current)) return;
  if (current.heldBy !== null || (current.status !== 'available' && current.status !== 'retired')) {
    const why = current.heldBy ? `held by a project (${current.heldBy.projectId})` : current.status;
    throw new Conflict(`${current.id} is ${why}: its park is corrected only while no project holds it`, [{ path: 'facts.park', code: 'state', message: `the record is ${why}` }]);
  }
  requireMaintainer(by, current.kind, park, cfg, 'facts.park');
}

/** Confirmation for the current period (季度更新): clears `stale`. */
export function confirmed<K extends InventoryKind>(r: Resource<K>, ctx: { now: Date; today: string; cfg: InventoryConfig }): Resource<K> {
  return { ...r, confirmedPeriod: periodOf(r.kind, ctx.today, ctx.cfg), confirmedAt: ctx.now.toISOString(), staleSince: null };
}

/**
 * An owner's confirmation that a record is still as stated. A record already confirmed today, with nothing changed
 * since, is answered as it is (the same object: nothing to write) — a double click or ten officials confirming at once
 * leave one confirmation in its history, not ten.
 */
export function confirmResource<K extends InventoryKind>(current: Resource<K>, by: Principal, ctx: { now: Date; today: string; cfg: InventoryConfig }): Resource<K> {
  requireMaintainer(by, current.kind, parkOf(current), ctx.cfg, 'path.id');
  if (confirmedToday(current, ctx)) return current;
  return confirmed(current, ctx);
}

/** Confirmed on `today` in its period, not flagged stale and not changed since (an edit confirms too, at its own time). */
const confirmedToday = (r: Resource, ctx: { today: string; cfg: InventoryConfig }): boolean =>
  r.confirmedAt === r.updatedAt && r.staleSince === null && r.confirmedPeriod === periodOf(r.kind, ctx.today, ctx.cfg) && shanghaiDate(new Date(r.confirmedAt)) === ctx.today;

/**
 * Confirmation due: not yet confirmed in the period `today` falls in (owners are reminded before it ends). A record
 * confirmed in a period is current through it; one whose period ended unconfirmed is *stale* 过期 — from the first
 * day of the next period, whether or not the refresh job has flagged it yet.
 */
export const confirmationDue = (r: Pick<Resource, 'kind' | 'confirmedPeriod' | 'status'>, today: string, cfg: InventoryConfig): boolean =>
  r.status !== 'retired' && r.confirmedPeriod < periodOf(r.kind, today, cfg);

export const isStale = (r: Pick<Resource, 'kind' | 'confirmedPeriod' | 'status'>, today: string, cfg: InventoryConfig): boolean =>
  r.status !== 'retired' && r.confirmedPeriod < previousPeriod(periodOf(r.kind, today, cfg));

/**
 * Stale as users are told 待核实: flagged by the refresh duty (`staleSince`), or past its period already today though the
 * duty has not run yet (`isStale`). What the record shows, the summary counts, matches rank and a reservation warns of.
 */
export const staleNow = (r: Pick<Resource, 'kind' | 'confirmedPeriod' | 'status' | 'staleSince'>, today: string, cfg: InventoryConfig): boolean => r.staleSince !== null || isStale(r, today, cfg);

/** Readiness 标准地: every item done. */
export const isStandardLand = (f: ParcelFacts): boolean => READINESS_ITEMS.every((i) => f.readiness[i] !== null);
