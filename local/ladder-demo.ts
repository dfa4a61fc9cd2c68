// The demo's stalled project, apart from seed.ts (which reaches the stores): local/replay-ladder.ts finds a month it
// began and was stopped in by this project's name before it binds the tables.
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
} as const;
