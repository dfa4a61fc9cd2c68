// The local stack's scheduling rule (local/lanes.ts): while a request is served, background work keeps to its width and
// waits its turn in order; with no request in flight it runs unbounded; it always finishes.
import { describe, expect, it } from 'vitest';
import { Lanes } from '../../local/lanes.ts';

/** A piece of work that runs until released, recording when it started. */
function gate(started: string[], name: string) {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { work: async () => (started.push(name), await promise, name), release: () => resolve() };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('lanes', () => {
  it('runs background work unbounded while no request is in flight', async () => {
    const lanes = new Lanes(1);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((n) => gate(started, n));
    const runs = jobs.map((j) => lanes.run(j.work));
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(lanes.counts()).toMatchObject({ background: 3, waiting: 0, deferred: 0 });
    jobs.forEach((j) => j.release());
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(lanes.counts()).toMatchObject({ background: 0, interactive: 0 });
  });

  it('keeps background work to its width while a request is served, then lets the rest go in arrival order', async () => {
    const lanes = new Lanes(2);
    const started: string[] = [];
    const request = gate([], 'request');
    const served = lanes.request(request.work);
    const jobs = ['a', 'b', 'c', 'd'].map((n) => gate(started, n));
    const runs = jobs.map((j) => lanes.run(j.work));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(lanes.counts()).toEqual({ interactive: 1, background: 2, waiting: 2, deferred: 2 });
    // A finished background invocation lets the next waiting one in, and only that one.
    jobs[1]!.release();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(lanes.counts()).toMatchObject({ background: 2, waiting: 1 });
    // The request done, the lane opens.
    request.release();
    expect(await served).toBe('request');
    await tick();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    jobs.forEach((j) => j.release());
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd']);
    expect(lanes.counts()).toEqual({ interactive: 0, background: 0, waiting: 0, deferred: 2 });
  });

  it('admits waiting background work one by one in arrival order while requests keep coming', async () => {
    const lanes = new Lanes(1);
    const started: string[] = [];
    const first = gate([], 'request 1');
    const served = [lanes.request(first.work)];
    const jobs = ['a', 'b', 'c'].map((n) => gate(started, n));
    const runs = jobs.map((j) => lanes.run(j.work));
    await tick();
    // A second request arrives before the first ends: the lane stays narrow throughout.
    const second = gate([], 'request 2');
    served.push(lanes.request(second.work));
    first.release();
    await tick();
    expect(started).toEqual(['a']);
    for (const [i, j] of jobs.entries()) {
      j.release();
      await tick();
      expect(started).toEqual(['a', 'b', 'c'].slice(0, Math.min(3, i + 2)));
    }
    second.release();
    await Promise.all([...served, ...runs]);
  });

  it('frees the slot of background work that fails, and of a request that fails', async () => {
    const lanes = new Lanes(1);
    const request = lanes.request(async () => {
      await tick();
      throw new Error('request failed');
    });
    const failing = lanes.run(async () => {
      throw new Error('step failed');
    });
    const next = lanes.run(async () => 'next');
    await expect(failing).rejects.toThrow('step failed');
    await expect(request).rejects.toThrow('request failed');
    expect(await next).toBe('next');
    expect(lanes.counts()).toMatchObject({ interactive: 0, background: 0, waiting: 0 });
  });

  it('refuses a width below one (background work must always progress)', () => {
    expect(() => new Lanes(0)).toThrow(RangeError);
    expect(() => new Lanes(Number.NaN)).toThrow(RangeError);
    expect(new Lanes(Infinity).busyWidth).toBe(Infinity);
  });
});
