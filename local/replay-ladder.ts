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
// A month begun and not lived to its end (the first `npm start` stopped by Ctrl-C or killed meanwhile: the demo's
// marker, local/demo-seeding.ts, still says `pending`) is carried on at the next start: the project is not made again,
// the clock starts where the stopped one had got to (the latest of the project's audit events and the instant the
// marker was last told) and the project's lifecycle is resumed there and lives on to the parent's "now".
//
// Started by `npm start` with its stdin a pipe (local/parent-watch.ts): when `npm start` is gone, so is this child.
// Stopped (Ctrl-C, or `npm start` stopping), it begins nothing more and waits for what is under way — its workflow steps
// and stream consumers — before it exits, as `npm start`'s own runtime does; `npm start` stops the store after it. Its
// steps could be cut (each commits whole or not at all, and the next start carries the month on from the store), but
// not what its stream consumers send: a notice mailed to a channel and not yet recorded would be mailed again.
//
// Environment: DYNAMODB_ENDPOINT, ZONEFLOW_DATA_DIR (the store and the dev keys), ZONEFLOW_REPLAY_UNTIL (the parent's
// business "now", RFC 3339), ZONEFLOW_REPLAY_SECONDS (optional: the real seconds the month is lived in, 6 by default —
// more on a busy machine, where the runtime can fall behind a month lived that fast). Prints one JSON line:
// { projectId, level, name } (with carriedOn when a stopped month was carried on), { skipped }, { error } or, on a first
// try that started too slowly, { late } (its start-up ms).
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { createVerifier, devIdentity, loadOrCreateKeys, signToken } from './auth.ts';
import { readDemoSeeding, writeDemoSeeding, type DemoSeeding } from './demo-seeding.ts';
import { localClientConfig, tableEnv } from './dynamodb-local.ts';
import { dataDir } from './paths.ts';
import { composeLocalRuntime, logRuntimeError } from './runtime.ts';
import { LADDER_DEMO } from './ladder-demo.ts';
import { whenParentGone } from './parent-watch.ts';
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
/** A carried-on month that would begin more than this late (business ms) is tried again too ({ late }). */
const CARRY_ON_LATE_MS = DAY;
const spawnedAt = Date.now();

// `npm start` gone (a kill -9 no handler sees): this month ends with it, telling the marker nothing more — the store
// stopped with `npm start`, so the instant last told (within 100 ms), or the project's latest audit event, is where the
// next start carries it on from.
const live: { runtime?: { stop(): void } } = {};
whenParentGone(() => {
  live.runtime?.stop();
  process.exit(1);
});

const dir = dataDir();
const seeding = readDemoSeeding(dir);
// The month a stopped start began, carried on: its project, and the business instant it had reached.
const carryOn = seeding?.replay === 'pending' ? await whereItStopped(seeding) : undefined;
/** Where this child's clock starts: the month's start, or where a stopped one had got to. */
const begin = carryOn ? new Date(Math.max(carryOn.at, start.getTime())) : start;

const runtime = await composeLocalRuntime({
  endpoint,
  clock: { ZONEFLOW_CLOCK_START: begin.toISOString(), ZONEFLOW_TIME_SCALE: String(carryOn ? carryOnScale(begin.getTime()) : scale), ZONEFLOW_CLOCK_ANCHOR: String(spawnedAt + READY_MS) },
  log: logRuntimeError,
  skipExistingSignals: true,
});
live.runtime = runtime;
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
/** Set when this child is stopped: nothing more is begun (the month's flow waits here until the process exits). */
let stopping = false;
const stopped = (): Promise<never> => new Promise<never>(() => undefined);
const call = async <T>(method: string, path: string, role: Role, body?: unknown): Promise<T> => {
  if (stopping) return stopped();
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

const { clock } = await import('../functions/kernel/runtime/clock.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The marker told where this month has got to (a stop before the next word is carried on from about there). */
let told = 0;
const tell = (value: DemoSeeding) => {
  // The instant reached was told when the stop came: the month's executions stopped there.
  if (stopping) return;
  writeDemoSeeding(dir, { ...value, reached: clock.now().toISOString() });
  told = Date.now();
};
let marker: DemoSeeding | undefined = seeding;
/** The longest this child waits for its work under way once stopped (as `npm start` waits for its own). */
const SETTLE_MS = 10_000;
// Stopped meanwhile (Ctrl-C reaches this process too, and `npm start` passes its stop on: a second signal changes
// nothing): the marker keeps the instant reached, for the next start; what is under way ends, then the process.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    runtime.stop();
    if (marker?.replay === 'pending') tell(marker);
    stopping = true;
    server.close();
    void Promise.race([runtime.settled(), sleep(SETTLE_MS)]).then(() => process.exit(130));
  });
}

