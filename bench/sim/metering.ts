// The meter (meter.ts) wired into one simulation run: the engine calls these few hooks — `instrument` for the local
// runtime, `attach` once the process is bound to its DynamoDB Local, `begin`/`finish` around the zone's business time,
// `projectCreated`/`projectEnded`, and `report` at the end — so engine.ts holds no metering code of its own. Besides
// the counters, a business-day series of projects by stage (the simulated users' view, sampled once a business day)
// and, from the light events the oracle reads, yellow and red lights by day and per project, for the report's charts.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { projectionOf, TABLES } from '../../functions/kernel/store/tables.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { estimatedAwsHistoryEvents, type ExecutionRecord } from '../../local/workflow-runner.ts';
import { dayOf } from './calendar.ts';
import { createMeter, projectYears, type AnyHandler, type TableSchema, type CommandTimes, type FunctionUsage, type Sample, type StagePoint, type TableUsage } from './meter.ts';
import type { LightEvent } from './oracle.ts';

const DAY_MS = 86_400_000;
/** Tables whose every item carries a 24-hour TTL (kernel/store/idempotency.ts, kernel/store/outbox.ts). */
const EXPIRING_IN_A_DAY = new Set(['idempotency', 'outbox']);

/**
 * The bytes a zone keeps, from the tables' sizes at the end of a run `windowMs` long: every table in full, but those
 * whose items expire a day after they are written at a day's share (DynamoDB Local never expires them, so the run
 * piles up its whole length of them; AWS holds about a day's).
 */
export function storedBytes(tables: Record<string, { readonly sizeBytes: number | null }>, windowMs: number): number {
  const dayShare = Math.min(1, DAY_MS / Math.max(DAY_MS, windowMs));
  return Object.entries(tables).reduce((n, [id, t]) => n + (t.sizeBytes ?? 0) * (EXPIRING_IN_A_DAY.has(id) ? dayShare : 1), 0);
}

export type FunctionKind = 'http' | 'step' | 'consumer' | 'schedule' | 'other';

export function functionKind(name: string): FunctionKind {
  const spec = FUNCTIONS.find((f) => f.name === name);
  if (!spec) return 'other';
  if (spec.routes.length) return 'http';
  if (spec.schedule) return 'schedule';
  if (spec.aslPlaceholder) return 'step';
  if (spec.consumes) return 'consumer';
  return 'other';
}

/** A scheduled job's firings a month on AWS: every minute (60 × 24 a day), or once a day, over 365/12 days. */
export function firingsPerMonth(cron: { minute: string; hour: string }): number {
  const perDay = cron.minute === '*' ? (cron.hour === '*' ? 1440 : 60) : cron.hour === '*' ? 24 : 1;
  return perDay * (365 / 12);
}

export interface ScheduleReport {
  readonly name: string;
  readonly cron: string;
  readonly firingsPerMonth: number;
  /** Fired on the fast clock at AWS frequency (daily jobs): counted with the projects' work. */
  readonly atAwsFrequency: boolean;
  /** The every-minute job's idle invocation (median sample), priced per zone at its AWS frequency. */
  readonly idle?: { readonly ms: number; readonly readUnits: number; readonly writeUnits: number; readonly logBytes: number; readonly samples: number };
}

export interface TimeStats {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

export interface CommandStats extends TimeStats {
  /** TransactWriteItems: mean items a call, and the times by items carried (1, 2–4, 5–8, 9 or more). */
  readonly meanItems?: number;
  readonly byItems?: Record<string, TimeStats>;
}

const ITEM_BANDS: readonly (readonly [string, number, number])[] = [
  ['1', 1, 1],
  ['2-4', 2, 4],
  ['5-8', 5, 8],
  ['9+', 9, Infinity],
];

function timeStats(values: readonly number[]): TimeStats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : 0);
  return { count: s.length, p50: Math.round(at(0.5) * 10) / 10, p99: Math.round(at(0.99) * 10) / 10 };
}

/** Usage.commands summed up (see MeteringReport.commands). */
export function commandStats(commands: ReadonlyMap<string, CommandTimes>): Record<string, CommandStats> {
  const out: Record<string, CommandStats> = {};
  for (const [name, c] of [...commands].sort(([, a], [, b]) => b.ms.length - a.ms.length)) {
    const command = name.replace(/Command$/, '');
    if (!c.items.length) {
      out[command] = timeStats(c.ms);
      continue;
    }
    const byItems: Record<string, TimeStats> = {};
    for (const [band, lo, hi] of ITEM_BANDS) {
      const ms = c.ms.filter((_, i) => c.items[i]! >= lo && c.items[i]! <= hi);
      if (ms.length) byItems[band] = timeStats(ms);
    }
    out[command] = { ...timeStats(c.ms), meanItems: Math.round((c.items.reduce((n, k) => n + k, 0) / c.items.length) * 10) / 10, byItems };
  }
  return out;
}

