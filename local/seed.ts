// Seed data for the local runtime: the reference data every start ensures (the same bootstrap a deploy runs), and —
// through the HTTP API itself — a few demo projects (skipped with --no-seed).
export { ensureReferenceData } from '../functions/reference/store/bootstrap.ts';
import { CONFIG_NAMES, DEFAULT_CONFIG } from '../functions/reference/domain/config.ts';
import { transact } from '../functions/kernel/store/client.ts';
import { getConfig, putConfigVersion } from '../functions/reference/store/reference.ts';

/** Publishes version 1 of each configuration that has no stored version yet (tests that need configuration only). */
export async function seedConfig(now: Date): Promise<string[]> {
  const written = await Promise.all(
    CONFIG_NAMES.map(async (name) => {
      if ((await getConfig(name)).version > 0) return undefined;
      await transact([
        putConfigVersion({ name, version: 1, doc: DEFAULT_CONFIG[name], publishedAt: now.toISOString(), publishedBy: 'seed', note: 'defaults from domain.md' }),
      ]);
      return name;
    }),
  );
  return written.filter((n): n is (typeof CONFIG_NAMES)[number] => n !== undefined);
}

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
