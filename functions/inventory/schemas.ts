// Request and response schemas of the inventory routes: the five kinds' records, reservations, matches and the fund.
import * as z from 'zod/mini';
import { INDUSTRIES } from '#kernel/domain/codes.ts';
import { cny, cursor, isoDate, lazy, limit, nonNegative, pageOf, places, positive, schema, storable, text, line, warnings, yearString, dayView, instantView } from '#kernel/http/schemas.ts';
import { needsView } from '#projects/schemas.ts';
import { INVENTORY_KINDS, LAND_SUPPLY, POLLUTANTS, RESOURCE_STATUSES, UTILITIES, UTILITY_UNITS } from './domain/resource.ts';

const year = () => z.int().check(z.gte(2000), z.lte(2099));
const industries = () => z.optional(z.array(z.enum(INDUSTRIES)).check(z.maxLength(INDUSTRIES.length)));
const code = () => z.string().check(z.trim(), z.regex(/^[\p{L}\p{N}][\p{L}\p{N}_.\-/#]{0,63}$/u, 'letters, digits, _ . - / # (1–64)'));

const READINESS = () => z.strictObject({ relicSurvey: z.nullable(isoDate()), landApproval: z.nullable(isoDate()), clearanceList: z.nullable(isoDate()), infrastructure: z.nullable(isoDate()) });
const READINESS_EVIDENCE = () => z.strictObject({ relicSurvey: z.optional(text(500)), landApproval: z.optional(text(500)), clearanceList: z.optional(text(500)), infrastructure: z.optional(text(500)) });

/** A GeoJSON Polygon or MultiPolygon (RFC 7946): rings of [longitude, latitude] positions, closed, bounded in size. */
const outline = () => {
  // Any precision a GIS exports (QGIS writes 15 digits), not below what DynamoDB stores.
  const position = z.tuple([z.number().check(z.gte(-180), z.lte(180), storable()), z.number().check(z.gte(-90), z.lte(90), storable())]);
  const ring = z.array(position).check(
    z.minLength(4),
    z.maxLength(2_000),
    z.refine((r) => r.length < 4 || (r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1]), 'a ring ends where it starts'),
  );
  const polygon = z.array(ring).check(z.minLength(1), z.maxLength(20));
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('Polygon'), coordinates: polygon }),
    z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).check(z.minLength(1), z.maxLength(20)) }),
  ]);
};

/** A site's area: at least one square metre, to the hundredth (what a survey states; 0.0001 m² read as 0 亩). */
const area = (max: number) => z.number().check(z.gte(1, { abort: true }), z.lte(max, { abort: true }), places(2));

const Parcel = () => z.strictObject({
  code: code(),
  park: line(100),
  areaM2: area(100_000_000),
  use: text(50),
  supply: z.enum(LAND_SUPPLY),
  readiness: READINESS(),
  readinessEvidence: z.optional(READINESS_EVIDENCE()),
  industries: industries(),
  outline: z.optional(outline()),
});
const Facility = () => z.strictObject({
  code: code(),
  park: line(100),
  owner: line(100),
  areaM2: area(10_000_000),
  floorLoadKnM2: positive(1_000),
  clearHeightM: positive(200),
  powerKva: positive(10_000_000),
  rentCnyPerM2Month: nonNegative(10_000),
  facilityType: z.optional(z.enum(['factory', 'building'])),
  industries: industries(),
});
const Energy = () => z.strictObject({ year: year(), totalTce: positive(1_000_000_000) });
const Environment = () => z.strictObject({ year: year(), pollutant: z.enum(POLLUTANTS), totalTonnes: positive(1_000_000_000) });
const Utility = () => z.strictObject({ park: line(100), utility: z.enum(UTILITIES), capacity: positive(1_000_000_000), unit: z.enum([...new Set(Object.values(UTILITY_UNITS).flat())] as [string, ...string[]]) });

const FACTS = { parcels: Parcel, facilities: Facility, energy: Energy, environment: Environment, utilities: Utility } as const;
type Kind = keyof typeof FACTS;
const builtFacts: { [K in Kind]?: ReturnType<(typeof FACTS)[K]> } = {};
const builtPatches: { [K in Kind]?: z.ZodMiniType } = {};

