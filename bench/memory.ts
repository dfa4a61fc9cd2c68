// Memory section of the bench: the peak memory of each function as deployed — its bundle (bundling.ts) imported by a
// fresh Node process with only the environment its catalog entry grants, pointed at DynamoDB Local — running its
// handler over events of a seeded zone: RSS and heap after warm-up (each event once) and after ROUNDS more, and the
// process's peak RSS. The heaviest events are measured as such: the ledger exported as files of 5,000 projects, the
// daily digest of a zone of ZONE projects (thousands of open tasks), a workflow review of a stage with MANY_TASKS tasks.
// The figures are compared with each function's configured memory (functions/kernel/memory.ts) at MEMORY_MARGIN.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Task } from '../functions/lifecycle/domain/task.ts';
import type { Project } from '../functions/projects/domain/project.ts';
import { FUNCTIONS, ROUTE_DECLARATIONS, type FunctionSpec } from '../functions/catalog.ts';
import { MEMORY_MARGIN } from '../functions/kernel/memory.ts';
import { openApiDocument } from '../functions/platform/openapi.ts';
import { TABLES } from '../functions/kernel/store/tables.ts';
import { LOCAL_AWS, startDynamoDbLocal, tableEnv } from '../local/dynamodb-local.ts';
import { bindLocalStore } from '../local/runtime.ts';
import { apiEvent, users, type User } from '../test/support/events.ts';
import { bundle, handlerEntries } from './cold-start.ts';
import { projectAt, tasksOf } from './parks.ts';
import { batchPut } from './batch-put.ts';

/** Projects in the zone: one ledger file's worth (the export's largest file is 5,000 rows). */
const ZONE = 5_000;
/** Tasks of the stage the heaviest workflow review reads (a matrix stage has about ten). */
const MANY_TASKS = 120;
/** Invocations after warm-up: every event of the function this many times (the heavy ones fewer: each takes seconds). */
const ROUNDS = 20;
const HEAVY_ROUNDS = 4;
/**
 * Fixed ports, so a run touches no other port of the machine (change them here if one is taken): DynamoDB Local, the
 * custom resource's response URL, and a port nothing listens on, where every other AWS client (Step Functions, SSM, SES)
 * is refused at once instead of reaching AWS.
 */
const DYNAMODB_PORT = 8843;
const RESPONSE_PORT = 8844;
const NOWHERE_PORT = 8849;
const DIGEST_AT = '2026-12-01T00:30:00.000Z';

export interface MemoryRow {
  readonly name: string;
  readonly configuredMb: number;
  /** What the events were: `heavy` (the named worst case) or `light` (one request or event of its kind). */
  readonly load: string;
  readonly invocations: number;
  /** How the invocations ended: status codes, `ok`, or `threw: …` — the handler ran either way. */
  readonly outcomes: Record<string, number>;
  readonly importRssMb: number;
  readonly warm: { readonly rssMb: number; readonly heapUsedMb: number };
  readonly after: { readonly rssMb: number; readonly heapUsedMb: number };
  readonly peakRssMb: number;
  /** The slowest invocation, wall time on this machine (a full core when idle; Lambda gives 1 vCPU at 1,769 MB, less below). */
  readonly maxMs: number;
  /** The CPU time of the costliest invocation (all threads): what Lambda's CPU share stretches — at 512 MB about 3.5 times. */
  readonly maxCpuMs: number;
  /** peakRssMb × MEMORY_MARGIN, the least the function should be given. */
  readonly neededMb: number;
  readonly fits: boolean;
}

export interface MemorySection {
  readonly zone: { readonly projects: number; readonly openTasks: number; readonly stageTasks: number; readonly loadSeconds: number };
  readonly rounds: number;
  readonly heavyRounds: number;
  readonly margin: number;
  readonly node: string;
  readonly rows: readonly MemoryRow[];
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  readonly allFit: boolean;
}

