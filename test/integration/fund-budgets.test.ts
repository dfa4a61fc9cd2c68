// A new budget for the pre-work fund 经费预算调整 (PUT /config/funds) applies to the years still open — the buckets a
// year has drawn on as well as those it has not — in the publication's transaction: a budget below what a year has
// allocated from its bucket is a 409 naming that budget, nothing published; a closed year keeps its accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('fund-budgets');
const { handler: putConfig } = await import('../../functions/reference/http/put-config.ts');
const { handler: getConfig } = await import('../../functions/reference/http/get-config.ts');
const { handler: getFunds } = await import('../../functions/inventory/http/get-funds.ts');
const { handler: allocate } = await import('../../functions/inventory/http/allocate-fund.ts');
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { seedConfig } = await import('../support/config.ts');
const { DEFAULT_FUNDS_CONFIG } = await import('../../functions/inventory/domain/fund.ts');
const { drawBucket, storedBuckets } = await import('../../functions/inventory/store/buckets.ts');
const { yearBuckets } = await import('../../functions/inventory/domain/fund.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { shanghaiDate } = await import('../../functions/kernel/domain/dates.ts');
const { forgetReferenceData, putConfigVersion } = await import('../../functions/reference/store/reference.ts');

const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
afterAll(() => store.destroy());

type Funds = { year: number; open: boolean; buckets: { code: string; budgetCny: number; allocatedCny: number; remainingCny: number; name: string }[] };
const funds = async (year: number) => (await call<Funds>(getFunds, apiEvent('GET /funds/{year}', { as: users.opsEngineer, params: { year: String(year) } }))).body;
const bucket = async (year: number, code: string) => (await funds(year)).buckets.find((b) => b.code === code)!;
const version = async () => (await call<{ version: number }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.version;
const publish = async (doc: unknown) =>
  call<{ version: number; warnings?: string[] }>(putConfig, apiEvent('PUT /config/{name}', { as: users.opsEngineer, params: { name: 'funds' }, body: { doc, note: '预算调整' }, headers: { 'if-match': `"${await version()}"` } }));
const budgets = (clearance: number, infrastructure = 5_000_000) => ({
  ...DEFAULT_FUNDS_CONFIG,
  buckets: DEFAULT_FUNDS_CONFIG.buckets.map((b) => (b.code === 'clearance' ? { ...b, budgetCny: clearance } : b.code === 'infrastructure' ? { ...b, budgetCny: infrastructure } : b)),
});

describe('a new fund budget', () => {
  it('applies to the open years drawn on already and not yet; a lower budget still covering what is allocated is taken', async () => {
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    expect(prj.status, prj.text).toBe(201);
    // This year and next are drawn on (its buckets stored with the budgets of the day); the year after is not open.
    for (const year of [thisYear, thisYear + 1]) {
      const a = await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 6_000_000, purpose: '进地清单作业', year } }));
      expect(a.status, a.text).toBe(201);
    }
    // A budget year closed before today, its accounts stored: they stay as they were.
    const past = yearBuckets(thisYear - 1, [], DEFAULT_FUNDS_CONFIG);
    await transact(drawBucket(past[0]!, 1_000_000, { stored: [], all: past, at: new Date(), configVersion: await version() }));

    const raised = await publish(budgets(12_000_000, 3_000_000));
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body.warnings).toEqual([
      `${thisYear} clearance: budget 10000000 → 12000000 CNY (6000000 allocated)`,
      `${thisYear} infrastructure: budget 5000000 → 3000000 CNY (0 allocated)`,
      `${thisYear + 1} clearance: budget 10000000 → 12000000 CNY (6000000 allocated)`,
      `${thisYear + 1} infrastructure: budget 5000000 → 3000000 CNY (0 allocated)`,
    ]);
    for (const year of [thisYear, thisYear + 1]) {
      expect(await bucket(year, 'clearance')).toMatchObject({ budgetCny: 12_000_000, allocatedCny: 6_000_000, remainingCny: 6_000_000 });
      expect(await bucket(year, 'infrastructure')).toMatchObject({ budgetCny: 3_000_000, remainingCny: 3_000_000 });
    }
    expect(await bucket(thisYear - 1, 'clearance')).toMatchObject({ budgetCny: 10_000_000, allocatedCny: 1_000_000 });
    // The room it made is there to allocate; one yuan past it is not.
    const more = await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 6_000_000, purpose: '追加', year: thisYear } }));
    expect(more.status, more.text).toBe(201);
    expectProblem(await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'clearance', amountCny: 1, purpose: '再追加', year: thisYear } })), 409, ['amountCny']);
    // On the audit log, a year at a time, before and after.
    const events = await store.audit(`FUND#${thisYear + 1}`);
    expect(events).toEqual([expect.objectContaining({ action: 'fund.budget_changed', before: { budgetCny: { clearance: 10_000_000, infrastructure: 5_000_000 } }, after: { budgetCny: { clearance: 12_000_000, infrastructure: 3_000_000 } } })]);
  });

  it('a year not open shows its own accounts only: none for a closed year nobody drew on, nor for one not open yet — not the budget in force', async () => {
    type Totals = Funds & { totals: { budgetCny: number; allocatedCny: number; spentCny: number; remainingCny: number } };
    const zero = { budgetCny: 0, allocatedCny: 0, spentCny: 0, remainingCny: 0 };
    for (const year of [thisYear - 2, 2004, thisYear + 2]) expect(await funds(year)).toMatchObject({ year, open: false, buckets: [], totals: zero });
    // A closed year drawn on keeps the accounts it was drawn with (the test before: 1,000,000 from clearance).
    const past = (await funds(thisYear - 1)) as Totals;
    expect(past.buckets.map((b) => [b.code, b.budgetCny, b.allocatedCny])).toEqual([['clearance', 10_000_000, 1_000_000], ['infrastructure', 5_000_000, 0], ['relic_survey', 5_000_000, 0]]);
    expect(past.totals).toMatchObject({ budgetCny: 20_000_000, allocatedCny: 1_000_000 });
    // An open year not drawn on yet shows the budgets in force, as an allocation would store them.
    expect((await funds(thisYear + 1)).buckets.map((b) => b.code)).toEqual(['clearance', 'infrastructure', 'relic_survey']);
  });

  it('below what a year has allocated is refused on that budget, and nothing is published or changed', async () => {
    const before = await version();
    const snapshot = await store.snapshot();
    // This year has 12,000,000 allocated from clearance (the test before).
    const refused = expectProblem(await publish(budgets(11_999_999)), 409, ['doc.buckets[0].budgetCny']);
    expect(refused.detail).toContain(`${thisYear} has 12000000 CNY allocated from clearance`);
    expect(await version()).toBe(before);
    expect(await store.snapshot()).toEqual(snapshot);
    expect(await bucket(thisYear, 'clearance')).toMatchObject({ budgetCny: 12_000_000, remainingCny: 0 });
  });

  it('a bucket renamed is renamed in the open years it was drawn on; one the document leaves out keeps its accounts', async () => {
    const renamed = { ...budgets(12_000_000, 3_000_000), buckets: [{ code: 'clearance', name: { zh: '进地清单（调整）', en: 'Clearance list' }, budgetCny: 12_000_000 }] };
    const reply = await publish(renamed);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.warnings ?? []).toEqual([]);
    expect((await bucket(thisYear, 'clearance')).name).toBe('进地清单（调整）');
    // Left out with nothing allocated from it: its account is kept as stored, and not shown as money to allocate (an
    // open year shows a bucket no longer listed only while its allocations hold money: retired).
    expect((await storedBuckets(thisYear)).find((b) => b.code === 'infrastructure')).toMatchObject({ budgetCny: 3_000_000, allocatedCny: 0 });
    expect((await funds(thisYear)).buckets.map((b) => b.code)).toEqual(['clearance']);
  });

  it('a bucket the document leaves out takes no new allocation in any open year, though its accounts are kept (409 on bucket)', async () => {
    // Left out by the test before: this year's and next year's infrastructure accounts are stored, still with budget.
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    expect(prj.status, prj.text).toBe(201);
    const snapshot = await store.snapshot();
    for (const year of [thisYear, thisYear + 1]) {
      const refused = expectProblem(
        await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'infrastructure', amountCny: 1_000, purpose: '专项基础设施', year } })),
        409,
        ['bucket'],
      );
      expect(refused.detail).toContain('config/funds');
    }
    expect(await store.snapshot()).toEqual(snapshot);
    expect((await storedBuckets(thisYear)).find((b) => b.code === 'infrastructure')).toMatchObject({ budgetCny: 3_000_000, allocatedCny: 0 });
  });
});

