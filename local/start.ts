// `npm start`: the whole product on one machine — DynamoDB Local, the real ASL in the embedded runner, the HTTP API
// on localhost, seed and demo data, dev tokens. Flags: --fresh (empty store), --no-seed (remembered by the store),
// --seed (the demo data after all), --port N (or PORT).
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { shanghaiDate } from '../functions/kernel/domain/dates.ts';
import { createVerifier, devIdentity, loadOrCreateKeys, signToken } from './auth.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { businessAt, chooseClock, isReal, type StoredClock } from './clock-env.ts';
import { dataDir, projectRoot } from './paths.ts';
import { writeWhole } from './files.ts';
import { claimStore, emptyStore, portFree } from './store-lock.ts';
import { seedCall } from './seed-call.ts';
import { clearDemoSeeding, readDemoSeeding, writeDemoSeeding } from './demo-seeding.ts';
import { createApiServer, type HttpHandler } from './server.ts';
import { spawnWatchedChild } from './parent-watch.ts';
import { composeLocalRuntime, logRuntimeError, type LocalRuntime } from './runtime.ts';

const { values: flags } = parseArgs({
  options: { fresh: { type: 'boolean', default: false }, 'no-seed': { type: 'boolean', default: false }, seed: { type: 'boolean', default: false }, port: { type: 'string' } },
});
if (flags.seed && flags['no-seed']) {
  // Opposite wishes: refused before anything is touched (not one of them silently winning).
  console.error('npm start: --seed adds the demo data and --no-seed leaves it out; give one of them');
  process.exit(2);
}
const say = (line: string) => console.log(line);
const t0 = Date.now();
const phase = (name: string) => process.env.ZONEFLOW_DEBUG && console.error(`[start] ${name} +${Date.now() - t0} ms`);
const dir = dataDir();
const port = Number(flags.port ?? process.env.PORT ?? 3000);
// Before anything is touched: no other runtime holds the store (a second start there — with --fresh, one wiping it —
// left the first answering 503 to everything), and the ports this start needs are free (it died on a taken API port
// only after it had started DynamoDB Local, --fresh carried out).
mkdirSync(dir, { recursive: true });
const claim = claimStore(dir);
if ('refused' in claim) {
  console.error(claim.refused);
  process.exit(2);
}
process.on('exit', () => claim.release());
for (const [name, wanted, host] of [['PORT', port, '127.0.0.1'], ['DYNAMODB_PORT', Number(process.env.DYNAMODB_PORT ?? 0), undefined]] as const) {
  if (wanted && !(await portFree(wanted, host))) {
    console.error(`npm start: port ${wanted} is in use (another zoneflow, or another program): ${name}=<port> moves it`);
    process.exit(2);
  }
}
if (flags.fresh) emptyStore(dir);

/**
 * Whether this start adds the demo projects and inventory. A store started with --no-seed remembers it
 * (`.zoneflow/no-seed`): a plain `npm start` later (the runbook's restart) adds nothing to it; `--seed` adds the demo
 * and forgets the choice.
 */
function demoWanted(): boolean {
  const marker = join(dir, 'no-seed');
  if (flags.seed) {
    rmSync(marker, { force: true });
    return true;
  }
  if (flags['no-seed']) {
    writeFileSync(marker, 'This store was started with --no-seed: `npm start` adds no demo data to it (`npm start -- --seed` does).\n');
    return false;
  }
  return !existsSync(marker);
}
const demo = demoWanted();
if (!demo && !flags['no-seed']) say('demo data: none added (this store was started with --no-seed; `npm start -- --seed` adds it)');
// A start stopped while it made the demo, and this one asked for none: what is missing is said, not made.
if (!demo && readDemoSeeding(dir)) say('demo data: incomplete (a start was stopped while it made it; `npm start -- --seed` finishes it, `npm start -- --fresh` rebuilds the store)');