/** A kind's record schema (POST /inventory/{kind}), built on first use. */
export function factsSchema<K extends Kind>(kind: K): ReturnType<(typeof FACTS)[K]> {
  return (builtFacts[kind] ??= FACTS[kind]() as never) as ReturnType<(typeof FACTS)[K]>;
}
/** PATCH /inventory/{kind}/{id}: changed facts (any subset) and/or a status. */
export function patchSchema(kind: Kind): z.ZodMiniType {
  return (builtPatches[kind] ??= z.strictObject({ facts: z.optional(z.partial(factsSchema(kind) as z.ZodMiniObject)), status: z.optional(z.enum(['available', 'retired'])) }));
}

export const KindParams = /* @__PURE__ */ schema(() => z.strictObject({ kind: z.enum(INVENTORY_KINDS) }));
export const ResourceParams = /* @__PURE__ */ schema(() => z.strictObject({ kind: z.enum(INVENTORY_KINDS), id: z.string().check(z.regex(/^(par|fac|ene|env|utl)-[a-z0-9-]{1,40}$/, 'not an inventory id')) }));
/** Checked against the kind's own schema by the handler (400 naming each field). */
export const ResourceBody = /* @__PURE__ */ schema(() => z.record(z.string(), z.unknown()));
/** The shape the document shows; each kind's facts are checked against its own schema by the handler (facts.*). */
export const PatchBody = /* @__PURE__ */ schema(() => z.strictObject({ facts: z.optional(z.record(z.string(), z.unknown())), status: z.optional(z.enum(['available', 'retired'])) }));
export const ConfirmBody = /* @__PURE__ */ schema(() => z.optional(z.strictObject({ note: z.optional(text(500)) })));

const num = (max: number) => z.optional(z.string().check(z.regex(/^\d{1,12}(\.\d{1,4})?$/, 'a non-negative number'), z.refine((v) => Number(v) <= max, `must be ≤ ${max}`)));
const flag = () => z.optional(z.enum(['true', 'false']));

/** GET /inventory/{kind}: park and status select the index; the rest filter facts (each kind accepts its own). */
export const InventoryQuery = /* @__PURE__ */ schema(() => z.strictObject({
  park: z.optional(line(100)),
  status: z.optional(z.enum(RESOURCE_STATUSES)),
  stale: flag(),
  minAreaM2: num(100_000_000),
  maxAreaM2: num(100_000_000),
  use: z.optional(text(50)),
  supply: z.optional(z.enum(LAND_SUPPLY)),
  ready: flag(),
  owner: z.optional(line(100)),
  minFloorLoadKnM2: num(1_000),
  minClearHeightM: num(200),
  minPowerKva: num(10_000_000),
  year: z.optional(z.string().check(z.regex(/^20\d{2}$/, 'a year 2000–2099'))),
  pollutant: z.optional(z.enum(POLLUTANTS)),
  utility: z.optional(z.enum(UTILITIES)),
  limit,
  cursor,
}));

export const ReservationBody = /* @__PURE__ */ schema(() => z.strictObject({
  kind: z.enum(INVENTORY_KINDS),
  resourceId: z.optional(z.string().check(z.regex(/^(par|fac|ene|env|utl)-[a-z0-9-]{1,40}$/, 'not an inventory id'))),
  amount: z.optional(positive(1_000_000_000)),
  note: z.optional(text(500)),
}));
const projectId = () => z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id'));
export const ReservationParams = /* @__PURE__ */ schema(() => z.strictObject({ id: projectId(), rid: z.string().check(z.regex(/^rsv-[a-z0-9-]{1,40}$/, 'not a reservation id')) }));
export const ReleaseQuery = /* @__PURE__ */ schema(() => z.strictObject({ reason: z.optional(text(500)) }));
export const MatchQuery = /* @__PURE__ */ schema(() => z.strictObject({ kind: z.enum(['facilities', 'parcels']), limit }));

export const YearParams = /* @__PURE__ */ schema(() => z.strictObject({ year: yearString('a year 2000–2099') }));
export const AllocationBody = /* @__PURE__ */ schema(() => z.strictObject({
  bucket: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'a bucket code')),
  amountCny: z.int().check(z.gt(0), z.lte(1_000_000_000_000)),
  purpose: text(500),
  year: z.optional(year()),
}));
export const AllocationParams = /* @__PURE__ */ schema(() => z.strictObject({ id: projectId(), aid: z.string().check(z.regex(/^fal-[a-z0-9-]{1,40}$/, 'not an allocation id')) }));
/** Spending: what was paid, for what, on which day (today when left out; not in the future) and to whom (optional). */
export const SpendingBody = /* @__PURE__ */ schema(() =>
  z.strictObject({ amountCny: z.int().check(z.gt(0), z.lte(1_000_000_000_000)), note: text(500), spentOn: z.optional(isoDate()), payee: z.optional(line(200)) }),
);

