// `npm start` demo, first start only: a project that has been stalled for a month, so the closed loop has something to
// show. Business time cannot be faked into records, so it is lived: this child process runs the product (the same
// composition root, handlers, ASL and tables) on a business clock that starts a month before `npm start`'s "now" and
// runs fast enough to catch up in a few seconds. The demo enterprise's project is created and admitted at the start
// of that month and nobody works on it: its tasks fall due, go red past their grace, and the escalation ladder climbs
// (L1 with its numbered urging letter, L2 …) exactly as it would have. The child stops before it reaches "now";
// `npm start` then resumes the project's lifecycle on the real clock like every other.
//
// The month starts once the child is ready, not when it was spawned: on a fast clock a slow start-up (a busy machine,
// the handlers' first load) would otherwise spend the month before the project exists, and the project would be made
// after the parent's "now" — records dated in the future. So the clock's anchor is set a few real seconds ahead (the
// store's reference data, loaded meanwhile, is dated before the month), the handlers are loaded, and the project is
// made when the clock reaches the month's start; a start-up slower than that lives less of the month, and one that
// leaves less than a week of it writes nothing (the demo says so).
//
// Environment: DYNAMODB_ENDPOINT, ZONEFLOW_DATA_DIR (the store and the dev keys), ZONEFLOW_REPLAY_UNTIL (the parent's
// business "now", RFC 3339), ZONEFLOW_REPLAY_SECONDS (optional: the real seconds the month is lived in, 6 by default —
// more on a busy machine, where the runtime can fall behind a month lived that fast). Prints one JSON line:
// { projectId, level, name }, { skipped }, { error } or, on a first try that started too slowly, { late } (its start-up ms).
import { createServer } from 'node:net';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { createVerifier, devIdentity, loadOrCreateKeys, signToken } from './auth.ts';
import { dataDir } from './paths.ts';
import { composeLocalRuntime } from './runtime.ts';
import { createApiServer, type HttpHandler } from './server.ts';

const DAY = 86_400_000;
/** How much business time is lived, and in how many real seconds. */
const SPAN_DAYS = 30;
const REAL_SECONDS = Number(process.env.ZONEFLOW_REPLAY_SECONDS) > 0 ? Number(process.env.ZONEFLOW_REPLAY_SECONDS) : 6;

const endpoint = process.env.DYNAMODB_ENDPOINT;
const untilText = process.env.ZONEFLOW_REPLAY_UNTIL;
if (!endpoint || !untilText) throw new Error('replay-ladder needs DYNAMODB_ENDPOINT and ZONEFLOW_REPLAY_UNTIL');
const until = new Date(untilText).getTime();
const start = new Date(until - SPAN_DAYS * DAY);
const scale = (SPAN_DAYS * 86_400) / REAL_SECONDS;
/**
 * Real time given to start-up before the month begins (the clock stands before `start` until then): 5 s, or what the
 * parent gives a second try (ZONEFLOW_REPLAY_READY_MS, with ZONEFLOW_REPLAY_LAST_TRY set).
 */
const READY_MS = Number(process.env.ZONEFLOW_REPLAY_READY_MS) > 0 ? Number(process.env.ZONEFLOW_REPLAY_READY_MS) : 5_000;
const LAST_TRY = process.env.ZONEFLOW_REPLAY_LAST_TRY === '1';
/** The least of the month that is worth living: less, and nothing is written. */
const LEAST_DAYS = 7;
/**
 * A first try whose start-up leaves less of the month than this writes nothing and answers how long start-up took
 * ({ late }): the parent tries once more with that much time and some (the second start-up is warm, and the month lived
 * whole — with less than a week and a half the stalled project's first task is not even overdue).
 */
const RETRY_BELOW_DAYS = 25;
const spawnedAt = Date.now();

const runtime = await composeLocalRuntime({
  endpoint,
  clock: { ZONEFLOW_CLOCK_START: start.toISOString(), ZONEFLOW_TIME_SCALE: String(scale), ZONEFLOW_CLOCK_ANCHOR: String(spawnedAt + READY_MS) },
  log: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
  skipExistingSignals: true,
});
const keys = await loadOrCreateKeys(dataDir());
const server = createApiServer({ verify: await createVerifier(keys), loadHandler: runtime.loadHandler as (name: string) => Promise<HttpHandler> });
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const p = (probe.address() as { port: number }).port;
    probe.close(() => resolve(p));
  });
});
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await signToken(keys, devIdentity(r))] as const))) as Record<Role, string>;
const call = async <T>(method: string, path: string, role: Role, body?: unknown): Promise<T> => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json', 'idempotency-key': `replay-${role}-${method}-${path}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`replay ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

const finish = (line: Record<string, unknown>): never => {
  runtime.stop();
  server.close();
  console.log(JSON.stringify(line));
  process.exit(0);
};

// seed.ts reaches the stores: imported once the runtime has bound the tables.
const { LADDER_DEMO } = await import('./seed.ts');
const existing = await call<{ items: { name: string }[] }>('GET', '/projects?limit=100', 'committee_leader');
if (existing.items.length > 0) finish({ skipped: 'the store has projects already' });
// The writes' handlers loaded before the month starts (their first load is the slow part of a start).
await Promise.all(['create-project', 'decide-admission', 'get-project'].map((name) => runtime.loadHandler(name)));

const { clock } = await import('../functions/kernel/runtime/clock.ts');
if (!LAST_TRY && (until - Math.max(clock.now().getTime(), start.getTime())) / DAY < RETRY_BELOW_DAYS) finish({ late: Date.now() - spawnedAt });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
while (clock.now().getTime() < start.getTime()) await sleep(Math.min(50, Math.max(1, clock.realMsUntil(start))));
const left = (until - clock.now().getTime()) / DAY;
if (left < LEAST_DAYS) finish({ error: `start-up took the month: ${left.toFixed(1)} business days were left (ZONEFLOW_REPLAY_SECONDS lives it slower)` });

const project = await call<{ id: string }>('POST', '/projects', 'investment_dept', LADDER_DEMO.body);
for (const decider of LADDER_DEMO.admit) await call('POST', `/projects/${project.id}/admission`, decider as Role, { decision: 'approve', reason: '符合园区产业定位' });

// Live the month: stop two days short of the parent's "now" (its clock only moves on; two days are 400 ms here, room
// for a busy event loop), the workflow first, so nothing is written past it while the answer is read.
while (clock.now().getTime() < until - 2 * DAY) await sleep(20);
runtime.stop();
const { getProject } = await import('../functions/projects/store/projects.ts');
const after = await getProject(project.id);
finish({ projectId: project.id, level: after?.escalation.level ?? 0, name: after?.escalation.name ?? 'NONE' });
