// The price tables a simulation is priced with (bench/aws-prices*.json), read and checked, and the one line each
// prices a run to. A run is priced with every committed table by default — bench/aws-prices.json (the US list prices)
// heading the report, then any other bench/aws-prices.<region>.json in name order (another region, another currency:
// bench/aws-prices.cn-northwest-1.json, in yuan, is incomplete — 6 of its 10 prices were found nowhere and are null,
// so its totals are lower bounds, printed as such) — and `--prices FILE` (repeatable) names others. `npm run simulate:price` prices a finished run again (bench/sim/price.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { costOf, priceTableErrors, type CostReport, type PriceTable } from './cost.ts';
import type { MeteringReport } from './metering.ts';

/** The committed tables: bench/aws-prices.json first, then bench/aws-prices.<region>.json in name order. */
export const DEFAULT_PRICE_FILES: readonly string[] = (() => {
  const dir = new URL('../', import.meta.url);
  const others = readdirSync(dir)
    .filter((name) => /^aws-prices\.[\w-]+\.json$/.test(name))
    .sort();
  return ['aws-prices.json', ...others].map((name) => fileURLToPath(new URL(name, dir)));
})();

/** A price table from a file, or an Error saying what is wrong with it (`path: why; …`). */
export function readPriceTable(file: string): PriceTable {
  let table: unknown;
  try {
    table = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const errors = priceTableErrors(table);
  if (errors.length) throw new Error(`${file}: ${errors.join('; ')}`);
  return table as PriceTable;
}

/** A run's counts at every table: the first heads the report, the others follow it. */
export function priceRun(m: MeteringReport, tables: readonly PriceTable[]): { cost: CostReport; alsoCosts: CostReport[] } {
  const [first, ...others] = tables;
  if (!first) throw new Error('no price table');
  return { cost: costOf(m, first), alsoCosts: others.map((t) => costOf(m, t)) };
}

/** An amount in the table's currency as the console prints it: ¥ and $ by their signs, any other by its code. */
export function money(n: number, currency: string): string {
  const sign = currency === 'USD' ? '$' : currency === 'CNY' ? '¥' : `${currency} `;
  return `${sign}${n.toFixed(n < 1 ? 4 : 2)}`;
}

/** The console's line for one priced run. */
export function costLine(cost: CostReport): string {
  const m = (n: number) => money(n, cost.currency);
  // A table with prices no source gave: every figure is at least what it shows, and the line says what is left out.
  const partial = (cost.unpriced ?? []).length > 0;
  const atLeast = partial ? '≥ ' : '';
  return `cost (${cost.region}, ${cost.currency}, prices of ${cost.pricesTaken}): ${atLeast}${m(cost.perProjectYear.total)} per project-year · zone fixed ${atLeast}${m(cost.zoneMonthly.total)}/month · ${cost.monthly.map((row) => `${row.projects} projects ${atLeast}${m(row.total)}/month`).join(' · ')}${partial ? ` — incomplete: no price for ${cost.unpriced.join(', ')}` : ''}`;
}
