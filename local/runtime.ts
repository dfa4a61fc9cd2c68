// The local composition root: the one place the product is wired together off AWS — `npm start` (local/start.ts),
// the lifecycle test harness (local/lifecycle-harness.ts) and the bench all build their runtime here. It binds the
// process to a DynamoDB Local (environment and tables, before any handler module loads: handlers bind their tables
// at import), loads handlers from the catalog, runs the real ASL in the embedded workflow runner, feeds the outbox
// stream to its consumer as the stack's event source mapping does, and ensures the reference data every deploy does.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { entryOf, FUNCTIONS } from '../functions/catalog.ts';
import { join } from 'node:path';
import { createTables, localClientConfig, LOCAL_AWS, tableEnv } from './dynamodb-local.ts';
import { dataDir } from './paths.ts';
import { nextSlot } from './schedule-slots.ts';

export type Log = (message: string, fields?: Record<string, unknown>) => void;

/**
 * The local runtime's own error lines (a stream record given up, a scheduled job or a local execution failed): one JSON
 * line each on stderr with its `time`, as every line the handlers log (functions/kernel/runtime/log.ts) — the local log
 * is read by time (docs/runbook.md).
 */
export const logRuntimeError: Log = (message, fields) => console.error(JSON.stringify({ level: 'error', message, time: new Date().toISOString(), ...fields }));
// Lambda handlers of every kind (HTTP, step, stream, custom resource) are called the same way here.
type AnyHandler = (event: unknown, context: { awsRequestId: string; functionName: string }) => Promise<unknown>;

/** The business clock's environment: a start instant, a scale (business seconds per real second) and its anchor. */
export interface ClockEnv {
  readonly ZONEFLOW_CLOCK_START?: string;
  readonly ZONEFLOW_TIME_SCALE?: string;
  readonly ZONEFLOW_CLOCK_ANCHOR?: string;
}

/**
 * Binds this process to the tables of a DynamoDB Local: AWS settings, table names (with `prefix`, so runs can share
 * one DynamoDB Local) and the clock, then creates the tables (and any index a kept store lacks). Call it before any
 * handler or store module is imported.
 */
export async function bindLocalStore(opts: { endpoint: string; prefix?: string; clock?: ClockEnv }): Promise<void> {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    DYNAMODB_ENDPOINT: opts.endpoint,
    ZONEFLOW_WORKFLOW: 'local',
    ...tableEnv(opts.prefix),
    ...opts.clock,
  });
  // Notification channels off AWS: robot credentials in files (not SSM), e-mail as .eml files (not SES), and robots on
  // this machine allowed (the README's local receiver). A caller (a test) may have pointed them elsewhere first.
  process.env.ZONEFLOW_SECRETS_DIR ??= join(dataDir(), 'secrets');
  process.env.MAIL_DIR ??= join(dataDir(), 'mail');
  process.env.ROBOT_HOSTS_ALLOWED ??= LOCAL_ROBOT_HOSTS;
  await createTables(new DynamoDBClient(localClientConfig(opts.endpoint)), opts.prefix ? { prefix: opts.prefix } : {});
}

/** The robot hosts the local runtime allows unless told otherwise: this machine's loopback, by name, IPv4 and IPv6. */
export const LOCAL_ROBOT_HOSTS = 'localhost,127.0.0.1,[::1]';

export interface LocalRuntimeOptions {
  readonly endpoint: string;
  readonly prefix?: string;
  readonly clock?: ClockEnv;
  readonly log: Log;
  /** Signals already in the outbox stream are passed over when no checkpoint was kept (else read on after it). */
  readonly skipExistingSignals?: boolean;
  /** Where the stream consumers keep their positions across restarts (npm start: in the data directory). */
  readonly streamCheckpoints?: string;
  /**
   * This process is its store's only dispatcher (`npm start`): free the notification channels a killed predecessor
   * held, before anything here may dispatch (local/resume.ts).
   */
  readonly freeChannels?: boolean;
  /** Wraps every handler as it is loaded, HTTP and invoked alike (the simulator meters invocations with it). */
  readonly instrument?: (functionName: string, handler: AnyHandler) => AnyHandler;
}

