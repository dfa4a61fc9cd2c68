// A Ctrl-C of `npm start` stopped DynamoDB Local under the work the runtime had in flight: the delivery sweep had mailed
// a notice (its .eml written) and its "delivered" commit failed as the store went, so the next start mailed it again —
// seen by helper-151: a backlog of letters' notices being mailed, Ctrl-C, a plain restart, one notice twice in the mail
// directory (1 of 10 stops; the channel's lease was left held in 8 of 10). The runtime's stop() now lets no scheduled
// job start again (a finished run re-armed its timer after stop), and settled() tells when every invocation in flight
// — scheduled jobs, stream consumers, workflow steps — has ended: start.ts awaits it before it stops the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let release!: () => void;
const gate = new Promise<void>((resolve) => (release = resolve));
let sweeps = 0;
let sweepsEnded = 0;
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({
    clockStart: '2026-09-21T09:00:00+08:00',
    // Ten business minutes a real second: the every-minute sweep is due again 100 ms after a run.
    scale: 600,
    instrument: (name, handler) =>
      name === 'deliver-notifications'
        ? ((async (...args: Parameters<typeof handler>) => {
            sweeps += 1;
            // The first sweep is held as one mailing a notice when the Ctrl-C comes.
            if (sweeps === 1) await gate;
            try {
              return await handler(...args);
            } finally {
              sweepsEnded += 1;
            }
          }) as typeof handler)
        : handler,
  });
});
afterAll(() => {
  release();
  env?.stop();
});

describe('stopping the local runtime', () => {
  it('waits for a scheduled job in flight, and starts none after', async () => {
    env.startSchedules();
    await until(() => sweeps > 0 || undefined);
    env.stop();
    let settled = false;
    const whenSettled = env.settled().then(() => (settled = true));
    // The sweep in flight cannot end while it is held: the runtime has not settled.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await whenSettled;
    expect(sweepsEnded).toBe(1);
    // Past the next slot of the every-minute sweep (100 ms on this clock), and a good margin: nothing re-armed it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sweeps).toBe(1);
  });
});