/** One business clock for the process and its timers, persisted so business time survives a restart. */
function clockEnv(): Record<string, string> {
  const file = join(dir, 'clock.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredClock) : undefined;
  const choice = chooseClock({ start: process.env.ZONEFLOW_CLOCK_START, scale: process.env.ZONEFLOW_TIME_SCALE, stored, nowMs: Date.now(), file });
  if ('refused' in choice) {
    console.error(choice.refused);
    process.exit(2);
  }
  // Written whole on every start: a start killed while writing it keeps the store's clock (half a file stopped every
  // later start with a SyntaxError).
  if (choice.write) writeWhole(file, JSON.stringify(choice.write));
  if (choice.respeeded) say(`business clock: carried on from ${choice.write!.start} at ×${choice.respeeded.to} (was ×${choice.respeeded.from}); a new start instant needs ZONEFLOW_CLOCK_START`);
  if (choice.carriedScale) say(`business clock: carried on at ×${choice.carriedScale}, as this store last ran (\`ZONEFLOW_TIME_SCALE=1 npm start\` goes on at real speed)`);
  const clock = choice.write;
  // A clock asked for stands still while the store is stopped: the instant reached is recorded when this process exits
  // (its runtime stopped: nothing is dated after it) and the next start carries on from it (clock-env.ts). A process
  // killed outright records nothing — its clock runs on, so no record it dated can lie after the next start's "now".
  // Written whole, then renamed: never half a file.
  // Before the store's claim is given up (an exit listener registered earlier): no start may read the clock unwritten.
  if (clock && !isReal(clock)) {
    process.prependListener('exit', () => {
      writeWhole(file, JSON.stringify({ ...clock, reached: new Date(businessAt(clock, Date.now())).toISOString() }));
    });
  }
  return choice.env;
}

// As each function on AWS (infra/constructs/zone-function.ts): the configuration in force kept 30 s (a publication through
// the API applies at once here: one process).
process.env.REFERENCE_CACHE_SECONDS ??= '30';
// Deaf to the terminal's Ctrl-C (it reaches the whole process group): stopped by shutdown() below, after the work under way.
const dynamo = await startDynamoDbLocal({ dbPath: join(dir, 'dynamodb'), port: process.env.DYNAMODB_PORT ? Number(process.env.DYNAMODB_PORT) : undefined, ignoreCtrlC: true });
phase('dynamodb local ready');
/** Filled in as the parts start, so a Ctrl-C during start-up stops whatever is already running. */
const running: { runtime?: LocalRuntime; server?: Server; replay?: ChildProcess } = {};
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  // What start-up was doing meanwhile (the demo seeded through the API, lifecycles resumed) fails as the server and the
  // store stop under it: the stop's doing, not news — no stack trace, and the exit code the stop's (a Ctrl-C while the
  // demo was seeded ended with a 'fetch failed' trace and code 1).
  process.on('uncaughtException', () => undefined);
  // The demo's month, stopped with it (not only by a Ctrl-C that reaches the whole process group): it records where it got to.
  running.replay?.kill('SIGINT');
  running.runtime?.stop();
  // The store stops once the requests in flight are answered and the work under way has ended (the delivery sweep cut
  // between a mail and its commit mailed it again at the next start), each given at most 10 s — the demo's month's
  // too: the child waits for its own work, then exits.
  await Promise.all([drain(running.server), settle(running.runtime), ended(running.replay)]);
  await dynamo.stop();
  process.exit(code);
}
/**
 * Stops taking requests and lets those in flight finish (at most 10 s) before the store stops under them: a write that
 * commits is answered — its connection cut at the Ctrl-C, a client without an Idempotency-Key could not know it was done.
 */
