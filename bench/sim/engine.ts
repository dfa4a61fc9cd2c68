// The zone in fast-forward (issue 12, first part): boots the local stack in this process as the lifecycle harness does
// — its own DynamoDB Local, the local composition root (real handlers, the real ASL in the embedded runner, the outbox
// stream poller, scheduled jobs) on a scaled business clock — and the HTTP server over it on a free port; then drives a
// seeded synthetic zone through the HTTP API with dev tokens: projects are created, admitted and given a site by the
// departments that do so, and every task, meeting, approval, progress and production report is made by its lead
// (department, park center or the enterprise) after a delay drawn per role. At the end the deadline oracle
// (oracle.ts) checks every light the product recorded. Every API call is timed, and DynamoDB Local's raw GetItem is
// probed alongside, so the two can be compared under the same load. The people who answer the escalation ladder, and
// the ladder oracle's check with the exited projects' sites read back, are in ladder.ts (called from three places here).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient, GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Role } from '../../functions/kernel/domain/codes.ts';
import { addCalendarDays } from '../../functions/kernel/domain/dates.ts';
import { createVerifier, devIdentity, loadOrCreateKeys, signToken, type DevKeys } from '../../local/auth.ts';
import { LOCAL_AWS, localClientConfig, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { composeLocalRuntime } from '../../local/runtime.ts';
import { createApiServer, type HttpHandler } from '../../local/server.ts';
import type { StreamPoller } from '../../local/stream-poller.ts';
import { estimatedAwsHistoryEvents, workflowRetries } from '../../local/workflow-runner.ts';
import { dayOf, plusDays, startOf, WorkCalendar, type CalendarData } from './calendar.ts';
import type { HttpCall, HttpReply } from './http-client-worker.ts';
import type { FromProbe, ProbeSetup, ToProbe } from './probe-worker.ts';
import { startMetering } from './metering.ts';
import { wakeChecker } from './wake-check.ts';
import { createHourProfile } from './hours.ts';
import { ROUTES } from '../../functions/catalog.ts';
import { startCpuProfile, summarizeProfile } from './profile.ts';
import { checkLadderRun, ladderConfig, ladderPeople, type LadderOverride } from './ladder.ts';
import { checkDeadlines, type LightEvent, type OracleReport, type OracleTask } from './oracle.ts';
import { actMinute, approvalDelay, between, progressGap, projectSpec, stream, taskDelay, type ProjectSpec } from './zone.ts';

export interface SimulationOptions {
  readonly projects: number;
  readonly seed: number;
  /** Business days from the start of driving until the run stops (if projects are still active). */
  readonly horizonDays: number;
  /** Business seconds per real second (86,400 = one business day per second). */
  readonly scale: number;
  /** Business instant the clock starts at (the loaded calendar ends with 2026). */
  readonly clockStart?: string;
  /** Projects are signed over the first this many days. */
  readonly arrivalDays?: number;
  /** API calls in flight at once (the simulated users' concurrency). */
  readonly concurrency?: number;
  /**
   * Run the simulated users' HTTP client on the product's event loop, as before it had its own thread: for comparing the
   * two in one sitting (the default is its own thread, as users are on other machines).
   */
  readonly clientInLoop?: boolean;
  /** Profile this process's CPU over the drive: the raw profile is written to this file, its summary is in the result. */
  readonly cpuProfileFile?: string;
  /** A quicker escalation ladder published by ops before the run (grace and windows in working days). */
  readonly ladder?: LadderOverride;
  /**
   * Once a business day, read every project's stored wait beside it and report a wait that sleeps past its ladder's
   * window or extension (bench/sim/wake-check.ts): a diagnostic for a late rung, at the price of reads in the run.
   */
  readonly checkWakes?: boolean;
  /**
   * Stop driving after this many real seconds of the drive (the start-up not counted), as if the horizon were the
   * business instant reached: the oracles check up to it and the figures cover the days driven (`business.stopped`).
   */
  readonly stopAfterSeconds?: number;
  readonly log?: (line: string) => void;
}

/** Why a drive ended before its horizon, and at which business day of it. */
export interface DriveStopped {
  readonly reason: 'wall-limit';
  readonly atDay: number;
  readonly horizonDays: number;
}

const DAY_MS = 86_400_000;
const TERMINAL = new Set(['COMPLETED', 'EXITED', 'REJECTED']);
const STAFF = 'committee_leader' as const;
/** Who the product records as closing a stage's recurring work when its gate passes (`completion.by`). */
const SYSTEM_CLOSER = 'system:workflow';

interface TaskView {
  id: string;
  stage: string;
  code: string;
  kind: string;
  name: string;
  lead: Role;
  status: string;
  startedDate: string | null;
  dueDate: string | null;
  /** The date a person set (a follow-up, a 容缺 obligation): the oracle's input; dueDate is the product's move of it. */
  dueDateSet?: string | null;
  limitWd: number | null;
  after: string[];
  requiredForGate: boolean;
  completion: { at: string; by?: string } | null;
}
interface ProjectView {
  id: string;
  stage: string;
  status: string;
  category: string;
  gate: { stage: string; open: boolean; round: number; requiredApprovals: Role[]; approvals: { role: Role }[]; meetingRequired: boolean; meetingRecorded: boolean } | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One simulated project: what the simulation knows of it and has planned for it. */
interface SimProject {
  readonly spec: ProjectSpec;
  id?: string;
  stage?: string;
  status?: string;
  terminal: boolean;
  /** Task ids whose completion is planned (or decided never to come). */
  readonly planned: Set<string>;
  /** Gate rounds whose meeting and approvals are planned: `${stage}#${round}`. */
  readonly gates: Set<string>;
  /** Task ids this simulation completed (the snapshot a completion was planned from may be older). */
  readonly done: Set<string>;
  progressPlanned: boolean;
  productionPlanned: boolean;
  /** Approvals of the current gate round not made yet: the last one (or the meeting after it) moves the stage. */
  approvalsLeft: number;
  /** Planned actions not yet run. */
  pending: number;
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const stats = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { count: s.length, p50: round(quantile(s, 0.5), 2), p99: round(quantile(s, 0.99), 2), max: round(s.at(-1) ?? 0, 2) };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counting semaphore: at most `n` API calls in flight. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

/**
 * The name a project's draws are made under: its place in the zone, not the id the product gave it (ids carry the
 * creation instant and randomness), so a seed is the same zone run after run.
 */
const simKey = (p: SimProject) => `p${p.spec.index}`;

/** A min-heap of actions by business instant (ties in the order they were planned). */
class Agenda {
  private readonly heap: { at: number; seq: number; run: () => Promise<void> }[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  peek() {
    return this.heap[0];
  }
  push(at: number, run: () => Promise<void>) {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.less(parent, i)) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: number, b: number) {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

export type SimulationResult = Awaited<ReturnType<typeof simulate>>;

export async function simulate(o: SimulationOptions) {
  const log = o.log ?? (() => {});
  const wallStart = performance.now();
  const arrivalDays = o.arrivalDays ?? Math.max(1, Math.round(o.horizonDays / 6));
  const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-sim-'));
  // Its dev keys and secrets go with the run however it ends: also when the process exits mid-run (a Ctrl-C the
  // caller turns into an exit, bench/simulate.ts), where the `finally` below never runs.
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeDataDir);
  // Keep every file the runtime writes (dev keys, channel secrets, mail) out of the repository's .zoneflow/.
  Object.assign(process.env, { ZONEFLOW_DATA_DIR: dataDir, ZONEFLOW_SECRETS_DIR: join(dataDir, 'secrets'), MAIL_DIR: join(dataDir, 'mail') });
  // As deployed (infra/constructs/zone-function.ts): the configuration in force kept 30 s by a warm function.
  process.env.REFERENCE_CACHE_SECONDS ??= '30';
  // A run of minutes: the emulator's JVM compiles fully (about 15 % less CPU a request than C1 alone, measured).
  const db = await startDynamoDbLocal({ peakJit: true });
  let server: Server | undefined;
  let prober: ReturnType<typeof probeThread> | undefined;
  /** The probe from the product's loop runs while this holds (cleared at the end of the drive, or by a failure). */
  let probing = false;
  let stopRuntime: (() => void) | undefined;
  let client: ReturnType<typeof clientThread> | undefined;
  const metering = startMetering();
  // The business day hour by hour: the API's calls and tail, the product's other work (bench/sim/hours.ts).
  let businessNow: (() => number) | undefined;
  const hours = createHourProfile(() => businessNow?.());
  const httpNames = new Set(ROUTES.map((r) => r.function));
  try {
    const runtime = await composeLocalRuntime({
      endpoint: db.endpoint,
      clock: { ZONEFLOW_CLOCK_START: o.clockStart ?? '2025-01-06T08:00:00+08:00', ZONEFLOW_CLOCK_ANCHOR: String(Date.now()), ZONEFLOW_TIME_SCALE: String(o.scale) },
      log: (message, fields) => log(JSON.stringify({ level: 'error', message, ...fields })),
      instrument: (name, handler) => metering.instrument(name, hours.wrap(name, handler, httpNames)),
    });
    stopRuntime = runtime.stop;
    await metering.attach();
    const { clock } = runtime;
    businessNow = () => clock.now().getTime();
    // The delivery sweep runs every business minute; no channel is configured here, so once a real second is enough.
    runtime.startSchedules({ minuteFloorMs: 1_000 });
    const keys = await loadOrCreateKeys(dataDir);
    server = createApiServer({ verify: await createVerifier(keys), loadHandler: runtime.loadHandler as (name: string) => Promise<HttpHandler> });
    await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const bootSeconds = (performance.now() - wallStart) / 1000;

    // ---- the HTTP API, every call timed ----
    // The raw GetItem the target is judged on is probed from a thread that does nothing else (probe-worker.ts): evenly,
    // and with every 8th API call at the moment it starts — the store's latency as the API's calls meet it (they
    // cluster in office-hour bursts, which a probe spread evenly over time mostly misses).
    prober = probeThread(db.endpoint);
    const probeFor = prober;
    let probeKey: string | undefined;
    let calls = 0;
    if (!o.clientInLoop) client = clientThread();
    const api = apiClient(base, keys, o.concurrency ?? 8, client?.send ?? sendInLoop, () => {
      if (++calls % 8 === 0 && probeKey) probeFor.shot();
    }, (ms) => hours.call(clock.now().getTime() - ms * o.scale, ms));
    const calendar = new WorkCalendar(await calendarData(api, clock.now(), o.horizonDays));
    const lights = await api.call<{ doc: { yellowBeforeWd: number } }>('GET /config/{name}', 'GET', '/config/lights', api.role(STAFF));
    const yellowBeforeWd = lights.body.doc.yellowBeforeWd;
    // The escalation ladder's rules, read like the lights' (bench/sim/ladder.ts).
    const ladderSetup = await ladderConfig(api, o.ladder && { ...o.ladder, base });

    // ---- raw DynamoDB Local GetItem, probed under the same load ----
    // Also from this thread's loop (the product's: the API, the runner, the poller and the step functions share it), as
    // the probe was sent before it had a thread: the same GetItem plus the wait for a busy loop — the earlier runs' figure.
    const probeClient = new DynamoDBClient(localClientConfig(db.endpoint));
    const onLoopMs: number[] = [];
    probing = true;
    const probe = (async () => {
      while (probing) {
        if (probeKey) {
          const t0 = performance.now();
          await probeClient.send(new GetItemCommand({ TableName: process.env.TABLE_PROJECTS, Key: { pk: { S: `PROJECT#${probeKey}` }, sk: { S: 'PROJECT' } } }));
          onLoopMs.push(performance.now() - t0);
        }
        await sleep(50);
      }
    })();

    // ---- the zone ----
    const profiler = o.cpuProfileFile ? await startCpuProfile() : undefined;
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = { node: process.cpuUsage(), java: childCpuSeconds(), machine: machineBusyCpuSeconds() };
    const driveStart = clock.now().getTime();
    hours.start();
    const startDay = dayOf(new Date(driveStart));
    const horizonEnd = driveStart + o.horizonDays * DAY_MS;
    const agenda = new Agenda();
    const sims: SimProject[] = Array.from({ length: o.projects }, (_, i) => ({
      spec: projectSpec(o.seed, i, arrivalDays),
      terminal: false,
      planned: new Set<string>(),
      gates: new Set<string>(),
      done: new Set<string>(),
      progressPlanned: false,
      productionPlanned: false,
      approvalsLeft: 0,
      pending: 0,
    }));
    const counters = { neverTasks: 0, lateTasks: 0, actionsFailed: 0, deferred: 0 };
    /** Looks and looks finding nothing new, by what the people looked for (the report's where-the-polls-go table). */
    const looksBy: Record<string, { looks: number; idle: number }> = {};
    const counted = (cause: string) => (looksBy[cause] ??= { looks: 0, idle: 0 });
    const sumOf = (by: typeof looksBy, field: 'looks' | 'idle') => Object.values(by).reduce((n, c) => n + c[field], 0);
    const failures: string[] = [];
    metering.begin(clock, o.scale, () => tally(sims));
    // Opt-in: the daily wake-up check, on a client of its own (its reads are the run's, not the product's).
    const wakes = o.checkWakes ? wakeChecker(new DynamoDBClient(localClientConfig(db.endpoint)), process.env.TABLE_PROJECTS!) : undefined;
    let wakesCheckedOn = '';
    let wakeCheck: Promise<void> = Promise.resolve();
    const fail = (what: string) => {
      counters.actionsFailed += 1;
      if (failures.length < 50) failures.push(what);
    };
    /** The business instant of `minute` past midnight on `day` (now, if that has passed). */
    const instant = (day: string, minute: number) => Math.max(clock.now().getTime(), startOf(day).getTime() + minute * 60_000);
    const plan = (p: SimProject, at: number, run: () => Promise<void>) => {
      p.pending += 1;
      agenda.push(at, async () => {
        p.pending -= 1;
        if (!p.terminal) await run();
        // Nothing left planned (a task that is never done, or a reaction this simulation did not wait for): a project
        // is never forgotten — look again in ten business days.
        if (!p.terminal && p.pending === 0 && p.id) plan(p, clock.now().getTime() + 10 * DAY_MS, () => look(p, 0, 'recheck'));
      });
    };
    /**
     * A person's action at `minute` past midnight on `day`, in office hours. One whose turn comes only after midnight
     * (the simulation fell behind under load) waits for that minute of the new day: people do not act in the small
     * hours, and an action there would race the deadline wake-ups of the night.
     */
    const planAt = (p: SimProject, day: string, minute: number, run: () => Promise<void>): void =>
      plan(p, instant(day, minute), async () => {
        const now = clock.now();
        if (dayOf(now) > day && now.getTime() < startOf(dayOf(now)).getTime() + minute * 60_000) {
          counters.deferred += 1;
          return planAt(p, dayOf(now), minute, run);
        }
        await run();
      });
    /** `realMs` real milliseconds from now, on the business clock. */
    const soon = (realMs: number) => clock.now().getTime() + realMs * o.scale;
    const today = () => dayOf(clock.now());
    const workdayAfter = (n: number) => calendar.addWorkdays(today(), n);
    /** Working days from `from` until `to` (the fewest that reach it). */
    const workdaysFrom = (from: string, to: string) => {
      let n = 0;
      while (calendar.addWorkdays(from, n) < to) n += 1;
      return n;
    };

    const actorToken = (p: SimProject, role: Role) =>
      role === 'park_center' ? api.park(p.spec.body.park) : role === 'enterprise' ? api.enterprise(p.spec.body.investor.enterpriseId) : api.role(role);
    const trackRole: (p: SimProject) => Role = (p) => (p.spec.body.track === 'industrial' ? 'investment_dept' : 'scitech_dept');

    /** Reads the project and its tasks and plans whatever its people will do next; `expect`: poll until it changes. */
    const look = async (p: SimProject, expect: number, cause: string): Promise<void> => {
      counted(cause).looks += 1;
      const id = p.id!;
      const who = simKey(p);
      const [project, tasks] = await Promise.all([api.call<ProjectView>('GET /projects/{id}', 'GET', `/projects/${id}`, api.role(STAFF)), allTasks(api, id)]);
      if (project.status !== 200) return fail(`look ${id}: ${project.status}`);
      const pv = project.body;
      p.stage = pv.stage;
      p.status = pv.status;
      if (TERMINAL.has(pv.status)) {
        p.terminal = true;
        metering.projectEnded(id, clock.now());
        return;
      }
      // A gate passes with its last decision; the next stage's tasks come when the lifecycle enters it, a moment later.
      // Until they show, the people have nothing of the new stage to act on: look again, as for any reaction awaited.
      if (!tasks.some((t) => t.stage === pv.stage)) {
        counted(cause).idle += 1;
        if (expect < 8) plan(p, soon(150 * 2 ** Math.min(expect, 5)), () => look(p, expect + 1, cause));
        return;
      }
      const before = p.pending;
      for (const t of tasks) {
        if (t.status !== 'open' || !t.startedDate || p.planned.has(t.id) || t.kind === 'recurring' || t.code === 'production_figures') continue;
        p.planned.add(t.id);
        // A rectification item 整改事项 has a date, not a limit: the enterprise is held to the working days until it.
        const limitWd = t.limitWd ?? (t.code === 'rectification' && t.dueDate ? workdaysFrom(t.startedDate, t.dueDate) : null);
        const delay = taskDelay(o.seed, who, t.id, t.lead, limitWd);
        if (delay === null) {
          counters.neverTasks += 1;
          continue;
        }
        if (limitWd !== null && delay > limitWd) counters.lateTasks += 1;
        planAt(p, calendar.addWorkdays(t.startedDate, delay), actMinute(o.seed, `${who}-${t.id}`), () => complete(p, t, tasks));
      }
      if (pv.stage === 'CONSTRUCTION' && !p.progressPlanned) {
        p.progressPlanned = true;
        planAt(p, workdayAfter(progressGap(o.seed, who, 0)), actMinute(o.seed, `${who}-progress-0`), () => progress(p, 1));
      }
      if (pv.stage === 'OPERATION' && !p.productionPlanned) {
        p.productionPlanned = true;
        const r = stream(o.seed, `production-${who}`);
        planAt(p, workdayAfter(between(r, 5, 15)), actMinute(o.seed, `${who}-production`), () => production(p, 1));
      }
      const gate = pv.gate;
      if (gate?.open && gate.stage === pv.stage && !p.gates.has(`${gate.stage}#${gate.round}`)) {
        p.gates.add(`${gate.stage}#${gate.round}`);
        const opened = today();
        const meetingDay = calendar.addWorkdays(opened, between(stream(o.seed, `meeting-${who}-${gate.stage}-${gate.round}`), 1, 3));
        if (gate.meetingRequired && !gate.meetingRecorded) planAt(p, meetingDay, actMinute(o.seed, `${who}-meeting-${gate.stage}`), () => meeting(p, gate.stage));
        const missing = gate.requiredApprovals.filter((r) => !gate.approvals.some((a) => a.role === r));
        p.approvalsLeft = missing.length;
        for (const role of missing) {
          let day = calendar.addWorkdays(opened, approvalDelay(o.seed, who, gate.stage, gate.round, role));
          if (gate.meetingRequired && day < meetingDay) day = meetingDay;
          planAt(p, day, actMinute(o.seed, `${who}-approve-${gate.stage}-${role}`), () => approve(p, gate.stage, role));
        }
      }
      // The workflow has not reacted yet (nothing new to plan): look again, backing off (300 ms, 600 ms, … real).
      if (expect > 0 && p.pending === before) {
        counted(cause).idle += 1;
        if (expect < 6) plan(p, soon(150 * 2 ** expect), () => look(p, expect + 1, cause));
      }
    };
    const lookSoon = (p: SimProject) => plan(p, soon(150), () => look(p, 1, 'refused'));
    // The people who answer the escalation ladder's rungs (a desk reads the ledger each working day).
    const people = ladderPeople({ seed: o.seed, api, setup: ladderSetup, calendar, now: () => clock.now().getTime(), instant, plan, push: (at, run) => agenda.push(at, run), look: (p) => plan(p, soon(150), () => look(p, 0, 'ladder')), fail, projects: sims });

    const complete = async (p: SimProject, t: TaskView, seen: readonly TaskView[]) => {
      const reply = await api.call('POST /projects/{id}/tasks/{taskId}/complete', 'POST', `/projects/${p.id}/tasks/${encodeURIComponent(t.id)}/complete`, actorToken(p, t.lead), { note: '已办结' }, `${p.id}-${t.id}-done`);
      if (reply.status === 409) return lookSoon(p);
      if (reply.status !== 200) return fail(`complete ${p.id} ${t.id}: ${reply.status} ${reply.text.slice(0, 200)}`);
      p.done.add(t.id);
      // A successor or the gate follows from this completion only when one waits for it or nothing else is open.
      const stageOpen = seen.filter((x) => x.stage === t.stage && x.kind === 'matrix' && x.requiredForGate && x.status === 'open' && !p.done.has(x.id));
      const waits = seen.some((x) => x.after.includes(t.id) && !x.startedDate);
      if (waits || stageOpen.length === 0) plan(p, soon(150), () => look(p, 1, waits ? 'successor' : 'gate'));
    };
    const meeting = async (p: SimProject, stage: string) => {
      // The groundbreaking gate's meeting fixes the planned completion (required there): two years on, as a zone plans
      // a plant's construction; the ladder watches it (逾期竣工) and so does the oracle.
      const body = { heldOn: today(), attendees: ['分管领导', '各部门'], decisions: ['同意转段'], followUps: [], ...(stage === 'GROUNDBREAKING' ? { plannedCompletionDate: addCalendarDays(today(), 730) } : {}) };
      const reply = await api.call('POST /projects/{id}/gates/{stage}/meeting', 'POST', `/projects/${p.id}/gates/${stage}/meeting`, api.role(STAFF), body, `${p.id}-${stage}-meeting-${today()}`);
      // Approvals still to come: the gate cannot pass yet, so nothing new to see until the last of them.
      if (reply.status === 201) return p.approvalsLeft <= 0 ? plan(p, soon(150), () => look(p, 1, 'next stage')) : undefined;
      if (reply.status === 409) return lookSoon(p);
      fail(`meeting ${p.id} ${stage}: ${reply.status} ${reply.text.slice(0, 200)}`);
    };
    const approve = async (p: SimProject, stage: string, role: Role) => {
      const reply = await api.call('POST /projects/{id}/gates/{stage}/approvals', 'POST', `/projects/${p.id}/gates/${stage}/approvals`, actorToken(p, role), { decision: 'approve', comment: '同意' }, `${p.id}-${stage}-${role}-${today()}`);
      if (reply.status === 201) {
        p.approvalsLeft -= 1;
        return p.approvalsLeft <= 0 ? plan(p, soon(150), () => look(p, 1, 'next stage')) : undefined;
      }
      if (reply.status === 409) return lookSoon(p);
      fail(`approve ${p.id} ${stage} ${role}: ${reply.status} ${reply.text.slice(0, 200)}`);
    };
    const progress = async (p: SimProject, n: number) => {
      if (p.stage !== 'CONSTRUCTION') return;
      const body = { constructionPct: Math.min(100, n * 12), equipmentPct: Math.min(100, n * 8) };
      const reply = await api.call('POST /projects/{id}/progress', 'POST', `/projects/${p.id}/progress`, actorToken(p, 'enterprise'), body, `${p.id}-progress-${n}`);
      if (reply.status === 409) return lookSoon(p);
      if (reply.status !== 200) return fail(`progress ${p.id}: ${reply.status} ${reply.text.slice(0, 200)}`);
      planAt(p, workdayAfter(progressGap(o.seed, simKey(p), n)), actMinute(o.seed, `${simKey(p)}-progress-${n}`), () => progress(p, n + 1));
    };
    /**
     * The enterprise reports the quarter it is in 达产达效 (the API takes no quarter before the one the project entered
     * OPERATION in, nor one that has not begun): the first one to three weeks after entering, then each quarter in its
     * first two weeks. The fourth consecutive quarter's figures reach the targets' year (each a quarter of 105 %): the
     * 达产 gate opens, three quarters after entry at the earliest.
     */
    const production = async (p: SimProject, n: number) => {
      if (p.stage !== 'OPERATION') return;
      const t = p.spec.body.targets;
      const now = today();
      const index = Number(now.slice(0, 4)) * 4 + Math.floor((Number(now.slice(5, 7)) - 1) / 3);
      const quarter = `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
      const body = { quarter, outputValueCny: Math.ceil((t.outputValueCny * 1.05) / 4), taxCny: Math.ceil((t.taxCny * 1.05) / 4), jobs: t.jobs };
      const reply = await api.call('POST /projects/{id}/production', 'POST', `/projects/${p.id}/production`, actorToken(p, 'enterprise'), body, `${p.id}-production-${quarter}`);
      if (reply.status === 409) return lookSoon(p);
      if (reply.status !== 200) return fail(`production ${p.id}: ${reply.status} ${reply.text.slice(0, 200)}`);
      if (n >= 4) return plan(p, soon(150), () => look(p, 1, 'production'));
      const next = index + 1;
      const nextStart = `${Math.floor(next / 4)}-${String((next % 4) * 3 + 1).padStart(2, '0')}-01`;
      const day = calendar.addWorkdays(nextStart, between(stream(o.seed, `production-${simKey(p)}-${n}`), 1, 10));
      planAt(p, day, actMinute(o.seed, `${simKey(p)}-production-${n}`), () => production(p, n + 1));
    };
    const arrive = async (p: SimProject) => {
      const b = p.spec.body;
      const created = await api.call<{ id: string; status: string }>('POST /projects', 'POST', '/projects', api.role(trackRole(p)), b, `sim-${o.seed}-${p.spec.index}`);
      if (created.status !== 201) return fail(`create ${p.spec.index}: ${created.status} ${created.text.slice(0, 200)}`);
      p.id = created.body.id;
      metering.projectCreated(p.id, clock.now());
      if (!probeKey) probeFor.key((probeKey = p.id));
      let status = created.body.status;
      for (const role of [trackRole(p), STAFF] as const) {
        if (status !== 'PENDING_ADMISSION') break;
        const admitted = await api.call<{ status: string }>('POST /projects/{id}/admission', 'POST', `/projects/${p.id}/admission`, api.role(role), { decision: 'approve' }, `${p.id}-admit-${role}`);
        if (admitted.status !== 200) return fail(`admit ${p.id} ${role}: ${admitted.status} ${admitted.text.slice(0, 200)}`);
        status = admitted.body.status;
      }
      // The site the project needs, added to the inventory by its owner and reserved by the park's service center.
      const land = b.siteMode === 'land';
      const kind = land ? 'parcels' : 'facilities';
      const code = `SIM-${o.seed}-${p.spec.index}`;
      const resource = land
        ? { code, park: b.park, areaM2: 50_000, use: '工业用地', supply: 'stock', readiness: { relicSurvey: '2024-11-05', landApproval: '2024-11-06', clearanceList: '2024-11-07', infrastructure: '2024-11-08' } }
        : { code, park: b.park, owner: '开发区建设投资公司', areaM2: 8_000, floorLoadKnM2: 30, clearHeightM: 12, powerKva: 2_000, rentCnyPerM2Month: 15 };
      const made = await api.call<{ id: string }>('POST /inventory/{kind}', 'POST', `/inventory/${kind}`, api.role(land ? 'resources_bureau' : 'soe'), resource, `${code}-resource`);
      if (made.status !== 201) return fail(`inventory ${p.id}: ${made.status} ${made.text.slice(0, 200)}`);
      people.site(p, kind, made.body.id);
      const held = await api.call('POST /projects/{id}/reservations', 'POST', `/projects/${p.id}/reservations`, api.park(b.park), { kind, resourceId: made.body.id }, `${code}-reserve`);
      if (held.status !== 201) return fail(`reserve ${p.id}: ${held.status} ${held.text.slice(0, 200)}`);
      plan(p, soon(300), () => look(p, 1, 'arrival'));
    };

    for (const p of sims) {
      const day = calendar.onOrAfter(calendar.addWorkdays(startDay, p.spec.arrivalDay));
      planAt(p, day, between(stream(o.seed, `arrive-${p.spec.index}`), 9 * 60, 17 * 60), () => arrive(p));
    }
    people.start(startDay);

    // ---- the clock loop: run each action when business time reaches it ----
    let inFlight = 0;
    const running = new Set<Promise<void>>();
    let lastReport = performance.now();
    /** The drive's first real instant, as `driveSeconds` counts it (after the start-up). */
    const driveWallStart = wallStart + bootSeconds * 1000;
    let stopped: DriveStopped | null = null;
    for (;;) {
      const now = clock.now().getTime();
      if (now >= horizonEnd) break;
      if (o.stopAfterSeconds !== undefined && performance.now() - driveWallStart >= o.stopAfterSeconds * 1000) {
        stopped = { reason: 'wall-limit', atDay: round((now - driveStart) / DAY_MS), horizonDays: o.horizonDays };
        log(`drive stopped by its wall limit of ${o.stopAfterSeconds} s at business day ${stopped.atDay} of ${o.horizonDays}: the oracles check up to it`);
        break;
      }
      if (agenda.size === 0 && inFlight === 0) break;
      const next = agenda.peek();
      if (next && next.at <= now) {
        agenda.pop();
        inFlight += 1;
        const run: Promise<void> = next
          .run()
          .catch((err: unknown) => fail(`action: ${String(err)}`))
          .finally(() => {
            inFlight -= 1;
            running.delete(run);
          });
        running.add(run);
        continue;
      }
      // After midnight's reviews have had a business hour, once a day: the waits the day's first reviews stored.
      const day = dayOf(new Date(now));
      if (wakes && day !== wakesCheckedOn && now - startOf(day).getTime() > 3_600_000) {
        wakesCheckedOn = day;
        const ids = sims.filter((p) => p.id && !p.terminal).map((p) => p.id!);
        wakeCheck = wakeCheck.then(() => wakes.check(ids, () => dayOf(clock.now()))).catch((err: unknown) => fail(`wake check: ${String(err)}`));
      }
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        const byStage = tally(sims);
        log(`day ${Math.floor((now - driveStart) / DAY_MS)}/${o.horizonDays} · ${dayOf(new Date(now))} · ${JSON.stringify(byStage)} · api ${api.latencies.length} calls · agenda ${agenda.size} · in flight ${inFlight}`);
      }
      await sleep(Math.max(1, Math.min(20, next ? (next.at - now) / o.scale : 20)));
    }
    await wakeCheck;
    const driveEnd = clock.now().getTime();
    hours.stop();
    const driveSeconds = (performance.now() - wallStart) / 1000 - bootSeconds;
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const nodeCpu = process.cpuUsage(cpu0.node);
    const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
    const javaCpuSeconds = childCpuSeconds() - cpu0.java;
    // Everything the machine's cores did meanwhile, and so what other processes took (a type check, another clone's
    // tests): late events and the p99 of a run are comparable only between runs that had the machine to themselves.
    const machineCpu = machineBusyCpuSeconds() - cpu0.machine;
    const othersCpu = Math.max(0, machineCpu - nodeCpuSeconds - javaCpuSeconds);
    const cpu = {
      // The main thread's loop runs the HTTP handlers, the workflow steps and the stream consumers; the simulated users'
      // client and the raw GetItem probe have threads of their own. The CPU seconds count every thread of the process.
      nodeEventLoopUtilization: round(elu, 2),
      nodeCpuSeconds: round(nodeCpuSeconds),
      dynamodbLocalCpuSeconds: round(javaCpuSeconds),
      driveSeconds: round(driveSeconds),
      machineBusyCpuSeconds: round(machineCpu),
      otherProcessesCpuSeconds: round(othersCpu),
      /** What other processes took, as a share of every core over the drive (0 when the run had the machine alone). */
      otherProcessesShareOfCores: round(othersCpu / (driveSeconds * cpus().length), 3),
    };
    await Promise.allSettled([...running]);
    probing = false;
    await probe;
    probeClient.destroy();
    const probed = await probeFor.stop();
    // Stopped once the probe has: taking, writing and summing the profile blocks the loop for a while, which the probe
    // would record as the store's latency. It covers the drive and the settling of the calls in flight at its end.
    const profile = await profiler?.stop();
    if (profile) writeFileSync(o.cpuProfileFile!, JSON.stringify(profile));
    const cpuProfile = profile && summarizeProfile(profile, fileURLToPath(new URL('../..', import.meta.url)));
    // Every workflow signal committed in the drive reached its consumer: a record the stream never handed over would be
    // a lost wake-up whatever the oracles find (checked before the stop, which leaves the last ones undelivered).
    const signals = {
      ...(await outboxDelivery(db.endpoint, runtime.pollers)),
      // What the local stand-ins for the event source mappings asked DynamoDB Local (a poll: a GetRecords per open shard).
      streamPolls: Object.fromEntries(runtime.pollers.map((p) => [p.table, { ...p.counts }])),
    };
    // No workflow, poller or schedule writes after this instant: the oracle's cutoff.
    runtime.stop();
    stopRuntime = undefined;
    metering.finish(clock.now());
    await sleep(300);
    const cutoff = clock.now();

    // ---- what the product recorded ----
    const collectStart = performance.now();
    const ours = sims.filter((p) => p.id);
    const oracleTasks: OracleTask[] = [];
    const events: LightEvent[] = [];
    const final: { stage: string; status: string }[] = [];
    /** Where each project that did not finish stands: the first few, for the report. */
    const unfinished: Record<string, unknown>[] = [];
    const taskIndex = new Map<string, string>();
    const timelines = new Map<string, { action: string; at: string }[]>();
    await Promise.all(
      ours.map(async (p) => {
        const [project, tasks, timeline] = await Promise.all([api.call<ProjectView>('GET /projects/{id}', 'GET', `/projects/${p.id}`, api.role(STAFF)), allTasks(api, p.id!), allTimeline(api, p.id!)]);
        const withdrawnAt = new Map<string, string>();
        for (const e of timeline) if (e.action === 'task.withdrawn') for (const w of (e.after as { tasks?: { taskId: string }[] }).tasks ?? []) withdrawnAt.set(w.taskId, e.at);
        final.push({ stage: project.body.stage, status: project.body.status });
        if (!TERMINAL.has(project.body.status) && unfinished.length < 20) {
          const open = tasks.filter((t) => t.status === 'open' && t.kind !== 'recurring').map((t) => `${t.id}${t.startedDate ? '' : ' (not started)'}${p.planned.has(t.id) ? '' : ' (not planned)'}`);
          const g = project.body.gate;
          unfinished.push({ id: p.id, stage: project.body.stage, open, gate: g && { open: g.open, round: g.round, approvals: g.approvals.map((a) => a.role), meetingRecorded: g.meetingRecorded }, planned: p.pending });
        }
        for (const t of tasks) {
          // A task the exit withdrew was open work until the instant of its withdrawal (its `task.withdrawn` event).
          const closedAt = t.status === 'withdrawn' ? (withdrawnAt.get(t.id) ?? null) : (t.completion?.at ?? null);
          oracleTasks.push({ projectId: p.id!, id: t.id, kind: t.kind, lead: t.lead, status: t.status, startedDate: t.startedDate, limitWd: t.limitWd, dueDate: t.dueDate, dueDateSet: t.dueDateSet ?? null, completedAt: closedAt, closedWithStage: t.kind === 'recurring' && t.completion?.by === SYSTEM_CLOSER });
          // A notice names its task by name and due date (a recurring meeting's name repeats; its due date does not).
          taskIndex.set(`${p.id}\u0000${t.name}\u0000${t.dueDate}`, t.id);
        }
        timelines.set(p.id!, timeline.map((e) => ({ action: e.action, at: e.at })));
        for (const e of timeline) {
          if (e.action !== 'task.overdue') continue;
          for (const t of (e.after as { tasks?: { taskId: string }[] }).tasks ?? []) events.push({ projectId: p.id!, taskId: t.taskId, light: 'red', source: 'audit', at: e.at });
        }
      }),
    );
    // The lead departments' inboxes: yellow lights are told, not audited. Read from the inbox table, whose records keep
    // the notice's facts (task name, due date); GET /me/notifications shows only the wording.
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const ids = new Set(ours.map((p) => p.id!));
    const inboxes = new Set<string>(['DEPT#investment_dept', 'DEPT#scitech_dept', 'DEPT#resources_bureau', 'DEPT#eco_bureau', 'DEPT#construction_dept', 'DEPT#approval_office', 'DEPT#committee_leader', 'DEPT#soe']);
    for (const p of ours) {
      inboxes.add(`DEPT#park_center#${p.spec.body.park}`);
      inboxes.add(`ENTERPRISE#${p.spec.body.investor.enterpriseId}`);
    }
    for (const inbox of inboxes) {
      for (let before: string | undefined; ; ) {
        const page = await queryInbox(inbox, 500, before);
        for (const n of page.items) {
          if ((n.kind !== 'task.yellow' && n.kind !== 'task.overdue') || !n.projectId || !ids.has(n.projectId)) continue;
          const facts = n.facts as { item?: string; dueDate?: string } | undefined;
          const taskId = taskIndex.get(`${n.projectId}\u0000${facts?.item}\u0000${facts?.dueDate}`) ?? null;
          events.push({ projectId: n.projectId, taskId, light: n.kind === 'task.yellow' ? 'yellow' : 'red', source: 'inbox', at: n.createdAt });
        }
        if (!page.more || page.items.length === 0) break;
        before = page.items.at(-1)!.seq;
      }
    }
    const oracle: OracleReport = checkDeadlines({ tasks: oracleTasks, events, calendar, yellowBeforeWd, cutoffDay: dayOf(cutoff) });
    // The escalation ladder's oracle, and each exited project's site read back (bench/sim/ladder.ts).
    const ladder = await checkLadderRun({ api, ids: ours.map((p) => p.id!), tasks: oracleTasks, calendar, setup: ladderSetup, cutoffDay: dayOf(cutoff), people });
    const collectSeconds = (performance.now() - collectStart) / 1000;

    const executions = [...runtime.workflow.executions.values()].filter((e) => e.machine === 'lifecycle');
    const apiStats = stats(api.latencies);
    // The calls whose invocation lost a race (a write refused, re-read and retried) and the rest: how much of the tail
    // the races make. On a fast clock two people's actions an hour apart reach the same project milliseconds apart.
    const raced: number[] = [];
    const others: number[] = [];
    api.latencies.forEach((ms, i) => (metering.refused(api.requestIds[i]!) ? raced : others).push(ms));
    const clean = stats(others);
    const getItem = stats(probed.even);
    const withCalls = stats(probed.withCalls);
    const onLoop = stats(onLoopMs);
    const businessDays = (driveEnd - driveStart) / DAY_MS;
    const byStage: Record<string, number> = {};
    for (const f of final) {
      const k = f.status === 'ACTIVE' ? f.stage : f.status === 'COMPLETED' ? 'PRODUCING' : f.status;
      byStage[k] = (byStage[k] ?? 0) + 1;
    }
    const defects = oracle.counts.lost + oracle.counts.doubled + oracle.counts.early + oracle.counts.late + oracle.counts.spurious;
    // Projects the drive never created (a clock so fast the horizon passed before they arrived, or an arrival after it): the oracles checked
    // less than the zone asked for — nothing at all, when none was — so the run does not pass. A drive stopped by its
    // wall limit is checked up to the day it reached, projects not arrived by then included.
    const notCreated = stopped ? 0 : o.projects - ours.length;
    return {
      generatedAt: new Date().toISOString(),
      options: { ladder: ladderSetup.rules, projects: o.projects, seed: o.seed, horizonDays: o.horizonDays, scale: o.scale, arrivalDays, concurrency: o.concurrency ?? 8, client: o.clientInLoop ? 'in the product\'s loop' : 'own thread', clockStart: o.clockStart ?? '2025-01-06T08:00:00+08:00' },
      machine: { cpus: cpus().length, node: process.version, commit: gitCommit() },
      wallSeconds: { total: round((performance.now() - wallStart) / 1000), boot: round(bootSeconds), drive: round(driveSeconds), collect: round(collectSeconds) },
      business: { start: new Date(driveStart).toISOString(), end: new Date(driveEnd).toISOString(), days: round(businessDays), daysPerSecond: round(businessDays / driveSeconds, 2), cutoff: cutoff.toISOString(), stopped },
      projects: {
        created: ours.length,
        notCreated,
        byStage,
        reachedEnd: final.filter((f) => f.status === 'COMPLETED' || f.status === 'EXITED').length,
        tasksNeverDone: counters.neverTasks,
        tasksPlannedLate: counters.lateTasks,
      },
      api: { ...apiStats, statuses: Object.fromEntries(api.statuses), byRoute: Object.fromEntries([...api.byRoute].map(([k, v]) => [k, stats(v)])), byBusinessHour: hours.report() },
      dynamodbGetItem: getItem,
      apiP99OverGetItemP99: getItem.p99 ? round(apiStats.p99 / getItem.p99, 2) : null,
      dynamodbGetItemWithCalls: withCalls,
      dynamodbGetItemOnProductLoop: onLoop,
      apiP99OverGetItemOnProductLoopP99: onLoop.p99 ? round(apiStats.p99 / onLoop.p99, 2) : null,
      apiP99OverGetItemWithCallsP99: withCalls.p99 ? round(apiStats.p99 / withCalls.p99, 2) : null,
      apiTarget: { p99OverGetItemP99AtMost: 3, met: getItem.p99 ? apiStats.p99 <= 3 * getItem.p99 : false },
      apiRaced: { ...stats(raced), othersP99: clean.p99, othersP99OverGetItemP99: getItem.p99 ? round(clean.p99 / getItem.p99, 2) : null },
      lights: { expected: oracle.expected, recorded: oracle.actual, yellow: oracle.actual['yellow/inbox'] ?? 0, red: oracle.actual['red/audit'] ?? 0 },
      oracle: { tasksChecked: oracle.tasksChecked, counts: oracle.counts, defects: defects, examples: oracle.defects.slice(0, 30).map((d) => ({
          ...d,
          // What the project's timeline holds around the day the light was due: the evidence for a defect.
          around: d.expectedDay ? (timelines.get(d.projectId) ?? []).filter((e) => dayOf(e.at) >= plusDays(d.expectedDay!, -1) && dayOf(e.at) <= (d.actualDays.at(-1) ?? plusDays(d.expectedDay!, 1))) : [],
        })), assumedCalendarYears: oracle.assumedYears, scope: 'task yellow and red lights (audit and notices); escalation rungs: see ladder' },
      cpu,
      ...(cpuProfile ? { cpuProfile } : {}),
      workflow: {
        executions: executions.length,
        stateTransitions: executions.reduce((n, e) => n + e.stateTransitions, 0),
        estimatedAwsHistoryEvents: executions.reduce((n, e) => n + estimatedAwsHistoryEvents(e), 0),
        failed: executions.filter((e) => e.status === 'FAILED').length,
        retries: workflowRetries(executions, o.scale),
      },
      // The totals are the causes' sums.
      simulator: { looks: sumOf(looksBy, 'looks'), looksFindingNothing: sumOf(looksBy, 'idle'), looksBy, actionsDeferredToOfficeHours: counters.deferred, actionsFailed: counters.actionsFailed, failures, unfinished },
      metering: await metering.report({ endpoint: db.endpoint, executions: [...runtime.workflow.executions.values()], events }),
      ladder,
      ...(wakes ? { wakeCheck: wakes.report() } : {}),
      signals,
      ok: defects === 0 && ladder.defects === 0 && signals.undelivered === 0 && notCreated === 0,
    };
  } finally {
    await client?.stop();
    metering.finish();
    stopRuntime?.();
    server?.closeAllConnections();
    server?.close();
    probing = false;
    await prober?.terminate();
    await db.stop();
    removeDataDir();
    process.off('exit', removeDataDir);
  }
}

/**
 * The outbox's records (a consistent scan) against what its stream poller handed to wake-workflow, given a minute to
 * deliver the last ones: how many signals were committed, and any the stream never delivered (with a few examples).
 */
async function outboxDelivery(endpoint: string, pollers: readonly StreamPoller[]) {
  const table = process.env.TABLE_OUTBOX!;
  const poller = pollers.find((p) => p.table === table);
  if (!poller) throw new Error(`no stream poller reads ${table}`);
  const dynamodb = new DynamoDBClient(localClientConfig(endpoint));
  const keys: { id: string }[] = [];
  try {
    for (let start: Record<string, AttributeValue> | undefined; ; ) {
      const page = await dynamodb.send(new ScanCommand({ TableName: table, ProjectionExpression: 'id', ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) if (item.id?.S) keys.push({ id: item.id.S });
      start = page.LastEvaluatedKey;
      if (!start) break;
    }
  } finally {
    dynamodb.destroy();
  }
  const missing = await poller.undelivered(keys, 60_000);
  return { committed: keys.length, undelivered: missing.length, examples: missing.slice(0, 10).map((k) => String(k.id)) };
}

/**
 * CPU seconds the whole machine has been busy since boot (every core: user, nice, system, irq, softirq, steal — not
 * idle or waiting on I/O), from /proc/stat; 0 where there is none.
 */
function machineBusyCpuSeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    const [user, nice, system, , , irq, softirq, steal] = line!.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by this process's children (DynamoDB Local's JVM), from /proc; 0 where there is none. */
function childCpuSeconds(): number {
  const ps = spawnSync('ps', ['--ppid', String(process.pid), '-o', 'pid='], { encoding: 'utf8' });
  let ticks = 0;
  for (const pid of (ps.stdout ?? '').split('\n').map((l) => l.trim()).filter(Boolean)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone, or not Linux.
    }
  }
  return ticks / 100;
}

function tally(sims: readonly SimProject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of sims) {
    const k = !p.id ? 'not yet' : p.status === 'ACTIVE' ? (p.stage ?? '?') : (p.status ?? '?');
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** One HTTP round trip as the simulated users' client makes it, timed from sending the request to reading the body. */
type Send = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; text: string; requestId: string; ms: number }>;

/** The client in this process: its side of every call runs on the loop the product's handlers share. */
const sendInLoop: Send = async (url, init) => {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, text, requestId: res.headers.get('x-request-id') ?? '', ms: performance.now() - t0 };
};

/** The commit the run is made at, `-dirty` when the tree has changes; undefined outside a git checkout. */
function gitCommit(): string | undefined {
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return undefined;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? '-dirty' : ''}`;
}

/** The client on its own thread (http-client-worker.ts), as users are on their own machines. */
function clientThread(): { send: Send; stop: () => Promise<number> } {
  const worker = new Worker(new URL('./http-client-worker.ts', import.meta.url));
  const waiting = new Map<number, { resolve: (r: Awaited<ReturnType<Send>>) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (reply: HttpReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ('error' in reply) w.reject(new Error(reply.error));
    else w.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the HTTP client thread exited (${code})`)));
  return {
    send: (url, init) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, url, ...init } satisfies HttpCall);
      }),
    stop: () => worker.terminate(),
  };
}

