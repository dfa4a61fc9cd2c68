// POST /deliveries/route on DynamoDB Local: notices the inbox stream could not route (its consumer failed until the
// record was given up — on AWS, parked in the route-notifications failure queue) reach their groups and lists once ops
// route their window again; any number of calls, any overlap with what was routed, sends each notice once per channel.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, type Receiver } from '../../local/receiver.ts';
import { StreamPoller } from '../../local/stream-poller.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, users } from '../support/events.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';

const store = isolatedStore('delivery-route');
const dir = mkdtempSync(join(tmpdir(), 'zf-delivery-route-'));
Object.assign(process.env, { ZONEFLOW_SECRETS_DIR: join(dir, 'secrets'), MAIL_DIR: join(dir, 'mail'), ROBOT_HOSTS_ALLOWED: '127.0.0.1,localhost' });

const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
const { handler: getChannels } = await import('../../functions/notifications/http/get-channels.ts');
const { handler: routeDeliveries } = await import('../../functions/notifications/http/route-deliveries.ts');
const { handler: routeNotifications } = await import('../../functions/notifications/stream/route-notifications.ts');
const { handler: sweep } = await import('../../functions/notifications/steps/deliver-notifications.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { noticeOps } = await import('../../functions/notifications/notifier.ts');

const SECRET = 'SECdemo-0123456789abcdef';
let land: Receiver;
let parks: Receiver;
let poller: StreamPoller;
/** The consumer fails while this is set, as when the channels document cannot be read: the stream gives the record up. */
let routingDown = true;

beforeAll(async () => {
  await store.createTables();
  [land, parks] = await Promise.all([startReceiver({ secret: SECRET }), startReceiver()]);
  const consumer = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    if (routingDown) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
    return routeNotifications(event);
  };
  poller = new StreamPoller({ endpoint: process.env.DYNAMODB_ENDPOINT!, tableName: store.tables.TABLE_INBOX!, handler: consumer, maxAttempts: 2, log: () => undefined });
  const current = await call<{ version: number }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
  const doc = {
    robots: [
      { id: 'land', platform: 'dingtalk', url: `${land.url}/dingtalk?access_token=tok-land`, secret: SECRET, departments: ['resources_bureau'], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } },
      // Every park's center (a robot not limited to parks): each park center's inbox is read.
      { id: 'centers', platform: 'wecom', url: `${parks.url}/wecom?key=tok-centers`, departments: ['park_center'], rateLimit: { messages: 100, seconds: 1 } },
    ],
    email: [],
    linkBase: 'https://zone.example.cn/console/projects/',
    retry: { baseSeconds: 30, maxSeconds: 600, giveUpHours: 24 },
  };
  const published = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc, note: 'test' }, headers: { 'if-match': `"${current.body.version}"` } }));
  expect(published.status, published.text).toBe(200);
});
afterAll(async () => {
  poller?.stop();
  expect(land.duplicates).toEqual([]);
  expect(parks.duplicates).toEqual([]);
  await Promise.all([land?.close(), parks?.close()]);
  store.destroy();
});

const project = (park: string, n: number) => ({ id: `prj-${n}`, name: `项目${n}`, park, investor: { enterpriseId: 'ent-a' } });
const overdue = (park: string, task: string, n: number): Notice => ({ kind: 'task.overdue', project: project(park, n), to: 'resources_bureau', task, dueDate: '2026-11-30' });
const centre = (park: string, task: string, n: number): Notice => ({ kind: 'task.overdue', project: project(park, n), to: 'park_center', task, dueDate: '2026-11-30' });

let ms = 0;
/** Writes notices as the product does and lets the inbox stream hand them to its (failing or working) consumer. */
async function notify(notices: Notice[]): Promise<Date> {
  ms += 1000;
  const at = new Date(Date.now() + ms);
  for (let i = 0; i < notices.length; i += 25) await transact(noticeOps(notices.slice(i, i + 25), at));
  const items = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
  await poller.drain(items.map((i) => ({ recipient: i.recipient, seq: i.seq })), 60_000);
  return at;
}

