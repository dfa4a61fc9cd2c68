// Notification channels, pure, at their limits (from an outside review): a notice about no park reaches the park
// robots of its department, a message fits its platform's size limit, and what users wrote stays text in markdown.
import { describe, expect, it } from 'vitest';
process.env.TABLE_DELIVERY ??= 'delivery';
process.env.TABLE_INBOX ??= 'inbox';
const { channelsFor, NO_CHANNELS, parkDigestInbox, parkDigests, publishChannels, routableInboxes } = await import('../../functions/notifications/domain/channels.ts');
const { robotRequest } = await import('../../functions/notifications/domain/messages.ts');
const { enqueueOps } = await import('../../functions/notifications/store/deliveries.ts');
const { MAX_TRANSACTION_ITEMS } = await import('../../functions/kernel/store/client.ts');
const { render } = await import('../../functions/notifications/domain/notices.ts');

const NOW = new Date('2026-12-01T01:00:00Z');
let n = 0;
const publish = (input: Parameters<typeof publishChannels>[0]) => publishChannels(input, NO_CHANNELS, { extraHosts: [] }, (id) => `channels/${id}/${++n}`, NOW);
const DING = 'https://oapi.dingtalk.com/robot/send?access_token=abc';

describe('routing', () => {
  it('the inboxes ops route again (POST /deliveries/route) hold every inbox a channel carries notices of, and no enterprise’s', async () => {
    const { ROLES } = await import('../../functions/kernel/domain/codes.ts');
    const parks = ['汇通产业园', '科创城', '新区'];
    const { doc } = publish({
      robots: [
        { id: 'land-ht', platform: 'dingtalk', url: `${DING}-land-ht`, departments: ['resources_bureau', 'construction_dept'], parks: ['汇通产业园'], kinds: ['task.*', 'digest.daily'] },
        { id: 'centers', platform: 'dingtalk', url: `${DING}-centers`, departments: ['park_center', 'ops'], kinds: [] },
        { id: 'centre-kc', platform: 'dingtalk', url: `${DING}-centre-kc`, departments: ['park_center'], parks: ['科创城'], kinds: ['digest.daily'] },
      ],
      email: [{ id: 'eco', to: ['eco@zone.example.cn'], departments: ['eco_bureau'] }],
    });
    const routable = routableInboxes(doc, parks);
    const kinds = ['task.overdue', 'digest.daily', 'letter.issued', 'workflow.failed', 'department.notice'];
    // Every inbox the product writes (notifications/domain/inbox.ts; a park center's only with its park; digest.ts's per-park lists).
    const candidates = ['OPS', 'ENTERPRISE#ent-a', 'USER#u-1', ...ROLES.filter((r) => r !== 'ops' && r !== 'enterprise').flatMap((r) => [...(r === 'park_center' ? [] : [`DEPT#${r}`]), ...parks.map((p) => `DEPT#${r}#${p}`)])];
    const carried = candidates.filter((recipient) => kinds.some((kind) => parks.some((park) => channelsFor(doc, { recipient, kind, park }).length > 0) || channelsFor(doc, { recipient, kind }).length > 0));
    expect(carried.length).toBeGreaterThan(5);
    for (const inbox of carried) expect(routable, inbox).toContain(inbox);
    expect(routable.filter((i) => !i.startsWith('DEPT#') && i !== 'OPS')).toEqual([]);
    expect(routable).toEqual([...routable].sort());
    expect(routable).toContain('DEPT#park_center#新区'); // every park's center, for the robot not limited to parks
  });
  it('a robot limited to parks gets no zone-wide list (the department digest, its 通报提醒 name every park’s projects); one for every park does', () => {
    const { doc } = publish({ robots: [
      { id: 'land-ht', platform: 'dingtalk', url: `${DING}-land-ht`, departments: ['resources_bureau'], parks: ['汇通产业园'], kinds: [] },
      { id: 'land-all', platform: 'dingtalk', url: `${DING}-land-all`, departments: ['resources_bureau'], kinds: ['task.*', 'digest.daily'] },
    ] });
    // supervision/digest.ts writes the digest with no park and no facts: routing sees { recipient, kind } only.
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'digest.daily' })).toEqual(['land-all']);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'department.notice' })).toEqual([]);
    // A notice about its park does reach it; one about another park does not.
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: '汇通产业园' })).toEqual(['land-ht', 'land-all']);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: '科创城' })).toEqual(['land-all']);
    // A park center's own digest is about its park: its park's robot gets it.
    const centers = publish({ robots: [{ id: 'pc-ht', platform: 'dingtalk', url: `${DING}-pc-ht`, departments: ['park_center'], parks: ['汇通产业园'], kinds: ['digest.daily'] }] });
    expect(channelsFor(centers.doc, { recipient: 'DEPT#park_center#汇通产业园', kind: 'digest.daily' })).toEqual(['pc-ht']);
    expect(parkDigests(centers.doc)).toEqual([]); // a park center's digest is its park's already
  });

  it('a department’s robot limited to parks gets the digest of its parks’ projects instead, written for it alone (not the inbox, not the whole-zone robots)', () => {
    const { doc } = publish({
      robots: [
        { id: 'land-ht', platform: 'dingtalk', url: `${DING}-land-ht`, departments: ['resources_bureau', 'construction_dept'], parks: ['汇通产业园', '科创城'], kinds: ['task.*', 'digest.daily'] },
        { id: 'land-all', platform: 'dingtalk', url: `${DING}-land-all`, departments: ['resources_bureau'], kinds: ['digest.daily'] },
        { id: 'land-kc', platform: 'dingtalk', url: `${DING}-land-kc`, departments: ['resources_bureau'], parks: ['科创城'], kinds: ['task.*'] },
      ],
      email: [{ id: 'eco-ht', to: ['eco@zone.example.cn'], departments: ['eco_bureau'], parks: ['汇通产业园'] }],
    });
    // Written for each department and park a channel limited to parks takes the digest of (every kind: the e-mail list).
    expect(parkDigests(doc)).toEqual([
      { role: 'construction_dept', park: '汇通产业园' },
      { role: 'construction_dept', park: '科创城' },
      { role: 'eco_bureau', park: '汇通产业园' },
      { role: 'resources_bureau', park: '汇通产业园' },
      { role: 'resources_bureau', park: '科创城' },
    ]);
    expect(parkDigestInbox('resources_bureau', '汇通产业园')).toBe('DEPT#resources_bureau#汇通产业园');
    // Each goes to the channels of its department limited to its park only.
    expect(channelsFor(doc, { recipient: parkDigestInbox('resources_bureau', '汇通产业园'), kind: 'digest.daily' })).toEqual(['land-ht']);
    expect(channelsFor(doc, { recipient: parkDigestInbox('resources_bureau', '科创城'), kind: 'digest.daily' })).toEqual(['land-ht']); // land-kc takes task.* only
    expect(channelsFor(doc, { recipient: parkDigestInbox('eco_bureau', '汇通产业园'), kind: 'digest.daily' })).toEqual(['eco-ht']);
    expect(channelsFor(doc, { recipient: parkDigestInbox('eco_bureau', '科创城'), kind: 'digest.daily' })).toEqual([]);
    // The whole digest still goes to the robot of the whole department, not to those limited to parks.
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'digest.daily' })).toEqual(['land-all']);
  });

  it('refuses a channel limited to parks that asks for a zone-wide list by name, naming the kind (the digest comes per park)', () => {
    expect(publish({ robots: [{ id: 'land-ht', platform: 'dingtalk', url: `${DING}-land-ht`, departments: ['resources_bureau'], parks: ['汇通产业园'], kinds: ['task.*', 'digest.daily'] }] }).doc.robots).toHaveLength(1);
    for (const kinds of [['task.*', 'department.notice'], ['department.*']]) {
      expect(() => publish({ robots: [{ id: 'land-ht', platform: 'dingtalk', url: `${DING}-land-ht`, departments: ['resources_bureau'], parks: ['汇通产业园'], kinds }] })).toThrow(
        expect.objectContaining({ status: 400, errors: [expect.objectContaining({ path: `doc.robots[0].kinds[${kinds.length - 1}]`, message: expect.stringContaining('a channel limited to parks does not carry it') })] }),
      );
    }
  });

  it('queues a notice on each channel in a transaction of its own, however many channels take it', () => {
    const ops = enqueueOps('eco-0', { recipient: 'DEPT#eco_bureau', seq: '2026-12-01T01:00:00.000Z#x' }, { id: 'x', kind: 'letter.issued', title: 't', body: 'b', createdAt: NOW.toISOString() }, NOW);
    expect(ops.length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    // The job, the message's marker (one post for one event however many departments' copies), the channel listed, the status.
    expect(ops).toHaveLength(4);
  });
  it('routes a page of notices with each channel’s queuing one at a time, in notice order, the channels side by side', async () => {
    // A queuing transaction writes its channel's STATE item: two at once on one channel conflict on DynamoDB (helper-105).
    const { routeNotifications } = await import('../../functions/notifications/routing.ts');
    const { doc } = publish({
      robots: [{ id: 'land', platform: 'dingtalk', url: `${DING}-land`, departments: ['resources_bureau'] }],
      email: [
        { id: 'all', to: ['all@zone.example.cn'], departments: ['resources_bureau', 'eco_bureau'] },
        { id: 'eco', to: ['eco@zone.example.cn'], departments: ['eco_bureau'] },
      ],
    });
    const notice = (i: number, department: string) => ({ recipient: `DEPT#${department}`, seq: `s${i}`, id: `n${i}`, kind: 'task.overdue', title: `t${i}`, body: 'b', createdAt: '2026-12-01T02:00:00.000Z', read: false, delivery: {} });
    const ns = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => notice(i, i % 2 === 0 ? 'resources_bureau' : 'eco_bureau'));
    const inFlight = new Map<string, number>();
    let most = 0;
    let together = 0;
    const order = new Map<string, string[]>();
    const enqueue = async (n: (typeof ns)[number], channel: string) => {
      inFlight.set(channel, (inFlight.get(channel) ?? 0) + 1);
      most = Math.max(most, inFlight.get(channel)!);
      together = Math.max(together, [...inFlight.values()].reduce((a, b) => a + b, 0));
      await new Promise((r) => setTimeout(r, 2));
      inFlight.set(channel, inFlight.get(channel)! - 1);
      order.set(channel, [...(order.get(channel) ?? []), n.id]);
      return n.id !== 'n4' || channel !== 'land'; // n4 was on `land` already
    };
    const queued = await routeNotifications(ns, doc, NOW, enqueue);
    expect(most).toBe(1);
    expect(together).toBe(3); // the three channels at once
    expect(order.get('land')).toEqual(['n0', 'n2', 'n4', 'n6']);
    expect(order.get('all')).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    expect(order.get('eco')).toEqual(['n1', 'n3', 'n5', 'n7']);
    expect(queued[0]).toEqual(['land', 'all']);
    expect(queued[1]).toEqual(['all', 'eco']);
    expect(queued[4]).toEqual(['all']);
    // A failure on one channel is thrown once the others have settled.
    const settled: string[] = [];
    const failing = async (n: (typeof ns)[number], channel: string) => {
      if (channel === 'eco') throw new Error('throttled');
      await new Promise((r) => setTimeout(r, 2));
      settled.push(`${channel}:${n.id}`);
      return true;
    };
    const partly: string[][] = ns.map(() => []);
    await expect(routeNotifications(ns, doc, NOW, failing, partly)).rejects.toThrow('throttled');
    expect(settled).toHaveLength(12);
    // What was queued before the error is told to the caller that asked (POST /deliveries/route counts it).
    expect(partly.flat()).toHaveLength(12);
    expect(partly[0]).toEqual(['land', 'all']);
  });
});

