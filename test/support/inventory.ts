// Inventory records as the API takes them (POST /inventory/{kind} bodies): a 100-亩 parcel and an 8,000 m² factory
// in 汇通产业园; override what a test is about.
export const parcelBody = (over: Record<string, unknown> = {}) => ({
  code: 'JZ-1',
  park: '汇通产业园',
  areaM2: 66_667,
  use: '工业用地',
  supply: 'stock' as const,
  readiness: { relicSurvey: '2026-03-01', landApproval: '2026-04-01', clearanceList: null as string | null, infrastructure: '2026-05-01' },
  ...over,
});

export const facilityBody = (over: Record<string, unknown> = {}) => ({
  code: 'CF-1',
  park: '汇通产业园',
  owner: '开发区建设投资公司',
  areaM2: 8_000,
  floorLoadKnM2: 20,
  clearHeightM: 10,
  powerKva: 1_250,
  rentCnyPerM2Month: 12,
  ...over,
});
