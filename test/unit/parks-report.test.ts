// The park report 园区统计 without I/O: what is counted per park — statuses, stages of the admitted, lights of the active,
// the ladder, tasks overdue before today — the resources available, the totals, and the CSV file.
import { describe, expect, it } from 'vitest';
import type { TallyEntry } from '../../functions/kernel/domain/tally.ts';
import type { Light, Role, Stage, Status } from '../../functions/kernel/domain/codes.ts';
import type { Resource } from '../../functions/inventory/domain/resource.ts';
import { PARKS_CSV_HEADINGS, parksReport, parksReportCsv, totalsOf } from '../../functions/reports/domain/parks.ts';
import { DEFAULT_INVENTORY_CONFIG } from '../../functions/inventory/domain/period.ts';
import { facilityBody, parcelBody } from '../support/inventory.ts';

const HT = '汇通产业园';
const KC = '科创城';
const TODAY = '2026-10-12';

const project = (park: string, status: Status, stage: Stage, light: Light = 'green', level = 0): TallyEntry => ({ kind: 'project', park, status, stage, light, level });
const task = (park: string, dueDate: string, lead: Role = 'resources_bureau'): TallyEntry => ({ kind: 'task', park, dueDate, lead });

let n = 0;
function resource(kind: Resource['kind'], facts: Record<string, unknown>, over: Partial<Resource> = {}): Resource {
  return { id: `r-${++n}`, kind, facts, status: 'available', heldBy: null, confirmedPeriod: '2026Q4', confirmedAt: '2026-10-01T00:00:00Z', staleSince: null, version: 1, createdAt: '2026-10-01T00:00:00Z', createdBy: 'u', updatedAt: '2026-10-01T00:00:00Z', ...over } as Resource;
}
const utility = (park: string, utility: string, capacity: number, unit: string, allocated = 0, status: Resource['status'] = 'available') =>
  resource('utilities', { park, utility, capacity, unit }, { total: capacity, allocated, remaining: capacity - allocated, status });