// Imports the bundle, runs each event once (warm-up), then `rounds` more times; writes its figures to a file (the
// handlers log to stdout). Memory is read without forcing a collection: what Lambda's process would hold.
const PROBE = `import { readFileSync, writeFileSync } from 'node:fs';
const [bundle, eventsFile, out, rounds, timeoutMs] = process.argv.slice(1);
const mb = (n) => Math.round(n / 2 ** 20 * 10) / 10;
const mod = await import(bundle);
const importRssMb = mb(process.memoryUsage().rss);
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const outcomes = {};
const context = () => { const end = Date.now() + Number(timeoutMs); return { awsRequestId: 'bench-' + Math.random().toString(36).slice(2), functionName: 'bench', getRemainingTimeInMillis: () => end - Date.now(), callbackWaitsForEmptyEventLoop: false }; };
let maxMs = 0;
let maxCpuMs = 0;
const run = async (e) => {
  let k;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try { const r = await mod.handler(e, context()); k = r && typeof r === 'object' && 'statusCode' in r ? String(r.statusCode) : 'ok'; }
  catch (err) { k = 'threw: ' + String(err && err.name || err).slice(0, 40); }
  outcomes[k] = (outcomes[k] ?? 0) + 1;
  maxMs = Math.max(maxMs, Math.round(performance.now() - t0));
  const c = process.cpuUsage(c0);
  maxCpuMs = Math.max(maxCpuMs, Math.round((c.user + c.system) / 1000));
};
for (const e of events) await run(e);
const w = process.memoryUsage();
for (let i = 0; i < Number(rounds); i++) for (const e of events) await run(e);
const a = process.memoryUsage();
writeFileSync(out, JSON.stringify({ importRssMb, warm: { rssMb: mb(w.rss), heapUsedMb: mb(w.heapUsed) }, after: { rssMb: mb(a.rss), heapUsedMb: mb(a.heapUsed) }, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024 * 10) / 10, outcomes, maxMs, maxCpuMs, invocations: events.length * (1 + Number(rounds)) }));
process.exit(0);`;

