// `npm run simulate:growth -- [--sizes 10,30,100] [--seed 7] [--horizon-days 60] [--scale 86400] [--prices file]... [--reuse]`:
// does the cost grow linearly with the zone? The cost model is linear by construction (per project-year counts × N),
// so this measures the counts instead: the same seed and horizon simulated at several sizes, one process each (a
// process binds its handlers to one DynamoDB Local), and per-project-year counts side by side — flat across sizes is
// linear growth; rising is worse — as long as the local stack keeps up with every size (a zone that falls behind does
// less work per business day: compare where each size's projects ended, and its defects). Writes bench/results/simulation-growth.json (which `npm run simulate` then shows in
// its report) and each size's run under bench/results/growth/, its report with the growth table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CostReport } from './cost.ts';
import { renderReport, type GrowthRow, type ReportInput } from './report.ts';

const USAGE = 'usage: npm run simulate:growth -- [--sizes 10,30,100] [--seed 7] [--horizon-days 60] [--scale 86400] [--prices FILE]... [--reuse]';
/** A mistake on the command line: one line saying what, and exit 2 (no stack: nothing ran). */
function usageError(message: string): never {
  console.error(`simulate:growth: ${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        sizes: { type: 'string', default: '10,30,100' },
        seed: { type: 'string', default: '7' },
        'horizon-days': { type: 'string', default: '60' },
        scale: { type: 'string', default: '86400' },
        prices: { type: 'string', multiple: true },
        /** Tabulate the runs already under bench/results/growth/ instead of running them again. */
        reuse: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return usageError((err as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) usageError(`--sizes must be positive integers separated by commas, got ${values.sizes}`);

const results = new URL('../results/', import.meta.url);
mkdirSync(new URL('growth/', results), { recursive: true });
const simulate = fileURLToPath(new URL('../simulate.ts', import.meta.url));
const runs: { file: URL; json: ReportInput['run'] & { cost: CostReport; alsoCosts?: CostReport[]; ok: boolean } }[] = [];
for (const n of sizes) {
  const file = new URL(`growth/simulation-${n}.json`, results);
  if (values.reuse && existsSync(file)) {
    runs.push({ file, json: JSON.parse(readFileSync(file, 'utf8')) });
    continue;
  }
  const args = ['tsx', simulate, '--projects', String(n), '--seed', values.seed, '--horizon-days', values['horizon-days'], '--scale', values.scale, '--out', fileURLToPath(file)];
  for (const p of values.prices ?? []) args.push('--prices', p);
  console.error(`growth: ${n} projects …`);
  const run = spawnSync('npx', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  // A run whose oracle found defects exits 1 but still wrote its figures: they belong in the table, flagged. One that
  // refused its options (exit 2) said why: so does this command, the same way.
  if (run.status === 2) usageError(`the ${n}-project run refused its options (above)`);
  if (run.status !== 0 && run.status !== 1) {
    console.error(`simulate:growth: the ${n}-project run failed (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
  runs.push({ file, json: JSON.parse(readFileSync(file, 'utf8')) });
}

const rows: GrowthRow[] = runs.map(({ json }) => ({
  projects: json.projects.created,
  projectYears: Math.round(json.metering.projects.projectYears * 1000) / 1000,
  perProjectYear: Object.fromEntries(Object.entries(json.cost.perProjectYear.counts).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  costPerProjectYear: json.cost.perProjectYear.total,
  wallSeconds: json.wallSeconds.total,
  defects: json.oracle.defects,
  byStage: json.projects.byStage,
  apiP99: json.api.p99,
}));
writeFileSync(new URL('simulation-growth.json', results), `${JSON.stringify({ generatedAt: new Date().toISOString(), seed: Number(values.seed), horizonDays: Number(values['horizon-days']), scale: Number(values.scale), rows }, null, 2)}\n`);
for (const { file, json } of runs) writeFileSync(new URL(file.pathname.replace(/\.json$/, '.html'), file), renderReport({ run: json, cost: json.cost, alsoCosts: json.alsoCosts, growth: rows }));

const keys = ['readUnits', 'writeUnits', 'lambdaInvocations', 'stateTransitions', 'apiRequests'] as const;
console.log(['projects', 'project-years', ...keys, 'cost/project-year', 'defects', 'ended in'].join('\t'));
for (const r of rows) console.log([r.projects, r.projectYears, ...keys.map((k) => r.perProjectYear[k]), r.costPerProjectYear.toFixed(4), r.defects, JSON.stringify(r.byStage)].join('\t'));
const first = rows[0]!;
const last = rows.at(-1)!;
for (const k of keys) {
  const ratio = (last.perProjectYear[k] ?? 0) / Math.max(1e-9, first.perProjectYear[k] ?? 0);
  console.log(`${k} per project-year, ${last.projects} vs ${first.projects} projects: ×${ratio.toFixed(2)}`);
}
