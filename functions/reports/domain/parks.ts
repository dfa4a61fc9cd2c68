// The park report 园区统计 (GET /reports/parks): per park, its projects by status, where the admitted ones stand (stage),
// their lights and who is on the escalation ladder; its open tasks and those overdue today; and what it has available
// 要素 (land parcels in m² and 亩, idle factories and buildings, utility capacity remaining) — with the totals, and the
// same rows as CSV for Excel. Pure: counts the park tally's keys (kernel/domain/tally.ts) and the parks' inventory
// records.
import { ESCALATION_LEVELS, LIGHTS, ROLES, STAGES, STAGE_LABELS, STATUSES, type EscalationName, type Light, type Role, type Stage, type Status } from '#kernel/domain/codes.ts';
import type { TallyEntry } from '#kernel/domain/tally.ts';
import { areaMu } from '#kernel/domain/values.ts';
import { besideZh } from '#kernel/domain/zh-spacing.ts';
import { decimalSum, POLLUTANTS, staleNow, UNIT_LABELS, UTILITIES, UTILITY_LABELS, type EnergyFacts, type EnvironmentFacts, type FacilityFacts, type ParcelFacts, type Resource, type Utility, type UtilityFacts } from '#inventory/domain/resource.ts';
import { DEFAULT_INVENTORY_CONFIG, type InventoryConfig } from '#inventory/domain/period.ts';
import { csvLine, LIGHT_ZH, STATUS_ZH } from './ledger.ts';

export type Rung = Exclude<EscalationName, 'NONE'>;
const RUNGS = ESCALATION_LEVELS.filter((r): r is Rung => r !== 'NONE');

export interface ProjectCounts {
  /** Every project of the park, whatever its status. */
  readonly total: number;
  readonly byStatus: Record<Status, number>;
  /** Admitted projects by where they stand: ACTIVE ones at their stage, COMPLETED ones at PRODUCING 达产达效. */
  readonly byStage: Record<Stage, number>;
  /** ACTIVE projects by light (a completed, exited or rejected project's light means nothing any more). */
  readonly byLight: Record<Light, number>;
  /** ACTIVE projects on the escalation ladder 督办 (level ≥ 1), and per rung. */
  readonly escalated: number;
  readonly byRung: Record<Rung, number>;
}

export interface TaskCounts {
  /** Open tasks that started and have a due date (the enterprise's own work included). */
  readonly open: number;
  /** Of those, due before today. */
  readonly overdue: number;
  /** Overdue per lead (department role, or `enterprise`); leads with none are left out. */
  readonly overdueByLead: Partial<Record<Role, number>>;
}

export interface UtilityCapacity {
  readonly utility: Utility;
  readonly unit: string;
  readonly capacity: number;
  readonly allocated: number;
  readonly remaining: number;
}

export interface ResourceCounts {
  /**
   * Land parcels available 可出让/可报批: how many, and their area — `areaMu` the sum of each parcel's 亩 as the inventory
   * shows it (two decimals), so a row adds up to its parcels and the total row to the rows.
   */
  readonly parcels: { readonly available: number; readonly areaM2: number; readonly areaMu: number; readonly stale: number };
  /** Idle factories and buildings available: how many, and their floor area. */
  readonly facilities: { readonly available: number; readonly areaM2: number; readonly stale: number };
  // `stale`: of those available, how many their keeper has not confirmed for the period 待核实 (counted in `available`).
  /** Utility capacity 水电气热 (records not retired), per utility and unit. */
  readonly utilities: readonly UtilityCapacity[];
}

export interface ParkCounts {
  readonly projects: ProjectCounts;
  readonly tasks: TaskCounts;
  readonly resources: ResourceCounts;
}

export interface ParkRow extends ParkCounts {
  readonly park: string;
}

/** A zone quota's figures for the year: the total on record, what projects hold, what remains, and whether 待核实. */
interface QuotaFigures {
  readonly allocated: number;
  readonly remaining: number;
  readonly stale: boolean;
}

/**
 * The zone's quotas for the business year (能耗指标 in tce, 环境容量 per pollutant in tonnes): kept for the whole zone,
 * not per park, so beside the rows — the same in a park's report as in the zone's.
 */
