// Notification channels under stress (from an outside review): a slow platform, a restart with notices not yet routed,
// a notice routed to more channels than one transaction holds, a document read and sent back, a lost publish race.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../local/lifecycle-harness.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, users } from '../support/events.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';

const store = isolatedStore('channels-hardening');
const dir = mkdtempSync(join(tmpdir(), 'zf-hardening-'));
Object.assign(process.env, { ZONEFLOW_SECRETS_DIR: join(dir, 'secrets'), MAIL_DIR: join(dir, 'mail'), ROBOT_HOSTS_ALLOWED: '127.0.0.1,localhost', ZONEFLOW_ROBOT_TIMEOUT_MS: '1500' });

const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
const { handler: getChannels } = await import('../../functions/notifications/http/get-channels.ts');
const { handler: listDeliveries } = await import('../../functions/notifications/http/list-deliveries.ts');
const { handler: routeNotifications } = await import('../../functions/notifications/stream/route-notifications.ts');
const { drainChannel, DEFAULT_DEPS } = await import('../../functions/notifications/dispatch.ts');
const { getChannels: readChannels } = await import('../../functions/notifications/store/channels.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { noticeOps } = await import('../../functions/notifications/notifier.ts');

type View = { version: number; doc: { robots: Record<string, unknown>[]; email: Record<string, unknown>[] } };
const business = { now: new Date() };
const testDeps = { ...DEFAULT_DEPS, clock: { now: () => new Date(business.now) } };

/** A robot that takes every message (errcode 0) but answers after `delayMs`: a slow platform. */
async function slowRobot(delayMs: number): Promise<{ url: string; got: string[]; server: Server; answer: { delayMs: number } }> {
  const got: string[] = [];
  const answer = { delayMs };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      got.push(String(req.headers['x-zoneflow-notification']));
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      }, answer.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server, answer };
}

async function publish(doc: unknown) {
  const current = await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
  return call<View>(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc }, headers: { 'if-match': `"${current.body.version}"` } }));
}
const overdue = (task: string, n: number): Notice => ({ kind: 'task.overdue', project: { id: `prj-ht-${n}`, name: `项目${n}`, park: PARK_HUITONG, investor: { enterpriseId: 'ent-a' } }, to: 'resources_bureau', task, dueDate: '2026-11-30' }) as Notice;
const jobs = async () => ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_DELIVERY, ConsistentRead: true }))).Items ?? []).filter((i) => String(i.sk).startsWith('JOB#'));

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