/** One notice dated now, as it is written (notify() dates its notices ahead of the clock), handed to the stream's consumer. */
async function write(notice: Notice): Promise<Date> {
  const at = new Date();
  await transact(noticeOps([notice], at));
  const items = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
  await poller.drain(items.map((i) => ({ recipient: i.recipient, seq: i.seq })), 60_000);
  return at;
}

type Routed = { from: string; to: string; examined: number; routed: number; queued: Record<string, number>; superseded: number; more: boolean; cursor: string | null };
const route = (body: unknown, as = users.opsEngineer) => call<Routed>(routeDeliveries, apiEvent('POST /deliveries/route', { as, body }));
/**
 * Routes a window to its end, call after call from `first` (the window's first call, made here when not given): each
 * call examines at most 200 notices — fewer when its 6 s of work run out first, as on a machine loaded by other work.
 */
async function routeThrough(window: Record<string, unknown>, first?: Routed): Promise<Routed[]> {
  const calls = [first ?? (await route(window)).body];
  while (calls.at(-1)!.more && calls.length < 20) calls.push((await route({ ...window, cursor: calls.at(-1)!.cursor })).body);
  for (const c of calls) expect(c.examined).toBeLessThanOrEqual(200);
  expect(calls.at(-1)).toMatchObject({ more: false, cursor: null });
  return calls;
}
const sum = (calls: readonly Routed[], count: (r: Routed) => number) => calls.reduce((n, r) => n + count(r), 0);
const titles = (r: Receiver) => r.received.map((m) => JSON.stringify(m.body)).map((b) => /红灯：(\S+?) ?已逾期/.exec(b)?.[1]).sort();