describe('a warm function that kept config/funds (REFERENCE_CACHE_SECONDS)', () => {
  it('refuses a bucket another function dropped a moment ago (409 on bucket, nothing written), and still allocates from one listed (201)', async () => {
    process.env.REFERENCE_CACHE_SECONDS = '60';
    forgetReferenceData();
    try {
      const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
      const draw = (bucket: string, purpose: string) =>
        call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket, amountCny: 1_000, purpose, year: thisYear + 2 } }));
      // What the tests before left in force (clearance only), with relic_survey back and a year further open.
      const inForce = (await call<{ doc: typeof DEFAULT_FUNDS_CONFIG }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.doc;
      const doc = { ...inForce, yearsAhead: 3, buckets: [...inForce.buckets, DEFAULT_FUNDS_CONFIG.buckets.find((b) => b.code === 'relic_survey')!] };
      const open = await publish(doc);
      expect(open.status, open.text).toBe(200);
      // The year drawn on (its buckets stored) and config/funds kept by this function.
      expect((await draw('relic_survey', '文物勘探')).status).toBe(201);
      // Another function publishes a document without relic_survey: nothing kept here is forgotten.
      const current = await version();
      await transact([putConfigVersion({ name: 'funds', version: current + 1, doc: { ...doc, buckets: doc.buckets.filter((b) => b.code !== 'relic_survey') }, publishedAt: new Date().toISOString(), publishedBy: users.opsEngineer.sub })]);
      const snapshot = await store.snapshot();
      const refused = expectProblem(await draw('relic_survey', '文物勘探（追加）'), 409, ['bucket']);
      expect(refused.detail).toContain('config/funds');
      expect(await store.snapshot()).toEqual(snapshot);
      expect(await bucket(thisYear + 2, 'relic_survey')).toMatchObject({ allocatedCny: 1_000 });
      const listed = await draw('clearance', '进地清单作业');
      expect(listed.status, listed.text).toBe(201);
    } finally {
      delete process.env.REFERENCE_CACHE_SECONDS;
      forgetReferenceData();
    }
  });

  it('takes an allocation from a bucket another function added a moment ago (201), not refused on the copy it kept', async () => {
    process.env.REFERENCE_CACHE_SECONDS = '60';
    forgetReferenceData();
    try {
      const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
      const year = thisYear + 3;
      const draw = (bucket: string, purpose: string) =>
        call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket, amountCny: 1_000, purpose, year } }));
      const inForce = (await call<{ doc: typeof DEFAULT_FUNDS_CONFIG }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.doc;
      const doc = { ...inForce, yearsAhead: 4, buckets: inForce.buckets.filter((b) => b.code !== 'relic_survey') };
      expect((await publish(doc)).status).toBe(200);
      // The year drawn on twice: its buckets stored, and config/funds kept by this function (the second draw).
      expect((await draw('clearance', '进地清单作业')).status).toBe(201);
      expect((await draw('clearance', '进地清单作业（二）')).status).toBe(201);
      // Another function publishes relic_survey back: nothing kept here is forgotten.
      await transact([putConfigVersion({ name: 'funds', version: (await version()) + 1, doc: { ...doc, buckets: [...doc.buckets, DEFAULT_FUNDS_CONFIG.buckets.find((b) => b.code === 'relic_survey')!] }, publishedAt: new Date().toISOString(), publishedBy: users.opsEngineer.sub })]);
      // Its first draw reads the configuration afresh and stores the bucket; the next is decided on the version in force too.
      const first = await draw('relic_survey', '文物勘探');
      expect(first.status, first.text).toBe(201);
      const second = await draw('relic_survey', '文物勘探（追加）');
      expect(second.status, second.text).toBe(201);
      expect(await bucket(year, 'relic_survey')).toMatchObject({ allocatedCny: 2_000 });
    } finally {
      delete process.env.REFERENCE_CACHE_SECONDS;
      forgetReferenceData();
    }
  });
});

