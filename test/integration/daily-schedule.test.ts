// The daily jobs in the local runtime fire once every business day however fast the clock runs. At two business days a
// real second a slot is half a second away: a wait rounded up to whole seconds (as Step Functions' are) fired them
// every other day, each run catching up only the latest slot it had missed — the simulation's daily digest and refresh
// ran 150 times in 330 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

const fired: { fn: string; at: string }[] = [];
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({
    clockStart: '2026-06-01T12:00:00+08:00',
    scale: 172_800,
    instrument: (fn, handler) => async (event, context) => {
      const at = (event as { at?: unknown } | undefined)?.at;
      if ((fn === 'daily-digest' || fn === 'refresh-inventory') && typeof at === 'string') fired.push({ fn, at });
      return handler(event, context);
    },
  });
});
afterAll(() => env?.stop());

describe('the daily jobs on a fast business clock', () => {
  it('fire at their hour on each business day, none skipped, at two days a second', async () => {
    env.startSchedules({ catchUp: false });
    const ats = (fn: string) => fired.filter((f) => f.fn === fn).map((f) => f.at);
    await until(async () => (ats('daily-digest').length >= 6 && ats('refresh-inventory').length >= 6 ? true : undefined), 30_000, 50);
    for (const fn of ['daily-digest', 'refresh-inventory']) {
      // From the second run: the first loads the handler's module, long enough on a busy machine to miss a slot.
      const days = ats(fn).slice(1, 6).map((at) => Date.parse(at));
      // One day apart each, at the same instant of the day: every slot fired, once.
      expect(days.slice(1).map((d, i) => d - days[i]!), fn).toEqual([86_400_000, 86_400_000, 86_400_000, 86_400_000]);
    }
  });
});