export interface MeteringReport {
  readonly window: { readonly start: string; readonly end: string; readonly businessDays: number };
  readonly projects: { readonly count: number; readonly ended: number; readonly projectYears: number };
  readonly dynamodb: {
    readonly tables: Record<string, TableUsage & { sizeBytes: number | null; items: number | null }>;
    readonly readUnits: number;
    readonly writeUnits: number;
    readonly refusedWriteUnits: number;
    readonly storageBytes: number;
    readonly source: string;
  };
  readonly lambda: { readonly functions: Record<string, FunctionUsage & { kind: FunctionKind }>; readonly unattributedLogBytes: number };
  /** Refused writes by why (Usage.refusalReasons): a transaction conflict, a failed condition, another code. */
  readonly refusalReasons: Record<string, number>;
  /** Milliseconds the meter's own bookkeeping took during the run. */
  readonly meterOverheadMs: number;
  /**
   * The product's DynamoDB calls by command, timed at its client (SDK round included): count, p50, p99; transactional
   * writes also by how many items they carried (the emulator runs transactions of several items one at a time).
   */
  readonly commands: Record<string, CommandStats>;
  readonly stepFunctions: { readonly executions: number; readonly stateTransitions: number; readonly historyEvents: number; readonly meanMaxPayloadBytes: number };
  readonly schedules: readonly ScheduleReport[];
  readonly series: readonly StagePoint[];
  readonly lights: { readonly byDay: readonly { day: string; yellow: number; red: number }[]; readonly perProject: Record<string, { yellow: number; red: number }> };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};

/** Cumulative yellow (inbox) and red (audit) lights by business day, and per project, from the oracle's events. */
export function lightSeries(events: readonly LightEvent[]) {
  const byDay = new Map<string, { yellow: number; red: number }>();
  const perProject: Record<string, { yellow: number; red: number }> = {};
  for (const e of events) {
    // A red light is audited and told: count it once (the audit event), a yellow one from the inbox.
    const counted = (e.light === 'yellow' && e.source === 'inbox') || (e.light === 'red' && e.source === 'audit');
    if (!counted) continue;
    const day = dayOf(e.at);
    const d = byDay.get(day) ?? { yellow: 0, red: 0 };
    d[e.light] += 1;
    byDay.set(day, d);
    const p = (perProject[e.projectId] ??= { yellow: 0, red: 0 });
    p[e.light] += 1;
  }
  let yellow = 0;
  let red = 0;
  const cumulative = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, yellow: (yellow += d.yellow), red: (red += d.red) }));
  return { byDay: cumulative, perProject };
}

/** The product's tables as the meter needs them, under the physical names bound in the environment (bindLocalStore). */
export function meterTables(): TableSchema[] {
  return TABLES.map((t) => ({
    physical: process.env[t.envVar] ?? t.envVar,
    id: t.id,
    keys: [t.partitionKey.name, ...(t.sortKey ? [t.sortKey.name] : [])],
    indexes: t.indexes.map((i) => {
      const projection = projectionOf(i);
      return { name: i.name, keys: [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])], keysOnly: projection.type === 'KEYS_ONLY', include: projection.nonKeyAttributes };
    }),
  }));
}

