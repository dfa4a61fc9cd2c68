// The dispatcher: works one channel's queue under a lease (one dispatcher per channel at a time, so nothing is sent
// twice by two of them), oldest notice first. A notice goes when its backoff has passed and the platform's rate
// allows; each outcome is committed with the job, the channel's sends and the notification's delivery status in one
// transaction. A notice that fails stops the queue until its retry (order per group is kept); one that fails for good
// goes to FAILED, is logged for the alarm, and the queue moves on.
//
// Exactly once: a send that is taken is recorded at once. A send that got no answer after it went out is counted as
// delivered, unconfirmed, and not sent again. The one window for a duplicate is a crash between a platform's "ok" and
// that commit — the message is then sent again (robots have no idempotency key; the header X-Zoneflow-Notification
// lets a receiver of our own drop it). The lease outlives every drain's time budget. A stop asked of the host (a Ctrl-C
// of the local runtime: kernel/runtime/stop.ts) ends the drain after the message under way, its outcome committed and
// the lease given back — none begun after it.
import { randomUUID } from 'node:crypto';
import type { Clock } from '#kernel/domain/clock.ts';
import { clock as businessClock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { sleepUntilStop, stopSignal } from '#kernel/runtime/stop.ts';
import { transact } from '#kernel/store/client.ts';
import { addressKey, channelById, type ChannelsDoc, type RobotCredentials } from './domain/channels.ts';
import { afterFailure, rateWaitMs, recentSends, waiting, type ChannelDelivery } from './domain/delivery.ts';
import { mailOf, robotOutcome, robotRequest, type SendOutcome } from './domain/messages.ts';
import { cachedSecret } from './secrets.ts';
import { hmacSha256Base64 } from './signing.ts';
import { headJobs, type Job } from './store/delivery-reads.ts';
import { acquireLease, claimAddresses, deliveredOps, failedOps, releaseLease, retryOps } from './store/deliveries.ts';
import { transport as defaultTransport, UnknownOutcome, type Transport } from './transport.ts';

export interface DispatchDeps {
  /** The business clock: the instants a delivery records (and an older job's backoff and patience). */
  readonly clock: Pick<Clock, 'now'>;
  /** Wall-clock ms: leases, the platforms' rate windows and a signature's timestamp are real time, whatever the business clock does. */
  readonly wallNow: () => number;
  /**
   * Wall-clock ms for retries: a job's backoff and patience (a platform is down for real minutes). Apart from `wallNow`
   * so a test can skip an hour of it without skewing leases and signatures.
   */
  readonly retryClock: () => number;
  readonly random: () => number;
  readonly transport: Transport;
  /** A rate wait; cut short when a stop is asked. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Whether the host was asked to stop: no message is begun after it. */
  readonly stopAsked: () => boolean;
}

export const DEFAULT_DEPS: DispatchDeps = {
  clock: businessClock,
  wallNow: Date.now,
  retryClock: Date.now,
  random: Math.random,
  transport: defaultTransport,
  sleep: sleepUntilStop,
  stopAsked: () => stopSignal().aborted,
};

export interface DrainResult {
  readonly channel: string;
  readonly delivered: number;
  readonly retried: number;
  readonly failed: number;
  /** Another dispatcher holds the channel. */
  readonly busy?: true;
}

/** A rate wait this short is slept through within the drain; a longer one is left to the next sweep. */
const MAX_INLINE_WAIT_MS = 2_000;
const PAGE = 25;

async function credentialsOf(name: string): Promise<RobotCredentials> {
  const text = await cachedSecret(name);
  if (!text) throw new Error('the robot\'s credentials are missing from the secret store (publish its url again)');
  return JSON.parse(text) as RobotCredentials;
}

/** One attempt to send a job's message on its channel. */
async function send(job: Job, config: ChannelsDoc, deps: DispatchDeps): Promise<SendOutcome> {
  const channel = channelById(config, job.channel);
  if (!channel) return { ok: false, error: 'the channel is no longer in the channels configuration', permanent: true };
  try {
    if (channel.type === 'email') {
      // A person on two lists that take this notice (or its copy to another department) is mailed once: by the list
      // that claims the address first. Every address another list's: the notice reaches them all, nothing is sent here.
      const mine = new Set(await claimAddresses([...new Set(channel.email.to.map(addressKey))], job.message, job.channel, deps.clock.now()));
      const to = channel.email.to.filter((a) => mine.has(addressKey(a)));
      if (to.length) await deps.transport.mail(mailOf(job.message, to, config.linkBase));
      return { ok: true };
    }
    const { robot } = channel;
    const req = robotRequest(robot.platform, robot.format, job.message, await credentialsOf(robot.credentials), deps.wallNow(), hmacSha256Base64, config.linkBase);
    const answer = await deps.transport.post(req);
    return robotOutcome(robot.platform, answer.status, answer.text);
  } catch (err) {
    if (err instanceof UnknownOutcome) return { ok: true, unconfirmed: err.message };
    return { ok: false, error: String((err as Error).message ?? err).slice(0, 300) };
  }
}

const limitsOf = (config: ChannelsDoc, channelId: string) => {
  const c = channelById(config, channelId);
  return c?.type === 'robot' ? c.robot.rateLimits : c?.type === 'email' ? c.email.rateLimits : [];
};

/** Works a channel's queue for up to `budgetMs` of wall time. */
export async function drainChannel(channelId: string, config: ChannelsDoc, budgetMs: number, deps: DispatchDeps = DEFAULT_DEPS): Promise<DrainResult> {
  const result = { channel: channelId, delivered: 0, retried: 0, failed: 0 };
  // Stopping: the channel is not even taken.
  if (deps.stopAsked()) return result;
  const started = deps.wallNow();
  const owner = randomUUID();
  const state = await acquireLease(channelId, owner, started, started + budgetMs + 60_000);
  if (!state) return { ...result, busy: true };
  const limits = limitsOf(config, channelId);
  let sent = [...(state.sent ?? [])];
  try {
    for (;;) {
      const jobs = await headJobs(channelId, PAGE);
      if (jobs.length === 0) return result;
      for (const job of jobs) {
        const now = deps.clock.now();
        if (waiting(job, now, deps.retryClock())) return result;
        // Slept until the rate allows the send. A timer may wake a millisecond before the wall clock says the wait
        // is over (Node's timers are not Date.now()): the rest is slept too, not left to the next sweep a minute later.
        for (let wait = rateWaitMs(sent, limits, deps.wallNow()); wait > 0; wait = rateWaitMs(sent, limits, deps.wallNow())) {
          if (wait > MAX_INLINE_WAIT_MS || deps.wallNow() + wait - started > budgetMs) return result;
          await deps.sleep(wait);
          if (deps.stopAsked()) return result;
        }
        if (deps.wallNow() - started > budgetMs || deps.stopAsked()) return result;
        const outcome = await send(job, config, deps);
        const at = deps.clock.now();
        sent = recentSends([...sent, deps.wallNow()], limits, deps.wallNow());
        if (outcome.ok) {
          const delivery: ChannelDelivery = {
            status: 'delivered',
            attempts: job.attempts + 1,
            at: at.toISOString(),
            ...(outcome.unconfirmed ? { unconfirmed: true as const, lastError: `${outcome.unconfirmed}: counted as delivered, not sent again` } : {}),
          };
          if (outcome.unconfirmed) log.warn('notification sent without an answer: not sent again', { channel: channelId, notification: job.message.id, error: outcome.unconfirmed });
          await transact(deliveredOps(job, owner, sent, delivery));
          result.delivered += 1;
          continue;
        }
        const next = outcome.permanent
          ? { delivery: { status: 'failed', attempts: job.attempts + 1, lastError: outcome.error, at: at.toISOString() } as ChannelDelivery }
          : afterFailure(job, outcome.error, at, config.retry, deps.random(), deps.retryClock());
        if (next.delivery.status === 'failed') {
          await transact(failedOps(job, owner, sent, next.delivery, outcome.error));
          // The alarm counts these lines (infra/constructs/observability.ts); no URL, no secret in them.
          log.error('notification delivery failed', { channel: channelId, notification: job.message.id, kind: job.message.kind, attempts: next.delivery.attempts, error: outcome.error });
          result.failed += 1;
          continue;
        }
        await transact(retryOps(job, owner, sent, next.delivery, next));
        log.warn('notification delivery will be retried', { channel: channelId, notification: job.message.id, attempts: next.delivery.attempts, retryAt: next.retryAt ?? next.notBefore, error: outcome.error });
        result.retried += 1;
        return result;
      }
    }
  } finally {
    await releaseLease(channelId, owner);
  }
}