describe('POST /deliveries/route', () => {
  it('sends the notices routing gave up on, once, and a second call or an overlapping window sends nothing again', async () => {
    routingDown = true;
    const start = new Date(Date.now() + ms);
    const lost = await notify([overdue(PARK_HUITONG, '失联一', 1), centre(PARK_KECHUANG, '失联二', 2), { kind: 'letter.issued', project: project(PARK_HUITONG, 3), inbox: 'ENTERPRISE#ent-a', number: '晋综开函〔2026〕9号', subject: '催办', replyBy: null }]);
    await sweep({});
    expect(land.received).toEqual([]);
    expect(parks.received).toEqual([]);

    // Routing works again: a later notice flows; the lost ones do not come back by themselves.
    routingDown = false;
    const later = await notify([overdue(PARK_HUITONG, '之后', 4)]);
    await sweep({});
    expect(titles(land)).toEqual(['之后']);

    const window = { from: new Date(start.getTime() - 1000).toISOString(), to: new Date(later.getTime() + 1000).toISOString() };
    const first = await route(window);
    expect(first.status, first.text).toBe(200);
    // Three department notices read (the enterprise's inbox is never routed, never read); the one that went out is not queued again.
    expect(first.body).toMatchObject({ examined: 3, routed: 2, queued: { land: 1, centers: 1 }, superseded: 0, more: false, cursor: null });
    await sweep({});
    expect(titles(land)).toEqual(['之后', '失联一']);
    expect(parks.received).toHaveLength(1);
    expect(JSON.stringify(parks.received[0]!.body)).toContain('失联二');

    // Again, and a window around only part of it: nothing queued, nothing sent twice.
    expect((await route(window)).body).toMatchObject({ examined: 3, routed: 0, queued: {}, more: false });
    expect((await route({ from: lost.toISOString(), to: lost.toISOString() })).body).toMatchObject({ examined: 2, routed: 0, queued: {} });
    await sweep({});
    expect(land.received).toHaveLength(2);
    expect(parks.received).toHaveLength(1);
    // A window before any of it reads nothing.
    expect((await route({ from: new Date(start.getTime() - 20 * 86_400_000).toISOString(), to: new Date(start.getTime() - 19 * 86_400_000).toISOString() })).body).toMatchObject({ examined: 0, routed: 0, more: false });
    // On record: who routed which window, and what it queued.
    const audit = (await store.audit('DELIVERIES')).filter((e) => e.action === 'deliveries.routed');
    expect(audit[0]).toMatchObject({ actor: users.opsEngineer.sub, after: { examined: 3, routed: 2, queued: { land: 1, centers: 1 } } });
  });

  it('works a long window in calls of 200, the cursor carrying on across inboxes; each notice queued once', async () => {
    const start = new Date(Date.now() + ms);
    const lost: Notice[] = [];
    for (let n = 0; n < 150; n++) lost.push(overdue(PARK_HUITONG, `批量${n}`, 100 + n));
    for (let n = 0; n < 70; n++) lost.push(centre(PARK_HUITONG, `园区${n}`, 300 + n));
    // Written, never handed to routing (as if every record had been given up; the poller's retries take 30 s for 220).
    ms += 1000;
    const end = new Date(Date.now() + ms);
    for (let i = 0; i < lost.length; i += 25) await transact(noticeOps(lost.slice(i, i + 25), end));
    const window = { from: start.toISOString(), to: end.toISOString() };
    const first = await route(window);
    expect(first.body).toMatchObject({ more: true });
    expect(first.body.cursor).toEqual(expect.any(String));
    // A cursor belongs to its window and its caller.
    expectProblem(await route({ ...window, to: new Date(end.getTime() + 1).toISOString(), cursor: first.body.cursor }), 400, ['cursor']);
    expectProblem(await route({ ...window, cursor: 'c1AAAA' }), 400, ['cursor']);
    // 220 notices: two calls on a quiet machine (200, then 20), more when a call's time runs out first.
    const calls = await routeThrough(window, first.body);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(sum(calls, (r) => r.examined)).toBe(220);
    expect(sum(calls, (r) => (r.queued.land ?? 0) + (r.queued.centers ?? 0))).toBe(220);
    expect(sum(calls, (r) => r.queued.centers ?? 0)).toBe(70);
    const jobs = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_DELIVERY!, ConsistentRead: true }))).Items ?? []).filter((i) => String(i.sk).startsWith('JOB#'));
    expect(jobs).toHaveLength(220);
    // A fresh pass over the whole window: each already has its channel's status, nothing queued.
    const again = await routeThrough(window);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(sum(again, (r) => r.examined)).toBe(220);
    expect(sum(again, (r) => r.routed)).toBe(0);
  });

  it('continues a window that ends now (no `to`) with its cursor: the window is the first call’s, not a later now', async () => {
    // The console sends no `to` when its 至 field is left empty; every call after the first carries the cursor.
    // Written now (after the channel was published), never handed to routing.
    const at = new Date(Date.now() - 1);
    const lost: Notice[] = [];
    for (let n = 0; n < 210; n++) lost.push(overdue(PARK_HUITONG, `至今${n}`, 500 + n));
    for (let i = 0; i < lost.length; i += 25) await transact(noticeOps(lost.slice(i, i + 25), at));
    const from = new Date(at.getTime() - 1).toISOString();
    const first = await route({ from });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ from, more: true });
    expect(first.body.examined).toBeLessThanOrEqual(200);
    // Business time has moved on since the first call: the cursor still continues its window, whose end it keeps.
    // (The window holds the other tests' notices that are not after now as well: call until it is done.)
    let last = first.body;
    for (let call = 0; call < 20 && last.more; call++) {
      const next = await route({ from, cursor: last.cursor });
      expect(next.status, next.text).toBe(200);
      expect(next.body).toMatchObject({ from, to: first.body.to });
      last = next.body;
    }
    expect(last).toMatchObject({ more: false, cursor: null });
    const mine = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).filter((i) => String(i.title).includes('至今'));
    expect(mine).toHaveLength(210);
    expect(mine.filter((i) => (i.delivery as Record<string, unknown>).land === undefined)).toEqual([]);
    // A cursor of a window that ends now is not one of an explicit window, and the other way round.
    expectProblem(await route({ from, to: first.body.to, cursor: first.body.cursor }), 400, ['cursor']);
  });

  it('sends one event told to two departments one group serves once, as long as a window can reach it', async () => {
    routingDown = false;
    const gates = await startReceiver({ secret: SECRET });
    try {
      const current = await call<{ version: number; doc: { robots: unknown[] } }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
      const robot = { id: 'gates', platform: 'dingtalk', url: `${gates.url}/dingtalk?access_token=tok-gates`, secret: SECRET, departments: ['committee_leader', 'resources_bureau'], kinds: ['gate.*'], rateLimit: { messages: 100, seconds: 1 } };
      const doc = { ...current.body.doc, robots: [...current.body.doc.robots, robot] };
      const published = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc, note: 'gates' }, headers: { 'if-match': `"${current.body.version}"` } }));
      expect(published.status, published.text).toBe(200);
      const gate = (to: 'committee_leader' | 'resources_bureau'): Notice => ({ kind: 'gate.open', project: project(PARK_HUITONG, 900), to, gate: '落地转段', stage: 'SIGNING', dueDate: '2026-12-20' });
      const at = await notify([gate('committee_leader'), gate('resources_bureau')]);
      await sweep({});
      expect(gates.received).toHaveLength(1);
      // The second copy was kept from the group by the message's marker only (its inbox shows no status for the
      // group): the marker must outlive every window the route takes, or routing that window again posts it twice.
      const markers = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_DELIVERY!, ConsistentRead: true }))).Items ?? []).filter((i) => i.channel === 'gates' && String(i.sk).startsWith('MSG#'));
      expect(markers).toHaveLength(1);
      expect(Number(markers[0]!.expiresAt) * 1000).toBeGreaterThan(at.getTime() + 32 * 86_400_000);
      // So a window is refused that starts before the markers of the notices it would read may have gone.
      const old = new Date(Date.now() - 32 * 86_400_000);
      expectProblem(await route({ from: old.toISOString(), to: new Date(old.getTime() + 86_400_000).toISOString() }), 400, ['from']);
      // Within reach, routing the window again posts nothing twice.
      expect((await route({ from: new Date(at.getTime() - 1).toISOString(), to: at.toISOString() })).body).toMatchObject({ examined: 2, routed: 0, queued: {} });
      await sweep({});
      expect(gates.received).toHaveLength(1);
      expect(gates.duplicates).toEqual([]);
    } finally {
      await gates.close();
    }
  });

  it('continues a window only while the markers of its oldest notices surely live: a window resumed later is refused on its cursor', async () => {
    const { clock } = await import('../../functions/kernel/runtime/clock.ts');
    const { ROUTE_REACH_DAYS, ROUTE_RESUME_DAYS } = await import('../../functions/notifications/domain/channels.ts');
    // 201 notices at one instant, never handed to routing: the window takes two calls at least (a call examines 200 at
    // most, fewer when its 6 s of work run out first on a loaded machine).
    const at = new Date(Date.now() - 3);
    const lost: Notice[] = [];
    for (let n = 0; n < 201; n++) lost.push(overdue(PARK_HUITONG, `久置${n}`, 1000 + n));
    for (let i = 0; i < lost.length; i += 25) await transact(noticeOps(lost.slice(i, i + 25), at));
    const window = { from: new Date(at.getTime() - 1).toISOString(), to: at.toISOString() };
    const first = await route(window);
    expect(first.body).toMatchObject({ more: true });
    const firstly = first.body.examined;
    expect(firstly).toBeGreaterThan(0);
    expect(firstly).toBeLessThanOrEqual(200);
    expect(first.body).toMatchObject({ routed: firstly, queued: { land: firstly } });
    // The markers the first call wrote (one a message: each notice here is its own event) outlive the last moment the
    // window may be continued.
    const scan = async () => (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_DELIVERY!, ConsistentRead: true }))).Items ?? [];
    const mine = (items: Record<string, unknown>[], prefix: string) => items.filter((i) => i.channel === 'land' && String(i.sk).startsWith(prefix) && String(i.sk).includes(at.toISOString()));
    const markers = mine(await scan(), 'MSG#');
    expect(markers).toHaveLength(firstly);
    for (const m of markers) expect(Number(m.expiresAt) * 1000).toBeGreaterThan(Date.parse(window.from) + ROUTE_RESUME_DAYS * 86_400_000);
    // Resumed 39½ days on (its oldest markers may be gone by then, and a second department's copy of an event would be
    // posted again): refused on the cursor, saying what to do; nothing queued.
    const later = (days: number) => vi.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + days * 86_400_000));
    let moved = later(ROUTE_RESUME_DAYS + 0.5);
    try {
      const refused = expectProblem(await route({ ...window, cursor: first.body.cursor }), 400, ['cursor']);
      expect(refused.errors![0]!.code).toBe('out_of_range');
      expect(refused.detail).toContain(`Route a new window starting at most ${ROUTE_REACH_DAYS} days ago`);
    } finally {
      moved.mockRestore();
    }
    expect(mine(await scan(), 'JOB#')).toHaveLength(firstly);
    // A day sooner (past the first call's reach, within the markers' life) the window still finishes: the rest, each
    // queued once (one call on a quiet machine; as many as its time allows on a loaded one).
    moved = later(ROUTE_RESUME_DAYS - 1);
    try {
      const rest = [];
      for (let cursor = first.body.cursor; cursor !== null && rest.length < 20; ) {
        const next = await route({ ...window, cursor });
        expect(next.status, next.text).toBe(200);
        rest.push(next.body);
        cursor = next.body.cursor;
      }
      expect(rest.at(-1)).toMatchObject({ more: false, cursor: null });
      expect(sum(rest, (r) => r.examined)).toBe(201 - firstly);
      expect(sum(rest, (r) => r.routed)).toBe(201 - firstly);
      expect(sum(rest, (r) => r.queued.land ?? 0)).toBe(201 - firstly);
    } finally {
      moved.mockRestore();
    }
    expect(mine(await scan(), 'JOB#')).toHaveLength(201);
    // Their stream records handed over now, each queued already (nothing more), not left for a later test's drain.
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    await poller.drain(inbox.filter((i) => i.createdAt === at.toISOString()).map((i) => ({ recipient: i.recipient, seq: i.seq })), 60_000);
    expect(mine(await scan(), 'JOB#')).toHaveLength(201);
  });

  it('leaves a daily digest of an earlier day alone (superseded): the next morning tells what is still open', async () => {
    const yesterday = new Date(Date.now() - 86_400_000);
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX!, Item: { recipient: 'DEPT#resources_bureau', seq: `${yesterday.toISOString()}#digest-day`, id: 'digest-day', kind: 'digest.daily', title: '每日督办', body: 'b', createdAt: yesterday.toISOString(), delivery: {}, read: false } }));
    const r = await route({ from: new Date(yesterday.getTime() - 1).toISOString(), to: new Date(yesterday.getTime() + 1).toISOString() });
    expect(r.body).toMatchObject({ examined: 1, routed: 0, queued: {}, superseded: 1 });
  });

  it('refuses what cannot be a window, naming the field; ops only', async () => {
    expectProblem(await route({}), 400, ['from']);
    expectProblem(await route({ from: '2026-12-05' }), 400, ['from']);
    expectProblem(await route({ from: '2026-12-05T08:00:00' }), 400, ['from']);
    expectProblem(await route({ from: '2026-02-30T08:00:00Z' }), 400, ['from']);
    expectProblem(await route({ from: '1999-12-05T08:00:00Z' }), 400, ['from']);
    expectProblem(await route({ from: '2026-12-05T08:00:00Z', to: '2026-12-04T08:00:00Z' }), 400, ['to']);
    // No `to`: the window ends now, and a start after now is the fault of the field sent.
    expectProblem(await route({ from: new Date(Date.now() + 3_600_000).toISOString() }), 400, ['from']);
    expectProblem(await route({ from: '2026-10-01T00:00:00Z', to: '2026-12-05T00:00:00Z' }), 400, ['from']);
    expectProblem(await route({ from: '2026-12-05T08:00:00Z', channel: 'land' }), 400);
    expectProblem(await route({ from: '2026-12-05T08:00:00Z' }, users.resourcesOfficer as never), 403);
  });
});

