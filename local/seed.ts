// Demo data for the local runtime, created through the HTTP API itself (skipped with --no-seed). Reference data is no
// demo: the composition root (runtime.ts) ensures it on every start, as every deploy does.
export { ensureReferenceData } from '../functions/reference/store/bootstrap.ts';
export { LADDER_DEMO } from './ladder-demo.ts';

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

export { demoInventory } from './demo-inventory.ts';
