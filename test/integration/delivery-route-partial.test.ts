// POST /deliveries/route when a page fails part-way (DynamoDB throttled, a conflict past the retries): the work done
// before it is answered and on record, and the cursor resumes at the page that failed — nothing lost, nothing queued
// twice. The failure is injected into routing (the rest is the real handler on DynamoDB Local).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, users } from '../support/events.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';
import type * as Routing from '../../functions/notifications/routing.ts';

const store = isolatedStore('delivery-route-partial');
const dir = mkdtempSync(join(tmpdir(), 'zf-delivery-route-partial-'));
Object.assign(process.env, { ZONEFLOW_SECRETS_DIR: join(dir, 'secrets'), MAIL_DIR: join(dir, 'mail') });
/** Calls of routeNotifications (pages; 1-based, counted from the last reset) to fail, once each. */
const failOn = new Set<number>();
let calls = 0;
/** Queuing transactions to let through before one fails (once), when set. */
let enqueuesLeft: number | undefined;
vi.mock('../../functions/notifications/routing.ts', async (original) => {
  const real = await original<typeof Routing>();
  return {
    ...real,
    routeNotifications: async (...args: Parameters<typeof real.routeNotifications>) => {
      calls += 1;
      if (failOn.delete(calls)) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
      const [ns, config, now, enqueue = real.enqueueOn, ...rest] = args;
      // A queuing transaction throttled part-way through a page (those before it done).
      const failing: typeof enqueue = async (...e) => {
        if (enqueuesLeft !== undefined && enqueuesLeft-- <= 0) {
          enqueuesLeft = undefined;
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
        }
        return enqueue(...e);
      };
      return real.routeNotifications(ns, config, now, failing, ...rest);
    },
  };
});
const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
const { handler: getChannels } = await import('../../functions/notifications/http/get-channels.ts');
const { handler: routeDeliveries } = await import('../../functions/notifications/http/route-deliveries.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { noticeOps } = await import('../../functions/notifications/notifier.ts');

beforeAll(async () => {
  await store.createTables();
  const current = await call<{ version: number }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
  const doc = { robots: [], email: [{ id: 'land-mail', to: ['land@zone.example.cn'], departments: ['resources_bureau'] }] };
  const published = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc, note: 'test' }, headers: { 'if-match': `"${current.body.version}"` } }));
  expect(published.status, published.text).toBe(200);
});
afterAll(() => store.destroy());
// A failure a case set up but no call reached (its call's work budget ran out first) is not left for the next case.
afterEach(() => {
  failOn.clear();
  enqueuesLeft = undefined;
});

type Routed = { examined: number; routed: number; queued: Record<string, number>; more: boolean; cursor: string | null; stopped?: string };
const route = (body: unknown) => call<Routed>(routeDeliveries, apiEvent('POST /deliveries/route', { as: users.opsEngineer, body }));
const sum = (replies: readonly Routed[], of: (r: Routed) => number) => replies.reduce((total, r) => total + of(r), 0);
/** The window's calls from `cursor` on, each answered 200, until one says it is done (a call stops after 200 notices or its 6 s of work). */
async function finish(window: { from: string; to: string }, cursor: string | null): Promise<Routed[]> {
  const replies: Routed[] = [];
  while (cursor !== null && replies.length < 20) {
    const next = await route({ ...window, cursor });
    expect(next.status, next.text).toBe(200);
    replies.push(next.body);
    cursor = next.body.cursor;
  }
  expect(replies.at(-1)).toMatchObject({ more: false, cursor: null });
  return replies;
}
const project = (n: number) => ({ id: `prj-${n}`, name: `项目${n}`, park: PARK_HUITONG, investor: { enterpriseId: 'ent-a' } });

