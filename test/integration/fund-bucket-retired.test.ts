// A bucket config/funds no longer lists (dropped, or its code changed) keeps its accounts in the years still open: what
// its allocations drew stays on it (spent, released back), nothing new is drawn from it. A fund officer sees it as such
// — retired, its budget what it drew, nothing remaining — not as a second live bucket whose unspent budget the totals
// count beside the one that replaced it; and the publication that retired it says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('fund-bucket-retired');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: releaseAllocation } = await import('../../functions/inventory/http/release-allocation.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { DEFAULT_FUNDS_CONFIG } = await import('../../functions/inventory/domain/fund.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');

const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Bucket = { code: string; budgetCny: number; allocatedCny: number; spentCny: number; remainingCny: number; retired?: boolean };
type Totals = { budgetCny: number; allocatedCny: number; spentCny: number; remainingCny: number };
const funds = async (year = thisYear) => (await call<{ buckets: Bucket[]; totals: Totals }>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(year) } }))).body;
const version = async () => (await call<{ version: number }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.version;
const publish = async (doc: unknown) =>
  call<{ version: number; warnings?: string[] }>(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'funds' }, body: { doc, note: '科目调整' }, headers: { 'if-match': `"${await version()}"` } }));
const renamed = (from: string, to: string) => ({ ...DEFAULT_FUNDS_CONFIG, buckets: DEFAULT_FUNDS_CONFIG.buckets.map((b) => (b.code === from ? { ...b, code: to } : b)) });

describe('a bucket whose code changed in config/funds', () => {
  it('shows the old code retired with what it drew (budget = allocated, nothing remaining), the new one at the budget; totals count what can be drawn', async () => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    const drawn = await call<{ id: string }>(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 3_000_000, purpose: '进地清单作业' } }));
    expect(drawn.status, drawn.text).toBe(201);

    const published = await publish(renamed('clearance', 'land_clearance'));
    expect(published.status, published.text).toBe(200);
    // The publication says what it retired, and what stays on its account.
    expect(published.body.warnings).toEqual([`${thisYear} clearance: no longer in config/funds — its 3000000 CNY allocated stay on its account (retired: nothing new is drawn from it)`]);

    const after = await funds();
    expect(after.buckets.map((b) => [b.code, b.budgetCny, b.allocatedCny, b.remainingCny, b.retired ?? false])).toEqual([
      ['land_clearance', 10_000_000, 0, 10_000_000, false],
      ['infrastructure', 5_000_000, 0, 5_000_000, false],
      ['relic_survey', 5_000_000, 0, 5_000_000, false],
      ['clearance', 3_000_000, 3_000_000, 0, true],
    ]);
    expect(after.totals).toEqual({ budgetCny: 23_000_000, allocatedCny: 3_000_000, spentCny: 0, remainingCny: 20_000_000 });
    // Nothing new from the old code (409 on bucket); the new one takes allocations.
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 1, purpose: '追加' } })), 409, ['bucket']);

    // Its allocation released: the money goes back to the old account, which has nothing left to show.
    const released = await call(releaseAllocation, apiEvent('DELETE /projects/{id}/fund-allocations/{aid}', { as: users.committeeLeader, params: { id: prj.body.id, aid: drawn.body.id }, query: { reason: '科目调整' } }));
    expect(released.status, released.text).toBe(200);
    const empty = await funds();
    expect(empty.buckets.map((b) => b.code)).toEqual(['land_clearance', 'infrastructure', 'relic_survey']);
    expect(empty.totals).toEqual({ budgetCny: 20_000_000, allocatedCny: 0, spentCny: 0, remainingCny: 20_000_000 });

    // Published back under its old code: the account is live again at the budget in force (no warning about it).
    const back = await publish(DEFAULT_FUNDS_CONFIG);
    expect(back.status, back.text).toBe(200);
    expect((await funds()).buckets.map((b) => [b.code, b.remainingCny, b.retired ?? false])).toEqual([
      ['clearance', 10_000_000, false],
      ['infrastructure', 5_000_000, false],
      ['relic_survey', 5_000_000, false],
    ]);
  });
});