// Responses (the OpenAPI document only).
/**
 * One inventory record as the API answers it (api.md v1.1): its facts flat — each kind's own, as POST /inventory/{kind}
 * takes them —, `id`, `status`, `stale`, `version`, and for quantities (energy, environment, utilities) the `total`,
 * what is `allocated` and what is `remaining`. A record's own answers (GET, POST, PATCH, confirm) add its history.
 */
export const resourceView = /* @__PURE__ */ lazy(() => {
  const common = {
    id: z.string(),
    status: z.enum(RESOURCE_STATUSES),
    stale: z.boolean(),
    version: z.int(),
    // A park center reading a record another park's project holds (or a zone-wide quota) is given `since` only.
    heldBy: z.nullable(z.looseObject({ projectId: z.optional(z.string()), reservationId: z.optional(z.string()), since: instantView(), park: z.optional(z.string()) })),
    // One record's answers (GET, POST, PATCH, confirm): its history's first page and the cursor GET pages on from.
    history: z.optional(z.array(z.looseObject({ at: instantView(), action: z.string(), actor: z.string(), actorName: z.string(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }))),
    historyCursor: z.optional(z.nullable(z.string())),
    /** The kind's name in Chinese (土地, 闲置厂房/楼宇 …). */
    kindLabel: z.string(),
    /** Not confirmed for the current period yet (确认在库 due); `stale` once a whole period passed without it, since `staleSince`. */
    confirmationDue: z.boolean(),
    staleSince: z.nullable(dayView()),
    /** The period it was last confirmed for (2026, 2026Q4 …) and when. */
    confirmedPeriod: z.string(),
    confirmedAt: instantView(),
    createdAt: instantView(),
    updatedAt: instantView(),
  };
  const quantity = { total: z.number(), allocated: z.number(), remaining: z.number() };
  const nullableDate = () => z.nullable(dayView());
  return z.discriminatedUnion('kind', [
    z.looseObject({
      kind: z.literal('parcels'),
      ...common,
      code: z.string(),
      park: z.string(),
      areaM2: z.number(),
      areaMu: z.number(),
      use: z.string(),
      supply: z.enum(LAND_SUPPLY),
      readiness: z.looseObject({ relicSurvey: nullableDate(), landApproval: nullableDate(), clearanceList: nullableDate(), infrastructure: nullableDate() }),
      /** Where each readiness item's evidence is (a document number, a file reference). */
      readinessEvidence: z.optional(z.looseObject({ relicSurvey: z.optional(z.string()), landApproval: z.optional(z.string()), clearanceList: z.optional(z.string()), infrastructure: z.optional(z.string()) })),
      industries: z.optional(z.array(z.enum(INDUSTRIES))),
      /** GeoJSON Polygon or MultiPolygon outline. */
      outline: z.optional(z.looseObject({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) })),
      standardLand: z.boolean(),
    }),
    z.looseObject({
      kind: z.literal('facilities'),
      ...common,
      code: z.string(),
      park: z.string(),
      owner: z.string(),
      areaM2: z.number(),
      areaMu: z.number(),
      floorLoadKnM2: z.number(),
      clearHeightM: z.number(),
      powerKva: z.number(),
      rentCnyPerM2Month: z.number(),
      facilityType: z.optional(z.enum(['factory', 'building'])),
      industries: z.optional(z.array(z.enum(INDUSTRIES))),
    }),
    z.looseObject({ kind: z.literal('energy'), ...common, year: z.int(), totalTce: z.number(), ...quantity }),
    z.looseObject({ kind: z.literal('environment'), ...common, year: z.int(), pollutant: z.enum(POLLUTANTS), totalTonnes: z.number(), ...quantity }),
    z.looseObject({ kind: z.literal('utilities'), ...common, park: z.string(), utility: z.enum(UTILITIES), capacity: z.number(), unit: z.string(), ...quantity }),
  ]);
});
export const resourcePage = /* @__PURE__ */ lazy(() => pageOf(resourceView()));
/**
 * GET /inventory: each kind the caller reads — its name, the period confirmations are due for, how often it is
 * refreshed, its keepers, its records by status, those stale; for quantities each quota with what remains, in its unit.
 */