/**
 * The raw GetItem probe on its own thread (probe-worker.ts): told the key once a project exists, asked for its times at
 * the end. A thread that failed or exited fails `stop()` at once (and does not take the run down with an unheard error);
 * one that does not answer within 30 s fails it too.
 */
function probeThread(endpoint: string) {
  const { region, accessKeyId, secretAccessKey } = LOCAL_AWS;
  const setup: ProbeSetup = { endpoint, region, credentials: { accessKeyId, secretAccessKey }, table: process.env.TABLE_PROJECTS!, everyMs: 50 };
  const worker = new Worker(new URL('./probe-worker.ts', import.meta.url), { workerData: setup });
  let failed: Error | undefined;
  let answered: ((times: FromProbe) => void) | undefined;
  let refused: ((err: Error) => void) | undefined;
  const fail = (err: Error) => {
    failed ??= err;
    refused?.(failed);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the probe thread exited (${code}) before it answered`)));
  worker.on('message', (times: FromProbe) => answered?.(times));
  const send = (message: ToProbe) => {
    if (!failed) worker.postMessage(message);
  };
  return {
    key: (key: string) => send({ kind: 'key', key }),
    shot: () => send({ kind: 'shot' }),
    async stop(): Promise<{ even: number[]; withCalls: number[] }> {
      if (failed) throw failed;
      const times = await new Promise<FromProbe>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the probe thread did not answer in 30 s')), 30_000);
        answered = (t) => (clearTimeout(timer), resolve(t));
        refused = (err) => (clearTimeout(timer), reject(err));
        send({ kind: 'stop' });
      });
      await worker.terminate();
      return times;
    },
    terminate: () => worker.terminate(),
  };
}

/** The HTTP API as the simulated users call it: dev tokens per identity, bounded concurrency, every call timed. */
function apiClient(base: string, keys: DevKeys, concurrency: number, send: Send, onCall: () => void = () => {}, onTimed: (ms: number) => void = () => {}) {
  const tokens = new Map<string, Promise<string>>();
  const token = (key: string, make: () => Parameters<typeof signToken>[1]) => {
    let t = tokens.get(key);
    if (!t) tokens.set(key, (t = signToken(keys, make())));
    return t;
  };
  const limit = limiter(concurrency);
  const latencies: number[] = [];
  /** The x-request-id of each call in `latencies` (same order): the server's id of the invocation that served it. */
  const requestIds: string[] = [];
  const byRoute = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  return {
    latencies,
    requestIds,
    byRoute,
    statuses,
    role: (role: Role) => token(`role:${role}`, () => devIdentity(role, { sub: `sim-${role}` })),
    park: (park: string) => token(`park:${park}`, () => devIdentity('park_center', { park, sub: `sim-park-${park}` })),
    enterprise: (id: string) => token(`ent:${id}`, () => devIdentity('enterprise', { enterprise: id, sub: `sim-${id}` })),
    /** One API call (retried on 429/503 as a client should); `route` names it in the figures. */
    async call<T = unknown>(route: string, method: string, path: string, bearer: Promise<string>, body?: unknown, idempotencyKey?: string): Promise<{ status: number; body: T; text: string }> {
      const authorization = `Bearer ${await bearer}`;
      for (let attempt = 0; ; attempt++) {
        const reply = await limit(async () => {
          onCall();
          const res = await send(`${base}${path}`, {
            method,
            headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          latencies.push(res.ms);
          onTimed(res.ms);
          requestIds.push(res.requestId);
          const list = byRoute.get(route) ?? [];
          list.push(res.ms);
          byRoute.set(route, list);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          return res;
        });
        if ((reply.status === 503 || reply.status === 429) && attempt < 5) {
          await sleep(200 * (attempt + 1));
          continue;
        }
        const json = reply.text && reply.text.startsWith('{') ? (JSON.parse(reply.text) as T) : ({} as T);
        return { status: reply.status, body: json, text: reply.text };
      }
    },
  };
}
type Api = ReturnType<typeof apiClient>;

async function allTasks(api: Api, id: string): Promise<TaskView[]> {
  const out: TaskView[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { status: number; body: Page<TaskView> } = await api.call<Page<TaskView>>('GET /projects/{id}/tasks', 'GET', `/projects/${id}/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, api.role(STAFF));
    if (page.status !== 200) throw new Error(`tasks of ${id}: ${page.status}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!cursor) return out;
  }
}

async function allTimeline(api: Api, id: string): Promise<{ action: string; at: string; after: Record<string, unknown> }[]> {
  const out: { action: string; at: string; after: Record<string, unknown> }[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { status: number; body: Page<{ action: string; at: string; after: Record<string, unknown> }> } = await api.call('GET /projects/{id}/timeline', 'GET', `/projects/${id}/timeline?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, api.role(STAFF));
    if (page.status !== 200) throw new Error(`timeline of ${id}: ${page.status}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!cursor) return out;
  }
}

/** The zone's calendar for every year the run can reach, as GET /calendar/{year} serves it (404: not loaded). */
async function calendarData(api: Api, start: Date, horizonDays: number): Promise<CalendarData[]> {
  const first = Number(dayOf(start).slice(0, 4));
  const last = Number(dayOf(new Date(start.getTime() + (horizonDays + 120) * DAY_MS)).slice(0, 4));
  const years: CalendarData[] = [];
  for (let year = first; year <= last; year++) {
    const reply = await api.call<{ holidays: string[]; workdays: string[] }>('GET /calendar/{year}', 'GET', `/calendar/${year}`, api.role(STAFF));
    if (reply.status === 200) years.push({ year, holidays: reply.body.holidays, workdays: reply.body.workdays });
  }
  return years;
}
