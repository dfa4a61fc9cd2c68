// The unit of work's shared rules, stated once: how a change moves an aggregate's version (domain/version.ts), and how
// a change that lost a race to another writer is retried. The project aggregate's unit of work (projects/change.ts)
// builds on these.
import { Contended, PreconditionFailed } from './domain/errors.ts';
import { ConcurrentChange } from './store/client.ts';
import { log } from './runtime/log.ts';
import { lostRace } from './runtime/write-gate.ts';

export { bump, type Versioned } from './domain/version.ts';

/** How many times a change that lost a race is tried in all. */
export const ATTEMPTS = 10;

/**
 * The attempts of a change many send at once to one aggregate, each moving its version (a batch job's allocations,
 * quota reservations, payments and releases on one project; letters on one series): each round one wins, so as many
 * rounds as senders — the request's time still bounds them (then the 409 to retry).
 */
export const BURST_ATTEMPTS = 40;

/**
 * The retry policy of every change: an item changed between our read and our write (`ConcurrentChange`: a task's
 * light, another approver's decision) is re-read and decided again; so is a stale aggregate version
 * (`PreconditionFailed`), unless the caller pinned the version it read with If-Match — then the 412 is the answer.
 * Jittered backoff between attempts, its bound doubling each time (40, 80, 160 … ms, at most 500): losers coming back
 * as fast as they lost kept a busy store full of reads and writes doomed to lose (30 letters at once on one project:
 * 13 issued in the request's time, the rest out of it; with the doubling all 30 in under 4 s). A race still lost after
 * the last is a 409 ("retry the request"), also when it was the aggregate's version that kept moving: the caller did
 * not pin one, so a 412 would name a precondition it never sent.
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, pinned: boolean, attempts = ATTEMPTS): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const raced = err instanceof ConcurrentChange || (err instanceof PreconditionFailed && !pinned);
      if (!raced) throw err;
      // Should the request's time run out while it tries again, its answer is this race (a 409 to retry), not a 503.
      lostRace();
      // A change that keeps losing is said in the log — halfway and when it gives up: an exit step retried forty times
      // (and the state machine's retries on top) sat "running" for minutes with nothing to show ops what it waited on.
      if (n === Math.ceil(attempts / 2) || n >= attempts) log.warn(n >= attempts ? 'change gave up: it kept losing its race' : 'change still losing its race', { attempt: n, of: attempts, error: (err as Error).message });
      // A request that pinned no version was never told one: its race lost after the last attempt is a 409, not a 412.
      if (n >= attempts) throw new Contended(undefined, (err as Error).message);
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 20 * 2 ** n)));
    }
  }
}
