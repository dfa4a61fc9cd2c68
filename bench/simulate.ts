// `npm run simulate -- --projects N --seed S [--horizon-days D] [--wall-minutes M] [--scale X] [--arrival-days A] [--concurrency C]
// [--ladder-grace G] [--ladder-window W] [--ladder-tasks all|enterprise] [--cpu-profile] [--client-in-loop] [--check-wakes]`: a
// synthetic zone in fast-forward on the local stack (bench/sim/engine.ts), checked by the deadline oracle
// (bench/sim/oracle.ts). Prints the figures, writes bench/results/simulation.json (git-ignored, as every result but the
// committed convention), and exits non-zero when an oracle found a lost, doubled, early, late or spurious light or ladder
// event (bench/sim/ladder-oracle.ts), an exited project's site was not released, or a workflow signal committed to the
// outbox was never delivered by its stream.
// The scale is business seconds per real second: 86400 runs a day a second. Unset, it and the concurrency follow the
// zone's size (bench/sim/pace.ts: a day a second for 100 projects, an eighth for 1,000), so the issue's plain command
// `npm run simulate -- --projects 1000 --seed 7` runs at a pace the local stack keeps on two cores. What the run would cost on
// AWS is priced with bench/aws-prices.json and any bench/aws-prices.<region>.json (or `--prices <file>`, repeatable:
// another region or currency) by bench/sim/cost.ts and
// written beside the JSON as a self-contained HTML report (simulation.html, with the growth table when
// simulation-growth.json from `npm run simulate:growth` is there) and the stages chart alone (simulation-stages.svg).
import { constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { simulate as Simulate } from './sim/engine.ts';
import { defaultPace } from './sim/pace.ts';
import { costLine, DEFAULT_PRICE_FILES, priceRun, readPriceTable } from './sim/prices.ts';
import { renderReport, stagesSvg, type GrowthRow } from './sim/report.ts';

const OPTIONS = {
  projects: { type: 'string', default: '30' },
  seed: { type: 'string', default: '7' },
  'horizon-days': { type: 'string', default: '540' },
  // Stop driving after this many real minutes, as if the horizon were the business day reached (the oracles check up
  // to it): what a zone of this size reaches in that time on this machine (issue 12's 10 minutes for 1,000 projects).
  'wall-minutes': { type: 'string' },
  // Unset: the fastest clock this stack keeps for the zone's size (defaultPace).
  scale: { type: 'string' },
  'arrival-days': { type: 'string' },
  concurrency: { type: 'string' },
  'ladder-grace': { type: 'string' },
  'ladder-window': { type: 'string' },
  // Whose overdue tasks raise the ladder (config/escalation ladderTasks), published by ops before the run.
  'ladder-tasks': { type: 'string' },
  // Where the Node process's time goes: V8's sampling profile over the drive, written beside the JSON (.cpuprofile,
  // opens in Chrome DevTools) and summed up by part in it (bench/sim/profile.ts). Measured at 100 projects: Node's CPU
  // seconds stay within the spread of runs without it (126 against 101–132), but the event loop's utilisation reads
  // 0.77 against 0.34–0.45 (the sampling counts as activity), so a profiled run's ELU is not comparable.
  'cpu-profile': { type: 'boolean', default: false },
  // The simulated users' HTTP client on the product's event loop instead of its own thread (for comparing the two).
  'client-in-loop': { type: 'boolean', default: false },
  // Once a business day, every project's stored wait against its ladder (bench/sim/wake-check.ts): a diagnostic.
  'check-wakes': { type: 'boolean', default: false },
  out: { type: 'string', default: 'results/simulation.json' },
  prices: { type: 'string', multiple: true },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const USAGE = `usage: npm run simulate -- [--projects N] [--seed S] [--horizon-days D] [--wall-minutes M] [--scale X]
  [--arrival-days A] [--concurrency C] [--ladder-grace G] [--ladder-window W]
  [--ladder-tasks all|enterprise] [--prices FILE] [--out FILE]
  [--cpu-profile] [--client-in-loop] [--check-wakes] [--verbose]
  --projects 30, --seed 7, --horizon-days 540 by default (达产 comes a year of figures after OPERATION); --wall-minutes
  stops the drive after M real minutes (start-up not counted) at the business day reached, checked and reported up to
  it; --scale (business seconds a real second) and --concurrency
  follow the zone's size; --out is a .json file relative to bench/ (default results/simulation.json; the HTML report and the
  stages chart are written beside it); --prices a price table relative to the current directory (npm run: the project
  root), repeatable, the first heading the report (default
  bench/aws-prices.json, then any bench/aws-prices.<region>.json); npm run simulate:price prices a run again. README.md,
  "Zone simulation 区域模拟", says what the run checks and writes.`;

/** A mistake on the command line: one line saying what, and exit 2 (no stack: nothing ran). */
function usageError(message: string): never {
  console.error(`simulate: ${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({ options: OPTIONS });
  } catch (err) {
    return usageError((err as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

// A Ctrl-C (or a SIGTERM) ends the run as an exit, so that its exit hooks stop DynamoDB Local and remove the run's data
// directory with its dev keys (a process killed by the signal itself runs none): nothing is written, exit 130 or 143.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    console.error(`simulate: ${signal}: stopped before the end of the run, nothing written`);
    process.exit(code);
  });
}

// The handlers' info lines (one per scheduled job, delivery sweep, …) would bury the figures: kept with --verbose.
const say = console.log.bind(console);
if (!values.verbose) console.log = () => {};
const int = (name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) usageError(`--${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max.toLocaleString('en')}`}, got ${text}`);
  return n;
};
// Bounds that keep a mistyped figure (--projects 1e9) from building a zone no machine holds, silently, for minutes: a
// zone has hundreds of projects (the cost model prices 10,000), a lifecycle a few years.
const MAX_PROJECTS = 100_000;
const MAX_DAYS = 3_650;
// The price tables are read and checked before the run: a bad one found after it would lose the run's figures.
const priceTables = (values.prices?.length ? values.prices : DEFAULT_PRICE_FILES).map((file) => {
  try {
    return readPriceTable(file);
  } catch (err) {
    return usageError(`--prices ${(err as Error).message}`);
  }
});
// --out names the run's JSON, and every other file of the run is named after it: checked before the run, since a name
// found wanting after it loses the run's figures — and `--out ''` named this very file, overwritten with the JSON.
if (!/[^/]\.json$/.test(values.out)) usageError(`--out must name a .json file (the report and the chart are written beside it), got '${values.out}'`);
const out = new URL(values.out, import.meta.url);
/**
 * `mkdir -p`, one directory at a time from the nearest that exists: Node's recursive mkdir loops for ever where the
 * kernel answers ENOENT for a directory under a parent that exists (`--out /proc/x/run.json` hung the command).
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir.replace(/(.)\/+$/, '$1'); !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}
try {
  makeDirectories(fileURLToPath(new URL('.', out)));
  await access(new URL('.', out), constants.W_OK);
  if (existsSync(out) && statSync(out).isDirectory()) throw new Error('a directory');
} catch (err) {
  usageError(`--out ${fileURLToPath(out)}: ${(err as Error).message}`);
}
/** The path every file of this run is named after: simulation.json, simulation.html, simulation-stages.svg, … */
const stem = out.pathname.replace(/\.json$/, '');
const projectCount = int('projects', values.projects, 1, MAX_PROJECTS);
const pace = defaultPace(projectCount);
const ladderTasks = values['ladder-tasks'];
if (ladderTasks !== undefined && ladderTasks !== 'all' && ladderTasks !== 'enterprise') usageError(`--ladder-tasks must be all or enterprise, got ${ladderTasks}`);
// Every option is checked before the engine is loaded (the handlers, the AWS SDK, the runner: seconds on a busy machine),
// so a usage error is said at once.
const options: Parameters<typeof Simulate>[0] = {
  projects: projectCount,
  seed: int('seed', values.seed, 0),
  horizonDays: int('horizon-days', values['horizon-days'], 1, MAX_DAYS),
  stopAfterSeconds: values['wall-minutes'] === undefined ? undefined : 60 * int('wall-minutes', values['wall-minutes'], 1, 100_000),
  scale: values.scale === undefined ? pace.scale : int('scale', values.scale, 1),
  arrivalDays: values['arrival-days'] === undefined ? undefined : int('arrival-days', values['arrival-days'], 1, MAX_DAYS),
  concurrency: values.concurrency === undefined ? pace.concurrency : int('concurrency', values.concurrency, 1, 1_000),
  clientInLoop: values['client-in-loop'],
  checkWakes: values['check-wakes'],
  cpuProfileFile: values['cpu-profile'] ? `${stem}.cpuprofile` : undefined,
  // A quicker escalation ladder (config/escalation published by ops before the run): grace and every rung's window.
  ladder: {
    graceWd: values['ladder-grace'] === undefined ? undefined : int('ladder-grace', values['ladder-grace'], 0),
    responseWd: values['ladder-window'] === undefined ? undefined : int('ladder-window', values['ladder-window'], 1),
    tasks: ladderTasks,
  },
  log: (line) => console.error(line),
};
const { simulate } = await import('./sim/engine.ts');
const result = await simulate(options);
const { cost, alsoCosts } = priceRun(result.metering, priceTables);
await writeFile(out, `${JSON.stringify({ ...result, cost, alsoCosts }, null, 2)}\n`);
const growthFile = new URL('simulation-growth.json', out);
const growth = existsSync(growthFile) ? (JSON.parse(readFileSync(growthFile, 'utf8')) as { rows: GrowthRow[] }).rows : undefined;
const html = new URL(`${stem}.html`, out);
await writeFile(html, renderReport({ run: result, cost, alsoCosts, growth }));
await writeFile(new URL(`${stem}-stages.svg`, out), stagesSvg(result.metering.series));

const { wallSeconds: wall, business, api, dynamodbGetItem: raw, oracle, projects, lights } = result;
say(`zone of ${projects.created} projects, seed ${result.options.seed}, scale ${result.options.scale}, concurrency ${result.options.concurrency}: ${business.days} business days in ${wall.drive} s (${business.daysPerSecond} days/s; wall ${wall.total} s)`);
if (business.stopped) say(`stopped by --wall-minutes ${values['wall-minutes']} at business day ${business.stopped.atDay} of ${business.stopped.horizonDays}: every figure and both oracles cover the days driven`);
if (projects.notCreated) say(`${projects.notCreated} of the ${result.options.projects} projects were never created before the horizon passed (their arrival came after it, or the clock outran the simulator): the oracles checked less than the zone asked for, so the run fails — a slower --scale, a shorter --arrival-days or a longer --horizon-days drives them all`);
const { cpu } = result;
say(`CPU over the drive: Node ${cpu.nodeCpuSeconds} s, DynamoDB Local ${cpu.dynamodbLocalCpuSeconds} s, other processes on the machine ${cpu.otherProcessesCpuSeconds} s (${round1(cpu.otherProcessesShareOfCores * 100)} % of its ${result.machine.cpus} cores)${cpu.otherProcessesShareOfCores > 0.05 ? ' — not a quiet run: late events and the p99 may be theirs (the run needs the machine to itself)' : ''}`);
say(`end: ${JSON.stringify(projects.byStage)} · tasks never done ${projects.tasksNeverDone} · planned late ${projects.tasksPlannedLate}`);
say(`lights: yellow ${lights.yellow}, red ${lights.red} · owed ${JSON.stringify(lights.expected)} · recorded ${JSON.stringify(lights.recorded)} (recorded may pass owed: a yellow on a task its stage closed, or one due on the last day, is neither owed nor a defect)`);
say(`API ${api.count} calls p50 ${api.p50} ms p99 ${api.p99} ms · DynamoDB Local GetItem p99 ${raw.p99} ms (${raw.count} probes) · ratio ${result.apiP99OverGetItemP99} (target ≤ 3) · GetItem sent with every 8th call p99 ${result.dynamodbGetItemWithCalls.p99} ms, ratio ${result.apiP99OverGetItemWithCallsP99} · GetItem from the product's loop (as runs before 2026-12-01) p99 ${result.dynamodbGetItemOnProductLoop.p99} ms, ratio ${result.apiP99OverGetItemOnProductLoopP99}`);
say(`API calls that lost a race (a write refused, re-read and retried): ${result.apiRaced.count}, p50 ${result.apiRaced.p50} ms · the other calls' p99 ${result.apiRaced.othersP99} ms, ratio ${result.apiRaced.othersP99OverGetItemP99}`);
say(`oracle: ${oracle.tasksChecked} tasks · lost ${oracle.counts.lost} · doubled ${oracle.counts.doubled} · early ${oracle.counts.early} · late ${oracle.counts.late} · spurious ${oracle.counts.spurious}`);
const { ladder } = result;
say(`ladder: recorded ${JSON.stringify(ladder.recorded)} · expected ${JSON.stringify(ladder.expected)} · lost ${ladder.counts.lost} · doubled ${ladder.counts.doubled} · early ${ladder.counts.early} · late ${ladder.counts.late} · spurious ${ladder.counts.spurious} (recorded may pass expected: an event due on the last day reached is checked if it came, but not owed)`);
say(`workflow signals: ${result.signals.committed} committed · ${result.signals.undelivered} never delivered by the outbox stream${result.signals.undelivered ? ` (${result.signals.examples.join(', ')})` : ''}`);
say(`stream polls: ${Object.entries(result.signals.streamPolls).map(([table, c]) => `${table} ${c.polls} polls, ${c.records} records`).join(' · ')}`);
say(`exits: decided ${ladder.exits.decided} · completed ${ladder.exits.completed} · sites released ${ladder.exits.sitesReleased} · not released ${ladder.exits.notReleased.length} · answers ${JSON.stringify(ladder.people)}`);
// The people's looks (a project and its tasks read) and those that found nothing new yet — a reaction awaited that had
// not come — by what they waited for: how long the workflow takes to react, seen from the API.
const looks = Object.entries(result.simulator.looksBy).map(([cause, l]) => `${cause} ${l.looks}/${l.idle}`);
say(`people's looks: ${result.simulator.looks}, ${result.simulator.looksFindingNothing} finding nothing new (by cause, looks/nothing: ${looks.join(' · ')})`);
const py = cost.perProjectYear.counts;
// Where the store's time goes: the functions that make the most DynamoDB calls, with their calls and round trips (calls
// that waited on one another) per invocation.
const busiest = Object.entries(result.metering.lambda.functions)
  .sort(([, a], [, b]) => b.dynamodbCalls - a.dynamodbCalls)
  .slice(0, 6)
  .map(([name, f]) => `${name} ${f.dynamodbCalls} (${(f.dynamodbCalls / f.invocations).toFixed(1)} calls, ${(f.dynamodbRoundTrips / f.invocations).toFixed(1)} round trips each)`);
say(`DynamoDB calls by function: ${busiest.join(' · ')}`);
// Where an HTTP function's time goes: its mean duration, the part it waited on DynamoDB (its calls' spans, overlaps once,
// up to the moment the busy loop took each answer) and the rest — the handler's own work and its other waits.
const served = Object.entries(result.metering.lambda.functions)
  .filter(([, f]) => f.kind === 'http' && f.invocations > 0)
  .sort(([, a], [, b]) => b.durationMs - a.durationMs)
  .slice(0, 6)
  .map(([name, f]) => `${name} ${(f.durationMs / f.invocations).toFixed(1)} ms (store ${(f.dynamodbMs / f.invocations).toFixed(1)}, rest ${((f.durationMs - f.dynamodbMs) / f.invocations).toFixed(1)})`);
say(`HTTP functions, mean time each: ${served.join(' · ')}`);
// The business day hour by hour (Asia/Shanghai): where the people's calls and their tail fall, and the product's other
// work (workflow steps, stream consumers, scheduled jobs) started in the same hour.
const hourly = api.byBusinessHour.filter((h) => h.apiCalls > 0 || h.otherInvocations > 0).map((h) => `${String(h.hour).padStart(2, '0')}h api ${h.apiCalls} p50 ${h.apiP50} p99 ${h.apiP99}, other ${h.otherInvocations} (${(h.otherMs / 1000).toFixed(1)} s)`);
say(`by business hour: ${hourly.join(' · ')}`);
// Who queues at the emulator's transactions (bench/emulator-transactions.ts): the functions that commit the most items.
const committing = Object.entries(result.metering.lambda.functions)
  .filter(([, f]) => f.transactions > 0)
  .sort(([, a], [, b]) => b.transactionItems - a.transactionItems)
  .slice(0, 8)
  .map(([name, f]) => `${name} ${f.transactions} (${(f.transactionItems / f.transactions).toFixed(1)} items each)`);
say(`transactions by function: ${committing.join(' · ')}`);
// The same calls by command, timed at the product's client: what a GetItem, a query or a transaction of n items took.
const commands = Object.entries(result.metering.commands).map(
  ([name, c]) => `${name} ${c.count} p50 ${c.p50} p99 ${c.p99} ms${c.byItems ? ` (${c.meanItems} items each; ${Object.entries(c.byItems).map(([band, b]) => `${band} items: ${b.count}, p50 ${b.p50} p99 ${b.p99}`).join(', ')})` : ''}`,
);
say(`DynamoDB calls by command: ${commands.join(' · ')}`);
// Invocations that had a write refused (a race lost to another writer of the same project, re-read and retried, or a
// condition): each paid a read and a write more than it needed, so they sit in the tail of their function's latency.
const refused = Object.entries(result.metering.lambda.functions)
  .filter(([, f]) => f.invocationsRefused > 0)
  .sort(([, a], [, b]) => b.invocationsRefused - a.invocationsRefused)
  .slice(0, 8)
  .map(([name, f]) => `${name} ${f.invocationsRefused} of ${f.invocations} (${((100 * f.invocationsRefused) / f.invocations).toFixed(1)} %, ${f.refusedWrites} writes)`);
say(`invocations with a write refused: ${refused.join(' · ') || 'none'}`);
const reasons = Object.entries(result.metering.refusalReasons).map(([code, n]) => `${code} ${n}`);
if (reasons.length) say(`writes refused, by why: ${reasons.join(' · ')}`);
// Each workflow step retry sleeps real seconds (the ASL's Retry): on a fast clock a business day each, so a deadline
// behind one is late.
const retries = result.workflow.retries;
if (result.wakeCheck) {
  const w = result.wakeCheck;
  say(`wake check: ${w.checks} days, ${w.waitsSeen} waits read${w.keysUnread ? ` (${w.keysUnread} keys left unread)` : ''}, ${w.missed} sleeping past their ladder's window or extension, ${w.asleep} projects a business day without a live wait, unchanged`);
  for (const a of w.asleepExamples.slice(0, 5)) say(`  ${a.projectId}: no live wait since ${a.since} (seen ${a.seenOn}, version ${a.version}; stored: ${a.wait ? `${a.wait.kind} until ${a.wait.dueAt}, v${a.wait.version}` : 'none'})`);
  for (const m of w.examples.slice(0, 5)) say(`  ${m.projectId} on ${m.seenOn}: ${m.why} owed by ${m.owedBy}, wait ${m.wait.kind} until ${m.wait.dueAt} (v${m.wait.version}, registered ${m.wait.registeredAt ?? '?'}, ${m.wait.executionName ?? '?'}); ladder L${m.project.level} next ${m.project.nextDue ?? '-'} extended ${m.project.extendedUntil ?? '-'}`);
}
say(`workflow step retries: ${retries.count ? `${retries.count} (${Object.entries(retries.byCause).map(([k, n]) => `${k} ${n}`).join(' · ')}), longest ${retries.waitMaxMs} ms = ${retries.waitMaxBusinessHours} business hours` : 'none'}`);
say(`per project-year (${result.metering.projects.projectYears.toFixed(2)} project-years): ${Math.round(py.readUnits)} RCU · ${Math.round(py.writeUnits)} WCU · ${Math.round(py.lambdaInvocations)} Lambda invocations · ${Math.round(py.stateTransitions)} transitions · ${Math.round(py.apiRequests)} API requests`);
for (const c of [cost, ...alsoCosts]) say(costLine(c));
if (result.cpuProfile) {
  const p = result.cpuProfile;
  say(`Node CPU by part (sampled over ${p.sampledSeconds} s, ${p.idleSeconds} s idle): ${p.parts.map((x) => `${x.part} ${x.seconds} s (${x.share} %)`).join(' · ')}`);
  say(`busiest packages: ${p.packages.slice(0, 6).map((x) => `${x.name} ${x.share} %`).join(' · ')}`);
}
if (result.simulator.actionsFailed) say(`simulator: ${result.simulator.actionsFailed} actions failed, e.g. ${result.simulator.failures.slice(0, 3).join(' | ')}`);
say(`wrote ${out.pathname} and ${html.pathname}`);
// The runner keeps timers of aborted executions; the figures are written, so end here.
process.exit(result.ok ? 0 : 1);

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