export async function composeLocalRuntime(opts: LocalRuntimeOptions) {
  await bindLocalStore(opts);
  const { installLongTimers } = await import('./long-timers.ts');
  installLongTimers();
  // The stop() below is asked of the handlers too: the dispatcher mails no notice after it (kernel/runtime/stop.ts).
  const stopping = new AbortController();
  (await import('../functions/kernel/runtime/stop.ts')).hostStop(stopping.signal);

  const handlers = new Map<string, Promise<AnyHandler>>();
  /** A function's handler, loaded from the file its catalog entry names (once per process, as a warm Lambda). */
  const loadHandler = (name: string): Promise<AnyHandler> => {
    let h = handlers.get(name);
    if (!h) {
      h = import(`../${entryOf(name)}`).then((m: { handler: AnyHandler }) => (opts.instrument ? opts.instrument(name, m.handler) : m.handler));
      handlers.set(name, h);
    }
    return h;
  };
  /** Faults to inject into the next calls of a function, as Lambda would report them (tests of the state machine's retries). */
  const faults = new Map<string, { error: () => Error; remaining: number }>();
  /**
   * Invocations under way (workflow steps, stream consumers, scheduled jobs): a stop lets them end before the store goes
   * (`settled`) — the delivery sweep cut between a mail and its commit mailed that notice again at the next start.
   */
  const inFlight = new Set<Promise<unknown>>();
  const invoke = (fn: string, payload: unknown): Promise<unknown> => {
    const run = (async () => {
      const fault = faults.get(fn);
      if (fault && fault.remaining > 0) {
        fault.remaining -= 1;
        throw fault.error();
      }
      return (await loadHandler(fn))(payload, { awsRequestId: 'local', functionName: fn });
    })();
    inFlight.add(run);
    run.then(
      () => inFlight.delete(run),
      () => inFlight.delete(run),
    );
    return run;
  };
  /** The next `times` invocations of `fn` fail with `error()` before reaching the handler. */
  const injectFault = (fn: string, error: () => Error, times: number) => void faults.set(fn, { error, remaining: times });

  const { LocalWorkflow } = await import('./workflow-runner.ts');
  const { LOCAL_WORKFLOW } = await import('../functions/kernel/workflow/port.ts');
  const { clock } = await import('../functions/kernel/runtime/clock.ts');
  // A failed execution reaches the functions that receive its machine's failures, as the EventBridge rule does on AWS.
  // Callback waits time out at their business instant on this clock (whole real seconds are days on a fast clock).
  const workflow = new LocalWorkflow(
    invoke,
    opts.log,
    async (machine, event) => {
      for (const spec of FUNCTIONS.filter((f) => f.failureOf === machine)) await invoke(spec.name, event);
    },
    (at) => clock.realMsUntil(at),
  );
  // The workflow port (functions/kernel/workflow/index.ts) finds the embedded runner here.
  (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = workflow;

  // Before the streams and the schedules start: nothing of this process holds a channel yet.
  const freedChannels = opts.freeChannels ? await (await import('./resume.ts')).freeChannelLeases() : 0;

  // The outbox stream → wake-workflow, as the stack's event source mapping does on AWS.
  const { startStreamConsumers } = await import('./stream-poller.ts');
  const pollers = await startStreamConsumers(opts.endpoint, invoke as never, opts.log, { skipExisting: opts.skipExistingSignals ?? false, checkpointFile: opts.streamCheckpoints });
  // Each write the handlers make to a streamed table tells its poller to read now: the pollers wait for writes instead
  // of polling DynamoDB Local many times a second in vain (an idle poll stays as the safety net).
  const { ddb } = await import('../functions/kernel/store/client.ts');
  const { watchWrites } = await import('./stream-poller.ts');
  const unwatch = watchWrites(ddb, pollers);

  // Reference data is no demo: the calendar, configuration v1 and the cursor key are ensured on every start, as every
  // deploy does. Nothing ops loaded is overwritten.
  const { ensureReferenceData } = await import('../functions/reference/store/bootstrap.ts');
  const reference = await ensureReferenceData(clock.now());

  // Scheduled jobs (EventBridge Scheduler on AWS) fire on the business clock: once at start (a day missed while the
  // process was down is caught up: the jobs are idempotent), then at their hour each business day.
  const schedules: ReturnType<typeof setTimeout>[] = [];
  /** Set by stop(): a run that ends afterwards arms no next one. */
  let stopped = false;
  /**
   * `minuteFloorMs`: the least real time between two runs of an every-minute job (100 ms by default; a simulation on a
   * fast clock, whose channels are idle, raises it so the sweep does not crowd the work it measures).
   */
  const startSchedules = (schedule: { catchUp?: boolean; minuteFloorMs?: number } = {}) => {
    for (const spec of FUNCTIONS.filter((f) => f.schedule)) {
      const { minute, hour } = spec.schedule!.cron;
      const fire = (at: Date) =>
        invoke(spec.name, { at: at.toISOString() }).catch((err: unknown) => opts.log('scheduled job failed', { function: spec.name, error: String(err) }));
      const everyMinute = minute === '*' && hour === '*';
      const next = (after: Date) => {
        if (stopped) return;
        const at = nextSlot(after, clock.now(), spec.schedule!.cron);
        // A minute on a fast clock is less than a real one: 100 ms at least. A daily job waits to its slot to the
        // millisecond (10 ms at least): rounded up to whole seconds, as Step Functions' waits are, it would fire every
        // other business day at two days a second, each run catching up only the latest slot it missed.
        const realMs = everyMinute ? Math.max(schedule.minuteFloorMs ?? 100, clock.realMsUntil(at)) : Math.max(10, clock.realMsUntil(at));
        const timer = setTimeout(() => void fire(at).then(() => next(at)), realMs);
        timer.unref?.();
        schedules.push(timer);
      };
      const start = clock.now();
      if (schedule.catchUp === false) next(start);
      else void fire(start).then(() => next(start));
    }
  };

  return {
    workflow,
    pollers,
    /** Channels a killed predecessor held, freed at start (`freeChannels`). */
    freedChannels,
    clock,
    reference,
    loadHandler,
    invoke,
    injectFault,
    startSchedules,
    /**
     * Stops the runner's executions, the outbox pollers and the schedules: nothing new is invoked (DynamoDB Local is the
     * caller's). What was under way goes on to its end — a channel's dispatcher to the end of the message it is on, the
     * rest of its backlog left queued for the next start —: `settled`.
     */
    stop() {
      stopped = true;
      stopping.abort();
      workflow.stopAll();
      unwatch();
      for (const p of pollers) p.stop();
      for (const t of schedules) clearTimeout(t);
    },
    /** Resolves once no invocation is under way (one that starts another is waited for too); call after stop(). */
    async settled(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

export type LocalRuntime = Awaited<ReturnType<typeof composeLocalRuntime>>;
