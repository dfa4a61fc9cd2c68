// Audit log entity 全程可溯: append-only (PutItem with a not-exists condition; IAM grants no update or delete).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#kernel/domain/principal.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, startKeyRejected, type WriteOp } from './client.ts';

const TABLE = requireEnv('TABLE_AUDIT');

export interface AuditEvent {
  readonly id: string;
  readonly subject: string;
  /**
   * What the zone calls the subject, as it was called when the event was recorded (a project's name, a parcel's or a
   * facility's code, a quota's year and pollutant): the zone's audit shows whose change it was without a lookup.
   * Absent on events recorded before it was kept, and on those whose subject names itself (a configuration, a year).
   */
  readonly subjectName?: string;
  readonly at: string;
  readonly actor: string;
  readonly actorName: string;
  readonly roles: readonly string[];
  readonly action: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  readonly requestId?: string;
}

/** The actor recorded for changes the workflow makes on its own (deadline timers, segment starts). */
export const SYSTEM_ACTOR: Principal = { sub: 'system:workflow', name: 'zoneflow workflow', roles: [] };

/** An audit subject: its key (`PROJECT#…`, `RESOURCE#…`), or its key and what the zone calls it. */
export type AuditSubject = string | { readonly key: string; readonly name: string };

export function auditOp(
  subject: AuditSubject,
  action: string,
  by: Principal,
  change: { before: Record<string, unknown>; after: Record<string, unknown> },
  at: Date,
  requestId?: string,
  /** The event's place among those one change records at one instant: the timeline lists them in that order. */
  ordinal = 0,
): WriteOp {
  const id = `${at.getTime().toString(36)}${Math.min(ordinal, 1295).toString(36).padStart(2, '0')}${Math.random().toString(36).slice(2, 8)}`;
  const event: AuditEvent = {
    id,
    ...(typeof subject === 'string' ? { subject } : { subject: subject.key, subjectName: subject.name }),
    at: at.toISOString(),
    actor: by.sub,
    actorName: by.name,
    roles: by.roles,
    action,
    before: change.before,
    after: change.after,
    requestId,
  };
  return {
    item: {
      Put: { TableName: TABLE, Item: { ...event, seq: `${event.at}#${id}`, gsiMonth: event.at.slice(0, 7) }, ConditionExpression: 'attribute_not_exists(seq)' },
    },
  };
}

/** The start-key attributes of a subject's timeline. */
export const AUDIT_KEY_NAMES = ['subject', 'seq'] as const;

/**
 * A subject's audit events, oldest first, `limit` at a time from `startKey`. `consistent`: a strongly consistent read,
 * for an answer that is stored (an idempotent write's) and must not miss the event just before it.
 */
export async function listAudit(
  subject: string,
  limit: number,
  startKey?: Record<string, string>,
  consistent = false,
): Promise<{ items: AuditEvent[]; lastKey?: Record<string, string> }> {
  const out = await ddb
    .send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'subject = :s',
        ExpressionAttributeValues: { ':s': subject },
        ScanIndexForward: true,
        ConsistentRead: consistent,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    )
    .catch((err: unknown) => {
      throw startKeyRejected(err, startKey !== undefined);
    });
  const items = (out.Items ?? []).map(fromAuditItem);
  return { items, lastKey: out.LastEvaluatedKey as Record<string, string> | undefined };
}

/** Events one read of a subject's events of one action evaluates (a page reads at most SUBJECT_ACTION_READS of them). */
export const SUBJECT_ACTION_BATCH = 100;
export const SUBJECT_ACTION_READS = 3;

/**
 * A subject's events of one action, newest first, `limit` at a time from `startKey`: at most SUBJECT_ACTION_READS
 * reads of SUBJECT_ACTION_BATCH events, so a page costs a bounded number of calls however rare the action, and may come
 * back short (even empty) with a `lastKey` before the end. A page full inside a read ends at its last event.
 */
export async function listAuditOfAction(
  subject: string,
  action: string,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ items: AuditEvent[]; lastKey?: Record<string, string> }> {
  const items: Record<string, unknown>[] = [];
  let key = startKey;
  for (let reads = 0; reads < SUBJECT_ACTION_READS; reads++) {
    const out = await ddb
      .send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'subject = :s',
          FilterExpression: '#a = :a',
          ExpressionAttributeNames: { '#a': 'action' },
          ExpressionAttributeValues: { ':s': subject, ':a': action },
          ScanIndexForward: false,
          Limit: SUBJECT_ACTION_BATCH,
          ExclusiveStartKey: key,
        }),
      )
      .catch((err: unknown) => {
        throw startKeyRejected(err, key !== undefined);
      });
    const found = out.Items ?? [];
    const room = limit - items.length;
    items.push(...found.slice(0, room));
    key = out.LastEvaluatedKey as Record<string, string> | undefined;
    if (items.length === limit && (found.length > room || key !== undefined)) {
      const last = items.at(-1)!;
      return { items: items.map(fromAuditItem), lastKey: { subject: String(last.subject), seq: String(last.seq) } };
    }
    if (!key) break;
  }
  return { items: items.map(fromAuditItem), lastKey: key };
}

