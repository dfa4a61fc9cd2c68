// The unit of work's shared rules, without DynamoDB: the version-bump rule and the one retry policy.
import { describe, expect, it, vi } from 'vitest';
import { ATTEMPTS, bump, retrying } from '../../functions/kernel/unit-of-work.ts';
import { Conflict, Contended, PreconditionFailed } from '../../functions/kernel/domain/errors.ts';
import { isTransient } from '../../functions/kernel/runtime/faults.ts';
import { ConcurrentChange } from '../../functions/kernel/store/client.ts';

describe('the version-bump rule', () => {
  it('moves the version by exactly one from the version read, and stamps the time of the change', () => {
    const now = new Date('2026-11-26T02:00:00Z');
    const next = bump({ id: 'a', version: 7, updatedAt: 'earlier', name: 'new' }, { version: 7 }, now);
    expect(next).toEqual({ id: 'a', version: 8, updatedAt: '2026-11-26T02:00:00.000Z', name: 'new' });
  });

  it('counts from the version read, whatever version the decided aggregate carries', () => {
    expect(bump({ version: 99, updatedAt: 'x' }, { version: 3 }, new Date(0)).version).toBe(4);
  });
});

/** An attempt that fails `failures` times with `error()`, then answers. */
function flaky(failures: number, error: () => Error) {
  let calls = 0;
  const attempt = async () => {
    calls += 1;
    if (calls <= failures) throw error();
    return 'done';
  };
  return { attempt, calls: () => calls };
}

describe('the retry policy', () => {
  it('decides again after a lost race on an item (ConcurrentChange)', async () => {
    const f = flaky(3, () => new ConcurrentChange('task moved'));
    expect(await retrying(f.attempt, false)).toBe('done');
    expect(f.calls()).toBe(4);
  });

  it('decides again on a stale aggregate version when the caller pinned none', async () => {
    const f = flaky(2, () => new PreconditionFailed('moved'));
    expect(await retrying(f.attempt, false)).toBe('done');
    expect(f.calls()).toBe(3);
  });

  it('answers 412 at once when the caller pinned the version with If-Match', async () => {
    const f = flaky(1, () => new PreconditionFailed('moved'));
    await expect(retrying(f.attempt, true)).rejects.toBeInstanceOf(PreconditionFailed);
    expect(f.calls()).toBe(1);
  });

  it('still retries a lost item race when the version is pinned (the aggregate did not move)', async () => {
    const f = flaky(1, () => new ConcurrentChange('light changed'));
    expect(await retrying(f.attempt, true)).toBe('done');
  });

  it('says in the log, halfway and when it gives up, what the change keeps losing to (ops saw nothing of a step retried forty times)', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await retrying(flaky(Infinity, () => new ConcurrentChange('Counter COUNTER#LETTER#exit#2028 moved')).attempt, false, 6).catch(() => undefined);
      await retrying(flaky(1, () => new ConcurrentChange('once')).attempt, false, 6);
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((l) => JSON.parse(l) as { message: string; attempt: number; error: string })).toEqual([
      expect.objectContaining({ message: 'change still losing its race', attempt: 3, error: 'Counter COUNTER#LETTER#exit#2028 moved' }),
      expect.objectContaining({ message: 'change gave up: it kept losing its race', attempt: 6 }),
    ]);
  });

  it(`gives up after ${ATTEMPTS} attempts with a 409 of its own type that says to retry (transient: a workflow step retries it)`, async () => {
    const f = flaky(Infinity, () => new ConcurrentChange('busy'));
    const err = await retrying(f.attempt, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Contended);
    expect(err).toMatchObject({ status: 409, type: 'https://zoneflow.dev/problems/concurrent-change', retryAfterSeconds: 1 });
    expect(err).not.toBeInstanceOf(Conflict);
    expect(isTransient(err)).toBe(true);
    expect(isTransient(new Conflict('already decided'))).toBe(false);
    expect((err as Error).message).toMatch(/Retry the request/);
    expect(f.calls()).toBe(ATTEMPTS);
  });

  it('a stale version still lost after the last attempt, with no version pinned, is the same 409 (never a 412 the caller did not ask for)', async () => {
    const f = flaky(Infinity, () => new PreconditionFailed('moved'));
    const err = await retrying(f.attempt, false, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Contended);
    expect((err as Error).message).toMatch(/Retry the request/);
    expect(f.calls()).toBe(3);
  });

  it('never retries a refusal of the domain or a bug', async () => {
    for (const error of [() => new Conflict('already decided'), () => new TypeError('bug')]) {
      const f = flaky(1, error);
      await expect(retrying(f.attempt, false)).rejects.toThrow();
      expect(f.calls()).toBe(1);
    }
  });
});

describe('the retry policy under a burst on one record', () => {
  it('lets 30 changes of one record at once through within the attempts: the losers back off further each time', async () => {
    // One record behind a store that does one operation at a time (as DynamoDB Local does on a busy machine): each
    // read and each conditional write queues 4 ms. Thirty writers at once; a loser whose retries come back as fast as
    // they failed keeps the queue full of reads and writes doomed to lose, and gives up (30 letters on one project).
    let version = 0;
    let queue = Promise.resolve();
    const op = <T>(fn: () => T) => {
      const done = queue.then(() => new Promise<T>((resolve, reject) => setTimeout(() => {
        try {
          resolve(fn());
        } catch (err) {
          reject(err as Error);
        }
      }, 4)));
      queue = done.then(() => undefined, () => undefined);
      return done;
    };
    const change = () => retrying(async () => {
      const read = await op(() => version);
      await op(() => {
        if (version !== read) throw new ConcurrentChange('moved');
        version += 1;
      });
    }, false);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, change));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([]);
    expect(version).toBe(30);
  }, 30_000);
});