async function drain(server: Server | undefined) {
  if (!server) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  server.closeAllConnections();
}
/** The demo month's child gone: it exits once its own work has ended (at most 10 s), given a little more here. */
async function ended(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 12_000).unref())]);
}
/** Lets the invocations under way (scheduled jobs, stream consumers, workflow steps) end: at most 10 s. */
async function settle(runtime: LocalRuntime | undefined) {
  if (!runtime) return;
  await Promise.race([runtime.settled(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// DynamoDB Local dying under the runtime (its JVM killed, out of memory): nothing can be read or written any more, so
// the runtime stops too, saying so — rather than answer 503 to everything while its jobs and stream pollers fail in a
// loop, its lifecycles' steps fail in memory and a clock asked for runs on. Stopped, it records the instant reached.
void dynamo.exited.then(({ code, signal }) => {
  if (stopping) return;
  console.error(`DynamoDB Local exited (${signal ?? code}) under the running zoneflow: stopping. Start it again with npm start (every lifecycle resumes from the store).`);
  void shutdown(1);
});

const businessClock = clockEnv();
// First start with demo data: a month of a stalled project's life, lived on a fast clock in a child process before this
// process starts its own runtime (so one clock writes at a time) — the demo has a project on the escalation ladder.
if (demo) {
  const { clockFromEnv } = await import('../functions/kernel/domain/clock.ts');
  const until = clockFromEnv({ ...businessClock, ZONEFLOW_TIME_SCALE: businessClock.ZONEFLOW_TIME_SCALE ?? '1' }).now().toISOString();
  let replay = await replayLadder(until);
  // A start-up slowed by a busy machine took too much of the month: once more, given the time it took and half again.
  if (replay.late !== undefined && !stopping) replay = await replayLadder(until, Math.min(30_000, Math.ceil(replay.late * 1.5) + 1_000));
  if (replay.carriedOn) say(`demo: the stalled project's month, stopped part-way by an earlier start, was carried on`);
  if (replay.projectId) say(`demo: project ${replay.projectId} was left alone for a month and ${replay.level ? `is on the escalation ladder at L${replay.level} ${replay.name}` : 'is overdue, not on the escalation ladder yet (its grace has not ended by this clock)'}`);
  // Stopped by Ctrl-C meanwhile (the child too): nothing to tell.
  else if (replay.error && !stopping) say(`demo: the stalled project could not be replayed (${replay.error}); everything else is seeded`);
  phase('ladder demo replayed');
}
// Stopped while the demo's month was lived: nothing more is started (the stop ends the process).
if (stopping) await new Promise(() => undefined);
// The local composition root: tables, handlers, the embedded workflow runner, the outbox stream and reference data.
// Signals are read on after the checkpoints kept (those the previous run committed and never delivered come now); a
// store with none passes over old signals: the resume below re-evaluates every active project.
const runtime = await composeLocalRuntime({ endpoint: dynamo.endpoint, clock: businessClock, log: logRuntimeError, skipExistingSignals: true, streamCheckpoints: join(dir, 'stream-checkpoints.json'), freeChannels: true });
running.runtime = runtime;
const { clock, reference, workflow } = runtime;
phase('runtime ready');
// A channel the previous process was sending on when it was killed is free at once, not when its lease runs out.
if (runtime.freedChannels) say(`notification channels the previous run held, freed: ${runtime.freedChannels}`);
// Reference data (--no-seed skips only the demo projects) is reported when this start loaded any.
if (reference.calendarYears.length || reference.configs.length) {
  const years = reference.calendarYears.sort((a, b) => a - b);
  say(`reference data: calendar years ${years.length ? `${years[0]}–${years.at(-1)}` : '(none new)'}; configuration: ${reference.configs.join(', ') || '(none new)'}`);
}

phase('seeded');
// Resume every active project's segment from DynamoDB: in-flight executions lived in the previous process's memory.
const { resumeActiveLifecycles } = await import('./resume.ts');
// The demo's stalled project, its month not lived to its end (a replay stopped or failed), waits for the start that
// carries the month on: resumed here, it would live on today's clock and leave no month to carry on.
const stalledWaiting = readDemoSeeding(dir);
const resumed = await resumeActiveLifecycles(workflow, { except: stalledWaiting?.replay === 'pending' ? stalledWaiting.stalledProjectId : undefined });
// The daily jobs (the inventory refresh duty) on the business clock, as EventBridge Scheduler runs them on AWS.
runtime.startSchedules();

const keys = await loadOrCreateKeys(dir);
// The console (console/): bundled at every start, served under /console/ with the dev-token route (local only).
const { buildConsole, serveConsole } = await import('./console.ts');
const consoleBytes = await buildConsole();
phase(`console bundle ${consoleBytes} bytes`);
const server = createApiServer({
  before: (req, res) => serveConsole(req, res, { devToken: (role) => signToken(keys, devIdentity(role)) }),
  verify: await createVerifier(keys),
  loadHandler: runtime.loadHandler as (name: string) => Promise<HttpHandler>,
  log: process.env.ZONEFLOW_QUIET ? undefined : (line) => console.log(JSON.stringify(line)),
  // Browser pages on other origins (a front end's dev server), as the stack's corsOrigins context allows them on AWS.
  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
});
running.server = server;
await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
const address = server.address();
const base = `http://localhost:${typeof address === 'object' && address ? address.port : port}`;
claim.listening(base);

const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await signToken(keys, devIdentity(r))] as const))) as Record<Role, string>;
if (demo) {
  const created = await seedDemoProjects(base, tokens);
  if (created) say(`created ${created} demo projects and the demo inventory (GET /inventory)`);
  // The demo is whole unless its stalled project's month is still to be lived (its replay failed part-way): then the
  // marker stays, and the next start carries it on.
  if (!stopping) {
    if (readDemoSeeding(dir)?.replay === 'pending') say('demo: incomplete — the stalled project\'s month was not lived to its end; the next `npm start` carries it on (`npm start -- --fresh` rebuilds the whole demo)');
    else clearDemoSeeding(dir);
  }
}