describe('counting a park', () => {
  const entries: TallyEntry[] = [
    project(HT, 'PENDING_ADMISSION', 'SIGNING'),
    project(HT, 'ACTIVE', 'SIGNING', 'green'),
    project(HT, 'ACTIVE', 'LANDING', 'yellow', 1),
    project(HT, 'ACTIVE', 'CONSTRUCTION', 'red', 3),
    project(HT, 'ACTIVE', 'CONSTRUCTION', 'red', 7),
    project(HT, 'REJECTED', 'SIGNING', 'red'),
    project(HT, 'EXITED', 'LANDING', 'red', 5),
    project(HT, 'COMPLETED', 'PRODUCING', 'green'),
    task(HT, '2026-10-09', 'eco_bureau'),
    task(HT, '2026-10-11', 'enterprise'),
    task(HT, TODAY, 'resources_bureau'),
    task(HT, '2026-10-30', 'resources_bureau'),
    project(KC, 'ACTIVE', 'OPERATION', 'green'),
    task(KC, '2026-09-30', 'park_center'),
  ];

  it('counts every status, the admitted by stage (a completed project at 达产), the active by light and by rung', () => {
    const report = parksReport({ entries, resources: [], today: TODAY, park: HT });
    expect(report.parks).toHaveLength(1);
    expect(report.parks[0]!.projects).toEqual({
      total: 8,
      byStatus: { PENDING_ADMISSION: 1, ACTIVE: 4, REJECTED: 1, EXITED: 1, COMPLETED: 1 },
      byStage: { SIGNING: 1, LANDING: 1, GROUNDBREAKING: 0, CONSTRUCTION: 2, OPERATION: 0, PRODUCING: 1 },
      byLight: { green: 1, yellow: 1, red: 2 },
      escalated: 3,
      // A ladder longer than the named rungs counts its top rungs as the exit rung.
      byRung: { URGING_LETTER: 1, INTERVIEW: 0, JOINT_ASSESSMENT: 1, COMPLIANCE_CHECK: 0, EXIT_PENDING: 1 },
    });
  });

  it('a task is overdue from the day after its due date, counted per lead (the enterprise’s own work included)', () => {
    const report = parksReport({ entries, resources: [], today: TODAY, park: HT });
    expect(report.parks[0]!.tasks).toEqual({ open: 4, overdue: 2, overdueByLead: { eco_bureau: 1, enterprise: 1 } });
    expect(parksReport({ entries, resources: [], today: '2026-10-13', park: HT }).parks[0]!.tasks).toMatchObject({ overdue: 3, overdueByLead: { eco_bureau: 1, enterprise: 1, resources_bureau: 1 } });
  });

  it('a park asked for counts only its own entries, and has its row of zeros when nothing names it', () => {
    expect(parksReport({ entries, resources: [], today: TODAY, park: KC }).parks.map((p) => [p.park, p.projects.total, p.tasks.overdue])).toEqual([[KC, 1, 1]]);
    const empty = parksReport({ entries, resources: [resource('parcels', parcelBody())], today: TODAY, park: '临港园' });
    expect(empty).toMatchObject({ date: TODAY, park: '临港园', parks: [{ park: '临港园', projects: { total: 0, escalated: 0 }, tasks: { open: 0, overdue: 0, overdueByLead: {} }, resources: { parcels: { available: 0, areaM2: 0 } } }] });
    expect(empty.totals).toEqual({ projects: empty.parks[0]!.projects, tasks: empty.parks[0]!.tasks, resources: empty.parks[0]!.resources });
  });

  it('without a park: a row for every park a project, task or resource names, in Chinese order, and the totals', () => {
    const report = parksReport({ entries, resources: [resource('facilities', facilityBody({ park: '临港园' }))], today: TODAY });
    expect(report.park).toBeNull();
    // 汇通 (huì), 科创 (kē), 临港 (lín).
    expect(report.parks.map((p) => p.park)).toEqual([HT, KC, '临港园']);
    expect(report.totals.projects).toMatchObject({ total: 9, escalated: 3, byStatus: { ACTIVE: 5 }, byStage: { OPERATION: 1, CONSTRUCTION: 2 }, byLight: { green: 2, yellow: 1, red: 2 } });
    expect(report.totals.projects.byRung).toEqual({ URGING_LETTER: 1, INTERVIEW: 0, JOINT_ASSESSMENT: 1, COMPLIANCE_CHECK: 0, EXIT_PENDING: 1 });
    expect(report.totals.tasks).toEqual({ open: 5, overdue: 3, overdueByLead: { eco_bureau: 1, enterprise: 1, park_center: 1 } });
    expect(report.totals.resources.facilities).toEqual({ available: 1, areaM2: 8_000, stale: 0 });
  });
});

