// The write gate's own rules, without a store: what waits, what throws, and what is let go once a request is answered.
import { describe, expect, it } from 'vitest';
import { AnsweredOutOfTime, beginWrite, Replaying, withRequestGate, withWriteGate, writesAllowed } from '../../functions/kernel/runtime/write-gate.ts';

const later = <T>(value: T, ms = 30) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('withWriteGate', () => {
  it('holds a write until the lookup finds nothing', async () => {
    const order: string[] = [];
    const { outcome } = await withWriteGate(later(undefined).then((v) => (order.push('lookup'), v)), async () => {
      order.push('decide');
      await writesAllowed();
      order.push('write');
      return 'done';
    });
    expect(order).toEqual(['decide', 'lookup', 'write']);
    expect(outcome).toEqual({ status: 'fulfilled', value: 'done' });
  });

  it('makes a write throw Replaying when a response is stored, and hands the stored response on', async () => {
    let wrote = false;
    const { outcome, stored } = await withWriteGate(later({ statusCode: 201 }), async () => {
      await writesAllowed();
      wrote = true;
    });
    expect(wrote).toBe(false);
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(Replaying);
    await expect(stored).resolves.toEqual({ statusCode: 201 });
  });

  it('passes the lookup’s own failure to a held write (a 422 for a reused key is not written around)', async () => {
    const mismatch = new Error('reused key');
    const lookup = later(undefined).then(() => Promise.reject(mismatch));
    const { outcome, stored } = await withWriteGate(lookup, async () => writesAllowed());
    expect((outcome as PromiseRejectedResult).reason).toBe(mismatch);
    await expect(stored).rejects.toBe(mismatch);
  });

  it('does not hold work a request left behind once it is answered', async () => {
    let leftBehind: Promise<void> | undefined;
    const never = new Promise<undefined>(() => {});
    // The handler answers without writing while the lookup never settles; what it started in its context goes on.
    const gated = withWriteGate(never, async () => {
      leftBehind = later(undefined, 20).then(() => writesAllowed());
      return 'answered';
    });
    // withWriteGate itself waits only for the handler.
    await expect(gated.then((r) => r.outcome)).resolves.toEqual({ status: 'fulfilled', value: 'answered' });
    await expect(leftBehind).resolves.toBeUndefined();
  });

  it('lets writes outside any request through at once', async () => {
    await expect(writesAllowed()).resolves.toBeUndefined();
  });
});

describe('withRequestGate', () => {
  const outOfTime = () => new Error('out of time');

  it('answers a request that has written nothing out of time at its deadline, and refuses its later writes', async () => {
    let late: Promise<unknown> | undefined;
    const answer = withRequestGate(20, async () => {
      late = later(undefined, 60).then(() => beginWrite());
      await late;
      return 'written';
    }, outOfTime);
    await expect(answer).rejects.toThrow('out of time');
    await expect(late).rejects.toBeInstanceOf(AnsweredOutOfTime);
  });

  it('waits for a write in flight at the deadline: refused, the request is out of time and writes nothing more', async () => {
    const writes: string[] = [];
    const answer = withRequestGate(20, async () => {
      const ended = await beginWrite();
      await later(undefined, 50);
      ended(false); // the store refused it (a lost race): nothing applied
      await later(undefined, 10);
      await beginWrite().then(() => writes.push('retry'));
      return 'written';
    }, outOfTime);
    await expect(answer).rejects.toThrow('out of time');
    await later(undefined, 40);
    expect(writes).toEqual([]);
  });

  it('waits for the handler once a write went through or may have, and answers what it makes of it', async () => {
    for (const succeeded of [true, false]) {
      const answer = withRequestGate(20, async () => {
        const ended = await beginWrite();
        await later(undefined, 50);
        ended(true); // applied, or its outcome unknown
        if (!succeeded) throw new Error('outcome unknown');
        await later(undefined, 20);
        return 'written';
      }, outOfTime);
      if (succeeded) await expect(answer).resolves.toBe('written');
      else await expect(answer).rejects.toThrow('outcome unknown');
    }
  });

  it('never sends a write begun in the tick another ended refused after the request was answered out of time', async () => {
    for (let i = 0; i < 20; i++) {
      let sent = false;
      const answer = withRequestGate(5, async () => {
        const ended = await beginWrite();
        await later(undefined, 20);
        // The store refused it; the handler retries at once, in the same tick.
        ended(false);
        const again = beginWrite();
        const end = await again;
        sent = true;
        end(true);
        return 'written';
      }, outOfTime);
      const settled = await answer.then(() => 'answered', () => 'out of time');
      await later(undefined, 10);
      // Either the retry was counted before the deadline loop looked (waited for, answered) or refused: never both.
      expect(settled === 'answered').toBe(sent);
    }
  });

  it('answers within its budget as the handler does, and lets a keyed request’s lookup hold its writes', async () => {
    const order: string[] = [];
    const answer = withRequestGate(1000, async () => {
      const { outcome } = await withWriteGate(later(undefined).then((v) => (order.push('lookup'), v)), async () => {
        order.push('decide');
        await writesAllowed();
        order.push('write');
        return 'done';
      });
      return outcome;
    }, outOfTime);
    await expect(answer).resolves.toEqual({ status: 'fulfilled', value: 'done' });
    expect(order).toEqual(['decide', 'lookup', 'write']);
  });
});
