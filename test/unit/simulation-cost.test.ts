// The simulation's cost model (bench/sim/cost.ts) on a hand-made metering report and round prices: counts normalised
// per project-year, each service priced from its own counts, the every-minute job's idle runs priced per zone at its
// AWS frequency (its extra work left to the projects), and the monthly bill of N projects linear in N plus the zone's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { billableCounts, costOf, priceTableErrors, type PriceTable } from '../../bench/sim/cost.ts';
import { functionSpec } from '../../functions/catalog.ts';
import { functionFigures, meteringReport } from '../support/simulation.ts';

const p = (value: number) => ({ value });
const prices: PriceTable = {
  region: 'test-1',
  currency: 'USD',
  pricesTaken: '2026-11-30',
  deployed: { lambdaArchitecture: 'arm64', logRetentionMonths: 12 },
  prices: {
    stepFunctionsStandardPerTransition: p(0.001),
    lambdaPerRequest: p(0.01),
    lambdaArmPerGbSecond: p(0.1),
    dynamodbOnDemandPerReadUnit: p(0.001),
    dynamodbOnDemandPerWriteUnit: p(0.002),
    dynamodbStoragePerGbMonth: p(1),
    apiGatewayHttpPerRequest: p(0.1),
    cloudwatchLogsIngestionPerGb: p(1),
    cloudwatchLogsStoragePerGbMonth: p(0),
    schedulerPerInvocation: p(0.5),
  },
  assumptions: {
    lambdaPlatformLogBytesPerInvocation: p(0),
    apiAccessLogBytesPerRequest: p(0),
    stepFunctionsLogBytesPerHistoryEvent: p(0),
    stepFunctionsEventsWithPayloadShare: p(0),
    dynamodbStorageYearsPerProject: p(2),
  },
};

const fn = functionFigures;
const report = meteringReport;