describe('a publication that would change more budgets than one transaction writes', () => {
  it('is a 409 naming doc.buckets (too_big), nothing published', async () => {
    // 20 buckets, five years open, each year drawn on once: its first draw stores all 20 — 100 stored budgets.
    const inForce = (await call<{ doc: typeof DEFAULT_FUNDS_CONFIG }>(getConfig, apiEvent('GET /config/{name}', { as: users.opsEngineer, params: { name: 'funds' } }))).body.doc;
    const extra = Array.from({ length: 20 - inForce.buckets.length }, (_, i) => ({ code: `extra_${i + 1}`, name: { zh: `专项${i + 1}`, en: `Extra ${i + 1}` }, budgetCny: 1_000_000 }));
    const doc = { ...inForce, yearsAhead: 4, buckets: [...inForce.buckets, ...extra] };
    const opened = await publish(doc);
    expect(opened.status, opened.text).toBe(200);
    const prj = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody() }));
    for (let year = thisYear; year <= thisYear + 4; year++) {
      const drawn = await call(allocate, apiEvent('POST /projects/{id}/fund-allocations', { as: users.committeeLeader, params: { id: prj.body.id }, body: { bucket: 'extra_1', amountCny: 1_000, purpose: '专项作业', year } }));
      expect(drawn.status, drawn.text).toBe(201);
    }
    const before = await version();
    const snapshot = await store.snapshot();
    // Every budget raised at once: 100 stored budgets, five audit events, the stamp — more than one transaction takes.
    const refused = expectProblem(await publish({ ...doc, buckets: doc.buckets.map((b) => ({ ...b, budgetCny: b.budgetCny + 1 })) }), 409, ['doc.buckets']);
    expect(refused.errors![0]).toMatchObject({ code: 'too_big' });
    expect(refused.detail).toContain('publish them in steps');
    expect(await version()).toBe(before);
    expect(await store.snapshot()).toEqual(snapshot);
  });
});
