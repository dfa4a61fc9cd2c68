// Reading the delivery table (what ops' view and the dispatcher read): the queue of a channel, the channels in use,
// the deliveries that failed for good. Layout in store/deliveries.ts.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb } from '#kernel/store/client.ts';
import type { Message } from '#notifications/domain/messages.ts';

const TABLE = requireEnv('TABLE_DELIVERY');
/** The partition of the deliveries that failed for good. */
export const FAILED = 'FAILED';

/** A notification waiting on a channel. */
export interface Job {
  readonly channel: string;
  readonly sk: string;
  /** The inbox item whose delivery status this job keeps. */
  readonly notification: { readonly recipient: string; readonly seq: string };
  readonly message: Message;
  /** When it was queued (business clock). */
  readonly queuedAt: string;
  /**
   * When it was queued in wall time: the retry policy's patience counts from here (recorded since 2026-12-05; a job
   * without it counts from `queuedAt` on the business clock).
   */
  readonly queuedWallAt?: string;
  readonly attempts: number;
  /** Not before this business instant (a retry's backoff, on a job without `queuedWallAt`). */
  readonly notBefore?: string;
  /** Not before this wall instant (a retry's backoff). */
  readonly retryAt?: string;
  readonly lastError?: string;
}

export interface FailedDelivery extends Job {
  readonly target: string;
  readonly failedAt: string;
  readonly reason: string;
}

/** Deliveries that failed for good, newest first. */
export async function failedDeliveries(limit: number, startKey?: Record<string, string>): Promise<{ items: FailedDelivery[]; lastKey?: Record<string, string> }> {
  const out = await ddb.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'channel = :f', ExpressionAttributeValues: { ':f': FAILED }, ScanIndexForward: false, Limit: limit, ExclusiveStartKey: startKey }),
  );
  return { items: (out.Items ?? []) as FailedDelivery[], lastKey: out.LastEvaluatedKey as Record<string, string> | undefined };
}

/** The first `limit` jobs of a channel, oldest first (strongly consistent: a job just queued or just done is seen). */
export async function headJobs(channel: string, limit: number): Promise<Job[]> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'channel = :c AND begins_with(sk, :j)',
      ExpressionAttributeValues: { ':c': channel, ':j': 'JOB#' },
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return (out.Items ?? []) as Job[];
}

/**
 * A channel's lease (wall-clock ms its holder keeps it until, if any), its last delivery (business instant) and the last
 * notice it sent without an answer — with the last notice answered after it (`laterAnsweredAt`, null while none): the
 * robot works again, though the group may still lack that one notice.
 */
export async function channelStatus(channel: string): Promise<{ leaseUntil?: number; lastDeliveredAt?: string; lastUnconfirmed?: { notification: string; at: string; laterAnsweredAt: string | null } }> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: { channel, sk: 'STATE' }, ConsistentRead: true, ProjectionExpression: 'leaseUntil, lastDeliveredAt, lastUnconfirmed, lastAnsweredAt' }));
  const unconfirmed = out.Item?.lastUnconfirmed as { notification?: unknown; at?: unknown } | undefined;
  const answered = out.Item?.lastAnsweredAt;
  return {
    leaseUntil: out.Item?.leaseUntil as number | undefined,
    lastDeliveredAt: out.Item?.lastDeliveredAt as string | undefined,
    ...(typeof unconfirmed?.notification === 'string' && typeof unconfirmed.at === 'string'
      ? { lastUnconfirmed: { notification: unconfirmed.notification, at: unconfirmed.at, laterAnsweredAt: typeof answered === 'string' && Date.parse(answered) > Date.parse(unconfirmed.at) ? answered : null } }
      : {}),
  };
}

/** Every channel that ever had a notice queued (the sweep's list; a channel no longer configured is still there). */
export async function knownChannels(): Promise<string[]> {
  const channels: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'byChannels', KeyConditionExpression: 'gsiChannels = :a', ExpressionAttributeValues: { ':a': 'ALL' }, ExclusiveStartKey: start }),
    );
    channels.push(...(out.Items ?? []).map((i) => String(i.channel)));
    start = out.LastEvaluatedKey;
  } while (start);
  return channels;
}


/** Up to `limit` deliveries of one channel that failed for good, oldest first (the FAILED partition, read page by page). */
export async function failedOf(channel: string, limit: number): Promise<{ items: FailedDelivery[]; more: boolean }> {
  const items: FailedDelivery[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'channel = :f', FilterExpression: 'target = :t', ExpressionAttributeValues: { ':f': FAILED, ':t': channel }, ExclusiveStartKey: start }),
    );
    items.push(...((out.Items ?? []) as FailedDelivery[]));
    start = out.LastEvaluatedKey;
  } while (start && items.length <= limit);
  return { items: items.slice(0, limit), more: items.length > limit || start !== undefined };
}

/**
 * How many deliveries failed for good on each channel, reading the FAILED partition's channel names only, up to `cap`
 * entries in all (`complete: false` past it: a count is then a lower bound).
 */
export async function failedCounts(cap: number): Promise<{ counts: Map<string, number>; complete: boolean }> {
  const counts = new Map<string, number>();
  let read = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'channel = :f',
        ExpressionAttributeValues: { ':f': FAILED },
        ProjectionExpression: 'target',
        Limit: cap - read,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) counts.set(String(item.target), (counts.get(String(item.target)) ?? 0) + 1);
    read += out.Items?.length ?? 0;
    start = out.LastEvaluatedKey;
  } while (start && read < cap);
  return { counts, complete: start === undefined };
}
