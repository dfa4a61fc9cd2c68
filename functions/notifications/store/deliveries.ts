// The delivery table: per channel a queue of notifications to send (JOB#<notification seq>#<inbox>, oldest first), the
// channel's state (STATE: the lease of the one dispatcher working it, the wall-clock times of its recent sends, the
// last delivery), and the partition FAILED — notices that failed for good on a channel, kept for ops (90 days).
// Reads are in store/delivery-reads.ts. Every step of a delivery changes the job, the channel's state and the notification's delivery status together.
import { createHash } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConditionFailed, ddb, transact, type WriteOp } from '#kernel/store/client.ts';
import { MARKER_DAYS } from '#notifications/domain/channels.ts';
import type { ChannelDelivery } from '#notifications/domain/delivery.ts';
import type { Message } from '#notifications/domain/messages.ts';
import { FAILED, type FailedDelivery, type Job } from './delivery-reads.ts';
import { deliveryStatusOp } from './inbox.ts';

const TABLE = requireEnv('TABLE_DELIVERY');
const STATE = 'STATE';
const KEEP_FAILED_SECONDS = 90 * 86_400;

export interface ChannelState {
  readonly channel: string;
  /** Wall-clock ms of the recent sends (the rate windows). */
  readonly sent: readonly number[];
  readonly leaseOwner?: string;
  readonly leaseUntil?: number;
  readonly lastDeliveredAt?: string;
  /** The last notice sent without an answer (counted delivered, not sent again): which, and when (business time). */
  readonly lastUnconfirmed?: { readonly notification: string; readonly at: string };
  /** The last notice the platform answered (business time): later than lastUnconfirmed once the robot works again. */
  readonly lastAnsweredAt?: string;
}

const jobSk = (n: { recipient: string; seq: string }) => `JOB#${n.seq}#${n.recipient}`;
/** The key of one message at one instant on a channel, whichever recipient's copy routes it (kind, title and body). */
const messageSk = (m: Message) => `MSG#${m.createdAt}#${createHash('sha256').update(`${m.kind}\n${m.title}\n${m.body}`).digest('hex').slice(0, 24)}`;
/**
 * How long a message's marker (and an address's mail claim) is kept (MARKER_DAYS): beyond a stream's 24 hours of
 * redelivery, for as long as POST /deliveries/route may read the notice again (ROUTE_REACH_DAYS for a first call,
 * ROUTE_RESUME_DAYS for a window's later ones) — the marker is all that keeps the second department's copy of one event
 * from its group, and once it is gone routing that copy again posts the event twice.
 */
const MARKER_SECONDS = MARKER_DAYS * 24 * 3600;

/**
 * An address's mail claims (`MAILED#<address>`, one a message — the event, whichever department's copy): a person on
 * several e-mail lists that take one notice is mailed by the first list that comes to send it; the others leave the
 * address out. Claimed when a list sends, not when it is queued, so a list held back, slowed or reconfigured before it
 * sends costs no one the mail; a list that claimed and failed keeps its claim for its retry (and ops' retry of a failed
 * delivery), as its own addresses wait for it.
 */
const mailedKey = (address: string, message: Message) => ({ channel: `MAILED#${address}`, sk: messageSk(message) });

/** Of `addresses` (as `addressKey` has them), those `channel` is to mail `message` to: claimed now, or by it before. */
export async function claimAddresses(addresses: readonly string[], message: Message, channel: string, now: Date): Promise<string[]> {
  const expiresAt = Math.floor(now.getTime() / 1000) + MARKER_SECONDS;
  const claimed = await Promise.all(
    addresses.map(async (address) => {
      try {
        await ddb.send(
          new PutCommand({
            TableName: TABLE,
            Item: { ...mailedKey(address, message), by: channel, expiresAt },
            ConditionExpression: 'attribute_not_exists(sk) OR #by = :me',
            ExpressionAttributeNames: { '#by': 'by' },
            ExpressionAttributeValues: { ':me': channel },
          }),
        );
        return address;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
        throw err;
      }
    }),
  );
  return claimed.filter((a): a is string => a !== undefined);
}

/** The channel in the sweep's list (its STATE item, created if missing). */
function listedOp(channel: string): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { channel, sk: STATE },
        UpdateExpression: 'SET gsiChannels = :all, sent = if_not_exists(sent, :none)',
        ExpressionAttributeValues: { ':all': 'ALL', ':none': [] },
      },
    },
  };
}

