// Refresh duties 季度更新、动态清零: each kind of inventory is confirmed by its owners once per period — the land list at
// the start of each year (resources_bureau), the rest quarterly. An item not confirmed in the current period is stale;
// owners are reminded a configurable number of working days before the period ends. The `inventory` configuration.
import type { Role, SiteMode, Stage } from '#kernel/domain/codes.ts';
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';
import type { InventoryKind, UnitKind } from './resource.ts';

export type RefreshCycle = 'yearly' | 'quarterly';

/** What completing a task does with the project's reservation of a kind. */
export type LinkEffect = 'link' | 'transferred' | 'leased';

export interface InventoryConfig {
  readonly kinds: Readonly<Record<InventoryKind, { readonly owners: readonly Role[]; readonly refresh: RefreshCycle }>>;
  /**
   * Who reads every kind besides its owners (a park center: other parks' records without their holders). Left out in a
   * version published before it existed: DEFAULT_INVENTORY_READERS.
   */
  readonly readers?: readonly Role[];
  /** Owners are reminded this many working days before a refresh period ends. */
  readonly remindBeforeWd: number;
  /** Tasks that use a reservation: completing the task needs the project to hold one of `kind`, and applies `effect`. */
  readonly taskLinks: readonly { readonly task: string; readonly kind: UnitKind; readonly effect: LinkEffect }[];
  /** A stage's gate passes only while the project (of that site mode) holds a reservation of `kind`. */
  readonly gateNeeds: readonly { readonly stage: Stage; readonly siteMode: SiteMode; readonly kind: UnitKind }[];
  /** Reservations one project may hold at once (bounded: they ride on the project record). */
  readonly reservationsPerProject: number;
  /** At most this many SIGNING projects are told when a parcel or facility becomes available again. */
  readonly reuseNoticeLimit: number;
}

// Stryker disable all: defaults are data (domain.md §5), not rules.
/**
 * The inventories' readers by default: those who reserve (park centers, the resources bureau), the departments that
 * bring projects to the sites kept ready for them (要素等项目), and those who see every record (the committee leader,
 * the discipline office). Other departments see a project's own reservations and candidates on the project.
 */
export const DEFAULT_INVENTORY_READERS = ['park_center', 'resources_bureau', 'investment_dept', 'scitech_dept', 'committee_leader', 'discipline_office'] as const satisfies readonly Role[];

export const DEFAULT_INVENTORY_CONFIG: InventoryConfig = {
  kinds: {
    parcels: { owners: ['resources_bureau'], refresh: 'yearly' },
    facilities: { owners: ['soe', 'park_center'], refresh: 'quarterly' },
    // The zone has no development-and-reform role: energy quotas are kept with environmental capacity by default.
    energy: { owners: ['eco_bureau'], refresh: 'quarterly' },
    environment: { owners: ['eco_bureau'], refresh: 'quarterly' },
    utilities: { owners: ['park_center', 'construction_dept'], refresh: 'quarterly' },
  },
  readers: DEFAULT_INVENTORY_READERS,
  remindBeforeWd: 10,
  taskLinks: [
    { task: 'land_list', kind: 'parcels', effect: 'link' },
    { task: 'land_transfer', kind: 'parcels', effect: 'transferred' },
    { task: 'factory_matching', kind: 'facilities', effect: 'link' },
    { task: 'lease_signing', kind: 'facilities', effect: 'leased' },
  ],
  gateNeeds: [
    { stage: 'SIGNING', siteMode: 'land', kind: 'parcels' },
    { stage: 'SIGNING', siteMode: 'lease', kind: 'facilities' },
    { stage: 'LANDING', siteMode: 'land', kind: 'parcels' },
    { stage: 'LANDING', siteMode: 'lease', kind: 'facilities' },
  ],
  reservationsPerProject: 20,
  reuseNoticeLimit: 20,
};
// Stryker restore all

/** The refresh period a date falls in: `2027` (yearly) or `2027Q1` (quarterly). */
export function periodOf(kind: InventoryKind, date: string, cfg: Pick<InventoryConfig, 'kinds'>): string {
  const year = date.slice(0, 4);
  if (cfg.kinds[kind].refresh === 'yearly') return year;
  return `${year}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The period before `period` (2027Q1 → 2026Q4; 2027 → 2026). */
export function previousPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  if (period.length === 4) return String(year - 1);
  const q = Number(period.slice(5));
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
}

/** The first day of the period after `period`. */
export function nextPeriodStart(period: string): string {
  const year = Number(period.slice(0, 4));
  if (period.length === 4) return `${year + 1}-01-01`;
  const q = Number(period.slice(5));
  return q === 4 ? `${year + 1}-01-01` : `${year}-${['04', '07', '10'][q - 1]}-01`;
}

/** The last day of a period. */
export function periodEnd(period: string): string {
  const year = period.slice(0, 4);
  if (period.length === 4) return `${year}-12-31`;
  const q = Number(period.slice(5));
  return `${year}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
}

/** The first day owners are reminded to confirm a period's items: `remindBeforeWd` working days before it ends. */
export function reminderFrom(period: string, cfg: Pick<InventoryConfig, 'remindBeforeWd'>, calendar: CalendarLookup): string {
  return addWorkingDays(periodEnd(period), -cfg.remindBeforeWd, calendar).date;
}