describe('POST /deliveries/route, a page failing part-way', () => {
  it('answers what was done with the cursor at the failed page; the next call finishes; each notice queued once', async () => {
    const at = new Date(Date.now() + 1000);
    const notices: Notice[] = Array.from({ length: 20 }, (_, i) => ({ kind: 'task.overdue', project: project(i), to: 'resources_bureau', task: `任务${i}`, dueDate: '2026-11-30' }));
    await transact(noticeOps(notices, at));
    const window = { from: new Date(at.getTime() - 1000).toISOString(), to: new Date(at.getTime() + 1000).toISOString() };

    // The first page fails: nothing was done, so the call fails as it is, and nothing is on record.
    calls = 0;
    failOn.add(1);
    const failed = await route(window);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect((await store.audit('DELIVERIES')).filter((e) => e.action === 'deliveries.routed')).toEqual([]);

    // The second page (of 8) fails: the first page's 8 are answered and on record; more, with a cursor. (A call whose
    // 6 s of work ran out after its first page — a loaded machine — never reads the second: answered the same, but not
    // stopped on an error, and the page meant to fail is left unread.)
    calls = 0;
    failOn.add(2);
    const part = await route(window);
    expect(part.status, part.text).toBe(200);
    expect(part.body).toMatchObject({ examined: 8, routed: 8, queued: { 'land-mail': 8 }, more: true });
    expect(part.body.cursor).toEqual(expect.any(String));
    const stopped = failOn.has(2) ? undefined : 'error';
    expect(part.body.stopped).toBe(stopped);
    failOn.clear();
    const audit = (await store.audit('DELIVERIES')).filter((e) => e.action === 'deliveries.routed');
    expect(audit.at(-1)).toMatchObject({ after: { examined: 8, routed: 8, more: true, ...(stopped ? { stopped } : {}) } });

    // The rest (12) finished from that cursor: one call on a quiet machine, as many as its time allows on a loaded one.
    const rest = await finish(window, part.body.cursor);
    expect(sum(rest, (r) => r.examined)).toBe(12);
    expect(sum(rest, (r) => r.routed)).toBe(12);
    expect(sum(rest, (r) => r.queued['land-mail'] ?? 0)).toBe(12);
    for (const r of rest) expect(r.stopped).toBeUndefined();

    // Every notice queued on the list exactly once.
    const jobs = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_DELIVERY, KeyConditionExpression: 'channel = :c AND begins_with(sk, :j)', ExpressionAttributeValues: { ':c': 'land-mail', ':j': 'JOB#' } }))).Items ?? [];
    expect(jobs).toHaveLength(20);
  });

  it('counts what a page queued before it failed: the calls together tell every notice queued', async () => {
    const at = new Date(Date.now() + 5000);
    const notices: Notice[] = Array.from({ length: 12 }, (_, i) => ({ kind: 'task.overdue', project: project(100 + i), to: 'resources_bureau', task: `任务${100 + i}`, dueDate: '2026-11-30' }));
    await transact(noticeOps(notices, at));
    const window = { from: new Date(at.getTime() - 1000).toISOString(), to: new Date(at.getTime() + 1000).toISOString() };

    // The first page's 8 queued, then the second page's 3rd queuing throttled: its first 2 are queued and told — by
    // the first call on a quiet machine ({8 examined, 10 routed}), by the second when the first call's 6 s of work ran
    // out after one page ({8, 8}, then {0, 2}). The call after it reads that page again and counts only the rest.
    calls = 0;
    enqueuesLeft = 10;
    const first = await route(window);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ examined: 8, more: true });
    const replies = [first.body, ...(await finish(window, first.body.cursor))];
    const failed = replies.findIndex((r) => r.stopped === 'error');
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(replies.filter((r) => r.stopped === 'error')).toHaveLength(1);
    expect(replies[failed]).toMatchObject({ more: true, routed: replies[failed]!.examined + 2, queued: { 'land-mail': replies[failed]!.examined + 2 } });
    expect(replies[failed + 1]).toMatchObject({ examined: 4, routed: 2, queued: { 'land-mail': 2 } });
    expect(sum(replies, (r) => r.examined)).toBe(12);
    expect(sum(replies, (r) => r.routed)).toBe(12);
    expect(sum(replies, (r) => r.queued['land-mail'] ?? 0)).toBe(12);
    const jobs = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_DELIVERY, KeyConditionExpression: 'channel = :c AND begins_with(sk, :j)', ExpressionAttributeValues: { ':c': 'land-mail', ':j': 'JOB#' } }))).Items ?? [];
    expect(jobs).toHaveLength(32);
  });

  it('counts a notice routed once a window when its page failed between its channels: the call after queues the rest, not counted again', async () => {
    // A second list for the same department: each notice goes on two channels, side by side.
    const current = await call<{ version: number; doc: { email: unknown[] } }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    const doc = { ...current.body.doc, email: [...current.body.doc.email, { id: 'land-mail2', to: ['land2@zone.example.cn'], departments: ['resources_bureau'] }] };
    const published = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc, note: 'two lists' }, headers: { 'if-match': `"${current.body.version}"` } }));
    expect(published.status, published.text).toBe(200);
    const at = new Date(Date.now() + 10_000);
    const notices: Notice[] = Array.from({ length: 3 }, (_, i) => ({ kind: 'task.overdue', project: project(200 + i), to: 'resources_bureau', task: `任务${200 + i}`, dueDate: '2026-11-30' }));
    await transact(noticeOps(notices, at));
    const window = { from: new Date(at.getTime() - 1000).toISOString(), to: new Date(at.getTime() + 1000).toISOString() };

    // The 4th queuing is throttled: the first notice is on both lists, each of the others on one list at least.
    calls = 0;
    enqueuesLeft = 3;
    const part = await route(window);
    expect(part.status, part.text).toBe(200);
    expect(part.body).toMatchObject({ examined: 0, routed: 3, more: true, stopped: 'error' });
    // The call after reads the page again (a call whose time ran out after it answers more, and one more call ends it).
    const rest = await finish(window, part.body.cursor);
    // Queued on the list that missed them, but routed in the call before: the window's routed is its 3 notices.
    expect(rest[0]).toMatchObject({ examined: 3, routed: 0 });
    expect([sum(rest, (r) => r.examined), sum(rest, (r) => r.routed)]).toEqual([3, 0]);
    const on = (channel: string) => (part.body.queued[channel] ?? 0) + sum(rest, (r) => r.queued[channel] ?? 0);
    expect([on('land-mail'), on('land-mail2')]).toEqual([3, 3]);
    expect(Object.values(rest[0]!.queued).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