export function startMetering() {
  const everyMinute = FUNCTIONS.filter((f) => f.schedule && f.schedule.cron.minute === '*').map((f) => f.name);
  const physical = (envVar: string) => process.env[envVar] ?? envVar;
  // Table names are bound by the runtime (bindLocalStore): read them when the meter first needs them.
  let meter: ReturnType<typeof createMeter> | undefined;
  const ensure = () => (meter ??= createMeter({ tables: meterTables(), sampled: everyMinute }));
  const series: StagePoint[] = [];
  let sampler: ReturnType<typeof setInterval> | undefined;
  let window: { start: number; end?: number } | undefined;
  let sample = () => {};

  return {
    /** The local runtime's hook: handlers are wrapped as they load (after the tables are bound). */
    instrument: (name: string, handler: AnyHandler): AnyHandler => ensure().instrument(name, handler),
    /** Whether the invocation with this request id had a write refused (a lost race, re-read and retried). */
    refused: (requestId: string) => ensure().usage.refusedRequests.has(requestId),
    /** Adds the capacity middleware to the product's DynamoDB client (imported only now: it binds its endpoint at import). */
    async attach() {
      const { ddb } = await import('../../functions/kernel/store/client.ts');
      ensure().attach(ddb as never);
    },
    /** Counting starts; the projects by stage are sampled at the start of each business day of the run. */
    begin(clock: { now(): Date }, scale: number, byStage: () => Record<string, number>) {
      const m = ensure();
      m.captureLogs();
      m.start();
      window = { start: clock.now().getTime() };
      sample = () => {
        const day = dayOf(clock.now());
        const point = { day, byStage: byStage() };
        if (series.at(-1)?.day === day) series[series.length - 1] = point;
        else series.push(point);
      };
      sample();
      sampler = setInterval(sample, Math.max(20, DAY_MS / scale));
      sampler.unref?.();
    },
    projectCreated: (id: string, at: Date) => ensure().projectCreated(id, at),
    projectEnded: (id: string, at: Date) => ensure().projectEnded(id, at),
    /** Counting ends (idempotent); the console is given back. */
    finish(at?: Date) {
      if (sampler) {
        sample();
        clearInterval(sampler);
        sampler = undefined;
      }
      if (window && window.end === undefined && at) window.end = at.getTime();
      meter?.stop();
    },
    async report(o: { endpoint: string; executions: readonly ExecutionRecord[]; events: readonly LightEvent[] }): Promise<MeteringReport> {
      const m = ensure();
      const start = window?.start ?? Date.now();
      const end = window?.end ?? start;
      const client = new DynamoDBClient(localClientConfig(o.endpoint));
      const tables: MeteringReport['dynamodb']['tables'] = {};
      try {
        for (const t of TABLES) {
          const described = await client.send(new DescribeTableCommand({ TableName: physical(t.envVar) }));
          const used = m.usage.tables.get(t.id) ?? { readUnits: 0, writeUnits: 0, reads: 0, writes: 0, refusedWriteUnits: 0, indexWriteUnits: 0 };
          tables[t.id] = { ...used, sizeBytes: described.Table?.TableSizeBytes ?? null, items: described.Table?.ItemCount ?? null };
        }
      } finally {
        client.destroy();
      }
      const all = Object.values(tables);
      const functions = Object.fromEntries([...m.usage.functions].sort(([a], [b]) => a.localeCompare(b)).map(([name, f]) => [name, { ...f, kind: functionKind(name) }]));
      const schedules: ScheduleReport[] = FUNCTIONS.filter((f) => f.schedule).map((f) => {
        const cron = f.schedule!.cron;
        const atAwsFrequency = cron.minute !== '*';
        const list: readonly Sample[] = m.samples.get(f.name) ?? [];
        return {
          name: f.name,
          cron: `${cron.minute} ${cron.hour} * * ? (${f.schedule!.timeZone})`,
          firingsPerMonth: Math.round(firingsPerMonth(cron)),
          atAwsFrequency,
          ...(atAwsFrequency
            ? {}
            : { idle: { ms: median(list.map((s) => s.ms)), readUnits: median(list.map((s) => s.readUnits)), writeUnits: median(list.map((s) => s.writeUnits)), logBytes: median(list.map((s) => s.logBytes)), samples: list.length } }),
        };
      });
      const lives = m.lives;
      return {
        window: { start: new Date(start).toISOString(), end: new Date(end).toISOString(), businessDays: Math.round(((end - start) / DAY_MS) * 10) / 10 },
        projects: { count: lives.size, ended: [...lives.values()].filter((l) => l.ended !== undefined).length, projectYears: projectYears(lives, end) },
        dynamodb: {
          tables,
          readUnits: all.reduce((n, t) => n + t.readUnits, 0),
          writeUnits: all.reduce((n, t) => n + t.writeUnits, 0),
          refusedWriteUnits: all.reduce((n, t) => n + t.refusedWriteUnits, 0),
          // Kept for good: every table but those whose every item expires a day after it is written (DynamoDB Local
          // never expires them, so the run piles up its whole length of them): those count as the day's share they
          // hold at steady state on AWS.
          storageBytes: storedBytes(tables, end - start),
          source:
            'ConsumedCapacity as DynamoDB Local returns it (checked equal to AWS rules for Get/Query/Scan/BatchGet/TransactGet/Put/Update/Delete/BatchWrite); ' +
            'TransactWriteItems and refused writes computed as AWS bills them (2 units per KB begun per item; Local reports a flat 4 and no sum), ' +
            'with the index writes a transactional write causes (1 unit per KB of the projected entry, none for a keys-only entry that keeps its key, an update taken to keep its index keys); ' +
            'stream reads by event source mappings are free and not counted; index storage is not in TableSizeBytes; ' +
            `storage counts the ${[...EXPIRING_IN_A_DAY].join(' and ')} tables (every item expires after 24 h) at a day's share of their size`,
        },
        lambda: { functions, unattributedLogBytes: m.usage.unattributedLogBytes },
        refusalReasons: Object.fromEntries([...m.usage.refusalReasons].sort(([, a], [, b]) => b - a)),
        meterOverheadMs: Math.round(m.usage.overheadMs),
        commands: commandStats(m.usage.commands),
        stepFunctions: {
          executions: o.executions.length,
          stateTransitions: o.executions.reduce((n, e) => n + e.stateTransitions, 0),
          historyEvents: o.executions.reduce((n, e) => n + estimatedAwsHistoryEvents(e), 0),
          meanMaxPayloadBytes: o.executions.length ? Math.round(o.executions.reduce((n, e) => n + e.maxPayloadBytes, 0) / o.executions.length) : 0,
        },
        schedules,
        series,
        lights: lightSeries(o.events),
      };
    },
  };
}

export type Metering = ReturnType<typeof startMetering>;
