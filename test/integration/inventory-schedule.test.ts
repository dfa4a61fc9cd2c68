// The refresh duty runs on the business clock in the local runtime, as EventBridge Scheduler runs it on AWS: at 07:00
// Asia/Shanghai each day (and once at start, catching up a missed day — `npm start` does that). Business time runs 12
// hours a second from 2027-03-31 noon: the first 07:00 run in Q2 flags the facility that Q1 left unconfirmed stale and
// tells its owners, at exactly 07:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2027-03-31T12:00:00+08:00', scale: 43_200 });
});
afterAll(() => env?.stop());

describe('the scheduled refresh duty in the local runtime', () => {
  it('fires at 07:00 Asia/Shanghai on the business clock', async () => {
    const { createResource } = await import('../../functions/inventory/domain/resource.ts');
    const { insertResource, getResource } = await import('../../functions/inventory/store/resources.ts');
    const { DEFAULT_INVENTORY_CONFIG } = await import('../../functions/inventory/domain/period.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    // A facility last confirmed in 2026Q4: stale from the first day of 2027Q2.
    const record = createResource('facilities', { code: 'SCHED-1', park: '汇通产业园', owner: '建投', areaM2: 1000, floorLoadKnM2: 10, clearHeightM: 8, powerKva: 100, rentCnyPerM2Month: 10 }, { sub: 's', name: 's', roles: ['soe'] }, { id: 'fac-sched-1', now: new Date('2026-12-01T00:00:00Z'), today: '2026-12-01', cfg: DEFAULT_INVENTORY_CONFIG });
    await transact(insertResource(record, () => new Error('duplicate')));

    const started = env.clock.now().getTime();
    env.startSchedules({ catchUp: false });
    const stale = await until(async () => {
      const r = await getResource('facilities', 'fac-sched-1');
      return r?.staleSince ? r : undefined;
    }, 20_000);
    // Flagged by a run at 07:00 Shanghai (23:00 UTC), the first one after the schedules started, on a Q2 day.
    expect(stale.updatedAt).toMatch(/T23:00:00\.000Z$/);
    expect(Date.parse(stale.updatedAt) - started).toBeGreaterThan(0);
    expect(Date.parse(stale.updatedAt) - started).toBeLessThanOrEqual(86_400_000);
    expect(stale.staleSince).toBe('2027-04-01');
    // The owners are told by the same run, right after it flags the records.
    const told = await until(async () => (await queryInbox('DEPT#soe', 20)).items.find((n) => n.kind === 'inventory.stale'), 20_000);
    expect(told.createdAt).toBe(stale.updatedAt);
  });
});