// The token command for this store: with its ZONEFLOW_DATA_DIR when it is not the default (a token is signed with the
// store's key; run elsewhere it would be refused).
// Single-quoted for the shell: a path with `$` or a backtick in it is taken as written.
const tokenCommand = `${process.env.ZONEFLOW_DATA_DIR ? `ZONEFLOW_DATA_DIR='${dir.replaceAll("'", `'\\''`)}' ` : ''}npm run --silent token --`;
say('');
say(`zoneflow is running: ${base}   (data: ${dir}; DynamoDB Local: ${dynamo.endpoint}; resumed ${resumed} lifecycle(s))`);
say(`business clock: ${clock.now().toISOString()}${process.env.ZONEFLOW_TIME_SCALE && process.env.ZONEFLOW_TIME_SCALE !== '1' ? ` ×${process.env.ZONEFLOW_TIME_SCALE}` : ''}`);
say(`dev tokens (12 h; \`${tokenCommand} --role <role>\` prints another):`);
for (const r of ROLES) say(`  ${r.padEnd(18)} ${tokens[r]}`);
say(`console: ${base}/console/   (/console/?role=<role> opens as that dev role)`);
say(`try: curl -s ${base}/projects -H "Authorization: Bearer $(${tokenCommand} --role investment_dept)"`);
say(`zoneflow listening on ${base}`);

async function seedDemoProjects(baseUrl: string, t: Record<Role, string>): Promise<number> {
  // A busy moment (503, 429) is waited out and the request sent again with its key (local/seed-call.ts).
  const call = (method: string, path: string, role: Role, body?: unknown) =>
    seedCall(baseUrl, t[role], method, path, `seed-${role}-${method}-${createHash('sha256').update(`${path}\n${JSON.stringify(body ?? '')}`).digest('hex').slice(0, 32)}`, body);
  const seed = await import('./seed.ts');
  // Every page of the ledger: a store with more than a page of projects keeps the demos on any of them.
  const found = new Map<string, { id: string; status: string }>();
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page = (await call('GET', `/projects?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'committee_leader')) as unknown as { items: { id: string; name: string; status: string }[]; nextCursor: string | null };
    for (const p of page.items) if (seed.DEMO_PROJECTS.some((d) => d.body.name === p.name)) found.set(p.name, p);
    cursor = page.nextCursor;
  }
  // Seeded once: the demo projects are there already (the stalled one of the ladder demo does not count) — unless the
  // demo's marker says a start was stopped while it seeded: then what it had not made yet is made now, nothing twice.
  const underWay = readDemoSeeding(dir);
  if (found.size > 0 && !underWay) return 0;
  if (!underWay) writeDemoSeeding(dir, { replay: 'none' });
  // Dated from the clock, so a start interrupted after the inventory and resumed on a later business day posts other
  // bodies: a record already there (409, its code or natural key taken) counts as seeded.
  for (const item of seed.demoInventory(shanghaiDate(clock.now()))) {
    try {
      await call('POST', `/inventory/${item.kind}`, item.role, item.body);
    } catch (err) {
      if (!/: 409 /.test((err as Error).message)) throw err;
    }
  }
  let created = 0;
  for (const demo of seed.DEMO_PROJECTS) {
    const role: Role = demo.body.track === 'industrial' ? 'investment_dept' : 'scitech_dept';
    const there = found.get(demo.body.name);
    const project = there ?? (await call('POST', '/projects', role, demo.body));
    if (!there) created += 1;
    if (there && there.status !== 'PENDING_ADMISSION') continue;
    for (const decider of demo.admit) {
      try {
        await call('POST', `/projects/${project.id}/admission`, decider as Role, { decision: 'approve', reason: '符合园区产业定位' });
      } catch (err) {
        // Made by a start stopped between its deciders: this one decided already (409).
        if (!(there && /: 409 /.test((err as Error).message))) throw err;
      }
    }
  }
  return created;
}

/** Runs local/replay-ladder.ts on the store (its own process: its own business clock); its answer, or the error. */
type ReplayAnswer = { projectId?: string; level?: number; name?: string; carriedOn?: boolean; skipped?: string; error?: string; late?: number };
async function replayLadder(until: string, readyMs?: number): Promise<ReplayAnswer> {
  const child = spawnWatchedChild(join(projectRoot, 'local/replay-ladder.ts'), {
    ...process.env,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    ZONEFLOW_DATA_DIR: dir,
    ZONEFLOW_REPLAY_UNTIL: until,
    ZONEFLOW_CLOCK_START: '',
    ZONEFLOW_TIME_SCALE: '',
    ZONEFLOW_CLOCK_ANCHOR: '',
    ...(readyMs !== undefined ? { ZONEFLOW_REPLAY_READY_MS: String(readyMs), ZONEFLOW_REPLAY_LAST_TRY: '1' } : {}),
  });
  running.replay = child;
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    if (code === 0) return JSON.parse(line) as ReplayAnswer;
  } catch {
    // fall through: report what the child said
  }
  return { error: `exit ${code}: ${(err.trim().split('\n').at(-1) ?? '').slice(0, 300)}` };
}