/**
 * Queues a notification on one channel, in a transaction of its own (so any number of channels can take a notice):
 * the job, the channel in the sweep's list, and `pending` on the notification — only if the notification has no
 * status for that channel yet, so a stream record delivered again, even after the notice went out, queues nothing
 * twice, while a channel added since still gets it.
 */
export function enqueueOps(channel: string, notification: { recipient: string; seq: string }, message: Message, now: Date, wallMs: number = Date.now()): WriteOp[] {
  const job: Job = { channel, sk: jobSk(notification), notification, message, queuedAt: now.toISOString(), queuedWallAt: new Date(wallMs).toISOString(), attempts: 0 };
  // One event told to several departments one group or list serves (a gate's approvers; a red task's department and
  // supervision) is one message to that channel: queued by the first copy routed, refused for the others (their
  // inboxes show the in-app delivery only). The marker outlives any stream redelivery, then expires.
  const marker = { channel, sk: messageSk(message), expiresAt: Math.floor(now.getTime() / 1000) + MARKER_SECONDS };
  return [
    { item: { Put: { TableName: TABLE, Item: job, ConditionExpression: 'attribute_not_exists(sk)' } } },
    { item: { Put: { TableName: TABLE, Item: marker, ConditionExpression: 'attribute_not_exists(sk)' } } },
    listedOp(channel),
    deliveryStatusOp(notification, channel, { status: 'pending', attempts: 0 }),
  ];
}

/** Takes the channel for `owner` until `untilMs` (wall clock) unless another dispatcher holds it; its state, or undefined. */
export async function acquireLease(channel: string, owner: string, nowMs: number, untilMs: number): Promise<ChannelState | undefined> {
  try {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { channel, sk: STATE },
        UpdateExpression: 'SET leaseOwner = :o, leaseUntil = :u, gsiChannels = :all, sent = if_not_exists(sent, :none)',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :o',
        ExpressionAttributeValues: { ':o': owner, ':u': untilMs, ':now': nowMs, ':all': 'ALL', ':none': [] },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as ChannelState;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw err;
  }
}

export async function releaseLease(channel: string, owner: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { channel, sk: STATE },
        UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'leaseOwner = :o',
        ExpressionAttributeValues: { ':o': owner },
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}

/**
 * Frees a channel whatever dispatcher holds it: only for a dispatcher known to be dead (the local runtime's previous
 * process, killed with its lease); a live one's next commit is then refused by its lease condition and it stops.
 * Whether a lease was broken.
 */
