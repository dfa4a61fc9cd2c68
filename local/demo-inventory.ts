// The demo inventory npm start seeds (local/start.ts), apart from local/seed.ts so it can be checked without a store.

/**
 * Demo inventory 要素清单 (resources kept ready before projects arrive), added by each kind's owner through the API:
 * parcels of both parks (one standard land, one still missing readiness items), idle factories (one fits the lease
 * demo project, one is too weak for it), this year's and next year's energy quota, environmental capacity and utilities.
 * Dated from the business clock's `today` (YYYY-MM-DD), whatever instant `ZONEFLOW_CLOCK_START` names: a readiness
 * item is done on a past day (the API refuses a future one), the quotas are for the clock's year.
 */
export function demoInventory(today: string) {
  const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  return [
    { kind: 'parcels', role: 'resources_bureau', body: { code: 'JZ2026-01', park: '汇通产业园', areaM2: 133_334, use: '工业用地', supply: 'stock', readiness: { relicSurvey: daysAgo(120), landApproval: daysAgo(80), clearanceList: daysAgo(55), infrastructure: daysAgo(10) }, industries: ['nev', 'equipment'] } },
    { kind: 'parcels', role: 'resources_bureau', body: { code: 'JZ2026-02', park: '汇通产业园', areaM2: 80_000, use: '工业用地', supply: 'incremental', readiness: { relicSurvey: daysAgo(70), landApproval: null, clearanceList: null, infrastructure: null } } },
    { kind: 'parcels', role: 'resources_bureau', body: { code: 'KC2026-01', park: '科创城', areaM2: 40_000, use: '科研用地', supply: 'stock', readiness: { relicSurvey: daysAgo(150), landApproval: daysAgo(120), clearanceList: daysAgo(90), infrastructure: daysAgo(60) } } },
    { kind: 'facilities', role: 'soe', body: { code: 'HT-A3', park: '汇通产业园', owner: '开发区建设投资公司', areaM2: 9_000, floorLoadKnM2: 20, clearHeightM: 10, powerKva: 1_600, rentCnyPerM2Month: 12, facilityType: 'factory' } },
    { kind: 'facilities', role: 'soe', body: { code: 'HT-B1', park: '汇通产业园', owner: '开发区建设投资公司', areaM2: 12_000, floorLoadKnM2: 10, clearHeightM: 8, powerKva: 800, rentCnyPerM2Month: 9, facilityType: 'factory' } },
    { kind: 'facilities', role: 'soe', body: { code: 'KC-Y2', park: '科创城', owner: '科创城运营公司', areaM2: 3_000, floorLoadKnM2: 5, clearHeightM: 4.5, powerKva: 400, rentCnyPerM2Month: 35, facilityType: 'building', industries: ['biomedicine', 'medical_devices', 'infotech'] } },
    { kind: 'energy', role: 'eco_bureau', body: { year, totalTce: 50_000 } },
    { kind: 'energy', role: 'eco_bureau', body: { year: year + 1, totalTce: 60_000 } },
    { kind: 'environment', role: 'eco_bureau', body: { year, pollutant: 'COD', totalTonnes: 120 } },
    { kind: 'environment', role: 'eco_bureau', body: { year, pollutant: 'VOCs', totalTonnes: 80 } },
    { kind: 'utilities', role: 'park_center', body: { park: '汇通产业园', utility: 'power', capacity: 60_000, unit: 'kVA' } },
    { kind: 'utilities', role: 'park_center', body: { park: '汇通产业园', utility: 'water', capacity: 20_000, unit: 't/d' } },
  ] as const;
}
