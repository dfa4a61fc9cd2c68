// Reference data in the reference table: the working-day calendar per year and versioned configuration documents.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { calendarLookup, type CalendarLookup, type CalendarYear, type StoredCalendarYear } from '#reference/domain/calendar.ts';
import { DEFAULT_CONFIG, type ConfigDocs, type ConfigName } from '#reference/domain/config.ts';
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { log } from '#kernel/runtime/log.ts';
import { ConcurrentChange, ddb, queryAll, type WriteOp } from '#kernel/store/client.ts';
import { newestVersion, putVersion, versionSk } from './versions.ts';

const TABLE = requireEnv('TABLE_REFERENCE');

export type { StoredCalendarYear };

export async function getCalendarYear(year: number): Promise<StoredCalendarYear | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: 'CALENDAR', sk: String(year) } }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as StoredCalendarYear;
}

/**
 * The configuration in force, read by the rules of nearly every change, is kept by a warm function for
 * `REFERENCE_CACHE_SECONDS` of real time (0 or unset: read every time): a query fewer per document a request or
 * workflow step, and a version ops publish applies everywhere within that time. Reads that edit or show it (`fresh`)
 * always go to the table, and a publication in this process forgets what it kept at once. A specific version never
 * changes and is kept without expiry. The calendar is not kept: a year loaded wakes the projects that waited for it,
 * and their review must see it at once.
 */
const kept = new Map<string, { readonly until: number; readonly value: Promise<unknown> }>();
const immutable = new Map<string, Promise<unknown>>();
const keepMs = () => Number(process.env.REFERENCE_CACHE_SECONDS ?? 0) * 1000;

function keep<T>(key: string, load: () => Promise<T>): Promise<T> {
  const ms = keepMs();
  if (!(ms > 0)) return load();
  const now = performance.now();
  const hit = kept.get(key);
  if (hit && now < hit.until) return hit.value as Promise<T>;
  const value = load();
  kept.set(key, { until: now + ms, value });
  // A failed read is not kept: the next call reads again.
  value.catch(() => kept.get(key)?.value === value && kept.delete(key));
  return value;
}

/** Forgets the configuration and calendar this process kept (after a publication here, or a test's direct write). */
export function forgetReferenceData(): void {
  kept.clear();
  keptCalendar = undefined;
}

/** Forgets the configuration document `name` this process kept: its next read goes to the table. */
export function forgetConfig(name: ConfigName): void {
  kept.delete(`CONFIG#${name}`);
}

/**
 * The calendar's stamp: a small item every change of a year rewrites in its transaction (`calendarStampOp`), so a warm
 * function keeps the loaded years for as long as the stamp it reads (one GetItem of a few bytes) is the one they were
 * read under, instead of querying every year (2004–2026: ~23 items) on each request and workflow step. No stamp (a
 * store from before it, until the next deploy's bootstrap writes one): read every time.
 */
const STAMP_KEY = { pk: 'CALENDAR_STAMP', sk: 'CURRENT' } as const;
let keptCalendar: { readonly stamp: string; readonly lookup: CalendarLookup } | undefined;

/** Rewrites the calendar's stamp: in the transaction of every change of a year (and once after the bootstrap seeds). */
export function calendarStampOp(): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { ...STAMP_KEY, stamp: randomUUID() } } } };
}

/** Whether the calendar has its stamp (a store from before it has none until its next bootstrap). */
export async function hasCalendarStamp(): Promise<boolean> {
  return (await ddb.send(new GetCommand({ TableName: TABLE, Key: STAMP_KEY, ConsistentRead: true }))).Item !== undefined;
}

async function queryCalendar(): Promise<CalendarLookup> {
  const years = await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'CALENDAR' }, ConsistentRead: true });
  return calendarLookup(years as unknown as CalendarYear[]);
}

/** Every loaded year, as a lookup for working-day arithmetic (kept while the calendar's stamp is unchanged). */
export async function loadCalendar(): Promise<CalendarLookup> {
  // Strongly consistent, as the years behind a new stamp: the review a correction wakes reads the stamp within a second
  // or two of its commit, and an eventually consistent answer from before it would keep the old years — the review
  // would recompute on them and clear the project's flag, the correction lost to it. A GetItem of a few bytes: one
  // read unit instead of half.
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: STAMP_KEY, ConsistentRead: true }));
  const stamp = out.Item?.stamp as string | undefined;
  if (stamp === undefined) return queryCalendar();
  if (keptCalendar?.stamp === stamp) return keptCalendar.lookup;
  // Read strongly: the years must be at least as new as the stamp they are kept under.
  const lookup = await queryCalendar();
  keptCalendar = { stamp, lookup };
  return lookup;
}

/** Writes a year's calendar; `expectedVersion` undefined means it must not exist yet. */
export function putCalendarYear(y: StoredCalendarYear, expectedVersion: number | undefined): WriteOp {
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        };
  return {
    item: { Put: { TableName: TABLE, Item: { pk: 'CALENDAR', sk: String(y.year), ...y }, ...condition } },
    onConditionFailed: () =>
      new PreconditionFailed(`The calendar of ${y.year} changed (expected version ${expectedVersion ?? 'none'}); read it again`),
  };
}

