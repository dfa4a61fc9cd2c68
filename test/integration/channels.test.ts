// Notification channels end to end on DynamoDB Local: PUT /config/channels (credentials to the secret store, never
// returned or stored in DynamoDB), routing from the inbox stream, and delivery to real HTTP receivers (local/receiver.ts)
// that check signatures and fail on purpose — exactly once, in order per group, at most the rate, never dropped.
// Business time is a test clock handed to the dispatcher; everything else is the product's code.
import { mkdtempSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../local/receiver.ts';
import { StreamPoller } from '../../local/stream-poller.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, users } from '../support/events.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';

const store = isolatedStore('channels');
const dir = mkdtempSync(join(tmpdir(), 'zf-channels-'));
Object.assign(process.env, { ZONEFLOW_SECRETS_DIR: join(dir, 'secrets'), MAIL_DIR: join(dir, 'mail'), ROBOT_HOSTS_ALLOWED: '127.0.0.1,localhost' });

const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
const { handler: getChannels } = await import('../../functions/notifications/http/get-channels.ts');
const { handler: listDeliveries } = await import('../../functions/notifications/http/list-deliveries.ts');
const { handler: retryDeliveries } = await import('../../functions/notifications/http/retry-deliveries.ts');
const { handler: myNotifications } = await import('../../functions/notifications/http/my-notifications.ts');
const { handler: routeNotifications } = await import('../../functions/notifications/stream/route-notifications.ts');
const { handler: sweep } = await import('../../functions/notifications/steps/deliver-notifications.ts');
const { drainChannel, DEFAULT_DEPS } = await import('../../functions/notifications/dispatch.ts');
const { acquireLease, releaseLease } = await import('../../functions/notifications/store/deliveries.ts');
const { freeChannelLeases } = await import('../../local/resume.ts');
const { getChannels: readChannels } = await import('../../functions/notifications/store/channels.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { noticeOps } = await import('../../functions/notifications/notifier.ts');

const SECRET = 'SECdemo-0123456789abcdef';
let dingtalk: Receiver;
let feishu: Receiver;
let wecom: Receiver;
let inboxPoller: StreamPoller;

/**
 * The clocks the test moves: the business clock the deliveries record, and the dispatcher's retry clock — real time
 * plus what the test skipped — on which backoff and patience run (a platform is down for real minutes).
 */
const business = { now: new Date(), skippedMs: 0 };
const testDeps = { ...DEFAULT_DEPS, clock: { now: () => new Date(business.now) }, retryClock: () => Date.now() + business.skippedMs };
const advance = (minutes: number) => {
  business.now = new Date(business.now.getTime() + minutes * 60_000);
  business.skippedMs += minutes * 60_000;
};

beforeAll(async () => {
  await store.createTables();
  [dingtalk, feishu, wecom] = await Promise.all([receiverFor({ secret: SECRET }), receiverFor({ secret: SECRET }), receiverFor()]);
  inboxPoller = new StreamPoller({ endpoint: process.env.DYNAMODB_ENDPOINT!, tableName: store.tables.TABLE_INBOX!, handler: routeNotifications, log: () => undefined });
});
// Every robot receiver of the tests: the product sends each notice once a group, so none may have dropped a duplicate
// (the local receiver answers a notice delivered again ok and keeps it apart, in `duplicates`).
const receivers: Receiver[] = [];
async function receiverFor(options?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(options);
  receivers.push(r);
  return r;
}
afterEach(() => {
  for (const r of receivers) expect(r.duplicates, r.url).toEqual([]);
});
afterAll(async () => {
  inboxPoller?.stop();
  await Promise.all([dingtalk?.close(), feishu?.close(), wecom?.close()]);
  store.destroy();
});

type View = { version: number; doc: { robots: Record<string, unknown>[]; email: Record<string, unknown>[] } };

async function publish(doc: unknown, as = users.opsEngineer) {
  const current = await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
  return call<View>(putChannels, apiEvent('PUT /config/channels', { as, body: { doc, note: 'test' }, headers: { 'if-match': `"${current.body.version}"` } }));
}

const project = (park: string, n = 1) => ({ id: `prj-${park === PARK_HUITONG ? 'ht' : 'kc'}-${n}`, name: `项目${n}`, park, investor: { enterpriseId: 'ent-a' } });
const overdue = (to: 'resources_bureau' | 'investment_dept', park: string, task: string, n = 1): Notice => ({ kind: 'task.overdue', project: project(park, n), to, task, dueDate: '2026-11-30' });

let minute = 0;
/** Writes notices as the product does (noticeOps in a transaction) and hands the inbox stream to route-notifications. */
async function notify(...notices: Notice[]) {
  minute += 1;
  // Dated now (after the channels were published: a channel carries only the notices created since).
  await transact(noticeOps(notices, new Date(Date.now() + minute)));
  const items = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
  await inboxPoller.drain(items.map((i) => ({ recipient: i.recipient, seq: i.seq })));
}

const robot = (id: string, platform: string, url: string, extra: Record<string, unknown> = {}) => ({ id, platform, url, departments: ['resources_bureau'], ...extra });

describe('PUT /config/channels', () => {
  it('the local receiver drops a notice delivered again to the same robot (at least once: a crash between ok and commit)', async () => {
    const r = await startReceiver();
    try {
      const post = (path: string, id: string) => fetch(`${r.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zoneflow-notification': id }, body: JSON.stringify({ msgtype: 'text', text: { content: id } }) });
      for (const [path, id] of [['/wecom?key=a', 'n1'], ['/wecom?key=a', 'n1'], ['/wecom?key=b', 'n1'], ['/wecom?key=a', 'n2']] as const) expect((await post(path, id)).status).toBe(200);
      expect(r.received.map((m) => m.notification)).toEqual(['n1', 'n1', 'n2']);
      expect(r.duplicates.map((d) => d.notification)).toEqual(['n1']);
    } finally {
      await r.close();
    }
  });

  it('refuses what cannot work, naming the field', async () => {
    expectProblem(await publish({ robots: [robot('a', 'dingtalk', 'https://evil.example.com/robot/send?access_token=x')] }), 400, ['doc.robots[0].url']);
    expectProblem(await publish({ robots: [robot('a', 'dingtalk', 'ftp://127.0.0.1/x')] }), 400, ['doc.robots[0].url']);
    expectProblem(await publish({ robots: [{ id: 'a', platform: 'dingtalk', departments: ['resources_bureau'] }] }), 400, ['doc.robots[0].url']);
    expectProblem(await publish({ robots: [{ id: 'a', platform: 'dingtalk', secret: 'x', departments: ['resources_bureau'] }] }), 400, ['doc.robots[0].url', 'doc.robots[0].url']);
    expectProblem(await publish({ robots: [robot('a', 'wecom', `${wecom.url}/wecom?key=k`, { secret: 's' })] }), 400, ['doc.robots[0].secret']);
    expectProblem(await publish({ robots: [robot('a', 'dingtalk', `${dingtalk.url}/dingtalk`, { departments: [] })] }), 400, ['doc.robots[0].departments']);
    expectProblem(await publish({ robots: [robot('a', 'dingtalk', `${dingtalk.url}/dingtalk`)], email: [{ id: 'a', to: ['x@zone.cn'], departments: ['ops'] }] }), 400, ['doc.email[0].id']);
    expectProblem(await publish({ email: [{ id: 'm', to: ['not-an-address'], departments: ['ops'] }] }), 400, ['doc.email[0].to[0]']);
    expectProblem(await publish({ robots: [robot('inApp', 'dingtalk', `${dingtalk.url}/dingtalk`)] }), 400);
    expectProblem(await publish({ robots: [] }, users.resourcesOfficer as never), 403);
    const noIfMatch = await call(putChannels, apiEvent('PUT /config/channels', { as: users.opsEngineer, body: { doc: { robots: [] } } }));
    expectProblem(noIfMatch, 428);
    expect((await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }))).body.version).toBe(0);
  });

  it('keeps webhook URLs and secrets in the secret store: never returned, never in DynamoDB', async () => {
    const reply = await publish({
      robots: [
        robot('land-ht', 'dingtalk', `${dingtalk.url}/dingtalk?access_token=tok-land`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } }),
        robot('invest', 'feishu', `${feishu.url}/feishu/hook-invest`, { secret: SECRET, departments: ['investment_dept'], format: 'markdown', rateLimit: { messages: 100, seconds: 1 } }),
        robot('land-all', 'wecom', `${wecom.url}/wecom?key=tok-wecom`, { kinds: ['letter.*'], rateLimit: { messages: 100, seconds: 1 } }),
      ],
      email: [{ id: 'land-mail', to: ['land@zone.example.cn'], departments: ['resources_bureau'], kinds: ['task.overdue'] }],
      linkBase: 'https://zone.example.cn/console/projects/',
      retry: { baseSeconds: 30, maxSeconds: 600, giveUpHours: 24 },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.text).not.toContain('tok-land');
    expect(reply.text).not.toContain(SECRET);
    expect(reply.body.doc.robots[0]).toMatchObject({ id: 'land-ht', platform: 'dingtalk', signed: true, urlHint: dingtalk.url });
    expect(reply.body.doc.robots[0]).not.toHaveProperty('credentials');

    const got = await call(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    expect(got.text).not.toContain('tok-land');
    expect(got.text).not.toContain(SECRET);
    for (const table of [store.tables.TABLE_REFERENCE, store.tables.TABLE_AUDIT]) {
      const text = JSON.stringify((await store.doc.send(new ScanCommand({ TableName: table }))).Items);
      expect(text).not.toContain('tok-land');
      expect(text).not.toContain(SECRET);
    }
    const files = readdirSync(join(dir, 'secrets', 'channels', 'land-ht'));
    expect(files).toHaveLength(1);
    const file = join(dir, 'secrets', 'channels', 'land-ht', files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: `${dingtalk.url}/dingtalk?access_token=tok-land`, secret: SECRET });
  });

  it('audits what a publication changed in the routing, before and after (never a credential): who a list served is on record', async () => {
    const before = await call<View & { doc: { robots: Record<string, unknown>[]; email: { departments: string[] }[] } }>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }));
    const doc = { ...before.body.doc, email: before.body.doc.email.map((e, i) => (i === 0 ? { ...e, departments: ['resources_bureau', 'supervision_office'] } : e)) };
    const reply = await publish(doc);
    expect(reply.status, reply.text).toBe(200);
    const event = (await store.audit('CONFIG#channels')).at(-1)!;
    expect(event).toMatchObject({
      action: 'config.published',
      before: { version: before.body.version, doc: { email: [expect.objectContaining({ id: 'land-mail', departments: ['resources_bureau'] })] } },
      after: { version: before.body.version + 1, changed: ['email'], doc: { email: [expect.objectContaining({ id: 'land-mail', departments: ['resources_bureau', 'supervision_office'] })] }, email: ['land-mail'], credentialsReplaced: 0 },
    });
    // The robots did not change: not carried twice. Nothing of a credential in the trail.
    expect(event.before).not.toHaveProperty('doc.robots');
    const text = JSON.stringify(await store.audit('CONFIG#channels'));
    for (const secret of ['tok-land', 'tok-wecom', 'hook-invest', SECRET]) expect(text).not.toContain(secret);
    expect(text).not.toContain('"credentials"');
  });

  it('lists every configured channel for ops, one that never queued a notice too: nothing waiting, nothing delivered', async () => {
    const config = (await call<View>(getChannels, apiEvent('GET /config/channels', { as: users.opsEngineer }))).body.doc;
    const quiet = robot('quiet-ch', 'dingtalk', `${dingtalk.url}/dingtalk?access_token=tok-quiet`, { secret: SECRET, departments: ['supervision_office'] });
    const reply = await publish({ ...config, robots: [...config.robots, quiet] });
    expect(reply.status, reply.text).toBe(200);
    type Ops = { channels: { id: string; configured: boolean; pending: number; lastDeliveredAt: string | null; failed: number; head: unknown }[] };
    const ops = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
    expect(ops.status, ops.text).toBe(200);
    for (const c of [...reply.body.doc.robots, ...reply.body.doc.email]) expect(ops.body.channels.find((x) => x.id === c.id), String(c.id)).toMatchObject({ configured: true });
    expect(ops.body.channels.find((c) => c.id === 'quiet-ch')).toEqual(expect.objectContaining({ configured: true, pending: 0, lastDeliveredAt: null, failed: 0, head: null }));
    // Listed once each, queued or not.
    expect(new Set(ops.body.channels.map((c) => c.id)).size).toBe(ops.body.channels.length);
  });

  it('lists the channels in id order, those that queued a notice and those only configured alike', async () => {
    // A channel that once queued notices (its state in the sweep's list), named after every configured one.
    const known = { channel: 'zz-once', sk: 'STATE' };
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_DELIVERY!, Item: { ...known, gsiChannels: 'ALL', sent: [] } }));
    try {
      const ops = await call<{ channels: { id: string; configured: boolean }[] }>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(ops.status, ops.text).toBe(200);
      const ids = ops.body.channels.map((c) => c.id);
      expect(ids).toContain('zz-once');
      expect(ids).toContain('quiet-ch');
      expect(ids).toEqual([...ids].sort());
    } finally {
      await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_DELIVERY!, Key: known }));
    }
  });
});

describe('routing and delivery', () => {
  it('sends a notice to the groups and lists of its department, park and kind — signed, in each platform\'s format', async () => {
    await notify(overdue('resources_bureau', PARK_HUITONG, '供地方案报批'), overdue('resources_bureau', PARK_KECHUANG, '科创城任务'), overdue('investment_dept', PARK_HUITONG, '招商任务'));

    // DingTalk: only the Huitong notice (parks), signed (the receiver checked the signature), markdown with the facts.
    expect(dingtalk.received.map((r) => r.text)).toHaveLength(1);
    const [msg] = dingtalk.received;
    expect(msg!.signed).toBe(true);
    expect(msg!.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '红灯：供地方案报批已逾期' } });
    expect(msg!.text).toContain('项目：项目1（汇通产业园）');
    expect(msg!.text).toContain('事项：供地方案报批');
    expect(msg!.text).toContain('期限：2026-11-30');
    expect(msg!.text).toContain('[查看详情](https://zone.example.cn/console/projects/prj-ht-1)');
    expect(dingtalk.refused).toEqual([]);
    // Feishu: the investment department's notice, as a signed card.
    expect(feishu.received).toHaveLength(1);
    expect(feishu.received[0]!.body).toMatchObject({ msg_type: 'interactive', card: { header: { title: { content: '红灯：招商任务已逾期' }, template: 'red' } } });
    expect(feishu.received[0]!.body).toHaveProperty('sign');
    // WeCom takes letters only: nothing.
    expect(wecom.received).toEqual([]);
    // E-mail: both resources-bureau notices (no park filter), as .eml files.
    const mails = readdirSync(join(dir, 'mail'));
    expect(mails).toHaveLength(2);
    const eml = readFileSync(join(dir, 'mail', mails[0]!), 'utf8');
    expect(eml).toMatch(/^To: land@zone\.example\.cn$/m);
    expect(Buffer.from(eml.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8')).toContain('事项：');

    // The inbox shows each channel's delivery.
    const inbox = await call<{ items: { title: string; delivery: Record<string, { status: string; attempts: number }> }[] }>(
      myNotifications,
      apiEvent('GET /me/notifications', { as: users.resourcesOfficer }),
    );
    const ht = inbox.body.items.find((n) => n.title.includes('供地方案报批'))!;
    expect(ht.delivery).toEqual({
      inApp: expect.objectContaining({ status: 'delivered', attempts: 1 }),
      'land-ht': expect.objectContaining({ status: 'delivered', attempts: 1 }),
      'land-mail': expect.objectContaining({ status: 'delivered', attempts: 1 }),
    });
    const kc = inbox.body.items.find((n) => n.title.includes('科创城任务'))!;
    expect(Object.keys(kc.delivery).sort()).toEqual(['inApp', 'land-mail']);
  });

  it('routes nothing for an enterprise or a personal inbox, and queues a redelivered stream record once', async () => {
    const before = dingtalk.received.length + feishu.received.length + wecom.received.length;
    await notify({ kind: 'letter.issued', project: project(PARK_HUITONG, 9), inbox: 'ENTERPRISE#ent-a', number: '晋综开函〔2026〕1号', subject: '催办', replyBy: null });
    expect(dingtalk.received.length + feishu.received.length + wecom.received.length).toBe(before);

    // The same stream record twice (at-least-once delivery): one job, one message.
    await notify({ kind: 'letter.issued', project: project(PARK_HUITONG, 9), inbox: 'DEPT#resources_bureau', number: '晋综开函〔2026〕2号', subject: '请回复', replyBy: '2026-12-10' });
    expect(wecom.received).toHaveLength(1);
    expect(wecom.received[0]!.body).toMatchObject({ msgtype: 'markdown' });
    const items = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    const letter = items.find((i) => String(i.title).includes('2号'))!;
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const record = { eventName: 'INSERT' as const, dynamodb: { NewImage: marshall(letter, { removeUndefinedValues: true }) as never, SequenceNumber: '1' } };
    expect(await routeNotifications({ Records: [record] })).toEqual({ batchItemFailures: [] });
    await sweep({});
    expect(wecom.received).toHaveLength(1);

    // One event told to two departments one group serves (a gate's approvers): one post to the group, not two.
    const both = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot('leaders-group', 'dingtalk', `${both.url}/dingtalk?access_token=tok-9`, { secret: SECRET, departments: ['committee_leader', 'resources_bureau'], kinds: ['gate.*'] })] });
      const gate = (to: 'committee_leader' | 'resources_bureau'): Notice => ({ kind: 'gate.open', project: project(PARK_HUITONG, 30), to, gate: '落地转段', stage: 'SIGNING', dueDate: '2026-12-20' });
      await notify(gate('committee_leader'), gate('resources_bureau'));
      await sweep({});
      expect(both.received).toHaveLength(1);
      expect((both.received[0]!.body.markdown as { title: string }).title).toBe('转段待审：落地转段');
    } finally {
      await both.close();
    }

    // A notice created before the channel was published (a stream read again after a restart): not carried.
    const old = { ...letter, createdAt: '2020-01-01T00:00:00.000Z', seq: `2020-01-01T00:00:00.000Z#${String(letter.id)}-old`, id: `${String(letter.id)}-old` };
    const oldRecord = { eventName: 'INSERT' as const, dynamodb: { NewImage: marshall(old, { removeUndefinedValues: true }) as never, SequenceNumber: '2' } };
    expect(await routeNotifications({ Records: [oldRecord] })).toEqual({ batchItemFailures: [] });
    await sweep({});
    expect(wecom.received).toHaveLength(1);
  });

  it('mails a person on several lists a notice once, by whichever list sends first — decided when it sends, so a list held back costs no one the mail', async () => {
    const config = (await readChannels()).doc;
    const published = await publish({
      ...docOf(config),
      robots: [],
      email: [
        { id: 'mail-a', to: ['land@zone.example.cn', 'Shared@Zone.example.cn'], departments: ['resources_bureau'], kinds: ['task.overdue'] },
        { id: 'mail-b', to: ['shared@zone.example.cn', 'other@zone.example.cn'], departments: ['resources_bureau'], kinds: ['task.overdue'] },
        { id: 'mail-c', to: ['LAND@zone.example.cn'], departments: ['resources_bureau'] },
      ],
    });
    expect(published.status, published.text).toBe(200);
    const mailsSince = (before: Set<string>) =>
      readdirSync(join(dir, 'mail'))
        .filter((f) => !before.has(f))
        .map((f) => /^To: (.*)$/m.exec(readFileSync(join(dir, 'mail', f), 'utf8'))![1]!.trim())
        .sort();
    try {
      const before = new Set(readdirSync(join(dir, 'mail')));
      // mail-a, the first list, is held by another dispatcher meanwhile: the others send without it.
      await acquireLease('mail-a', 'another-dispatcher', Date.now(), Date.now() + 60_000);
      await notify(overdue('resources_bureau', PARK_HUITONG, '几份名单上的事项', 40));
      await sweep({});
      expect(mailsSince(before)).toEqual(['LAND@zone.example.cn', 'shared@zone.example.cn, other@zone.example.cn']);
      // Its lease broken, mail-a has no one left to mail: nothing more is sent, and its delivery is done.
      await freeChannelLeases();
      await sweep({});
      expect(mailsSince(before)).toEqual(['LAND@zone.example.cn', 'shared@zone.example.cn, other@zone.example.cn']);
      const inbox = await call<{ items: { title: string; delivery: Record<string, { status: string }> }[] }>(myNotifications, apiEvent('GET /me/notifications', { as: users.resourcesOfficer }));
      const told = inbox.body.items.find((n) => n.title.includes('几份名单上的事项'))!;
      expect(Object.fromEntries(Object.entries(told.delivery).map(([k, v]) => [k, v.status]))).toEqual({ inApp: 'delivered', 'mail-a': 'delivered', 'mail-b': 'delivered', 'mail-c': 'delivered' });

      // One event told to two departments, each with its own list, a person on both: one mail.
      const twice = await publish({
        ...docOf(config),
        robots: [],
        email: [
          { id: 'mail-leaders', to: ['boss@zone.example.cn'], departments: ['committee_leader'], kinds: ['gate.*'] },
          { id: 'mail-land', to: ['BOSS@zone.example.cn', 'land@zone.example.cn'], departments: ['resources_bureau'], kinds: ['gate.*'] },
        ],
      });
      expect(twice.status, twice.text).toBe(200);
      const since = new Set(readdirSync(join(dir, 'mail')));
      const gate = (to: 'committee_leader' | 'resources_bureau'): Notice => ({ kind: 'gate.open', project: project(PARK_HUITONG, 41), to, gate: '落地转段', stage: 'SIGNING', dueDate: '2026-12-20' });
      await notify(gate('committee_leader'), gate('resources_bureau'));
      await sweep({});
      const sent = mailsSince(since).flatMap((to) => to.split(', ')).map((a) => a.toLowerCase()).sort();
      expect(sent).toEqual(['boss@zone.example.cn', 'land@zone.example.cn']);
    } finally {
      await freeChannelLeases();
      expect((await publish({ ...docOf(config), robots: [] })).status).toBe(200);
    }
  });
});

describe('delivery never loses or doubles a notice', () => {
  const channel = 'land-ht';

  it('a receiver that fails 3 times then takes it: delivered exactly once, after 4 attempts', async () => {
    const taken = dingtalk.received.length;
    const config = (await readChannels()).doc;
    const failing = await receiverFor({ secret: SECRET, failFirst: 3 });
    try {
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${failing.url}/dingtalk?access_token=tok-2`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      await notify(overdue('resources_bureau', PARK_HUITONG, '失败三次的任务', 2));
      expect(failing.refused).toHaveLength(1); // the stream consumer tried at once
      for (let i = 0; i < 20 && failing.received.length === 0; i++) {
        advance(15); // past any backoff (≤ 10 min)
        await drainChannel(channel, published, 10_000, testDeps);
      }
      expect(failing.refused).toHaveLength(3);
      expect(failing.received).toHaveLength(1);
      // More sweeps change nothing.
      advance(60);
      await drainChannel(channel, published, 10_000, testDeps);
      expect(failing.received).toHaveLength(1);
      expect(failing.received[0]!.text).toContain('失败三次的任务');
      const inbox = await call<{ items: { title: string; delivery: Record<string, { status: string; attempts: number; lastError?: string }> }[] }>(
        myNotifications,
        apiEvent('GET /me/notifications', { as: users.resourcesOfficer }),
      );
      expect(inbox.body.items.find((n) => n.title.includes('失败三次'))!.delivery[channel]).toMatchObject({ status: 'delivered', attempts: 4 });
      expect(dingtalk.received.length).toBe(taken);
    } finally {
      await failing.close();
    }
  });

  it('a receiver down for an hour of business time: every notice arrives after, once each, in order', async () => {
    const down = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${down.url}/dingtalk?access_token=tok-3`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      down.down = true;
      const tasks = ['一', '二', '三', '四', '五'].map((n) => `停机期间任务${n}`);
      for (const [i, task] of tasks.entries()) await notify(overdue('resources_bureau', PARK_HUITONG, task, 10 + i));
      // An hour of business time, swept every minute as the schedule does.
      for (let m = 0; m < 60; m++) {
        advance(1);
        await drainChannel(channel, published, 10_000, testDeps);
      }
      expect(down.received).toEqual([]);
      // Only the head of the queue is tried while it fails: the others wait their turn.
      expect(new Set(down.refused.map((r) => r.notification)).size).toBe(1);
      const pending = await call<{ channels: { id: string; pending: number; morePending: boolean; head: { attempts: number } | null }[] }>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(pending.body.channels.find((c) => c.id === channel)).toMatchObject({ pending: 5, morePending: false, head: { attempts: expect.any(Number) } });

      down.down = false;
      for (let m = 0; m < 20 && down.received.length < 5; m++) {
        advance(1);
        await drainChannel(channel, published, 10_000, testDeps);
      }
      expect(down.received.map((r) => r.body.markdown && (r.body.markdown as { title: string }).title)).toEqual(tasks.map((t) => `红灯：${t}已逾期`));
      expect(new Set(down.received.map((r) => r.notification)).size).toBe(5);
    } finally {
      await down.close();
    }
  });

  it('a rate limit queues, never drops: at most 2 a second, all 6 in order', async () => {
    const limited = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${limited.url}/dingtalk?access_token=tok-4`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 2, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      const tasks = [1, 2, 3, 4, 5, 6].map((n) => `限流任务${n}`);
      await notify(...tasks.map((t, i) => overdue('resources_bureau', PARK_HUITONG, t, 20 + i)));
      for (let i = 0; i < 20 && limited.received.length < 6; i++) await drainChannel(channel, published, 10_000, testDeps);
      expect(limited.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual(tasks.map((t) => `红灯：${t}已逾期`));
      const times = limited.received.map((r) => r.at);
      for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!, `sends ${i - 2} and ${i} within a second`).toBeGreaterThanOrEqual(990);
    } finally {
      await limited.close();
    }
  });

  it('a rate wait that wakes early waits on: one drain sends the whole backlog, not the next sweep', async () => {
    // Node's timers are not the wall clock: setTimeout(fn, ms) now and then fires at Date.now() + ms - 1 (about one in a
    // hundred, measured on Node 22). The dispatcher then found the rate not passed and left the backlog to the sweep,
    // a minute later (the local-stop-mail test, where no sweep runs, waited its 45 s for a second mail). Here each
    // wait wakes 20 ms early, so every one of them is cut short.
    const limited = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${limited.url}/dingtalk?access_token=tok-early`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 1, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      const tasks = [1, 2, 3].map((n) => `早醒任务${n}`);
      // Queued by routing while the test holds the channel (the stream consumer's own drain finds it busy).
      const held = Date.now();
      expect(await acquireLease(channel, 'test-holder', held, held + 60_000)).toBeDefined();
      try {
        await notify(...tasks.map((t, i) => overdue('resources_bureau', PARK_HUITONG, t, 40 + i)));
      } finally {
        await releaseLease(channel, 'test-holder');
      }
      expect(limited.received).toEqual([]);
      const early = { ...testDeps, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms - 20))) };
      const result = await drainChannel(channel, published, 10_000, early);
      expect(result).toMatchObject({ delivered: 3 });
      expect(limited.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual(tasks.map((t) => `红灯：${t}已逾期`));
      const times = limited.received.map((r) => r.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `sends ${i - 1} and ${i} within a second`).toBeGreaterThanOrEqual(990);
    } finally {
      await limited.close();
    }
  });

  it('two dispatchers on one channel at once send each notice once (the lease)', async () => {
    const shared = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${shared.url}/dingtalk?access_token=tok-5`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      shared.down = true;
      await notify(...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => overdue('resources_bureau', PARK_HUITONG, `并发任务${n}`, 40 + n)));
      shared.down = false;
      advance(15);
      const results = await Promise.all([1, 2, 3, 4].map(() => drainChannel(channel, published, 10_000, testDeps)));
      for (let i = 0; i < 10 && shared.received.length < 8; i++) await drainChannel(channel, published, 10_000, testDeps);
      expect(results.filter((r) => r.busy).length).toBeGreaterThanOrEqual(1);
      expect(shared.received).toHaveLength(8);
      expect(new Set(shared.received.map((r) => r.notification)).size).toBe(8);
    } finally {
      await shared.close();
    }
  });

  it('a dispatcher killed while it held the channel: ops see the lease, nothing goes until it ends — or until a new start frees it, then each notice once', async () => {
    const receiver = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${receiver.url}/dingtalk?access_token=tok-9`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      // The dead process's lease, as drainChannel takes it: its budget and a minute more, wall clock.
      const until = Date.now() + 110_000;
      expect(await acquireLease(channel, 'killed-process', Date.now(), until)).toBeDefined();
      await notify(...[1, 2, 3].map((n) => overdue('resources_bureau', PARK_HUITONG, `被占用通道任务${n}`, 60 + n)));
      expect(await drainChannel(channel, published, 10_000, testDeps)).toMatchObject({ busy: true });
      expect(receiver.received).toEqual([]);
      type Ops = { channels: { id: string; pending: number; leasedUntil: string | null; lastDeliveredAt: string | null }[] };
      const held = (await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }))).body.channels.find((c) => c.id === channel)!;
      expect(held).toMatchObject({ pending: 3, leasedUntil: new Date(until).toISOString() });

      // npm start: this process is the store's only dispatcher, so a lease left at start is a dead one's.
      expect(await freeChannelLeases()).toBe(1);
      expect(await freeChannelLeases()).toBe(0);
      for (let i = 0; i < 5 && receiver.received.length < 3; i++) await drainChannel(channel, published, 10_000, testDeps);
      expect(receiver.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual([1, 2, 3].map((n) => `红灯：被占用通道任务${n}已逾期`));
      const freed = (await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }))).body.channels.find((c) => c.id === channel)!;
      expect(freed).toMatchObject({ pending: 0, leasedUntil: null, lastDeliveredAt: expect.any(String) });
    } finally {
      await receiver.close();
    }
  });

  it('a robot down for seconds on a day-a-second clock gets its notice: retries wait and give up on wall time, not business time', async () => {
    const brief = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), retry: { baseSeconds: 30, maxSeconds: 300, giveUpHours: 24 }, robots: [robot(channel, 'dingtalk', `${brief.url}/dingtalk?access_token=tok-9`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      business.now = new Date();
      business.skippedMs = 0;
      brief.down = true;
      await notify(overdue('resources_bureau', PARK_HUITONG, '短暂停机的任务', 70));
      await drainChannel(channel, published, 10_000, testDeps);
      expect(brief.refused).toHaveLength(1);
      // Two business days pass in a blink (no wall time): no attempt, nothing failed — the old code tried again at
      // once and, past a day of business patience, failed the notice for good.
      for (let d = 0; d < 2; d++) {
        business.now = new Date(business.now.getTime() + 86_400_000);
        await drainChannel(channel, published, 10_000, testDeps);
      }
      expect(brief.refused).toHaveLength(1);
      type Ops = { channels: { id: string; head: { attempts: number; retryAt: string | null } | null }[]; failed: { items: { channel: string }[] } };
      const ops = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      const head = ops.body.channels.find((c) => c.id === channel)!.head!;
      expect(head.attempts).toBe(1);
      expect(Date.parse(head.retryAt!)).toBeGreaterThan(Date.now());
      expect(ops.body.failed.items.filter((f) => f.channel === channel)).toEqual([]);
      // The robot back, and its backoff (≤ 30 s of wall time) over: delivered, once.
      brief.down = false;
      business.skippedMs += 60_000;
      await drainChannel(channel, published, 10_000, testDeps);
      expect(brief.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual(['红灯：短暂停机的任务已逾期']);
    } finally {
      await brief.close();
    }
  });

  it('gives up after the configured patience: failed with its reason, listed for ops, and the queue moves on', async () => {
    const gone = await receiverFor({ secret: SECRET });
    try {
      const config = (await readChannels()).doc;
      await publish({ ...docOf(config), retry: { baseSeconds: 30, maxSeconds: 300, giveUpHours: 1 }, robots: [robot(channel, 'dingtalk', `${gone.url}/dingtalk?access_token=tok-6`, { secret: SECRET, parks: [PARK_HUITONG], kinds: ['task.*'], rateLimit: { messages: 100, seconds: 1 } })] });
      const published = (await readChannels()).doc;
      gone.down = true;
      // The stream consumer queues on the process clock (real time here): the test clock starts from it.
      business.now = new Date();
      business.skippedMs = 0;
      await notify(overdue('resources_bureau', PARK_HUITONG, '放弃的任务', 60));
      for (let m = 0; m < 70; m++) {
        advance(1);
        await drainChannel(channel, published, 10_000, testDeps);
      }
      gone.down = false;
      await notify(overdue('resources_bureau', PARK_HUITONG, '之后的任务', 61));
      expect(gone.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual(['红灯：之后的任务已逾期']);
      const inbox = await call<{ items: { title: string; delivery: Record<string, { status: string; attempts: number; lastError?: string }> }[] }>(
        myNotifications,
        apiEvent('GET /me/notifications', { as: users.resourcesOfficer }),
      );
      expect(inbox.body.items.find((n) => n.title.includes('放弃的任务'))!.delivery[channel]).toMatchObject({ status: 'failed', lastError: 'HTTP 500' });
      type Ops = { channels: { id: string; failed: number; moreFailed: boolean }[]; failed: { items: { channel: string; title: string; reason: string; attempts: number }[] } };
      const ops = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(ops.body.failed.items[0]).toMatchObject({ channel, title: '红灯：放弃的任务已逾期', reason: 'HTTP 500' });
      // The channel's row counts what the retry would put back.
      expect(ops.body.channels.find((c) => c.id === channel)).toMatchObject({ failed: 1, moreFailed: false });
      expect(ops.body.failed.items[0]!.attempts).toBeGreaterThan(5);
      expectProblem(await call(listDeliveries, apiEvent('GET /deliveries', { as: users.resourcesOfficer })), 403);

      // Once the robot works again, ops put it back in the queue: it goes out, once.
      const retry = (body: unknown, as = users.opsEngineer) => call<{ requeued: number; more: boolean }>(retryDeliveries, apiEvent('POST /deliveries/retry', { as, body }));
      expectProblem(await retry({ channel: 'Not An Id' }), 400, ['channel']);
      const unknown = await retry({ channel: 'nobody' });
      expectProblem(unknown, 400, ['channel']);
      expect((unknown.body as unknown as { errors: { code: string }[] }).errors[0]!.code).toBe('unknown_ref');
      expectProblem(await retry({ channel }, users.resourcesOfficer as never), 403);
      expect((await retry({ channel })).body).toEqual({ channel, requeued: 1, superseded: 0, more: false });
      expect((await retry({ channel })).body).toEqual({ channel, requeued: 0, superseded: 0, more: false });
      await drainChannel(channel, published, 10_000, testDeps);
      expect(gone.received.map((r) => (r.body.markdown as { title: string }).title)).toEqual(['红灯：之后的任务已逾期', '红灯：放弃的任务已逾期']);
      const after = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
      expect(after.body.failed.items).toEqual([]);
      expect(after.body.channels.find((c) => c.id === channel)).toMatchObject({ failed: 0 });
    } finally {
      await gone.close();
    }
  });

  it('does not send a daily digest of an earlier day again on a retry: it leaves the failed list, superseded (today’s is sent)', async () => {
    const { clock } = await import('../../functions/kernel/runtime/clock.ts');
    const { shanghaiDate, addCalendarDays } = await import('../../functions/kernel/domain/dates.ts');
    const today = shanghaiDate(clock.now());
    const day = (date: string) => `${date}T00:30:00.000Z`; // 08:30 in Shanghai: a digest's morning
    const failed = (n: number, kind: string, createdAt: string) => ({
      channel: 'FAILED', sk: `${createdAt}#${channel}#JOB#dg${n}`, target: channel, failedAt: createdAt, reason: 'HTTP 500', attempts: 9, lastError: 'HTTP 500',
      queuedAt: createdAt, notification: { recipient: 'DEPT#ops', seq: `dg-${n}` }, message: { id: `dg-${n}`, kind, title: `摘要${n}`, body: 'b', createdAt },
    });
    const items = [failed(1, 'digest.daily', day(addCalendarDays(today, -400))), failed(2, 'digest.daily', day(addCalendarDays(today, -1))), failed(3, 'digest.daily', day(today)), failed(4, 'task.overdue', day(addCalendarDays(today, -400)))];
    await store.doc.send(new BatchWriteCommand({
      RequestItems: {
        [store.tables.TABLE_DELIVERY!]: items.map((Item) => ({ PutRequest: { Item } })),
        // Their notifications, in the ops inbox (a delivery's status is kept on its notification).
        [store.tables.TABLE_INBOX!]: items.map((i) => ({ PutRequest: { Item: { recipient: i.notification.recipient, seq: i.notification.seq, id: i.message.id, kind: i.message.kind, delivery: { [channel]: { status: 'failed', attempts: 9 } } } } })),
      },
    }));
    const retry = await call<{ requeued: number; superseded: number; more: boolean }>(retryDeliveries, apiEvent('POST /deliveries/retry', { as: users.opsEngineer, body: { channel } }));
    expect(retry.body).toEqual({ channel, requeued: 2, superseded: 2, more: false });
    const rows = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_DELIVERY! }))).Items ?? [];
    // Today's digest and the old task notice are queued again; the two digests of earlier days are not, nor failed.
    expect(rows.filter((r) => r.channel === channel && String(r.sk).startsWith('JOB#')).map((r) => r.notification.seq).sort()).toEqual(['dg-3', 'dg-4']);
    expect(rows.filter((r) => r.channel === 'FAILED').map((r) => r.notification.seq)).toEqual([]);
    const inbox = (await store.doc.send(new ScanCommand({ TableName: store.tables.TABLE_INBOX! }))).Items ?? [];
    expect(inbox.find((n) => n.seq === 'dg-1')!.delivery[channel]).toMatchObject({ status: 'failed', superseded: true });
    expect(inbox.find((n) => n.seq === 'dg-3')!.delivery[channel]).toMatchObject({ status: 'pending' });
    // Cleared for the tests after it: the queued jobs and the notifications.
    await store.doc.send(new BatchWriteCommand({
      RequestItems: {
        [store.tables.TABLE_DELIVERY!]: rows.filter((r) => r.channel === channel && String(r.sk).startsWith('JOB#')).map((r) => ({ DeleteRequest: { Key: { channel: r.channel, sk: r.sk } } })),
        [store.tables.TABLE_INBOX!]: items.map((i) => ({ DeleteRequest: { Key: { recipient: i.notification.recipient, seq: i.notification.seq } } })),
      },
    }));
  });

  it('counts each channel\'s failures beyond a page of the list, and says when it stopped counting', async () => {
    const { failedCounts } = await import('../../functions/notifications/store/delivery-reads.ts');
    const failed = (target: string, n: number) => ({
      channel: 'FAILED', sk: `2026-11-30T08:00:${String(n).padStart(2, '0')}.000Z#${target}#JOB#${n}`, target, failedAt: '2026-11-30T08:00:00.000Z', reason: 'HTTP 500', attempts: 9,
      queuedAt: '2026-11-30T07:00:00.000Z', notification: { recipient: 'DEPT#ops', seq: String(n) }, message: { id: `n-${n}`, kind: 'task.overdue', title: 't' },
    });
    const items = [...Array.from({ length: 55 }, (_, i) => failed('ding-a', i)), failed('mail-b', 55), failed('mail-b', 56)];
    for (let i = 0; i < items.length; i += 25) {
      await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.tables.TABLE_DELIVERY!]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    try {
      const page = await call<{ channels: { id: string; failed: number }[]; failed: { items: unknown[]; nextCursor: string | null } }>(
        listDeliveries,
        apiEvent('GET /deliveries', { as: users.opsEngineer, query: { limit: '50' } }),
      );
      expect(page.body.failed.items).toHaveLength(50);
      expect(page.body.failed.nextCursor).not.toBeNull();
      const all = await failedCounts(1_000);
      expect(Object.fromEntries(all.counts)).toEqual({ 'ding-a': 55, 'mail-b': 2 });
      expect(all.complete).toBe(true);
      const capped = await failedCounts(30);
      expect([...capped.counts.values()].reduce((a, b) => a + b, 0)).toBe(30);
      expect(capped.complete).toBe(false);
    } finally {
      for (let i = 0; i < items.length; i += 25) {
        await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.tables.TABLE_DELIVERY!]: items.slice(i, i + 25).map(({ channel, sk }) => ({ DeleteRequest: { Key: { channel, sk } } })) } }));
      }
    }
  });

  it('republishing without a url keeps the credentials; a new url replaces them and deletes the old', async () => {
    const before = (await readChannels()).doc.robots.find((r) => r.id === channel)!.credentials;
    const config = (await readChannels()).doc;
    const kept = await publish({ ...docOf(config), robots: [{ id: channel, platform: 'dingtalk', departments: ['resources_bureau', 'ops'] }] });
    expect(kept.status, kept.text).toBe(200);
    expect((await readChannels()).doc.robots[0]!.credentials).toBe(before);
    const replaced = await publish({ ...docOf(config), robots: [robot(channel, 'dingtalk', `${dingtalk.url}/dingtalk?access_token=tok-7`)] });
    expect(replaced.status).toBe(200);
    expect((await readChannels()).doc.robots[0]!.credentials).not.toBe(before);
    expect(existsSync(join(dir, 'secrets', `${before}.json`))).toBe(false);
  });
});

/** A stored document back in the shape PUT takes (robots without credentials are re-sent by the caller). */
function docOf(doc: Awaited<ReturnType<typeof readChannels>>['doc']) {
  return { email: doc.email.map(({ rateLimits: _r, since: _s, departmentsSince: _d, earlierAudiences: _a, ...e }) => e), linkBase: doc.linkBase, retry: doc.retry };
}