describe('delivery', () => {
  it('a robot that answers slowly gets each notice once: within the timeout as usual, after it as unconfirmed, never again', async () => {
    const slow = await slowRobot(800);
    const silent = await slowRobot(3_000);
    try {
      expect((await publish({ robots: [
        { id: 'slow', platform: 'wecom', url: `${slow.url}/wecom?key=k`, departments: ['resources_bureau'] },
        { id: 'silent', platform: 'wecom', url: `${silent.url}/wecom?key=k`, departments: ['resources_bureau'] },
      ] })).status).toBe(200);
      const config = (await readChannels()).doc;
      await transact(noticeOps([overdue('慢机器人', 1)], new Date()));
      const { routeNotification } = await import('../../functions/notifications/routing.ts');
      const item = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [])[0]!;
      expect(await routeNotification(item as never, config, new Date())).toEqual(['slow', 'silent']);
      business.now = new Date();
      for (let i = 0; i < 3; i++) {
        await Promise.all(['slow', 'silent'].map((c) => drainChannel(c, config, 10_000, testDeps)));
        business.now = new Date(business.now.getTime() + 15 * 60_000);
      }
      expect(slow.got).toHaveLength(1);
      expect(silent.got).toHaveLength(1);
      const stored = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items![0]!.delivery as Record<string, Record<string, unknown>>;
      expect(stored.slow).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(stored.slow).not.toHaveProperty('unconfirmed');
      expect(stored.silent).toMatchObject({ status: 'delivered', attempts: 1, unconfirmed: true, lastError: expect.stringContaining('not sent again') });
      // Neither failed nor pending: GET /deliveries says which channel sent without an answer, and what (a webhook that
      // hangs swallowed every notice, and ops saw nothing in the list).
      type Listed = { channels: { id: string; lastUnconfirmed: { notification: string; at: string; laterAnsweredAt: string | null } | null }[] };
      const listed = await call<Listed>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(listed.status).toBe(200);
      const channel = (id: string) => listed.body.channels.find((c) => c.id === id)!;
      expect(channel('silent').lastUnconfirmed).toEqual({ notification: String(item.id), at: stored.silent!.at, laterAnsweredAt: null });
      expect(channel('slow').lastUnconfirmed).toBeNull();

      // The robot is fixed: the next notice is answered. The unconfirmed one stays named (the group may still lack it),
      // marked with when the channel was answered again — not shown as if the channel still swallowed.
      silent.answer.delayMs = 0;
      await transact(noticeOps([overdue('修好的机器人', 2)], new Date()));
      const second = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).find((i) => i.id !== item.id)!;
      expect(await routeNotification(second as never, config, new Date())).toEqual(['slow', 'silent']);
      await drainChannel('silent', config, 10_000, testDeps);
      expect(silent.got).toHaveLength(2);
      const answered = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).find((i) => i.id === second.id)!.delivery as Record<string, Record<string, unknown>>;
      expect(answered.silent).toMatchObject({ status: 'delivered' });
      expect(answered.silent).not.toHaveProperty('unconfirmed');
      const after = await call<Listed>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(after.body.channels.find((c) => c.id === 'silent')!.lastUnconfirmed).toEqual({ notification: String(item.id), at: stored.silent!.at, laterAnsweredAt: answered.silent!.at });
    } finally {
      for (const r of [slow, silent]) {
        r.server.closeAllConnections();
        r.server.close();
      }
    }
  }, 60_000);

  it('routes a notice to 60 channels (more than one transaction holds): each one queued', async () => {
    const email = Array.from({ length: 60 }, (_, i) => ({ id: `eco-${i}`, to: [`eco${i}@zone.example.cn`], departments: ['eco_bureau'] }));
    expect((await publish({ email })).status).toBe(200);
    const config = (await readChannels()).doc;
    await transact(noticeOps([{ kind: 'letter.issued', project: { id: 'prj-eco', name: '生态项目', park: PARK_HUITONG, investor: { enterpriseId: 'ent-a' } }, inbox: 'DEPT#eco_bureau', number: '函1', subject: '请回复', replyBy: null } as Notice], new Date()));
    const item = ((await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? []).find((i) => i.recipient === 'DEPT#eco_bureau')!;
    const { routeNotification } = await import('../../functions/notifications/routing.ts');
    expect(await routeNotification(item as never, config, new Date())).toHaveLength(60);
    expect(await routeNotification(item as never, config, new Date())).toEqual([]); // delivered again: nothing queued twice
    const stored = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items!.find((i) => i.recipient === 'DEPT#eco_bureau')!;
    expect(Object.keys(stored.delivery as object)).toHaveLength(61);
  });

  it('npm start after a crash routes the notifications the inbox stream still holds (passing over is for workflow signals)', async () => {
    expect((await publish({ email: [{ id: 'land-mail', to: ['land@zone.example.cn'], departments: ['resources_bureau'] }] })).status).toBe(200);
    const before = (await jobs()).length;
    await transact(noticeOps([overdue('崩溃前的通知', 2)], new Date()));
    // As local/start.ts restarts: every stream consumer, told to pass over what the streams hold.
    const { startStreamConsumers } = await import('../../local/stream-poller.ts');
    const routed: unknown[] = [];
    const pollers = await startStreamConsumers(
      process.env.DYNAMODB_ENDPOINT!,
      async (fn, event) => (fn === 'route-notifications' ? (routed.push(event), routeNotifications(event)) : { batchItemFailures: [] }),
      () => undefined,
      { skipExisting: true },
    );
    try {
      for (let i = 0; i < 100 && routed.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const mails = () => (existsSync(join(dir, 'mail')) ? readdirSync(join(dir, 'mail')).length : 0);
      await until(async () => ((await jobs()).length > before || mails() > 0 ? true : undefined), 20_000);
    } finally {
      for (const p of pollers) p.stop();
    }
  }, 60_000);
});

describe('PUT /config/channels', () => {
  it('what GET returns can be sent back with If-Match (read, edit, write)', async () => {
    expect((await publish({ robots: [{ id: 'rt', platform: 'dingtalk', url: 'http://127.0.0.1:9/dingtalk?access_token=x', departments: ['ops'] }], email: [{ id: 'm', to: ['a@b.cn'], departments: ['ops'] }] })).status).toBe(200);
    const got = await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    const again = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc: got.body.doc }, headers: { 'if-match': `"${got.body.version}"` } }));
    expect(again.status, again.text).toBe(200);
  });

  it('names the zone’s parks only (config/parks): a misspelt one is a 400 on its path, nothing published', async () => {
    const before = (await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }))).body.version;
    const refused = await publish({ email: [{ id: 'm-ht', to: ['a@b.cn'], departments: ['park_center'], parks: [PARK_HUITONG, '汇通园'] }] });
    expectProblem(refused, 400, ['doc.email[0].parks[1]']);
    expect((await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }))).body.version).toBe(before);
    expect((await publish({ email: [{ id: 'm-ht', to: ['a@b.cn'], departments: ['park_center'], parks: [PARK_HUITONG] }] })).status).toBe(200);
  });

  it('a publish that loses the If-Match race leaves no credential behind', async () => {
    const list = () => { try { return readdirSync(join(dir, 'secrets', 'channels', 'race')); } catch { return []; } };
    const current = await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    const put = (k: number) => call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc: { robots: [{ id: 'race', platform: 'dingtalk', url: `http://127.0.0.1:9/dingtalk?access_token=race${k}`, departments: ['ops'] }] } }, headers: { 'if-match': `"${current.body.version}"` } }));
    const results = await Promise.all([1, 2, 3, 4].map(put));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(list()).toHaveLength(1);
  });
});