describe('per project-year counts', () => {
  it('divides what the run measured by the project-years it covered', () => {
    const { perProjectYear, storageBytesPerProjectYear } = billableCounts(report(), prices);
    expect(perProjectYear).toMatchObject({ stateTransitions: 300, historyEvents: 1000, lambdaInvocations: 70, apiRequests: 50, readUnits: 500, writeUnits: 210 });
    // 6 s of handlers at 0.5 GB over 2 project-years.
    expect(perProjectYear.lambdaGbSeconds).toBeCloseTo(1.5, 10);
    expect(storageBytesPerProjectYear).toBe(1024 ** 3);
  });
  it('adds log bytes Lambda, the API and Step Functions write beside the handlers', () => {
    const withLogs: PriceTable = {
      ...prices,
      assumptions: { ...prices.assumptions, lambdaPlatformLogBytesPerInvocation: p(10), apiAccessLogBytesPerRequest: p(100), stepFunctionsLogBytesPerHistoryEvent: p(1), stepFunctionsEventsWithPayloadShare: p(0.5) },
    };
    const { perProjectYear } = billableCounts(report({ lambda: { functions: { 'get-project': fn('http', 10, 0, 0, 0, 500) }, unattributedLogBytes: 0 } }), withLogs);
    // (500 handler + 10 × 10 platform + 10 × 100 access + 2000 × (1 + 0.5 × 500)) / 2
    expect(perProjectYear.logBytes).toBe((500 + 100 + 1000 + 2000 * 251) / 2);
  });
  it('prices each function’s time at the memory it is deployed with (the catalog’s), not one figure for all', () => {
    const { perProjectYear } = billableCounts(report({ lambda: { functions: { 'ledger-xlsx': fn('http', 1, 1000), 'get-project': fn('http', 1, 1000) }, unattributedLogBytes: 0 } }), prices);
    // One second of each over 2 project-years, each at its own memory.
    const gbSeconds = (functionSpec('ledger-xlsx').memoryMb + functionSpec('get-project').memoryMb) / 1024;
    expect(functionSpec('ledger-xlsx').memoryMb).not.toBe(functionSpec('get-project').memoryMb);
    expect(perProjectYear.lambdaGbSeconds).toBeCloseTo(gbSeconds / 2, 10);
  });
  it('prices the every-minute job’s idle runs per zone at AWS frequency and leaves its extra work to the projects', () => {
    const m = report({
      lambda: { functions: { 'deliver-notifications': fn('schedule', 100, 700, 60, 10, 0) }, unattributedLogBytes: 0 },
      dynamodb: { tables: {}, readUnits: 60, writeUnits: 10, refusedWriteUnits: 0, storageBytes: 0, source: '' },
      schedules: [{ name: 'deliver-notifications', cron: '* * * * ?', firingsPerMonth: 43_800, atAwsFrequency: false, idle: { ms: 5, readUnits: 0.5, writeUnits: 0, logBytes: 0, samples: 100 } }],
    });
    const { perProjectYear, zoneMonthly } = billableCounts(m, prices);
    expect(zoneMonthly).toMatchObject({ lambdaInvocations: 43_800, schedulerInvocations: 43_800, readUnits: 21_900 });
    expect(zoneMonthly.lambdaGbSeconds).toBeCloseTo(43_800 * 0.005 * 0.5, 6);
    // The run's 100 invocations: 50 units idle, 10 beyond; 500 ms idle, 200 ms beyond — the projects' share.
    expect(perProjectYear.readUnits).toBe(5);
    expect(perProjectYear.writeUnits).toBe(5);
    expect(perProjectYear.lambdaInvocations).toBe(0);
    expect(perProjectYear.lambdaGbSeconds).toBeCloseTo((0.2 * 0.5) / 2, 10);
  });
  it('counts a daily job’s firings per zone at AWS frequency and the work it does over the projects per project', () => {
    const withLogs: PriceTable = { ...prices, assumptions: { ...prices.assumptions, lambdaPlatformLogBytesPerInvocation: p(10) } };
    const m = report({
      lambda: { functions: { 'daily-digest': fn('schedule', 40, 4000, 0, 0, 800) }, unattributedLogBytes: 0 },
      dynamodb: { tables: {}, readUnits: 60, writeUnits: 10, refusedWriteUnits: 0, storageBytes: 0, source: '' },
      schedules: [{ name: 'daily-digest', cron: '0 8 * * ? (Asia/Shanghai)', firingsPerMonth: 30, atAwsFrequency: true }],
    });
    const { perProjectYear, zoneMonthly } = billableCounts(m, withLogs);
    // 40 firings in the run over 2 project-years are not 20 a project-year: a zone of any size has 30 a month.
    expect(perProjectYear.lambdaInvocations).toBe(0);
    expect(perProjectYear.schedulerInvocations).toBe(0);
    expect(zoneMonthly).toMatchObject({ lambdaInvocations: 30, schedulerInvocations: 30, logBytes: 300 });
    // Its 4 s at 0.5 GB, its reads and writes and its own log lines: the projects' work.
    expect(perProjectYear.lambdaGbSeconds).toBeCloseTo((4 * 0.5) / 2, 10);
    expect(perProjectYear.readUnits).toBe(30);
    expect(perProjectYear.logBytes).toBe(400);
  });
});

