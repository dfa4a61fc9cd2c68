// What a page of a project's reservations or fund allocations costs: released ones pile up over a project's life, and a
// page of N reads about N of them whatever the history — paged oldest first as before, the cursor opaque, the end null.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users, type User } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

const store = isolatedStore('holdings-list-cost');
registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: listReservations } = await import('../../functions/inventory/http/list-reservations.ts');
const { handler: listAllocations } = await import('../../functions/inventory/http/list-allocations.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { newId } = await import('../../functions/kernel/runtime/ids.ts');
const { seedConfig } = await import('../support/config.ts');

/** Items DynamoDB read for the handlers (a query's ScannedCount, a get's or batch get's items), by a middleware on the shared client. */
let itemsRead = 0;
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    const out = await next(args);
    const o = out.output as { ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> };
    if (context.commandName === 'QueryCommand') itemsRead += o.ScannedCount ?? 0;
    if (context.commandName === 'GetCommand' && o.Item) itemsRead += 1;
    if (context.commandName === 'BatchGetCommand') itemsRead += Object.values(o.Responses ?? {}).reduce((n, r) => n + r.length, 0);
    return out;
  },
  { step: 'initialize', name: 'countItemsRead' },
);

const HISTORY = 150;
let projectId = '';
const reservationIds: string[] = [];
const allocationIds: string[] = [];

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
  const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ siteMode: 'land' }) }));
  expect(created.status, created.text).toBe(201);
  projectId = created.body.id;
  // A long life: many reservations and allocations released, a few still held, one a millisecond apart, some in the same one.
  const t0 = Date.parse('2026-03-02T01:00:00Z');
  for (let i = 0; i < HISTORY; i++) {
    const at = new Date(t0 + Math.floor(i / 3) * 60_000);
    const released = i < HISTORY - 3;
    const rid = newId('rsv', at);
    const aid = newId('fal', at);
    const pk = `PROJECT#${projectId}`;
    const by = users.resourcesOfficer.sub;
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: {
      pk, sk: `RESERVATION#${rid}`, entity: 'reservation', id: rid, projectId, kind: 'energy', resourceId: 'nrg-x', resourceLabel: '2026 能耗', amount: 10 + i, unit: 'tce',
      status: released ? 'released' : 'reserved', createdAt: at.toISOString(), createdBy: by, links: [],
      ...(released ? { released: { at: at.toISOString(), by, reason: '调整' } } : {}),
    } }));
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: {
      pk, sk: `FUNDALLOC#${aid}`, entity: 'fund-allocation', id: aid, projectId, year: 2026, bucket: 'relic_survey', amountCny: 1000 + i, spentCny: 0, purpose: '文物勘探',
      status: released ? 'released' : 'allocated', spending: [], createdAt: at.toISOString(), createdBy: by,
      ...(released ? { released: { at: at.toISOString(), by, reason: '调整', returnedCny: 1000 + i } } : {}),
    } }));
    reservationIds.push(rid);
    allocationIds.push(aid);
  }
}, 120_000);
afterAll(() => store.destroy());

const oldestFirst = (ids: string[], createdAt: (id: string) => number) => [...ids].sort((a, b) => createdAt(a) - createdAt(b) || (a < b ? -1 : 1));

describe.each([
  ['GET /projects/{id}/reservations' as const, () => listReservations, () => reservationIds],
  ['GET /projects/{id}/fund-allocations' as const, () => listAllocations, () => allocationIds],
])('%s', (route, handler, ids) => {
  const page = (query: Record<string, string>, as: User = users.committeeLeader) => call<{ items: { id: string; createdAt: string }[]; nextCursor: string | null }>(handler(), apiEvent(route, { as, params: { id: projectId }, query }));

  it(`reads about the page, not the ${HISTORY} records of the project's history`, async () => {
    itemsRead = 0;
    const first = await page({ limit: '5' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items).toHaveLength(5);
    const firstRead = itemsRead;
    itemsRead = 0;
    const next = await page({ limit: '5', cursor: first.body.nextCursor! });
    expect(next.body.items).toHaveLength(5);
    // The project (one item), the page and one more to know whether the list goes on.
    expect(firstRead).toBeLessThanOrEqual(5 + 2);
    expect(itemsRead).toBeLessThanOrEqual(5 + 2);
  });

  it('pages the whole list oldest first, each record once, the last page with nextCursor null', async () => {
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 100; n++) {
      const reply = await page({ limit: '7', ...(cursor ? { cursor } : {}) });
      expect(reply.status, reply.text).toBe(200);
      seen.push(...reply.body.items);
      if (reply.body.nextCursor === null) break;
      expect(reply.body.items).toHaveLength(7);
      cursor = reply.body.nextCursor;
    }
    const at = new Map(seen.map((s) => [s.id, Date.parse(s.createdAt)]));
    expect(seen.map((s) => s.id)).toEqual(oldestFirst(ids(), (id) => at.get(id)!));
    // Exactly a page's worth at the end: no empty page after it.
    const whole = await page({ limit: String(HISTORY > 100 ? 100 : HISTORY) });
    const rest = await page({ limit: '100', cursor: whole.body.nextCursor! });
    expect(rest.body.items).toHaveLength(HISTORY - 100);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("a cursor is the caller's and this list's: another's, or a mangled one, is a 400 on cursor", async () => {
    const first = await page({ limit: '2' });
    expectProblem(await page({ limit: '2', cursor: first.body.nextCursor! }, users.resourcesOfficer), 400);
    expectProblem(await page({ limit: '2', cursor: `${first.body.nextCursor!.slice(0, -2)}xx` }), 400);
  });
});
