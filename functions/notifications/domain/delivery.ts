// Delivery to a channel: a queue per channel, sent strictly in order (a notice that cannot go yet holds back the ones
// behind it, so a group reads them in the order they happened), at most the platform's rate, retried with backoff
// and jitter until `giveUpHours`, then failed for good and kept for ops. Waits and patience are wall time: a platform is
// down for real minutes, whatever the business clock does (a job queued before 2026-12-05 keeps the business clock). Pure.
import type { RateLimit, RetryPolicy } from './channels.ts';

/** A notification's delivery on one channel, as GET /me/notifications shows it. */
export interface ChannelDelivery {
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly lastError?: string;
  /** Sent, but the platform never answered: counted as delivered and not sent again (the reason is in lastError). */
  readonly unconfirmed?: true;
  /** A daily digest of an earlier day that failed and was not sent again when ops retried its channel (the next morning's covers it). */
  readonly superseded?: true;
  /** When it was delivered, or failed for good (business clock). */
  readonly at?: string;
}

/**
 * The wait before attempt `attempts + 1`: `baseSeconds` doubling per failed attempt up to `maxSeconds`, then "equal
 * jitter" — half of it fixed, half random — so the retries of many notices on one channel do not fall together.
 */
export function backoffMs(attempts: number, retry: RetryPolicy, random: number): number {
  const ceiling = Math.min(retry.maxSeconds, retry.baseSeconds * 2 ** Math.max(0, Math.min(attempts - 1, 30))) * 1000;
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/** Whether a notice queued at `queuedAt` has waited past the policy's patience (it then fails for good). */
export function gaveUp(queuedAt: string, now: Date, retry: RetryPolicy): boolean {
  return now.getTime() - Date.parse(queuedAt) >= retry.giveUpHours * 3_600_000;
}

/**
 * How long the next send must wait under a channel's rate windows, given the (wall-clock) times of its recent sends:
 * 0 when it may go now. The platforms count real minutes, so this is wall-clock time, not the business clock.
 */
export function rateWaitMs(sent: readonly number[], limits: readonly RateLimit[], nowMs: number): number {
  let wait = 0;
  for (const limit of limits) {
    const windowMs = limit.seconds * 1000;
    const inWindow = sent.filter((t) => t > nowMs - windowMs).sort((a, b) => a - b);
    if (inWindow.length >= limit.messages) {
      // The oldest send that must leave the window before one more fits.
      const oldest = inWindow[inWindow.length - limit.messages] ?? nowMs;
      wait = Math.max(wait, oldest + windowMs - nowMs);
    }
  }
  return Math.max(0, wait);
}

/** The sends worth remembering: those inside the longest window (the channel's state stays small). */
export function recentSends(sent: readonly number[], limits: readonly RateLimit[], nowMs: number): number[] {
  const longest = Math.max(0, ...limits.map((l) => l.seconds * 1000));
  const most = Math.max(0, ...limits.map((l) => l.messages));
  return sent.filter((t) => t > nowMs - longest).slice(-most);
}

/**
 * A queued notice after a failed attempt: still pending (with its next attempt), or failed for good. A job that records
 * when it was queued in wall time (`queuedWallAt`) waits and gives up on wall time (`retryAt`, from `wallMs`): on a
 * day-a-second clock a robot down for two real seconds would otherwise spend a whole day's patience and fail for good.
 * A job queued before that was recorded keeps the business clock (`notBefore`). `at` is the business instant either way.
 */
export function afterFailure(
  job: { readonly attempts: number; readonly queuedAt: string; readonly queuedWallAt?: string },
  error: string,
  now: Date,
  retry: RetryPolicy,
  random: number,
  wallMs: number = now.getTime(),
): { readonly delivery: ChannelDelivery; readonly notBefore?: string; readonly retryAt?: string } {
  const attempts = job.attempts + 1;
  const failed = job.queuedWallAt !== undefined ? gaveUp(job.queuedWallAt, new Date(wallMs), retry) : gaveUp(job.queuedAt, now, retry);
  if (failed) return { delivery: { status: 'failed', attempts, lastError: error, at: now.toISOString() } };
  const wait = backoffMs(attempts, retry, random);
  const delivery: ChannelDelivery = { status: 'pending', attempts, lastError: error };
  return job.queuedWallAt !== undefined ? { delivery, retryAt: new Date(wallMs + wait).toISOString() } : { delivery, notBefore: new Date(now.getTime() + wait).toISOString() };
}

/** Whether a queued job's retry wait is still running: its wall instant (`retryAt`), or an older job's business one. */
export function waiting(job: { readonly notBefore?: string; readonly retryAt?: string }, now: Date, wallMs: number): boolean {
  if (job.retryAt !== undefined) return Date.parse(job.retryAt) > wallMs;
  return job.notBefore !== undefined && Date.parse(job.notBefore) > now.getTime();
}

/** A notification's delivery map as shown: the in-app inbox (always delivered when it exists) and each channel. */
export function presentDelivery(stored: Record<string, unknown> | undefined): Record<string, ChannelDelivery> {
  const out: Record<string, ChannelDelivery> = {};
  for (const [channel, value] of Object.entries(stored ?? {})) {
    // Items written before channels existed hold `inApp: 'delivered'`.
    if (typeof value === 'string') out[channel] = { status: value === 'delivered' ? 'delivered' : value === 'failed' ? 'failed' : 'pending', attempts: value === 'delivered' ? 1 : 0 };
    else if (value && typeof value === 'object') out[channel] = value as ChannelDelivery;
  }
  return out;
}