describe('resources available', () => {
  const resources = [
    resource('parcels', parcelBody({ park: HT, areaM2: 66_667 })),
    resource('parcels', parcelBody({ park: HT, areaM2: 20_000 })),
    resource('parcels', parcelBody({ park: HT, areaM2: 50_000 }), { status: 'reserved' }),
    resource('parcels', parcelBody({ park: KC, areaM2: 10_000 })),
    resource('facilities', facilityBody({ park: HT, areaM2: 8_000 })),
    resource('facilities', facilityBody({ park: HT, areaM2: 3_000 }), { status: 'leased' }),
    utility(HT, 'water', 10_000, 't/d', 2_500),
    utility(HT, 'power', 20_000, 'kVA', 8_000),
    utility(HT, 'power', 5, 'MW'),
    utility(HT, 'gas', 900, 'm3/d', 0, 'retired'),
    utility(KC, 'power', 4_000, 'kVA', 1_000),
    // A zone-wide quota names no park: it is no park's.
    resource('energy', { year: 2026, totalTce: 50_000 }, { total: 50_000, allocated: 0, remaining: 50_000 }),
  ];

  it('land and factories available (亩 from m²), and each utility’s capacity by unit, retired records left out', () => {
    const report = parksReport({ entries: [], resources, today: TODAY, park: HT });
    expect(report.parks[0]!.resources).toEqual({
      parcels: { available: 2, areaM2: 86_667, areaMu: 130, stale: 0 },
      facilities: { available: 1, areaM2: 8_000, stale: 0 },
      utilities: [
        { utility: 'water', unit: 't/d', capacity: 10_000, allocated: 2_500, remaining: 7_500 },
        { utility: 'power', unit: 'MW', capacity: 5, allocated: 0, remaining: 5 },
        { utility: 'power', unit: 'kVA', capacity: 20_000, allocated: 8_000, remaining: 12_000 },
      ],
    });
  });

  it('says how many of the land and factories available are not confirmed for the period (待核实), counted in available too', () => {
    const stale = [resource('parcels', parcelBody({ park: HT, areaM2: 10_000 }), { staleSince: '2026-10-01' }), resource('parcels', parcelBody({ park: HT, areaM2: 20_000 })), resource('facilities', facilityBody({ park: HT }), { staleSince: '2026-10-01' })];
    const report = parksReport({ entries: [], resources: stale, today: TODAY });
    expect(report.parks[0]!.resources).toMatchObject({ parcels: { available: 2, stale: 1 }, facilities: { available: 1, stale: 1 } });
    expect(report.totals.resources).toMatchObject({ parcels: { stale: 1 }, facilities: { stale: 1 } });
    // Past its period already, before the refresh duty flagged it: 待核实 as the record itself shows (staleNow).
    const overdue = [resource('facilities', facilityBody({ park: HT }), { confirmedPeriod: '2025Q1' })];
    expect(parksReport({ entries: [], resources: overdue, today: TODAY, inventory: DEFAULT_INVENTORY_CONFIG }).parks[0]!.resources.facilities).toMatchObject({ available: 1, stale: 1 });
  });

  it("has a row for every park of the zone's list, one with nothing in it too (zeros)", () => {
    const report = parksReport({ entries: [project(KC, 'ACTIVE', 'SIGNING')], resources: [], today: TODAY, parks: [HT, KC, '智造港'] });
    expect(report.parks.map((p) => p.park)).toEqual([HT, KC, '智造港']);
    expect(report.parks.find((p) => p.park === '智造港')).toMatchObject({ projects: { total: 0 }, tasks: { open: 0 } });
  });

  it('the totals sum each utility per unit across parks', () => {
    const report = parksReport({ entries: [], resources, today: TODAY });
    expect(report.parks.map((p) => p.park)).toEqual([HT, KC]);
    expect(report.totals.resources).toEqual({
      parcels: { available: 3, areaM2: 96_667, areaMu: 145, stale: 0 },
      facilities: { available: 1, areaM2: 8_000, stale: 0 },
      utilities: [
        { utility: 'water', unit: 't/d', capacity: 10_000, allocated: 2_500, remaining: 7_500 },
        { utility: 'power', unit: 'MW', capacity: 5, allocated: 0, remaining: 5 },
        { utility: 'power', unit: 'kVA', capacity: 24_000, allocated: 9_000, remaining: 15_000 },
      ],
    });
    expect(totalsOf([])).toEqual(parksReport({ entries: [], resources: [], today: TODAY }).totals);
  });

  it('亩 add up as shown: a park’s is the sum of its parcels’ (as the inventory lists each), the zone’s the sum of the rows', () => {
    // 1,003 m² is 1.5045 亩, shown 1.5: three of them are 4.5 亩 on every page, not 4.51 (3,009 m² converted once).
    const small = [
      resource('parcels', parcelBody({ park: HT, areaM2: 1_003 })),
      resource('parcels', parcelBody({ park: HT, areaM2: 1_003 })),
      resource('parcels', parcelBody({ park: KC, areaM2: 1_003 })),
    ];
    const report = parksReport({ entries: [], resources: small, today: TODAY });
    expect(report.parks.map((p) => p.resources.parcels.areaMu)).toEqual([3, 1.5]);
    expect(report.totals.resources.parcels).toEqual({ available: 3, areaM2: 3_009, areaMu: 4.5, stale: 0 });
    // The CSV's total row is the sum of its rows, column by column.
    const lines = parksReportCsv(report).replace('\uFEFF', '').trim().split('\r\n').map((l) => l.split(','));
    const mu = PARKS_CSV_HEADINGS.indexOf('可用土地（亩）');
    expect(lines.slice(1).map((l) => l[mu])).toEqual(['3', '1.5', '4.5']);
  });

  it('sums areas and capacities exactly to their decimals (1.1 + 2.2 m² is 3.3, not 3.3000000000000003)', () => {
    const decimals = [
      resource('parcels', parcelBody({ park: HT, areaM2: 1.1 })),
      resource('parcels', parcelBody({ park: HT, areaM2: 2.2 })),
      resource('parcels', parcelBody({ park: KC, areaM2: 1.7 })),
      resource('facilities', facilityBody({ park: HT, areaM2: 1.1 })),
      resource('facilities', facilityBody({ park: HT, areaM2: 2.2 })),
      utility(HT, 'power', 0.1, 'MW', 0.1),
      utility(KC, 'power', 0.2, 'MW', 0.1),
    ];
    const report = parksReport({ entries: [], resources: decimals, today: TODAY });
    expect(report.parks[0]!.resources).toMatchObject({ parcels: { areaM2: 3.3 }, facilities: { areaM2: 3.3 } });
    expect(report.totals.resources).toMatchObject({
      parcels: { areaM2: 5 },
      facilities: { areaM2: 3.3 },
      utilities: [{ utility: 'power', unit: 'MW', capacity: 0.3, allocated: 0.2, remaining: 0.1 }],
    });
  });
});