export interface ZoneQuotas {
  readonly year: number;
  /** Null when the year has no energy quota on record (or only a retired one). */
  readonly energy: (QuotaFigures & { readonly totalTce: number }) | null;
  /** The pollutants on record for the year, in the inventory's order. */
  readonly environment: readonly (QuotaFigures & { readonly pollutant: string; readonly totalTonnes: number })[];
}

export interface ParksReport {
  /** Today on the business clock (Asia/Shanghai): a task due before it is overdue. */
  readonly date: string;
  /** The park asked for (a park center: always its own), or null for every park. */
  readonly park: string | null;
  readonly parks: readonly ParkRow[];
  /** The sums of the rows (utilities per utility and unit). */
  readonly totals: ParkCounts;
  readonly quotas: ZoneQuotas;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function emptyCounts(): ParkCounts {
  return {
    projects: { total: 0, byStatus: zeros(STATUSES), byStage: zeros(STAGES), byLight: zeros(LIGHTS), escalated: 0, byRung: zeros(RUNGS) },
    tasks: { open: 0, overdue: 0, overdueByLead: {} },
    resources: { parcels: { available: 0, areaM2: 0, areaMu: 0, stale: 0 }, facilities: { available: 0, areaM2: 0, stale: 0 }, utilities: [] },
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

function countEntry(c: Mutable<ParkCounts>, e: TallyEntry, today: string): void {
  if (e.kind === 'task') {
    c.tasks.open += 1;
    if (e.dueDate < today) {
      c.tasks.overdue += 1;
      c.tasks.overdueByLead[e.lead] = (c.tasks.overdueByLead[e.lead] ?? 0) + 1;
    }
    return;
  }
  const p = c.projects;
  p.total += 1;
  p.byStatus[e.status] += 1;
  if (e.status === 'COMPLETED') p.byStage.PRODUCING += 1;
  if (e.status !== 'ACTIVE') return;
  p.byStage[e.stage] += 1;
  p.byLight[e.light] += 1;
  if (e.level > 0) {
    p.escalated += 1;
    // A ladder configured with more rungs than the named ones counts its top rungs as the exit rung.
    p.byRung[RUNGS[Math.min(e.level, RUNGS.length) - 1]!] += 1;
  }
}

/** Utility capacities summed per utility and unit (so no two share both), in the order of UTILITIES then unit. */
function sumUtilities(list: readonly UtilityCapacity[]): UtilityCapacity[] {
  const sums = new Map<string, UtilityCapacity>();
  for (const u of list) {
    const key = `${u.utility}#${u.unit}`;
    const s = sums.get(key);
    sums.set(key, s ? { ...s, capacity: decimalSum(s.capacity, u.capacity), allocated: decimalSum(s.allocated, u.allocated), remaining: decimalSum(s.remaining, u.remaining) } : { ...u });
  }
  return [...sums.values()].sort((a, b) => UTILITIES.indexOf(a.utility) - UTILITIES.indexOf(b.utility) || (a.unit < b.unit ? -1 : 1));
}

function countResource(c: Mutable<ParkCounts>, r: Resource, stale: (r: Resource) => boolean): void {
  if (r.kind === 'parcels' && r.status === 'available') {
    c.resources.parcels.available += 1;
    c.resources.parcels.areaM2 = decimalSum(c.resources.parcels.areaM2, (r.facts as ParcelFacts).areaM2);
    // In 亩 as the inventory shows the parcel (two decimals), summed: the row adds up to what its parcels say.
    c.resources.parcels.areaMu = decimalSum(c.resources.parcels.areaMu, areaMu((r.facts as ParcelFacts).areaM2));
    if (stale(r)) c.resources.parcels.stale += 1;
  } else if (r.kind === 'facilities' && r.status === 'available') {
    c.resources.facilities.available += 1;
    c.resources.facilities.areaM2 = decimalSum(c.resources.facilities.areaM2, (r.facts as FacilityFacts).areaM2);
    if (stale(r)) c.resources.facilities.stale += 1;
  } else if (r.kind === 'utilities' && r.status !== 'retired') {
    const f = r.facts as UtilityFacts;
    c.resources.utilities.push({ utility: f.utility, unit: f.unit, capacity: f.capacity, allocated: r.allocated ?? 0, remaining: r.remaining ?? f.capacity });
  }
}

function finish(c: Mutable<ParkCounts>): ParkCounts {
  c.resources.utilities = sumUtilities(c.resources.utilities);
  return c;
}

const parkOfResource = (r: Resource): string | undefined => ('park' in r.facts ? r.facts.park : undefined);

/**
 * The report from the tally entries read (one park's or the zone's) and the inventory records of those parks. Every park
 * named by a project, an open task or a resource has its row, in Chinese collation order; a park asked for has its row
 * even when nothing names it (all zeros). Entries and records of other parks are not counted.
 */
export function parksReport(args: { entries: readonly TallyEntry[]; resources: readonly Resource[]; today: string; park?: string; parks?: readonly string[]; inventory?: InventoryConfig }): ParksReport {
  const { today, park } = args;
  // 待核实 as the inventory shows it (staleNow), on the zone's refresh periods.
  const stale = (r: Resource) => staleNow(r, today, args.inventory ?? DEFAULT_INVENTORY_CONFIG);
  const counts = new Map<string, Mutable<ParkCounts>>();
  const of = (name: string) => {
    let c = counts.get(name);
    if (!c) counts.set(name, (c = emptyCounts() as Mutable<ParkCounts>));
    return c;
  };
  if (park !== undefined) of(park);
  // Every park of the zone has its row, one with nothing in it yet too (zeros, not left out).
  else for (const name of args.parks ?? []) of(name);
  for (const e of args.entries) if (park === undefined || e.park === park) countEntry(of(e.park), e, today);
  for (const r of args.resources) {
    const name = parkOfResource(r);
    if (name !== undefined && (park === undefined || name === park)) countResource(of(name), r, stale);
  }
  const parks = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([name, c]) => ({ park: name, ...finish(c) }));
  return { date: today, park: park ?? null, parks, totals: totalsOf(parks), quotas: zoneQuotas(args.resources, today, stale) };
}

/** The energy and environment records of today's year, not retired (records of other years and kinds are passed over). */
export function zoneQuotas(resources: readonly Resource[], today: string, stale: (r: Resource) => boolean): ZoneQuotas {
  const year = Number(today.slice(0, 4));
  const mine = resources.filter((r) => r.status !== 'retired' && (r.kind === 'energy' || r.kind === 'environment') && (r.facts as EnergyFacts).year === year);
  const figures = (r: Resource): QuotaFigures => ({ allocated: r.allocated ?? 0, remaining: r.remaining ?? r.total ?? 0, stale: stale(r) });
  const energy = mine.find((r) => r.kind === 'energy');
  const environment = mine
    .filter((r) => r.kind === 'environment')
    .map((r) => ({ pollutant: (r.facts as EnvironmentFacts).pollutant, totalTonnes: (r.facts as EnvironmentFacts).totalTonnes, ...figures(r) }))
    .sort((a, b) => POLLUTANTS.indexOf(a.pollutant as never) - POLLUTANTS.indexOf(b.pollutant as never));
  return { year, energy: energy ? { totalTce: (energy.facts as EnergyFacts).totalTce, ...figures(energy) } : null, environment };
}

/** The sums of the rows. */
export function totalsOf(rows: readonly ParkCounts[]): ParkCounts {
  const t = emptyCounts() as Mutable<ParkCounts>;
  for (const r of rows) {
    const p = t.projects;
    p.total += r.projects.total;
    p.escalated += r.projects.escalated;
    for (const s of STATUSES) p.byStatus[s] += r.projects.byStatus[s];
    for (const s of STAGES) p.byStage[s] += r.projects.byStage[s];
    for (const l of LIGHTS) p.byLight[l] += r.projects.byLight[l];
    for (const g of RUNGS) p.byRung[g] += r.projects.byRung[g];
    t.tasks.open += r.tasks.open;
    t.tasks.overdue += r.tasks.overdue;
    for (const lead of ROLES) {
      const n = r.tasks.overdueByLead[lead];
      if (n) t.tasks.overdueByLead[lead] = (t.tasks.overdueByLead[lead] ?? 0) + n;
    }
    t.resources.parcels.available += r.resources.parcels.available;
    t.resources.parcels.areaM2 = decimalSum(t.resources.parcels.areaM2, r.resources.parcels.areaM2);
    // The rows' 亩 summed, not the total's m² converted again: the total row is the sum of the rows above it.
    t.resources.parcels.areaMu = decimalSum(t.resources.parcels.areaMu, r.resources.parcels.areaMu);
    t.resources.parcels.stale += r.resources.parcels.stale;
    t.resources.facilities.available += r.resources.facilities.available;
    t.resources.facilities.areaM2 = decimalSum(t.resources.facilities.areaM2, r.resources.facilities.areaM2);
    t.resources.facilities.stale += r.resources.facilities.stale;
    t.resources.utilities.push(...r.resources.utilities);
  }
  return finish(t);
}

// Stryker disable all: headings and labels are data.
export const PARKS_CSV_HEADINGS: readonly string[] = [
  '园区',
  '项目总数',
  ...STATUSES.map((s) => STATUS_ZH[s] ?? s),
  ...STAGES.map((s) => STAGE_LABELS[s].zh),
  ...LIGHTS.map((l) => LIGHT_ZH[l]),
  '督办中',
  '在办事项',
  '逾期事项',
  '可用地块',
  '可用土地（亩）',
  '可用土地（m²）',
  '可用厂房/楼宇',
  '可用厂房面积（m²）',
  '待核实地块',
  '待核实厂房/楼宇',
  ...UTILITIES.map((u) => `${UTILITY_LABELS[u].zh}剩余`),
  `全区能耗指标剩余（${UNIT_LABELS.tce!.zh}）`,
  `全区环境容量剩余（${UNIT_LABELS.t!.zh}）`,
  '全区指标待核实',
];
// Stryker restore all

/** A utility's remaining capacity as one cell: `800吨/日`, several units joined (`1200 kVA；5 MW`); empty when none. */
function utilityCell(list: readonly UtilityCapacity[], utility: Utility): string | null {
  const mine = list.filter((u) => u.utility === utility);
  return mine.length ? mine.map((u) => besideZh(String(u.remaining), UNIT_LABELS[u.unit]?.zh ?? u.unit)).join('；') : null;
}

function csvRow(name: string, c: ParkCounts): (string | number | null)[] {
  const { projects: p, tasks: t, resources: r } = c;
  return [
    name,
    p.total,
    ...STATUSES.map((s) => p.byStatus[s]),
    ...STAGES.map((s) => p.byStage[s]),
    ...LIGHTS.map((l) => p.byLight[l]),
    p.escalated,
    t.open,
    t.overdue,
    r.parcels.available,
    r.parcels.areaMu,
    r.parcels.areaM2,
    r.facilities.available,
    r.facilities.areaM2,
    r.parcels.stale,
    r.facilities.stale,
    ...UTILITIES.map((u) => utilityCell(r.utilities, u)),
  ];
}

/**
 * The zone's quotas remaining as three cells: `1200`, `COD 30；NOx 12.5` (empty when the year has none on record), and
 * which of them their keeper has not confirmed for the period 待核实 (`能耗；VOCs`; empty when none).
 */
function quotaCells(q: ZoneQuotas): (string | number | null)[] {
  const stale = [...(q.energy?.stale ? ['能耗'] : []), ...q.environment.filter((e) => e.stale).map((e) => e.pollutant)];
  return [q.energy ? q.energy.remaining : null, q.environment.length ? q.environment.map((e) => `${e.pollutant} ${e.remaining}`).join('；') : null, stale.length ? stale.join('；') : null];
}

/**
 * The CSV file: BOM, the header row, a row per park and, for every park, the zone's total row 全区合计 (CRLF, formula-safe
 * cells). The zone's quotas, kept for the whole zone, are said once, on the last row (the total, or the one park's row).
 */
export function parksReportCsv(report: ParksReport): string {
  const quotas = quotaCells(report.quotas);
  const none = quotas.map(() => null);
  const rows = report.parks.map((row) => [...csvRow(row.park, row), ...none]);
  if (report.park === null) rows.push([...csvRow('全区合计', report.totals), ...none]);
  const last = rows.at(-1);
  if (last) last.splice(-quotas.length, quotas.length, ...quotas);
  return `\uFEFF${csvLine(PARKS_CSV_HEADINGS)}${rows.map(csvLine).join('')}`;
}
