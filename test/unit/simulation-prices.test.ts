// The price tables a simulation is priced with (bench/sim/prices.ts): every committed table is whole and sourced, a
// broken file is refused with what is wrong, a run is priced at each table with the first heading, and amounts print
// with their currency's sign.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { priceTableErrors, type PriceTable } from '../../bench/sim/cost.ts';
import { meteringReport } from '../support/simulation.ts';
import { costLine, DEFAULT_PRICE_FILES, money, priceRun, readPriceTable } from '../../bench/sim/prices.ts';

const metering = meteringReport();

const usd = readPriceTable(DEFAULT_PRICE_FILES[0]!);
/** Another region's table in yuan (made up for the test: the same shape, every price ×7). */
const cny: PriceTable = { ...usd, region: 'test-cn', currency: 'CNY', prices: Object.fromEntries(Object.entries(usd.prices).map(([k, v]) => [k, { ...v, value: v.value === null ? null : v.value * 7 }])) as unknown as PriceTable['prices'] };

describe('the committed price tables', () => {
  it('are bench/aws-prices.json (US list prices) first, then any bench/aws-prices.<region>.json', () => {
    expect(DEFAULT_PRICE_FILES[0]).toMatch(/\/bench\/aws-prices\.json$/);
    expect(`${usd.region} ${usd.currency}`).toBe('us-east-1 USD');
    for (const file of DEFAULT_PRICE_FILES.slice(1)) expect(file).toMatch(/\/bench\/aws-prices\.[\w-]+\.json$/);
    expect(JSON.parse(readFileSync(DEFAULT_PRICE_FILES[0]!, 'utf8'))).toEqual(usd);
  });
  it('each price names its page and how it was checked, and the table its date', () => {
    for (const file of DEFAULT_PRICE_FILES) {
      const table = readPriceTable(file) as unknown as { pricesTaken: string; prices: Record<string, { value: number; source: string; check: string }> };
      expect(priceTableErrors(table), file).toEqual([]);
      expect(table.pricesTaken, file).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const [key, price] of Object.entries(table.prices)) {
        expect(price.source, `${file} ${key}`).toMatch(/^https:\/\//);
        expect(price.check, `${file} ${key}`).toMatch(/^(verified|third-party|unverified)/);
      }
    }
  });
});

describe('readPriceTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneflow-prices-'));
  it('refuses a file that is not JSON, or a table that lacks a price, naming the file and what is wrong', () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ "region": ');
    expect(() => readPriceTable(notJson)).toThrow(notJson);
    const lacking = join(dir, 'lacking.json');
    writeFileSync(lacking, JSON.stringify({ region: 'x', currency: 'EUR', pricesTaken: '2026-12-03', deployed: { logRetentionMonths: 12 }, prices: {}, assumptions: {} }));
    expect(() => readPriceTable(lacking)).toThrow(/lacking\.json: prices\.stepFunctionsStandardPerTransition: missing/);
    expect(() => readPriceTable(join(dir, 'absent.json'))).toThrow(/absent\.json: ENOENT/);
  });
});

describe('priceRun', () => {
  it('prices the same counts at every table, the first heading', () => {
    const { cost, alsoCosts } = priceRun(metering, [usd, cny]);
    expect(cost.currency).toBe('USD');
    expect(alsoCosts.map((c) => c.currency)).toEqual(['CNY']);
    expect(alsoCosts[0]!.perProjectYear.counts).toEqual(cost.perProjectYear.counts);
    expect(alsoCosts[0]!.perProjectYear.total).toBeGreaterThan(cost.perProjectYear.total);
    expect(alsoCosts[0]!.perProjectYear.total).toBeCloseTo(cost.perProjectYear.total * 7, 10);
    expect(priceRun(metering, [cny]).alsoCosts).toEqual([]);
    expect(() => priceRun(metering, [])).toThrow('no price table');
  });
});

describe('money and costLine', () => {
  it('print yuan and dollars by their signs, any other currency by its code', () => {
    expect(money(0.01234, 'CNY')).toBe('¥0.0123');
    expect(money(12.345, 'USD')).toBe('$12.35');
    expect(money(3, 'EUR')).toBe('EUR 3.00');
  });
  it('says the region, currency and date of the prices with the totals', () => {
    const { alsoCosts } = priceRun(metering, [usd, cny]);
    expect(costLine(alsoCosts[0]!)).toMatch(/^cost \(test-cn, CNY, prices of \d{4}-\d{2}-\d{2}\): ¥[\d.]+ per project-year · zone fixed ¥[\d.]+\/month · 1000 projects ¥[\d.]+\/month · 10000 projects ¥[\d.]+\/month$/);
  });
  it('marks every total of a table with prices no source gave as a lower bound, and names them', () => {
    const unknown = { value: null, source: 'https://example.com', check: 'unverified (NOT FOUND)' };
    const partial: PriceTable = { ...cny, prices: { ...cny.prices, apiGatewayHttpPerRequest: unknown, schedulerPerInvocation: unknown } };
    const { cost } = priceRun(metering, [partial]);
    expect(costLine(cost)).toMatch(/^cost \(test-cn, CNY, prices of \d{4}-\d{2}-\d{2}\): ≥ ¥[\d.]+ per project-year · zone fixed ≥ ¥[\d.]+\/month · 1000 projects ≥ ¥[\d.]+\/month · 10000 projects ≥ ¥[\d.]+\/month — incomplete: no price for apiGatewayHttpPerRequest, schedulerPerInvocation$/);
  });
});