describe('POST /deliveries/route after a park left the list', () => {
  it('reads the center inbox of a park the zone no longer lists: routing carried its notices, so the route does too', async () => {
    const { getConfig, putConfigVersion, forgetConfig } = await import('../../functions/reference/store/reference.ts');
    routingDown = true;
    const at = await notify([centre(PARK_KECHUANG, '园区已撤', 950)]);
    await sweep({});
    const before = parks.received.length;
    // The park leaves the list (once nothing live names it) before ops route the window again.
    const current = await getConfig('parks', 'fresh');
    const doc = { ...current.doc, parks: current.doc.parks.filter((p) => p.name !== PARK_KECHUANG) };
    await transact([putConfigVersion({ ...current, version: current.version + 1, doc, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
    forgetConfig('parks');
    try {
      const r = await route({ from: new Date(at.getTime() - 1).toISOString(), to: at.toISOString() });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ examined: 1, routed: 1, queued: { centers: 1 } });
      await sweep({});
      expect(parks.received.length).toBe(before + 1);
      expect(JSON.stringify(parks.received.at(-1)!.body)).toContain('园区已撤');
    } finally {
      await transact([putConfigVersion({ ...current, version: current.version + 2, publishedAt: new Date().toISOString(), publishedBy: 'test' })]);
      forgetConfig('parks');
      routingDown = false;
    }
  });
});

describe('POST /deliveries/route after a department was added to a channel', () => {
  it('carries the added department from when it was added: its older notices in the window stay off the group, a later one goes', async () => {
    const leader = (task: string, n: number): Notice => ({ kind: 'task.overdue', project: project(PARK_HUITONG, n), to: 'committee_leader', task, dueDate: '2026-11-30' });
    // Told to the committee leaders (after the robot was first published, routed while no channel of theirs took it).
    routingDown = false;
    const before = await write(leader('加入之前', 960));
    // Ops add the committee leaders to the land robot.
    const current = await call<{ version: number; doc: { robots: { id: string; departments: string[] }[] } }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    const doc = { ...current.body.doc, robots: current.body.doc.robots.map((r) => (r.id === 'land' ? { ...r, departments: ['resources_bureau', 'committee_leader'] } : r)) };
    const published = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc, note: 'leaders too' }, headers: { 'if-match': `"${current.body.version}"` } }));
    expect(published.status, published.text).toBe(200);
    expect(published.text).not.toContain('departmentsSince');
    // A later notice to them, lost by routing: the route of the window carries it, and only it.
    routingDown = true;
    const after = await write(leader('加入之后', 961));
    try {
      const r = await route({ from: new Date(before.getTime() - 1).toISOString(), to: new Date(after.getTime() + 1).toISOString() });
      expect(r.status, r.text).toBe(200);
      await sweep({});
      expect(titles(land)).toContain('加入之后');
      expect(titles(land)).not.toContain('加入之前');
      const mine = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).filter((i) => i.recipient === 'DEPT#committee_leader' && String(i.title).includes('加入'));
      expect(mine.map((i) => [String(i.title).includes('之前'), (i.delivery as Record<string, unknown>).land !== undefined]).sort()).toEqual([[false, true], [true, false]]);
    } finally {
      routingDown = false;
    }
  });
});