describe('payload sizes and markup', () => {
  it('a WeCom markdown message stays within the platform limit (4096 bytes) for a daily digest', () => {
    const name = '示例'.repeat(100); // a project name may have 200 characters
    const items = Array.from({ length: 20 }, (_, i) => ({ kind: 'red' as const, project: name, task: { zh: `任务${i}`, en: `Task ${i}` }, dueDate: '2026-12-01' }));
    const { zh } = render({ kind: 'digest.daily', inbox: 'DEPT#resources_bureau', department: { zh: '规划和自然资源局', en: 'Land' }, date: '2026-12-01', counts: { dueToday: 0, yellow: 0, red: 20, letters: 0 }, items });
    const req = robotRequest('wecom', 'markdown', { id: 'd', kind: 'digest.daily', title: zh.title, body: zh.body, createdAt: NOW.toISOString() }, { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, NOW.getTime(), () => '');
    const content = (JSON.parse(req.body) as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(content).toContain('已截断');
    expect(content.startsWith(`### ${zh.title}`)).toBe(true);
    // Plain text on WeCom: 2,048 bytes.
    const text = (JSON.parse(robotRequest('wecom', 'text', { id: 'd', kind: 'digest.daily', title: zh.title, body: zh.body, createdAt: NOW.toISOString() }, { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, NOW.getTime(), () => '').body) as { text: { content: string } }).text.content;
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(2048);
  });

  it('a body cut to fit is cut between characters: an emoji or a rare CJK character (two UTF-16 units) is never halved into a lone surrogate', () => {
    // A digest of projects whose names hold emoji or characters outside the BMP (𠀀): the cut fell inside a pair, and
    // the robot got "\\ud83c" alone (WeCom and Feishu markdown showed a broken character, or refused the JSON).
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const unit of ['🏭', '𠀀', '🏭a', '𠀀𠀀长']) {
      const message = { id: 'm', kind: 'digest.daily', title: '每日提醒', body: unit.repeat(Math.ceil(6000 / unit.length)), createdAt: NOW.toISOString() };
      for (const platform of ['dingtalk', 'wecom', 'feishu'] as const) {
        for (const format of ['markdown', 'text'] as const) {
          const texts: string[] = [];
          JSON.parse(robotRequest(platform, format, message, { url: DING }, NOW.getTime(), () => '').body, (_k, v: unknown) => (typeof v === 'string' && texts.push(v), v));
          expect(texts.some((t) => t.includes('已截断')), `${platform} ${format} ${unit}`).toBe(true);
          expect(texts.filter((t) => lone.test(t)), `${platform} ${format} ${unit}`).toEqual([]);
        }
      }
    }
  });

  it('keeps what users wrote as text: no link, image or HTML of theirs survives in markdown', () => {
    const message = { id: 'm', kind: 'letter.issued', title: '来函：![x](https://t.example/p.png)', body: '[点我](https://phish.example) <font color="red">紧急</font> **粗体**', createdAt: NOW.toISOString(), project: { id: 'prj-1', name: '项目](https://evil.example)' } };
    for (const platform of ['dingtalk', 'wecom', 'feishu'] as const) {
      const sent = robotRequest(platform, 'markdown', message, { url: DING }, NOW.getTime(), () => '', 'https://zone.cn/p/').body;
      // Feishu's card header is plain_text (never rendered as markup); its lark_md content is what could carry a link.
      const body = platform === 'feishu' ? JSON.stringify((JSON.parse(sent) as { card: { elements: unknown[] } }).card.elements) : sent;
      expect(body, platform).not.toMatch(/\]\(https:\/\/(phish|evil|t)\.example/);
      expect(body, platform).not.toContain('<font color=\\"red\\">');
      expect(body, platform).toContain('https://zone.cn/p/prj-1');
    }
  });
});