export interface ConfigVersion<N extends ConfigName = ConfigName> {
  readonly name: N;
  readonly version: number;
  readonly doc: ConfigDocs[N];
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly note?: string;
}

/** The built-in default, as version 0: what is in force before the zone publishes a version. */
const builtIn = <N extends ConfigName>(name: N): ConfigVersion<N> => ({ name, version: 0, doc: DEFAULT_CONFIG[name], publishedAt: '1970-01-01T00:00:00.000Z', publishedBy: 'built-in default' });

/**
 * The configuration version in force: the newest stored version, or the built-in default as version 0 when the
 * zone has published none yet (a store started with --no-seed still works, and says so).
 */
/** The configuration in force: kept (see `keep`) unless `fresh` (what ops read and edit). */
export function getConfig<N extends ConfigName>(name: N, read: 'kept' | 'fresh' = 'kept'): Promise<ConfigVersion<N>> {
  const load = async (): Promise<ConfigVersion<N>> => {
    const stored = await newestVersion(name, read === 'fresh');
    return stored ? (stored as unknown as ConfigVersion<N>) : builtIn(name);
  };
  return read === 'fresh' ? load() : keep(`CONFIG#${name}`, load);
}

/** A published version exactly as published (version 0: the built-in default), or undefined when there is none. */
export async function readConfigVersion<N extends ConfigName>(name: N, version: number): Promise<ConfigVersion<N> | undefined> {
  if (version === 0) return builtIn(name);
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `CONFIG#${name}`, sk: versionSk(version) } }));
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as ConfigVersion<N>;
}

/** A specific published version (projects keep the matrix version they started with); falls back to the one in force. */
export async function getConfigVersion<N extends ConfigName>(name: N, version: number | null): Promise<ConfigVersion<N>> {
  if (!version) return getConfig(name);
  const key = `CONFIG#${name}#${version}`;
  const hit = keepMs() > 0 ? immutable.get(key) : undefined;
  if (hit) return hit as Promise<ConfigVersion<N>>;
  const stored = await readConfigVersion(name, version);
  if (!stored) {
    log.warn('configuration version missing: using the one in force', { name, version });
    return getConfig(name);
  }
  // A published version is never rewritten: kept as long as the function is warm (a handful of versions at most).
  if (keepMs() > 0 && immutable.size < 200) immutable.set(key, Promise.resolve(stored));
  return stored;
}

/**
 * Every published version of a configuration (oldest first, version 0 not included), read whole: for the checks that
 * look back over them (a letters pattern once numbered under another series code). A handful of small items.
 */
export async function publishedVersions<N extends ConfigName>(name: N): Promise<ConfigVersion<N>[]> {
  const items = await queryAll({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `CONFIG#${name}` }, ConsistentRead: true });
  return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as ConfigVersion<N>);
}

/**
 * A condition for a write decided on version `version` of a configuration (kept by a warm function or read now): that it
 * is still the one in force when the write commits — no version after it published. Versions are numbered one after
 * another, so that is the next one's absence: one condition check, nothing read. Else the write is decided again
 * (ConcurrentChange), what this function kept of it forgotten; `onStale` is told first (to read the version fresh).
 */
export function configInForceOp(name: ConfigName, version: number, onStale: () => void = () => {}): WriteOp {
  return {
    item: { ConditionCheck: { TableName: TABLE, Key: { pk: `CONFIG#${name}`, sk: versionSk(version + 1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => {
      forgetConfig(name);
      onStale();
      return new ConcurrentChange(`config/${name} v${version} was followed by a newer version while this was decided`);
    },
  };
}

/**
 * What a decision refused on the copy of `name` this function kept (it may be older than the version in force: a bucket
 * added, a year opened since) throws instead: the copy forgotten, the decision made again (ConcurrentChange) on the
 * version read fresh — refused only on that one.
 */
export function refusedOnKept(name: ConfigName, version: number, refusal: Error): Error {
  forgetConfig(name);
  return new ConcurrentChange(`config/${name} v${version} as kept refused it: decided again on the version in force (${refusal.message})`);
}

/** Publishes version `c.version`; fails when that version exists already (someone published first). */
export function putConfigVersion(c: ConfigVersion): WriteOp {
  return putVersion(c);
}

/**
 * One-off migrations of the bootstrap that cannot tell from an index whether they are done (e.g. letters stored
 * before their index existed are found project by project): a marker item once each has finished.
 */
const migrationKey = (name: string) => ({ pk: 'MIGRATION', sk: name });

export async function migrationDone(name: string): Promise<boolean> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: migrationKey(name) }));
  return out.Item !== undefined;
}

export function markMigrationDone(name: string, at: Date): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { ...migrationKey(name), finishedAt: at.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } } };
}
