// Demo data for the local runtime, created through the HTTP API itself (skipped with --no-seed). Reference data is no
// demo: the composition root (runtime.ts) ensures it on every start, as every deploy does.
export { ensureReferenceData } from '../functions/reference/store/bootstrap.ts';
/**
 * The stalled project of the demo (local/replay-ladder.ts): admitted a month before the first `npm start`, left alone,
 * and on the escalation ladder by the time the API opens.
 */
export const LADDER_DEMO = {
  body: {
    name: '示例停滞项目（督办演示）',
    investor: { name: '示例汽车科技有限公司', enterpriseId: 'ent-a' },
    track: 'industrial',
    industry: 'equipment',
    attractionMode: 'business',
    totalInvestmentCny: 260_000_000,
    techLevel: 'advanced',
    chainRole: 'extend',
    park: '汇通产业园',
    siteMode: 'land',
    needs: { areaM2: 40_000, powerKva: 2000 },
  },
  admit: ['investment_dept'],
} as const;

export const DEMO_PROJECTS = [
  {
    body: {
      name: '示例新能源汽车零部件项目',
      investor: { name: '示例汽车科技有限公司', enterpriseId: 'ent-a' },
      track: 'industrial',
      industry: 'nev',
      attractionMode: 'chain',
      totalInvestmentCny: 1_200_000_000,
      techLevel: 'advanced',
      chainRole: 'extend',
      park: '汇通产业园',
      siteMode: 'land',
      targets: { outputValueCny: 3_000_000_000, taxCny: 90_000_000, jobs: 800 },
      needs: { areaM2: 120_000, powerKva: 8000, floorLoadKnM2: 30, clearHeightM: 12 },
    },
    admit: ['investment_dept', 'committee_leader'],
  },
  {
    body: {
      name: '示例智能装备制造项目',
      investor: { name: '示例智能装备有限公司', enterpriseId: 'ent-b' },
      track: 'industrial',
      industry: 'equipment',
      attractionMode: 'business',
      totalInvestmentCny: 50_000_000,
      techLevel: 'leading',
      chainRole: 'fill',
      park: '汇通产业园',
      siteMode: 'lease',
      needs: { areaM2: 8000, powerKva: 1250, floorLoadKnM2: 15, clearHeightM: 9 },
    },
    admit: ['investment_dept'],
  },
  {
    body: {
      name: '示例生物医药研发平台',
      investor: { name: '示例生物科技有限公司', enterpriseId: 'ent-c' },
      track: 'scitech',
      industry: 'biomedicine',
      attractionMode: 'fund',
      totalInvestmentCny: 300_000_000,
      techLevel: 'leading',
      chainRole: 'strengthen',
      park: '科创城',
      siteMode: 'lease',
    },
    admit: [],
  },
] as const;

/**
 * Demo inventory 要素清单 (resources kept ready before projects arrive), added by each kind's owner through the API:
 * parcels of both parks (one standard land, one still missing readiness items), idle factories (one fits the lease
 * demo project, one is too weak for it), this year's energy quota, environmental capacity and utilities.
 */
export const DEMO_INVENTORY = [
  { kind: 'parcels', role: 'resources_bureau', body: { code: 'JZ2026-01', park: '汇通产业园', areaM2: 133_334, use: '工业用地', supply: 'stock', readiness: { relicSurvey: '2026-03-10', landApproval: '2026-04-20', clearanceList: '2026-05-15', infrastructure: '2026-06-30' }, industries: ['nev', 'equipment'] } },
  { kind: 'parcels', role: 'resources_bureau', body: { code: 'JZ2026-02', park: '汇通产业园', areaM2: 80_000, use: '工业用地', supply: 'incremental', readiness: { relicSurvey: '2026-05-01', landApproval: null, clearanceList: null, infrastructure: null } } },
  { kind: 'parcels', role: 'resources_bureau', body: { code: 'KC2026-01', park: '科创城', areaM2: 40_000, use: '科研用地', supply: 'stock', readiness: { relicSurvey: '2026-02-01', landApproval: '2026-03-01', clearanceList: '2026-04-01', infrastructure: '2026-05-01' } } },
  { kind: 'facilities', role: 'soe', body: { code: 'HT-A3', park: '汇通产业园', owner: '开发区建设投资公司', areaM2: 9_000, floorLoadKnM2: 20, clearHeightM: 10, powerKva: 1_600, rentCnyPerM2Month: 12, facilityType: 'factory' } },
  { kind: 'facilities', role: 'soe', body: { code: 'HT-B1', park: '汇通产业园', owner: '开发区建设投资公司', areaM2: 12_000, floorLoadKnM2: 10, clearHeightM: 8, powerKva: 800, rentCnyPerM2Month: 9, facilityType: 'factory' } },
  { kind: 'facilities', role: 'soe', body: { code: 'KC-Y2', park: '科创城', owner: '科创城运营公司', areaM2: 3_000, floorLoadKnM2: 5, clearHeightM: 4.5, powerKva: 400, rentCnyPerM2Month: 35, facilityType: 'building', industries: ['biomedicine', 'medical_devices', 'infotech'] } },
  { kind: 'energy', role: 'eco_bureau', body: { year: 2026, totalTce: 50_000 } },
  { kind: 'energy', role: 'eco_bureau', body: { year: 2027, totalTce: 60_000 } },
  { kind: 'environment', role: 'eco_bureau', body: { year: 2026, pollutant: 'COD', totalTonnes: 120 } },
  { kind: 'environment', role: 'eco_bureau', body: { year: 2026, pollutant: 'VOCs', totalTonnes: 80 } },
  { kind: 'utilities', role: 'park_center', body: { park: '汇通产业园', utility: 'power', capacity: 60_000, unit: 'kVA' } },
  { kind: 'utilities', role: 'park_center', body: { park: '汇通产业园', utility: 'water', capacity: 20_000, unit: 't/d' } },
] as const;