describe('POST /deliveries/route after a channel’s parks or kinds were widened', () => {
  it('carries a notice only if the channel as it stood when the notice was created took it too: older notices of a park or kind added later stay off the group', async () => {
    routingDown = false;
    const wide = await startReceiver();
    try {
      const yellow = (park: string, task: string, n: number): Notice => ({ kind: 'task.yellow', project: project(park, n), to: 'park_center', task, dueDate: '2026-12-20' });
      type Doc = { robots: { id: string; parks?: string[]; kinds?: string[] }[] };
      const publish = async (change: (doc: Doc) => Doc, note: string) => {
        const current = await call<{ version: number; doc: Doc }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
        const published = await call<{ publishedAt: string }>(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc: change(current.body.doc), note }, headers: { 'if-match': `"${current.body.version}"` } }));
        expect(published.status, published.text).toBe(200);
        return published;
      };
      // A robot for one park's center, red lights only.
      const robot = { id: 'huitong-red', platform: 'wecom', url: `${wide.url}/wecom?key=tok-huitong-red`, departments: ['park_center'], parks: [PARK_HUITONG], kinds: ['task.overdue'], rateLimit: { messages: 100, seconds: 1 } };
      await publish((doc) => ({ ...doc, robots: [...doc.robots, robot] }), 'huitong red');
      // Told while it stood so: another park's red light and its own park's yellow are not its group's; its own red is.
      const start = await write(centre(PARK_KECHUANG, '拓宽前别园', 970));
      await write(yellow(PARK_HUITONG, '拓宽前黄灯', 971));
      await write(centre(PARK_HUITONG, '拓宽前本园', 972));
      // Ops widen it to every park and every task notice; then a later notice is lost by routing.
      const widened = await publish((doc) => ({ ...doc, robots: doc.robots.map((r) => (r.id === 'huitong-red' ? { ...r, parks: [], kinds: ['task.*'] } : r)) }), 'every park, every task');
      expect(widened.text).not.toContain('earlierAudiences');
      // The document read and sent back unchanged: nothing more to keep.
      await publish((doc) => doc, 'unchanged');
      routingDown = true;
      const end = await write(yellow(PARK_KECHUANG, '拓宽后黄灯', 973));
      const r = await route({ from: new Date(start.getTime() - 1).toISOString(), to: new Date(end.getTime() + 1).toISOString() });
      expect(r.status, r.text).toBe(200);
      await sweep({});
      const mine = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).filter((i) => String(i.title).includes('拓宽'));
      const carried = (i: Record<string, unknown>) => (i.delivery as Record<string, unknown>)['huitong-red'] !== undefined;
      expect(Object.fromEntries(mine.map((i) => [/拓宽[前后]\p{Script=Han}{2}/u.exec(String(i.title))![0], carried(i)]))).toEqual({ 拓宽前别园: false, 拓宽前黄灯: false, 拓宽前本园: true, 拓宽后黄灯: true });
      expect(wide.received).toHaveLength(2);
      expect(wide.duplicates).toEqual([]);
      // Kept: the audience it replaced and until when (once: the unchanged publication kept nothing more).
      const { getChannels: storedChannels } = await import('../../functions/notifications/store/channels.ts');
      expect((await storedChannels()).doc.robots.find((r) => r.id === 'huitong-red')?.earlierAudiences).toEqual([{ until: widened.body.publishedAt, parks: [PARK_HUITONG], kinds: ['task.overdue'] }]);
    } finally {
      routingDown = false;
      await wide.close();
    }
  });
});