/** Lives the month on to two days short of the parent's "now", then answers the project's rung. */
async function liveTheMonth(projectId: string, carriedOn: boolean): Promise<never> {
  // Two days short of the parent's "now" (its clock only moves on; two days are 400 ms here, room for a busy event
  // loop), the workflow stopped first, so nothing is written past it while the answer is read.
  while (clock.now().getTime() < until - 2 * DAY) {
    await sleep(20);
    if (stopping) await stopped();
    if (Date.now() - told >= 100) tell(marker!);
  }
  runtime.stop();
  marker = { replay: 'done', stalledProjectId: projectId };
  tell(marker);
  return answerFor(projectId, carriedOn);
}

/** Answers the stalled project's rung (the month lived, by this child or by a start stopped afterwards). */
async function answerFor(projectId: string, carriedOn = false): Promise<never> {
  const { getProject } = await import('../functions/projects/store/projects.ts');
  const lived = await getProject(projectId);
  return finish({ projectId, level: lived?.escalation.level ?? 0, name: lived?.escalation.name ?? 'NONE', ...(carriedOn ? { carriedOn: true } : {}) });
}

if (seeding?.replay === 'done' && seeding.stalledProjectId) {
  // Lived to its end by a start stopped afterwards (while it seeded the rest): told again.
  await answerFor(seeding.stalledProjectId);
}
if (seeding && seeding.replay !== 'pending') finish({ skipped: 'the demo has no stalled project to replay' });
if (carryOn) {
  // The handlers of the project's lifecycle loaded before its clock reaches where it stopped.
  await Promise.all(['decide-admission', 'get-project'].map((name) => runtime.loadHandler(name)));
  if (!LAST_TRY && clock.now().getTime() - begin.getTime() > CARRY_ON_LATE_MS) finish({ late: Date.now() - spawnedAt });
  while (clock.now().getTime() < begin.getTime()) await sleep(Math.min(50, Math.max(1, clock.realMsUntil(begin))));
  marker = { replay: 'pending', stalledProjectId: carryOn.projectId };
  tell(marker);
  const { getProject } = await import('../functions/projects/store/projects.ts');
  const project = await getProject(carryOn.projectId);
  // Stopped before it was admitted, or between two of its decisions: the decisions still missing sent now (admit reads
  // which). Admitted: its lifecycle resumed where it was (it alone — any other project lives on the parent's clock).
  if (stopping) await stopped();
  if (project?.status === 'PENDING_ADMISSION') await admit(carryOn.projectId);
  else if (project?.status === 'ACTIVE') await (await import('./resume.ts')).resumeLifecycle(runtime.workflow, project);
  await liveTheMonth(carryOn.projectId, true);
}
// A store with projects is no first start (a demo begun and stopped before its project was made is one).
if (!seeding) {
  const existing = await call<{ items: { name: string }[] }>('GET', '/projects?limit=100', 'committee_leader');
  if (existing.items.length > 0) finish({ skipped: 'the store has projects already' });
}
// The writes' handlers loaded before the month starts (their first load is the slow part of a start).
await Promise.all(['create-project', 'decide-admission', 'get-project'].map((name) => runtime.loadHandler(name)));