describe('the bill', () => {
  it('prices each service from its counts', () => {
    const { perProjectYear } = costOf(report(), prices);
    expect(perProjectYear.cost.stepFunctions).toBeCloseTo(0.3, 10);
    expect(perProjectYear.cost.lambda).toBeCloseTo(70 * 0.01 + 1.5 * 0.1, 10);
    expect(perProjectYear.cost.apiGateway).toBeCloseTo(5, 10);
    // reads, writes, and 1 GB per project-year held 2 years, for 12 months.
    expect(perProjectYear.cost.dynamodb).toBeCloseTo(0.5 + 0.42 + 24, 10);
    expect(perProjectYear.total).toBeCloseTo(0.3 + 0.85 + 5 + 24.92, 10);
  });
  it('grows linearly in projects above the zone’s fixed monthly cost', () => {
    const m = report({ schedules: [{ name: 'get-project', cron: '* * * * ?', firingsPerMonth: 1000, atAwsFrequency: false, idle: { ms: 1, readUnits: 0, writeUnits: 0, logBytes: 0, samples: 1 } }] });
    const cost = costOf(m, prices, [1000, 10_000]);
    const [k1, k10] = cost.monthly;
    expect(cost.zoneMonthly.cost.scheduler).toBe(500);
    expect(k10!.total - cost.zoneMonthly.total).toBeCloseTo(10 * (k1!.total - cost.zoneMonthly.total), 6);
    // A month of 1,000 projects is 1000/12 project-years.
    expect(k1!.total - cost.zoneMonthly.total).toBeCloseTo((cost.perProjectYear.total * 1000) / 12, 6);
  });
  it('is zero per project-year when no project lived (an empty run), not a division by zero', () => {
    const cost = costOf(report({ projects: { count: 0, ended: 0, projectYears: 0 } }), prices);
    expect(cost.perProjectYear.total).toBe(0);
  });
  it('reads the shipped price table: every price has a source and says whether it was checked', () => {
    const table = JSON.parse(readFileSync(new URL('../../bench/aws-prices.json', import.meta.url), 'utf8')) as PriceTable & { prices: Record<string, { source: string; check: string }> };
    expect(table.pricesTaken).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const price of Object.values(table.prices)) {
      expect(price.source).toMatch(/^https:\/\//);
      expect(price.check).toMatch(/^(verified|third-party|unverified)/);
    }
    expect(costOf(report(), table).perProjectYear.total).toBeGreaterThan(0);
    expect(priceTableErrors(table)).toEqual([]);
  });
  it('says what a price table lacks before a run is priced with it (a missing price, a bare number, a field no longer read)', () => {
    const table = JSON.parse(readFileSync(new URL('../../bench/aws-prices.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    const { schedulerPerInvocation: _dropped, ...prices } = table.prices!;
    const bad = { ...table, pricesTaken: undefined, deployed: { ...table.deployed, lambdaMemoryMb: 512 }, prices: { ...prices, dynamodbStoragePerGbMonth: 0.25 } };
    expect(priceTableErrors(bad)).toEqual([
      'pricesTaken: missing (a non-empty string)',
      "deployed.lambdaMemoryMb: no longer read — each function is priced at its own configured memory (functions/kernel/memory.ts, the declarations' memoryMb): remove it",
      'prices.dynamodbStoragePerGbMonth: missing (an object { "value": number, … })',
      'prices.schedulerPerInvocation: missing (an object { "value": number, … })',
    ]);
    expect(priceTableErrors([])).toEqual(['the file is not a JSON object']);
  });
  it('takes a price no source gave as null — saying so in its check — and prices the rest, naming what it left out', () => {
    const table = JSON.parse(readFileSync(new URL('../../bench/aws-prices.json', import.meta.url), 'utf8')) as PriceTable;
    const unknown = { value: null, source: 'https://example.com', check: 'unverified (NOT FOUND anywhere)' };
    const partial = { ...table, prices: { ...table.prices, dynamodbOnDemandPerReadUnit: unknown, dynamodbStoragePerGbMonth: unknown } };
    expect(priceTableErrors(partial)).toEqual([]);
    // Null without saying it was not found, and null for an assumption (which is no price), are refused.
    expect(priceTableErrors({ ...partial, prices: { ...partial.prices, schedulerPerInvocation: { value: null, check: 'third-party' } } })).toEqual(['prices.schedulerPerInvocation.check: a price left null must say it was not found']);
    expect(priceTableErrors({ ...table, assumptions: { ...table.assumptions, apiAccessLogBytesPerRequest: { value: null } } })).toEqual(['assumptions.apiAccessLogBytesPerRequest.value: must be a number ≥ 0']);
    const whole = costOf(report(), table);
    const part = costOf(report(), partial);
    expect(whole).toMatchObject({ unpriced: [], incomplete: [] });
    expect(part).toMatchObject({ unpriced: ['dynamodbOnDemandPerReadUnit', 'dynamodbStoragePerGbMonth'], incomplete: ['dynamodb'] });
    // What is priced is priced alike; DynamoDB keeps only its writes.
    expect(part.perProjectYear.cost.lambda).toBe(whole.perProjectYear.cost.lambda);
    expect(part.perProjectYear.cost.dynamodb).toBeCloseTo(part.perProjectYear.counts.writeUnits * table.prices.dynamodbOnDemandPerWriteUnit.value!, 12);
    expect(part.perProjectYear.cost.dynamodb).toBeLessThan(whole.perProjectYear.cost.dynamodb);
  });
});
