// `npm run bench [-- --runs N]`: runs each bench section, prints its table and writes bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatHandlers, measureHandlers } from './cold-start.ts';
import { formatWorkflow, measureWorkflow } from './workflow.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
// Below 10 the median and p90 of a noisy shared machine are not worth comparing.
if (!Number.isInteger(runs) || runs < 10) throw new Error(`--runs must be an integer ≥ 10, got ${values.runs}`);

const started = performance.now();
const handlers = await measureHandlers({ runs });
console.log(formatHandlers(handlers));
const workflow = await measureWorkflow();
console.log(`\n${formatWorkflow(workflow)}`);

// Sections sit side by side in one file (the next one: `workflow`); the handler section (runs included) stays top-level.
const results = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, totalMemGB: Math.round(totalmem() / 2 ** 30) },
  ...handlers,
  workflow,
};
const out = new URL('results/latest.json', import.meta.url);
await mkdir(new URL('.', out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

console.log(`\nwrote bench/results/latest.json in ${((performance.now() - started) / 1000).toFixed(1)} s`);
// A missed target is a finding, not a failure; a bundle that cannot build or load is.
if (handlers.failures.length > 0) process.exitCode = 1;
// The runner keeps timers of aborted executions; the results are written, so end here.
process.exit();