describe('the park report as CSV', () => {
  it('has a BOM, Chinese headings, a row per park and the zone’s total row; a park named like a formula is neutralised', () => {
    const entries = [project(HT, 'ACTIVE', 'LANDING', 'red', 1), task(HT, '2026-10-01', 'eco_bureau'), project('=cmd()', 'ACTIVE', 'SIGNING')];
    const resources = [resource('parcels', parcelBody({ park: HT, areaM2: 66_667 })), utility(HT, 'water', 10_000, 't/d', 2_500), utility(HT, 'power', 20_000, 'kVA', 8_000), utility(HT, 'power', 5, 'MW')];
    const lines = parksReportCsv(parksReport({ entries, resources, today: TODAY })).split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${PARKS_CSV_HEADINGS.join(',')}`);
    expect(lines[0]).toBe('\uFEFF园区,项目总数,待准入,推进中,未准入,已退出,已达产,招商签约,落地摘地,项目开工,项目建设,投产运营,达产达效,绿灯,黄灯,红灯,督办中,在办事项,逾期事项,可用地块,可用土地（亩）,可用土地（m²）,可用厂房/楼宇,可用厂房面积（m²）,待核实地块,待核实厂房/楼宇,供水剩余,供电剩余,供气剩余,供热剩余,全区能耗指标剩余（吨标准煤）,全区环境容量剩余（吨）,全区指标待核实');
    expect(lines.slice(1)).toEqual([
      "'=cmd(),1,0,1,0,0,0,1,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,,",
      // A unit in the words of the console's inventory page (吨/日, not t/d), beside its figure as Chinese writes it.
      '汇通产业园,1,0,1,0,0,0,0,1,0,0,0,0,0,0,1,1,1,1,1,100,66667,0,0,0,0,7500吨/日,5 MW；12000 kVA,,,,,',
      '全区合计,2,0,2,0,0,0,1,1,0,0,0,0,1,0,1,1,1,1,1,100,66667,0,0,0,0,7500吨/日,5 MW；12000 kVA,,,,,',
      '',
    ]);
  });

  it('for one park: its row only', () => {
    const lines = parksReportCsv(parksReport({ entries: [project(KC, 'ACTIVE', 'SIGNING')], resources: [], today: TODAY, park: KC })).split('\r\n');
    expect(lines.slice(1)).toEqual(['科创城,1,0,1,0,0,0,1,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,,', '']);
  });

  it("says the zone's quotas remaining once, on the last row (the total, or the one park's)", () => {
    const resources = [quota('energy', { year: 2026, totalTce: 50_000 }, 12_000), quota('environment', { year: 2026, pollutant: 'NOx', totalTonnes: 40 }, 2.5, { staleSince: '2026-10-01' }), quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 120 }, 0)];
    const zone = parksReportCsv(parksReport({ entries: [project(HT, 'ACTIVE', 'SIGNING')], resources, today: TODAY })).split('\r\n');
    expect(zone[1]).toMatch(/^汇通产业园,.*,,,$/);
    // The NOx capacity not confirmed for the period: named in the 待核实 cell.
    expect(zone[2]).toMatch(/^全区合计,.*,38000,COD 120；NOx 37\.5,NOx$/);
    const one = parksReportCsv(parksReport({ entries: [], resources, today: TODAY, park: KC })).split('\r\n');
    expect(one[1]).toMatch(/^科创城,.*,38000,COD 120；NOx 37\.5,NOx$/);
    const confirmed = resources.map((r) => ({ ...r, staleSince: null }));
    expect(parksReportCsv(parksReport({ entries: [], resources: confirmed, today: TODAY, park: KC })).split('\r\n')[1]).toMatch(/,COD 120；NOx 37\.5,$/);
  });
});

const quota = (kind: 'energy' | 'environment', facts: Record<string, unknown>, allocated: number, over: Partial<Resource> = {}) => {
  const total = Number(facts.totalTce ?? facts.totalTonnes);
  return resource(kind, facts, { total, allocated, remaining: total - allocated, ...over });
};

describe("the zone's quotas", () => {
  it("this year's energy and environment quotas, with what projects hold and what remains, pollutants in the inventory's order", () => {
    const resources = [
      quota('energy', { year: 2026, totalTce: 50_000 }, 12_000),
      quota('energy', { year: 2025, totalTce: 40_000 }, 40_000),
      quota('environment', { year: 2026, pollutant: 'VOCs', totalTonnes: 8 }, 1, { staleSince: '2026-10-01' }),
      quota('environment', { year: 2026, pollutant: 'COD', totalTonnes: 120 }, 30),
      quota('environment', { year: 2026, pollutant: 'SO2', totalTonnes: 60 }, 0, { status: 'retired' }),
      quota('environment', { year: 2027, pollutant: 'COD', totalTonnes: 100 }, 0),
    ];
    const expected = {
      year: 2026,
      energy: { totalTce: 50_000, allocated: 12_000, remaining: 38_000, stale: false },
      environment: [
        { pollutant: 'COD', totalTonnes: 120, allocated: 30, remaining: 90, stale: false },
        { pollutant: 'VOCs', totalTonnes: 8, allocated: 1, remaining: 7, stale: true },
      ],
    };
    // The same in the zone's report and in a park's: they are kept for the whole zone.
    expect(parksReport({ entries: [], resources, today: TODAY }).quotas).toEqual(expected);
    expect(parksReport({ entries: [], resources, today: TODAY, park: HT }).quotas).toEqual(expected);
    // A year with none on record: no energy figure, no pollutants.
    expect(parksReport({ entries: [], resources, today: '2028-01-05' }).quotas).toEqual({ year: 2028, energy: null, environment: [] });
  });
});