export const inventorySummary = /* @__PURE__ */ lazy(() =>
  z.object({
    kinds: z.array(
      z.looseObject({
        kind: z.enum(INVENTORY_KINDS),
        label: z.string(),
        period: z.string(),
        refresh: z.string(),
        owners: z.array(z.string()),
        records: z.int(),
        available: z.int(),
        reserved: z.int(),
        transferred: z.int(),
        leased: z.int(),
        retired: z.int(),
        stale: z.int(),
        quotas: z.optional(z.array(z.looseObject({ id: z.string(), label: z.string(), total: z.number(), allocated: z.number(), remaining: z.number(), unit: z.string() }))),
      }),
    ),
  }),
);
/**
 * A reservation: what it holds (`resourceLabel`, `amount` in `unit`), the tasks it was linked to (`links`), who made it
 * and why (`note`), and its release (`released`: when, by whom, why; null while held).
 */
export const reservationView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.string(),
    projectId: z.string(),
    kind: z.enum(INVENTORY_KINDS),
    resourceId: z.string(),
    resourceLabel: z.string(),
    amount: z.number(),
    unit: z.string(),
    status: z.enum(['reserved', 'transferred', 'leased', 'released']),
    links: z.array(z.looseObject({ task: z.string(), effect: z.string(), at: instantView() })),
    createdAt: instantView(),
    createdBy: z.string(),
    note: z.nullable(z.string()),
    released: z.nullable(z.looseObject({ at: instantView(), by: z.string(), reason: z.string() })),
  }),
);
/** POST /projects/{id}/reservations' answer: the reservation, and `warnings` when the resource is not confirmed for its period. */
export const reservedView = /* @__PURE__ */ lazy(() => z.extend(reservationView(), { warnings: warnings() }));
export const reservationList = /* @__PURE__ */ lazy(() => pageOf(reservationView()));
export const matchList = /* @__PURE__ */ lazy(() => {
  // The reasons in Chinese (`reasons`) and English (`reasonsEn`), one for one.
  const match = z.looseObject({ resourceId: z.string(), code: z.string(), park: z.string(), score: z.number(), fits: z.boolean(), stale: z.boolean(), reasons: z.array(z.string()), reasonsEn: z.array(z.string()) });
  // The project matched, the kind asked for and the needs ranked against (null when the project gives none).
  return z.object({ projectId: z.string(), kind: z.enum(['facilities', 'parcels']), needs: needsView(), items: z.array(match), misfits: z.array(match), candidates: z.int(), fitting: z.int() });
});
export const fundsView = /* @__PURE__ */ lazy(() =>
  z.object({
    year: z.int(),
    open: z.boolean(),
    buckets: z.array(
      z.looseObject({
        code: z.string(),
        name: z.string(),
        nameEn: z.string(),
        budgetCny: cny(),
        allocatedCny: cny(),
        spentCny: cny(),
        remainingCny: cny(),
        retired: z.boolean().register(z.globalRegistry, {
          description:
            'An open year\'s bucket config/funds no longer lists (dropped, or its code changed) whose allocations still hold money: it keeps its accounts and takes nothing new — budgetCny is what it drew, remainingCny 0. Last in the list; one holding nothing is not shown',
        }),
      }),
    ),
    /** The buckets' sums (0 each when the year has none). */
    totals: z.object({ budgetCny: cny(), allocatedCny: cny(), spentCny: cny(), remainingCny: cny() }),
  }),
);
const spendingView = () => z.looseObject({ amountCny: cny(), note: z.string(), spentOn: dayView(), payee: z.nullable(z.string()), at: instantView(), by: z.string() });
/** An allocation: what is left of it (`unspentCny`, 0 once released), who made it, and its release (null while allocated). */
export const allocationView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.string(),
    projectId: z.string(),
    bucket: z.string(),
    year: z.int(),
    amountCny: cny(),
    spentCny: cny(),
    unspentCny: cny(),
    purpose: z.string(),
    status: z.enum(['allocated', 'released']),
    spending: z.array(spendingView()),
    createdAt: instantView(),
    createdBy: z.string(),
    released: z.nullable(z.looseObject({ at: instantView(), by: z.string(), reason: z.string(), returnedCny: cny() })),
  }),
);
export const allocationList = /* @__PURE__ */ lazy(() => pageOf(allocationView()));