export async function breakLease(channel: string): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({ TableName: TABLE, Key: { channel, sk: STATE }, UpdateExpression: 'REMOVE leaseOwner, leaseUntil', ConditionExpression: 'attribute_exists(leaseOwner)' }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/**
 * The channel's state update after a send (taken or not: the platform counted it), only while `owner` holds the lease.
 * A delivery is either unconfirmed (`lastUnconfirmed`) or answered (`lastAnsweredAt`).
 */
function stateOp(channel: string, owner: string, sent: readonly number[], deliveredAt?: string, unconfirmed?: ChannelState['lastUnconfirmed']): WriteOp {
  return {
    item: {
      Update: {
        TableName: TABLE,
        Key: { channel, sk: STATE },
        UpdateExpression: `SET sent = :s${deliveredAt ? `, lastDeliveredAt = :d${unconfirmed ? ', lastUnconfirmed = :u' : ', lastAnsweredAt = :d'}` : ''}`,
        ConditionExpression: 'leaseOwner = :o',
        ExpressionAttributeValues: { ':s': [...sent], ':o': owner, ...(deliveredAt ? { ':d': deliveredAt } : {}), ...(unconfirmed ? { ':u': unconfirmed } : {}) },
      },
    },
  };
}

const jobKey = (job: Job) => ({ channel: job.channel, sk: job.sk });

/**
 * Delivered: the job leaves the queue and the notification shows it. One sent without an answer is kept on the
 * channel's state too (GET /deliveries: `lastUnconfirmed`), the one place besides the log that says a channel swallows.
 */
export function deliveredOps(job: Job, owner: string, sent: readonly number[], delivery: ChannelDelivery): WriteOp[] {
  const unconfirmed = delivery.unconfirmed && delivery.at ? { notification: job.message.id, at: delivery.at } : undefined;
  return [
    { item: { Delete: { TableName: TABLE, Key: jobKey(job), ConditionExpression: 'attribute_exists(sk)' } } },
    stateOp(job.channel, owner, sent, delivery.at, unconfirmed),
    deliveryStatusOp(job.notification, job.channel, delivery),
  ];
}

/** Not taken, to be retried from `wait` (`retryAt`, wall time; `notBefore` on an older job): the job keeps its place at the head of the queue. */
export function retryOps(job: Job, owner: string, sent: readonly number[], delivery: ChannelDelivery, wait: { readonly retryAt?: string; readonly notBefore?: string }): WriteOp[] {
  const [field, at] = wait.retryAt !== undefined ? ['retryAt', wait.retryAt] : ['notBefore', wait.notBefore ?? new Date().toISOString()];
  return [
    {
      item: {
        Update: {
          TableName: TABLE,
          Key: jobKey(job),
          UpdateExpression: 'SET attempts = :a, #w = :n, lastError = :e',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeNames: { '#w': field },
          ExpressionAttributeValues: { ':a': delivery.attempts, ':n': at, ':e': delivery.lastError ?? '' },
        },
      },
    },
    stateOp(job.channel, owner, sent),
    deliveryStatusOp(job.notification, job.channel, delivery),
  ];
}

/** Failed for good: out of the channel's queue, into FAILED for ops, and shown failed on the notification. */
export function failedOps(job: Job, owner: string, sent: readonly number[], delivery: ChannelDelivery, reason: string): WriteOp[] {
  const at = delivery.at ?? new Date().toISOString();
  return [
    { item: { Delete: { TableName: TABLE, Key: jobKey(job), ConditionExpression: 'attribute_exists(sk)' } } },
    {
      item: {
        Put: {
          TableName: TABLE,
          Item: { ...job, channel: FAILED, sk: `${at}#${job.channel}#${job.sk}`, target: job.channel, attempts: delivery.attempts, failedAt: at, reason, expiresAt: Math.floor(Date.now() / 1000) + KEEP_FAILED_SECONDS },
        },
      },
    },
    stateOp(job.channel, owner, sent),
    deliveryStatusOp(job.notification, job.channel, delivery),
  ];
}

/** Ops put a failed delivery back at its place in its channel's queue (a fresh patience, attempts kept): POST /deliveries/retry. */
export function requeueOps(failed: FailedDelivery, now: Date, wallMs: number = Date.now()): WriteOp[] {
  const job: Job = {
    channel: failed.target,
    sk: jobSk(failed.notification),
    notification: failed.notification,
    message: failed.message,
    queuedAt: now.toISOString(),
    queuedWallAt: new Date(wallMs).toISOString(),
    attempts: failed.attempts,
    ...(failed.lastError ? { lastError: failed.lastError } : {}),
  };
  return [
    { item: { Delete: { TableName: TABLE, Key: { channel: FAILED, sk: failed.sk }, ConditionExpression: 'attribute_exists(sk)' } } },
    { item: { Put: { TableName: TABLE, Item: job, ConditionExpression: 'attribute_not_exists(sk)' } } },
    listedOp(failed.target),
    deliveryStatusOp(failed.notification, failed.target, { status: 'pending', attempts: failed.attempts, ...(failed.lastError ? { lastError: failed.lastError } : {}) }),
  ];
}

/**
 * Takes a failed delivery out of the failed list without sending it (a daily digest of an earlier day: the next
 * morning's covers what is still open): the notification keeps `failed`, marked `superseded`.
 */
export function supersedeOps(failed: FailedDelivery, now: Date): WriteOp[] {
  return [
    { item: { Delete: { TableName: TABLE, Key: { channel: FAILED, sk: failed.sk }, ConditionExpression: 'attribute_exists(sk)' } } },
    deliveryStatusOp(failed.notification, failed.target, { status: 'failed', attempts: failed.attempts, ...(failed.lastError ? { lastError: failed.lastError } : {}), superseded: true, at: now.toISOString() }),
  ];
}

/** Moves one failed delivery out of the failed list (`requeueOps`: back to its queue; `supersedeOps`); false when a concurrent call moved it first. */
export async function moveFailed(failed: FailedDelivery, now: Date, ops: typeof requeueOps): Promise<boolean> {
  try {
    await transact(ops(failed, now));
    return true;
  } catch (err) {
    if (err instanceof ConditionFailed) return false;
    throw err;
  }
}
