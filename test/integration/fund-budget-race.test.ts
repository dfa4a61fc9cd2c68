// A year's first draw on the pre-work fund stores its buckets with the budgets of the `funds` configuration it read; a
// publication of new budgets updates the buckets it finds stored. Read alone, each could miss the other: an allocation
// deciding on the configuration before a publication (or on one a warm function kept) and committing after it stored
// the old budget; a publication that looked for stored buckets before an allocation's first draw committed left that
// year's new buckets at the old budget. Either way the fund was drawn beyond the budget ops had just published. Both
// commit against one stamp item (buckets.ts), so whichever commits second is decided again on what the other wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { beforeTransaction } from '../support/transaction-hook.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('fund-budget-race');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { DEFAULT_FUNDS_CONFIG } = await import('../../functions/inventory/domain/fund.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');

const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Funds = { buckets: { code: string; budgetCny: number; allocatedCny: number; remainingCny: number }[] };
const bucket = async (year: number, code: string) =>
  (await call<Funds>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(year) } }))).body.buckets.find((b) => b.code === code)!;
const version = async () => (await call<{ version: number }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.version;
const publish = async (budgetCny: number, code = 'relic_survey') =>
  call(putConfig, apiEvent('PUT /config/{name}', {
    as: users.opsEngineer,
    params: { name: 'funds' },
    body: { doc: { ...DEFAULT_FUNDS_CONFIG, buckets: DEFAULT_FUNDS_CONFIG.buckets.map((b) => (b.code === code ? { ...b, budgetCny } : b)) }, note: '预算调整' },
    headers: { 'if-match': `"${await version()}"` },
  }));
const allocateFrom = (projectId: string, amountCny: number, year: number, code = 'relic_survey') =>
  call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: projectId }, body: { bucket: code, amountCny, purpose: '文物勘探', year } }));
const newProject = async () => {
  const reply = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id;
};

/** Runs `meanwhile` once, just before the first transaction whose items mention `marker` is sent (then sends it). */
const before = (marker: string, meanwhile: () => Promise<unknown>) => beforeTransaction(ddb, marker, meanwhile);

describe('a year\'s first draw and a publication of new budgets at the same moment', () => {
  it('an allocation decided on the old budget and committed after the new one is published is decided again on the new one', async () => {
    const year = thisYear + 1;
    const prj = await newProject();
    let published: Awaited<ReturnType<typeof publish>> | undefined;
    // The allocation has read the configuration (5,000,000) and its year's buckets (none): ops lower the budget then.
    const remove = before(`FUND#${year}`, async () => (published = await publish(1_000_000)));
    try {
      const reply = await allocateFrom(prj, 3_000_000, year);
      expect(published?.status, published?.text).toBe(200);
      expectProblem(reply, 409, ['amountCny']);
    } finally {
      remove();
    }
    const b = await bucket(year, 'relic_survey');
    expect(b).toMatchObject({ budgetCny: 1_000_000, allocatedCny: 0 });
  });

  it('a publication that found no buckets stored, committed after a first draw stored them, is decided again on them', async () => {
    const year = thisYear;
    const prj = await newProject();
    let drawn: Awaited<ReturnType<typeof allocateFrom>> | undefined;
    // The publication has looked for the open years' stored buckets (none this year): the first draw commits then.
    const remove = before('CONFIG#funds', async () => (drawn = await allocateFrom(prj, 2_000_000, year, 'infrastructure')));
    let reply;
    try {
      reply = await publish(4_000_000, 'infrastructure');
    } finally {
      remove();
    }
    expect(drawn?.status, drawn?.text).toBe(201);
    expect(reply.status, reply.text).toBe(200);
    // The new budget applies to the bucket the draw stored: 2,000,000 allocated of 4,000,000, not of 5,000,000.
    expect(await bucket(year, 'infrastructure')).toMatchObject({ budgetCny: 4_000_000, allocatedCny: 2_000_000, remainingCny: 2_000_000 });
    expectProblem(await allocateFrom(prj, 2_000_001, year, 'infrastructure'), 409, ['amountCny']);
  });
});
