// The China (Ningxia) price table (bench/aws-prices.cn-northwest-1.json): read as every committed table is
// (bench/sim/prices.ts), in yuan, each price naming its source and how it was checked; a price no source gave is null
// and says so (the run's yuan figures are then lower bounds, marked) — never a figure borrowed from the us-east-1 table.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { priceTableErrors } from '../../bench/sim/cost.ts';
import { costLine, DEFAULT_PRICE_FILES, priceRun, readPriceTable } from '../../bench/sim/prices.ts';
import { meteringReport } from '../support/simulation.ts';

const file = fileURLToPath(new URL('../../bench/aws-prices.cn-northwest-1.json', import.meta.url));
type Sourced = { value: number | null; unit: string; source: string; check: string };

describe('bench/aws-prices.cn-northwest-1.json', () => {
  const table = readPriceTable(file);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { prices: Record<string, Sourced>; notUsed: Record<string, Sourced | string>; deployed: unknown; assumptions: unknown };
  const usd = JSON.parse(readFileSync(DEFAULT_PRICE_FILES[0]!, 'utf8')) as { prices: Record<string, Sourced>; deployed: unknown; assumptions: unknown };

  it('loads as prices.ts loads a table, in yuan for Ningxia, and is priced with every run by default', () => {
    expect(priceTableErrors(raw)).toEqual([]);
    expect([table.region, table.currency]).toEqual(['cn-northwest-1', 'CNY']);
    expect(table.pricesTaken).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICE_FILES).toContain(file);
    expect(raw.deployed).toEqual(usd.deployed);
    expect(raw.assumptions).toEqual(usd.assumptions);
  });

  it('names a source and a check for each price; a price not found is null and says so', () => {
    for (const [key, price] of Object.entries(raw.prices)) {
      expect(price.source, key).toMatch(/^https:\/\//);
      expect(price.check, key).toMatch(/^(verified|third-party|unverified)/);
      expect(price.unit, key).toMatch(/^CNY /);
      if (price.check.startsWith('unverified')) {
        expect(price.value, key).toBeNull();
        expect(price.check, key).toContain('NOT FOUND');
      } else expect(price.value, key).toBeGreaterThan(0);
      // A yuan table borrows no dollar figure: no found price equals the us-east-1 one.
      if (price.value !== null) expect(price.value, key).not.toBe(usd.prices[key]!.value);
    }
  });

  it('keeps the x86 Lambda duration figure out of the arm64 price', () => {
    expect(table.prices.lambdaArmPerGbSecond.value).toBeNull();
    const x86 = raw.notUsed.lambdaDurationPerGbSecondArchitectureNotStated as Sourced;
    expect(x86.value).toBeGreaterThan(0);
    expect(Object.values(raw.prices).map((p) => p.value)).not.toContain(x86.value);
  });

  it('prices a run after the US table, in ¥', () => {
    const { alsoCosts } = priceRun(meteringReport(), [readPriceTable(DEFAULT_PRICE_FILES[0]!), table]);
    const cny = alsoCosts[0]!;
    expect(costLine(cny)).toMatch(/^cost \(cn-northwest-1, CNY, prices of \d{4}-\d{2}-\d{2}\): ≥ ¥[\d.]+ per project-year/);
    expect(costLine(cny)).toContain('— incomplete: no price for lambdaArmPerGbSecond, dynamodbOnDemandPerReadUnit, dynamodbOnDemandPerWriteUnit, dynamodbStoragePerGbMonth, apiGatewayHttpPerRequest, schedulerPerInvocation');
    expect(cny.incomplete).toEqual(['lambda', 'dynamodb', 'apiGateway', 'scheduler']);
    expect(cny.perProjectYear.cost.stepFunctions).toBeGreaterThan(0);
  });
});