const fromAuditItem = ({ seq: _seq, gsiMonth: _m, ...rest }: Record<string, unknown>) => rest as unknown as AuditEvent;

export interface ZoneAuditQuery {
  /** One actor's events (index byActor), or every actor's (index byMonth, month by month). */
  readonly actor?: string;
  readonly action?: string;
  /** Instants bounding `seq` (ISO, inclusive from, exclusive to). */
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  /** Where the last page stopped: the month being read (byMonth) and the start key in it. */
  readonly position?: { readonly month?: string; readonly key?: Record<string, string> };
}

/** Events one read of a filtered (by action) query evaluates at least (each read is at most 1 MB besides). */
export const FILTERED_READ = 500;
/** The start key of the read after `item` in an index whose partition key is `indexKey` (the table's key with it). */
const startAfter = (item: Record<string, unknown>, indexKey: 'gsiMonth' | 'actor') => ({ subject: String(item.subject), seq: String(item.seq), [indexKey]: String(item[indexKey]) });
/** Reads a page of the zone's audit events newest first may take: bounded, however selective the filters. */
export const ZONE_AUDIT_MAX_CALLS = 6;
/**
 * Months found empty a page may pass over besides (each one small query answering nothing): a period reaching back
 * years before the zone's first event pages through its empty months a few years at a time, not six months a page.
 */
export const ZONE_AUDIT_EMPTY_MONTHS = 60;

/** The months from `to` back to `from` (YYYY-MM), newest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(to.slice(0, 4));
  let m = Number(to.slice(5, 7));
  const end = from.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month < end) return months;
    months.push(month);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
}

/**
 * Zone-wide audit events, newest first, between two instants, optionally one actor's and one action's (an index query,
 * never a scan: `byActor`, else `byMonth` month by month). A page reads at most ZONE_AUDIT_MAX_CALLS times and may come
 * back short with a position to go on from.
 */
export async function queryZoneAudit(q: ZoneAuditQuery): Promise<{ items: AuditEvent[]; position?: { month?: string; key?: Record<string, string> } }> {
  const items: AuditEvent[] = [];
  const months: (string | undefined)[] = q.actor === undefined ? monthsBetween(q.from, q.to) : [undefined];
  let index = q.position?.month ? months.indexOf(q.position.month) : 0;
  if (index < 0) index = months.length;
  let key = q.position?.key;
  let empty = 0;
  for (let calls = 0; calls < ZONE_AUDIT_MAX_CALLS && index < months.length; calls++) {
    const month = months[index];
    const want = q.limit - items.length;
    const out = await ddb
      .send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: q.actor === undefined ? 'byMonth' : 'byActor',
          KeyConditionExpression: `${q.actor === undefined ? 'gsiMonth' : 'actor'} = :p AND seq BETWEEN :from AND :to`,
          ...(q.action ? { FilterExpression: '#a = :action', ExpressionAttributeNames: { '#a': 'action' } } : {}),
          ExpressionAttributeValues: { ':p': q.actor ?? month, ':from': q.from, ':to': `${q.to}`, ...(q.action ? { ':action': q.action } : {}) },
          ScanIndexForward: false,
          // A read's Limit counts the events it evaluates, not those the action filter keeps: filtered, read a wider
          // window and keep the page's worth (a rare action otherwise came back as pages of nothing).
          Limit: q.action ? Math.max(want, FILTERED_READ) : want,
          ExclusiveStartKey: key,
        }),
      )
      .catch((err: unknown) => {
        throw startKeyRejected(err, key !== undefined);
      });
    const got = out.Items ?? [];
    const kept = got.slice(0, want);
    items.push(...kept.map(fromAuditItem));
    // Read past the page (a filtered read evaluates more than it keeps): go on after the last event kept.
    key = got.length > want ? startAfter(kept.at(-1)!, q.actor === undefined ? 'gsiMonth' : 'actor') : (out.LastEvaluatedKey as Record<string, string> | undefined);
    // A month with nothing in it (read whole) does not count against the page's reads, up to its own budget.
    if (got.length === 0 && !key && q.actor === undefined && empty < ZONE_AUDIT_EMPTY_MONTHS) {
      empty += 1;
      calls -= 1;
    }
    if (!key) {
      index += 1;
    }
    if (items.length >= q.limit) break;
  }
  const done = index >= months.length && !key;
  return { items, position: done ? undefined : { ...(q.actor === undefined ? { month: months[index] } : {}), ...(key ? { key } : {}) } };
}