if (!LAST_TRY && (until - Math.max(clock.now().getTime(), start.getTime())) / DAY < RETRY_BELOW_DAYS) finish({ late: Date.now() - spawnedAt });
while (clock.now().getTime() < start.getTime()) await sleep(Math.min(50, Math.max(1, clock.realMsUntil(start))));
const left = (until - clock.now().getTime()) / DAY;
if (left < LEAST_DAYS) finish({ error: `start-up took the month: ${left.toFixed(1)} business days were left (ZONEFLOW_REPLAY_SECONDS lives it slower)` });

// The demo is under way from here: a stop before the month is lived is carried on at the next start.
marker = { replay: 'pending' };
tell(marker);
const project = await call<{ id: string }>('POST', '/projects', 'investment_dept', LADDER_DEMO.body);
marker = { replay: 'pending', stalledProjectId: project.id };
tell(marker);
await admit(project.id);
await liveTheMonth(project.id, false);

/**
 * The scale a carried-on month is lived at: the month's, or faster when the store was left stopped so long that what is
 * left to live would take more than twice the month's real seconds (a start weeks later is not held up for minutes).
 */
function carryOnScale(from: number): number {
  return Math.max(scale, (until - from) / 1000 / (2 * REAL_SECONDS));
}

/**
 * Admits the project as the store has it: each deciding department that has not decided yet approves, one after the
 * other, until none is left. Read, not replayed: a month carried on a day later finds the decisions a stopped start
 * recorded, and their Idempotency-Keys have expired (24 h, real time) — sending one again would be a 409.
 */
async function admit(projectId: string): Promise<void> {
  type Admission = { status: string; admission: { required: Role[]; decisions: { role: Role }[] } };
  for (;;) {
    const { status, admission } = await call<Admission>('GET', `/projects/${projectId}`, 'committee_leader');
    const decider = status === 'PENDING_ADMISSION' ? admission.required.find((r) => !admission.decisions.some((d) => d.role === r)) : undefined;
    if (!decider) return;
    await call('POST', `/projects/${projectId}/admission`, decider, { decision: 'approve', reason: '符合园区产业定位' });
  }
}

/**
 * Where the stopped month had got to: its project (named by the marker, or found by its creation — the store had no
 * project before it) and the latest of its audit events and the instant the marker was last told. Undefined when it
 * was stopped before the project was made.
 */
async function whereItStopped(s: DemoSeeding): Promise<{ projectId: string; at: number } | undefined> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint!)));
  const table = tableEnv().TABLE_AUDIT;
  let subject = s.stalledProjectId ? `PROJECT#${s.stalledProjectId}` : undefined;
  try {
    for (let startKey: Record<string, unknown> | undefined, first = true; !subject && (first || startKey); first = false) {
      const page = await db.send(
        new ScanCommand({ TableName: table, FilterExpression: '#a = :a AND subjectName = :n', ExpressionAttributeNames: { '#a': 'action' }, ExpressionAttributeValues: { ':a': 'project.created', ':n': LADDER_DEMO.body.name }, ExclusiveStartKey: startKey }),
      );
      subject = page.Items?.[0]?.subject as string | undefined;
      startKey = page.LastEvaluatedKey;
    }
    if (!subject) return undefined;
    const last = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'subject = :s', ExpressionAttributeValues: { ':s': subject }, ScanIndexForward: false, Limit: 1, ConsistentRead: true }));
    const at = last.Items?.[0]?.at as string | undefined;
    if (!at) return undefined;
    return { projectId: subject.slice('PROJECT#'.length), at: Math.max(Date.parse(at), s.reached ? Date.parse(s.reached) : 0) + 1 };
  } catch (err) {
    // No audit table yet (stopped before the store was made): nothing was begun.
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  } finally {
    db.destroy();
  }
}
