// `npm run simulate:price -- [--run FILE] [--prices FILE]...`: prices a finished simulation again — with a price
// table changed, or another region's — without running it again (a 1,000-project run takes an hour). The run's counts
// (its JSON's metering) are what is priced; its JSON and HTML report are written again with the new costs, the first
// table heading them, and one line per table printed. --run is relative to bench/ (default results/simulation.json);
// --prices as for `npm run simulate` (default: every committed table, bench/aws-prices*.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MeteringReport } from './metering.ts';
import { costLine, DEFAULT_PRICE_FILES, priceRun, readPriceTable } from './prices.ts';
import { renderReport, type GrowthRow, type ReportInput } from './report.ts';

const USAGE = 'usage: npm run simulate:price -- [--run FILE] [--prices FILE]...';
function usageError(message: string): never {
  console.error(`simulate:price: ${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { run: { type: 'string', default: 'results/simulation.json' }, prices: { type: 'string', multiple: true }, help: { type: 'boolean', default: false } } });
  } catch (err) {
    return usageError((err as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const file = new URL(values.run, new URL('../', import.meta.url));
if (!existsSync(file)) usageError(`--run ${file.pathname}: no such file (npm run simulate writes it)`);
const run = (() => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReportInput['run'] & { metering?: MeteringReport };
  } catch (err) {
    return usageError(`--run ${file.pathname}: ${(err as Error).message}`);
  }
})();
if (!run.metering?.projects || !run.metering.lambda) usageError(`--run ${file.pathname}: not a simulation's figures (no metering)`);
const tables = (values.prices?.length ? values.prices : DEFAULT_PRICE_FILES).map((f) => {
  try {
    return readPriceTable(f);
  } catch (err) {
    return usageError(`--prices ${(err as Error).message}`);
  }
});

const { cost, alsoCosts } = priceRun(run.metering, tables);
writeFileSync(file, `${JSON.stringify({ ...run, cost, alsoCosts }, null, 2)}\n`);
const growthFile = new URL('simulation-growth.json', file);
const growth = existsSync(growthFile) ? (JSON.parse(readFileSync(growthFile, 'utf8')) as { rows: GrowthRow[] }).rows : undefined;
const html = new URL(file.pathname.replace(/\.json$/, '.html'), file);
writeFileSync(html, renderReport({ run, cost, alsoCosts, growth }));
for (const c of [cost, ...alsoCosts]) console.log(costLine(c));
console.log(`wrote ${file.pathname} and ${html.pathname}`);