/** The deployed function's environment (zone-function.ts, the catalog's grants), pointed at DynamoDB Local. */
function functionEnv(spec: FunctionSpec, endpoint: string, prefix: string): Record<string, string> {
  const names = tableEnv(prefix);
  const granted = TABLES.filter((t) => spec.tables[t.id] !== undefined);
  return {
    PATH: process.env.PATH ?? '',
    ...Object.fromEntries(granted.map((t) => [t.envVar, names[t.envVar]!])),
    // DynamoDB Local keeps a store per access key and region: the seeding's.
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    DYNAMODB_ENDPOINT: endpoint,
    // Step Functions, SSM, SES: refused at once on this machine, never AWS.
    AWS_ENDPOINT_URL: `http://127.0.0.1:${NOWHERE_PORT}`,
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    REFERENCE_CACHE_SECONDS: '30',
    // The deployed 2 s would fail the section on a busy machine (seen: my-notifications timed out with other work
    // beside it); a request's time limit does not change what a function holds, so it is wider here.
    DYNAMODB_REQUEST_TIMEOUT_MS: '20000',
    PARK_SETTLE_MS: '5000',
    ...(spec.workflow?.length ? { STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:000000000000:stateMachine:Zoneflow-ProjectLifecycle' } : {}),
    ...(spec.workflow?.includes('exit') ? { EXIT_STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:000000000000:stateMachine:Zoneflow-ProjectExit' } : {}),
    ...(spec.channels ? { SECRETS_PREFIX: '/zoneflow/bench', MAIL_FROM: 'bench@zoneflow.local' } : {}),
  };
}

let documented: { paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> } | undefined;
/** The query parameters a route takes, as the OpenAPI document lists them. */
function queryNames(method: string, path: string): string[] {
  documented ??= openApiDocument() as unknown as NonNullable<typeof documented>;
  return (documented.paths[path]?.[method.toLowerCase()]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

/** A user whose role the route admits (the committee leader where any signed-in role may call). */
function callerOf(auth: 'public' | 'any' | readonly string[]): User | undefined {
  if (auth === 'public') return undefined;
  if (auth === 'any') return users.committeeLeader;
  return Object.values(users).find((u) => u.roles.some((r) => auth.includes(r)));
}

interface Zone {
  readonly project: Project;
  readonly stageProject: Project;
  readonly task: Task;
}

/** The events a function runs: a route's request (a read of the seeded zone, a write's body left empty), a task's input. */
function eventsOf(spec: FunctionSpec, zone: Zone, responseUrl: string): { events: unknown[]; load: string } {
  const step = { projectId: zone.stageProject.id, stage: zone.stageProject.stage, segment: 1 };
  switch (spec.name) {
    case 'ledger-csv':
    case 'ledger-xlsx':
      return { events: [apiEvent(`GET ${spec.routes[0]!.path}` as never, { as: users.committeeLeader, query: { limit: '5000' } })], load: `heavy: one file of the ${ZONE}-project ledger` };
    case 'daily-digest':
      return { events: [{ at: DIGEST_AT }], load: `heavy: the digest of a ${ZONE}-project zone` };
    case 'evaluate-stage':
      return { events: [step], load: `heavy: a review of a stage with ${MANY_TASKS} tasks` };
    case 'enter-stage':
    case 'register-wait':
    case 'start-segment':
    case 'record-failure':
    case 'exit-step':
      return { events: [step], load: 'light: a step of the seeded project' };
    case 'wake-workflow':
    case 'route-notifications':
      return { events: [{ Records: [] }], load: 'light: an empty stream batch' };
    case 'bootstrap-reference':
      return {
        events: [{ RequestType: 'Update', ResponseURL: responseUrl, StackId: 'bench', RequestId: 'bench', LogicalResourceId: 'Bench', PhysicalResourceId: 'bench', ResourceType: 'Custom::Bench', ResourceProperties: { seed: 'bench', deployedAt: new Date().toISOString() } }],
        load: `heavy: a deploy's passes over the ${ZONE}-project zone`,
      };
  }
  if (spec.routes.length === 0) return { events: [{}], load: 'light: one run' };
  const decl = ROUTE_DECLARATIONS.find((d) => d.name === spec.name)!;
  const params: Record<string, string> = {};
  for (const [, name] of spec.routes[0]!.path.matchAll(/\{(\w+)\}/g)) {
    params[name!] = { id: zone.project.id, year: '2026', kind: 'parcels', name: 'matrix', stage: zone.project.stage, taskId: zone.task.id }[name!] ?? 'bench-none';
  }
  const lists = queryNames(decl.method, decl.path).includes('limit');
  const event = apiEvent(`${decl.method} ${decl.path}` as never, {
    as: callerOf(decl.auth),
    params,
    ...(lists ? { query: { limit: '100' } } : {}),
    ...(decl.body ? { body: {} } : {}),
  });
  return { events: [event], load: decl.method === 'GET' ? `light: a read${lists ? ' (a page of 100)' : ''}` : 'light: a write refused at validation' };
}

async function probe(file: string, eventsFile: string, env: Record<string, string>, rounds: number, timeoutMs: number) {
  const out = `${eventsFile}.out.json`;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', PROBE, pathToFileURL(file).href, eventsFile, out, String(rounds), String(timeoutMs)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(await readFile(out, 'utf8')) as Pick<MemoryRow, 'importRssMb' | 'warm' | 'after' | 'peakRssMb' | 'maxMs' | 'maxCpuMs' | 'outcomes' | 'invocations'>;
}

/** Seeds the zone: ZONE projects with their ledger entries and open tasks, and one project whose stage has MANY_TASKS tasks. */
async function seed(): Promise<Zone & { openTasks: number }> {
  const { ensureReferenceData } = await import('../functions/reference/store/bootstrap.ts');
  await ensureReferenceData(new Date());
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { toItem, insertProject } = await import('../functions/projects/store/projects.ts');
  const { ledgerItem } = await import('../functions/projects/store/ledger-entry.ts');
  const { insertTask } = await import('../functions/lifecycle/store/tasks.ts');
  const table = process.env.TABLE_PROJECTS!;
  const items: [string, Record<string, unknown>][] = [];
  let openTasks = 0;
  for (let i = 0; i < ZONE; i++) {
    const p = projectAt(i);
    const tasks = tasksOf(p);
    openTasks += tasks.length;
    items.push([table, toItem(p)], [process.env.TABLE_LEDGER!, ledgerItem(p)], ...tasks.map((t): [string, Record<string, unknown>] => [table, insertTask(t).item.Put!.Item!]));
  }
  await batchPut(items);
  // The stage reviewed: a project admitted a moment ago, its SIGNING stage entered by the real step, then more tasks.
  const now = new Date();
  const base = projectAt(ZONE);
  const stageProject: Project = { ...base, id: 'prj-memory-stage', stage: 'SIGNING', status: 'ACTIVE', light: 'green', createdAt: now.toISOString(), updatedAt: now.toISOString(), workflow: { segment: 1, executionName: 'prj-memory-stage-SIGNING-1', startedAt: now.toISOString(), status: 'running' } } as Project;
  await transact([...insertProject(stageProject)]);
  const { handler: enterStage } = (await import('../functions/lifecycle/steps/enter-stage.ts')) as unknown as { handler: (e: unknown) => Promise<unknown> };
  await enterStage({ projectId: stageProject.id, stage: 'SIGNING', segment: 1 });
  const [template] = tasksOf({ ...stageProject, status: 'ACTIVE' });
  const extra = Array.from({ length: MANY_TASKS }, (_, k): Task => ({ ...template!, id: `SIGNING.bench${k}`, code: `bench${k}`, stage: 'SIGNING', dueDate: `2027-0${1 + (k % 6)}-1${k % 10}` }));
  const { listTasks } = await import('../functions/lifecycle/store/tasks.ts');
  const existing = (await listTasks(stageProject.id)).filter((t) => t.stage === 'SIGNING').length;
  for (let k = 0; k < extra.length; k += 25) await transact(extra.slice(k, k + 25).map(insertTask));
  const stageTasks = (await listTasks(stageProject.id)).filter((t) => t.stage === 'SIGNING').length;
  if (stageTasks < MANY_TASKS + existing - 5) throw new Error(`the reviewed stage holds ${stageTasks} tasks`);
  const project = projectAt(3);
  return { project, stageProject, task: tasksOf(project)[0]!, openTasks };
}

/** Runs in a process of its own (bench/section.ts): the seeding binds the store once per process. */
export async function measureMemory(): Promise<MemorySection> {
  const db = await startDynamoDbLocal({ port: DYNAMODB_PORT });
  const responses = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((resolve) => responses.listen(RESPONSE_PORT, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'zoneflow-bench-memory-'));
  try {
    const prefix = `bm${randomUUID().slice(0, 6)}`;
    await bindLocalStore({ endpoint: db.endpoint, prefix });
    const started = performance.now();
    const zone = await seed();
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
    const stageTasks = (await (await import('../functions/lifecycle/store/tasks.ts')).listTasks(zone.stageProject.id)).length;

    const entries = new Map(handlerEntries());
    const rows: MemoryRow[] = [];
    const failures: { name: string; error: string }[] = [];
    for (const spec of FUNCTIONS) {
      try {
        const built = await bundle(spec.name, entries.get(spec.name)!, dir);
        const { events, load } = eventsOf(spec, zone, `http://127.0.0.1:${RESPONSE_PORT}/`);
        const eventsFile = join(dir, `${spec.name}.events.json`);
        await writeFile(eventsFile, JSON.stringify(events));
        const heavy = load.startsWith('heavy');
        const m = await probe(built.file, eventsFile, functionEnv(spec, db.endpoint, prefix), heavy ? HEAVY_ROUNDS : ROUNDS, spec.routes.length ? 10_000 : spec.onDeploy ? 900_000 : spec.schedule ? 300_000 : 30_000);
        const neededMb = Math.ceil(m.peakRssMb * MEMORY_MARGIN);
        rows.push({ name: spec.name, configuredMb: spec.memoryMb, load, ...m, neededMb, fits: spec.memoryMb >= neededMb });
        process.stderr.write(`memory: ${spec.name} peak ${m.peakRssMb} MB\n`);
      } catch (err) {
        failures.push({ name: spec.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return {
      zone: { projects: ZONE, openTasks: zone.openTasks, stageTasks, loadSeconds },
      rounds: ROUNDS,
      heavyRounds: HEAVY_ROUNDS,
      margin: MEMORY_MARGIN,
      node: process.version,
      rows,
      failures,
      allFit: failures.length === 0 && rows.every((r) => r.fits),
    };
  } finally {
    responses.close();
    await rm(dir, { recursive: true, force: true });
    await db.stop();
  }
}

export function formatMemory(s: MemorySection): string {
  const header = ['function', 'MB set', 'needs', 'peak RSS', 'warm RSS', 'after RSS', 'heap warm', 'heap after', 'import RSS', 'runs', 'max ms', 'max CPU ms', 'events'];
  const rows = [...s.rows]
    .sort((a, b) => b.peakRssMb - a.peakRssMb)
    .map((r) => [
      `${r.name}${r.fits ? '' : ' !'}`,
      String(r.configuredMb),
      String(r.neededMb),
      r.peakRssMb.toFixed(1),
      r.warm.rssMb.toFixed(1),
      r.after.rssMb.toFixed(1),
      r.warm.heapUsedMb.toFixed(1),
      r.after.heapUsedMb.toFixed(1),
      r.importRssMb.toFixed(1),
      String(r.invocations),
      String(r.maxMs),
      String(r.maxCpuMs),
      `${r.load} → ${Object.entries(r.outcomes).map(([k, n]) => `${k}×${n}`).join(' ')}`,
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `memory (MB) of each function's bundle in a fresh Node ${s.node} process against DynamoDB Local: a zone of ${s.zone.projects} projects, ${s.zone.openTasks} open tasks (loaded in ${s.zone.loadSeconds} s), a stage of ${s.zone.stageTasks} tasks`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `warm: after each event once; after: ${s.rounds} more rounds (${s.heavyRounds} for the heavy ones); peak: the process's maximum RSS; max ms / max CPU ms: the slowest invocation's wall and CPU time here (DynamoDB Local on the same cores). needs: peak × ${s.margin} (functions/kernel/memory.ts)`,
    `${s.allFit ? 'every function is set at or above what it needs' : `BELOW what it needs (!): ${s.rows.filter((r) => !r.fits).map((r) => r.name).join(', ')}`}`,
    ...s.failures.map((f) => `FAILED ${f.name}: ${f.error}`),
  ].join('\n');
}
