// Notification channels, pure: who a notice goes to (department, park, kind), the stored form of the configuration
// (credentials out, kept or replaced), the platforms' payloads and signatures, and the delivery rules (backoff with
// jitter, rate windows, patience).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import { errorOf } from '../support/assertions.ts';
import { channelsFor, channelsView, departmentOf, EARLIER_AUDIENCE_DAYS, MAX_EARLIER_AUDIENCES, NO_CHANNELS, publishChannels, ROUTE_REACH_DAYS, webhookProblem, type ChannelsDoc } from '../../functions/notifications/domain/channels.ts';
import { afterFailure, backoffMs, presentDelivery, rateWaitMs, recentSends, waiting } from '../../functions/notifications/domain/delivery.ts';
import { dingtalkSign, feishuSign, mailOf, robotOutcome, robotRequest, type Message } from '../../functions/notifications/domain/messages.ts';
import { factsOf, type Notice } from '../../functions/notifications/domain/notices.ts';
import { LOCAL_ROBOT_HOSTS } from '../../local/runtime.ts';

const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('base64');
const NOW = new Date('2026-12-01T01:00:00Z');
let names = 0;
const newName = (id: string) => `channels/${id}/n${++names}`;
const hosts = { extraHosts: [] };

const publish = (input: Parameters<typeof publishChannels>[0], current: ChannelsDoc = NO_CHANNELS) => publishChannels(input, current, hosts, newName, NOW);
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationFailed);
    return (err as ValidationFailed).errors?.map((e) => e.path);
  }
  throw new Error('expected a ValidationFailed');
};

const DING = 'https://oapi.dingtalk.com/robot/send?access_token=abc';

describe('routing', () => {
  const { doc } = publish({
    robots: [
      { id: 'land-ht', platform: 'dingtalk', url: DING, departments: ['resources_bureau'], parks: ['汇通产业园'], kinds: ['task.*'] },
      { id: 'centers', platform: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', departments: ['park_center'], parks: ['科创城'] },
      { id: 'ops', platform: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', departments: ['ops'], kinds: ['workflow.failed'] },
    ],
    email: [{ id: 'leaders', to: ['leader@zone.cn'], departments: ['committee_leader', 'resources_bureau'], kinds: ['task.overdue', 'escalation.raised'] }],
  });

  it('picks robots and lists by department, park and kind family', () => {
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: '汇通产业园' })).toEqual(['land-ht', 'leaders']);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.yellow', park: '汇通产业园' })).toEqual(['land-ht']);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: '科创城' })).toEqual(['leaders']);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'taskless', park: '汇通产业园' })).toEqual([]);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'letter.issued' })).toEqual([]);
    expect(channelsFor(doc, { recipient: 'DEPT#committee_leader', kind: 'escalation.raised', park: '科创城' })).toEqual(['leaders']);
  });

  it('carries only the notices created since a channel was first published; republishing keeps that day, a new id starts its own', () => {
    const n = (createdAt: string) => ({ recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: '汇通产业园', createdAt });
    expect(doc.robots.find((r) => r.id === 'land-ht')?.since).toBe(NOW.toISOString());
    expect(channelsFor(doc, n('2026-11-30T09:00:00.000Z'))).toEqual([]);
    expect(channelsFor(doc, n(NOW.toISOString()))).toEqual(['land-ht', 'leaders']);
    const later = new Date('2026-12-20T01:00:00Z');
    const again = publishChannels(
      {
        robots: [{ id: 'land-ht', platform: 'dingtalk', departments: ['resources_bureau'], parks: ['汇通产业园'], kinds: ['task.*'] }, { id: 'new-one', platform: 'dingtalk', url: DING, departments: ['resources_bureau'] }],
        email: [{ id: 'leaders', to: ['leader@zone.cn'], departments: ['committee_leader', 'resources_bureau'], kinds: ['task.overdue', 'escalation.raised'] }],
      },
      doc,
      hosts,
      newName,
      later,
    ).doc;
    expect(again.robots.map((r) => [r.id, r.since])).toEqual([['land-ht', NOW.toISOString()], ['new-one', later.toISOString()]]);
    expect(again.email[0]?.since).toBe(NOW.toISOString());
    expect(channelsFor(again, n('2026-12-10T00:00:00.000Z'))).toEqual(['land-ht', 'leaders']);
    // A channel stored before `since` was recorded keeps no bound.
    const old = { ...again, robots: again.robots.map(({ since: _s, ...r }) => r) };
    expect(channelsFor(old, n('2020-01-01T00:00:00.000Z'))).toEqual(['land-ht', 'new-one']);
  });

  it('carries a department added to a channel from when it was added: kept, removed and added again, and channels stored before', () => {
    const t1 = new Date('2026-12-10T01:00:00Z');
    const t2 = new Date('2026-12-20T01:00:00Z');
    const t3 = new Date('2026-12-28T01:00:00Z');
    const republish = (departments: ('resources_bureau' | 'committee_leader' | 'soe')[], current: ChannelsDoc, at: Date) =>
      publishChannels({ robots: [{ id: 'land-ht', platform: 'dingtalk', departments, kinds: ['task.*'] }], email: [{ id: 'leaders', to: ['leader@zone.cn'], departments: ['committee_leader', 'resources_bureau'] }] }, current, hosts, newName, at).doc;
    const n = (role: string, createdAt: string) => ({ recipient: `DEPT#${role}`, kind: 'task.overdue', createdAt });
    // At the first publication every department is bounded by the channel's `since` (none has an instant of its own).
    expect(doc.robots[0]!.since).toBe(NOW.toISOString());
    expect(doc.robots[0]!.departmentsSince).toBeUndefined();
    // committee_leader added to the robot at t1: its notices from before t1 are not the group's; resources_bureau keeps its day.
    const added = republish(['resources_bureau', 'committee_leader'], doc, t1);
    expect(added.robots[0]).toMatchObject({ since: NOW.toISOString(), departmentsSince: { committee_leader: t1.toISOString() } });
    expect(added.email[0]!.departmentsSince).toBeUndefined();
    expect(channelsFor(added, n('committee_leader', '2026-12-05T00:00:00.000Z'))).toEqual(['leaders']);
    expect(channelsFor(added, n('committee_leader', t1.toISOString()))).toEqual(['land-ht', 'leaders']);
    expect(channelsFor(added, n('resources_bureau', '2026-12-05T00:00:00.000Z'))).toEqual(['land-ht', 'leaders']);
    // Kept through another publication: the instant stays.
    const kept = republish(['committee_leader', 'resources_bureau'], added, t2);
    expect(kept.robots[0]!.departmentsSince).toEqual({ committee_leader: t1.toISOString() });
    expect(channelsFor(kept, n('committee_leader', '2026-12-05T00:00:00.000Z'))).toEqual(['leaders']);
    // Removed, then added again: the new instant (its notices while it was off are not the group's either).
    const removed = republish(['resources_bureau'], kept, t2);
    expect(removed.robots[0]!.departmentsSince).toBeUndefined();
    const back = republish(['resources_bureau', 'committee_leader'], removed, t3);
    expect(back.robots[0]!.departmentsSince).toEqual({ committee_leader: t3.toISOString() });
    expect(channelsFor(back, n('committee_leader', '2026-12-25T00:00:00.000Z'))).toEqual(['leaders']);
    expect(channelsFor(back, n('committee_leader', t3.toISOString()))).toEqual(['land-ht', 'leaders']);
    // A channel stored before either was kept (no `since`, no `departmentsSince`): those it had stay unbounded, one added is bounded.
    const old = { ...doc, robots: doc.robots.map(({ since: _s, departmentsSince: _d, ...r }) => r), email: [] };
    expect(channelsFor(old, n('resources_bureau', '2020-01-01T00:00:00.000Z'))).toEqual(['land-ht']);
    const widened = publishChannels({ robots: [{ id: 'land-ht', platform: 'dingtalk', departments: ['resources_bureau', 'soe'] }] }, old, hosts, newName, t1).doc;
    expect(widened.robots[0]!.since).toBeUndefined();
    expect(widened.robots[0]!.departmentsSince).toEqual({ soe: t1.toISOString() });
    expect(channelsFor(widened, n('resources_bureau', '2020-01-01T00:00:00.000Z'))).toEqual(['land-ht']);
    expect(channelsFor(widened, n('soe', '2026-12-05T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(widened, n('soe', t1.toISOString()))).toEqual(['land-ht']);
    // Adding one more keeps the instant of one added before.
    const later = publishChannels({ robots: [{ id: 'land-ht', platform: 'dingtalk', departments: ['resources_bureau', 'soe', 'committee_leader'] }] }, widened, hosts, newName, t2).doc;
    expect(later.robots[0]!.departmentsSince).toEqual({ soe: t1.toISOString(), committee_leader: t2.toISOString() });
    // A notice without its creation instant (not a stored one) is not bounded.
    expect(channelsFor(later, { recipient: 'DEPT#soe', kind: 'task.overdue' })).toEqual(['land-ht']);
    // Neither is shown: a channel read is sent back as it is.
    expect(JSON.stringify(channelsView(back))).not.toContain('departmentsSince');
    expect(JSON.stringify(channelsView(back))).not.toContain(t3.toISOString());
  });

  it('carries a park or kind added to a channel later only for notices created since: the audience in force when a notice was created must have taken it too', () => {
    const HT = '汇通产业园';
    const KC = '科创城';
    const t1 = new Date('2026-12-10T01:00:00Z');
    const t2 = new Date('2026-12-20T01:00:00Z');
    const t3 = new Date('2026-12-28T01:00:00Z');
    const republish = (a: { parks?: string[]; kinds?: string[] }, current: ChannelsDoc, at: Date) =>
      publishChannels({ robots: [{ id: 'land', platform: 'dingtalk', ...(current.robots.length ? {} : { url: DING }), departments: ['resources_bureau', 'park_center'], ...a }], email: [{ id: 'list', to: ['a@zone.cn'], departments: ['resources_bureau'], ...a }] }, current, hosts, newName, at).doc;
    const n = (kind: string, park: string | undefined, createdAt: string, recipient = 'DEPT#resources_bureau') => ({ recipient, kind, ...(park ? { park } : {}), createdAt });
    const first = republish({ parks: [HT], kinds: ['task.overdue'] }, NO_CHANNELS, NOW);
    expect(first.robots[0]!.earlierAudiences).toBeUndefined();

    // Parks widened at t1: another park's notice from before is not the group's; from t1 on it is; its own park's stays.
    const parks = republish({ parks: [HT, KC], kinds: ['task.overdue'] }, first, t1);
    expect(parks.robots[0]!.earlierAudiences).toEqual([{ until: t1.toISOString(), parks: [HT], kinds: ['task.overdue'] }]);
    expect(parks.email[0]!.earlierAudiences).toEqual([{ until: t1.toISOString(), parks: [HT], kinds: ['task.overdue'] }]);
    expect(channelsFor(parks, n('task.overdue', KC, '2026-12-05T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(parks, n('task.overdue', KC, t1.toISOString()))).toEqual(['land', 'list']);
    expect(channelsFor(parks, n('task.overdue', HT, '2026-12-05T00:00:00.000Z'))).toEqual(['land', 'list']);
    // A park center's inbox names its park: the same.
    expect(channelsFor(parks, n('task.overdue', undefined, '2026-12-05T00:00:00.000Z', `DEPT#park_center#${KC}`))).toEqual([]);
    expect(channelsFor(parks, n('task.overdue', undefined, '2026-12-05T00:00:00.000Z', `DEPT#park_center#${HT}`))).toEqual(['land']);
    // The same parks in another order, the same kinds: nothing more kept.
    const reordered = republish({ parks: [KC, HT], kinds: ['task.overdue'] }, parks, t2);
    expect(reordered.robots[0]!.earlierAudiences).toEqual(parks.robots[0]!.earlierAudiences);

    // Kinds widened to a family at t2: a yellow light from before is not the group's, an overdue one is.
    const kinds = republish({ parks: [HT, KC], kinds: ['task.*'] }, parks, t2);
    expect(kinds.robots[0]!.earlierAudiences).toEqual([
      { until: t1.toISOString(), parks: [HT], kinds: ['task.overdue'] },
      { until: t2.toISOString(), parks: [HT, KC], kinds: ['task.overdue'] },
    ]);
    expect(channelsFor(kinds, n('task.yellow', HT, '2026-12-15T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(kinds, n('task.overdue', KC, '2026-12-15T00:00:00.000Z'))).toEqual(['land', 'list']);
    expect(channelsFor(kinds, n('task.yellow', KC, t2.toISOString()))).toEqual(['land', 'list']);
    // Created before t1, a notice is judged by the audience then (HT, overdue), not the one between.
    expect(channelsFor(kinds, n('task.overdue', KC, '2026-12-05T00:00:00.000Z'))).toEqual([]);

    // Widened to every park and kind at t3 (empty lists): older notices of other parks, kinds and the zone-wide lists stay off.
    const every = republish({}, kinds, t3);
    expect(every.robots[0]!.earlierAudiences).toHaveLength(3);
    expect(channelsFor(every, n('letter.issued', HT, '2026-12-25T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(every, n('task.yellow', KC, '2026-12-25T00:00:00.000Z'))).toEqual(['land', 'list']);
    expect(channelsFor(every, n('digest.daily', undefined, '2026-12-25T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(every, n('digest.daily', undefined, t3.toISOString()))).toEqual(['land', 'list']);
    // The channel as it stands now refuses too: narrowing needs no entry of its own to hold.
    expect(channelsFor(kinds, n('letter.issued', HT, t3.toISOString()))).toEqual([]);

    // Narrowed, then widened again: a notice created while it was narrow stays off; one from before the narrowing goes.
    const narrow = republish({ parks: [HT] }, first, t1);
    const again = republish({ parks: [HT, KC] }, narrow, t2);
    expect(again.robots[0]!.earlierAudiences).toEqual([
      { until: t1.toISOString(), parks: [HT], kinds: ['task.overdue'] },
      { until: t2.toISOString(), parks: [HT], kinds: [] },
    ]);
    expect(channelsFor(again, n('task.yellow', KC, '2026-12-15T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(again, n('task.yellow', HT, '2026-12-15T00:00:00.000Z'))).toEqual(['land', 'list']);
    expect(channelsFor(again, n('task.yellow', HT, '2026-12-05T00:00:00.000Z'))).toEqual([]);
    expect(channelsFor(again, n('task.yellow', KC, t2.toISOString()))).toEqual(['land', 'list']);
    // A notice without its creation instant is judged by the channel as it stands.
    expect(channelsFor(again, { recipient: 'DEPT#resources_bureau', kind: 'task.yellow', park: KC })).toEqual(['land', 'list']);
    // Not shown: a channel read is sent back as it is.
    expect(JSON.stringify(channelsView(again))).not.toContain('earlierAudiences');
    expect(JSON.stringify(channelsView(again))).not.toContain(t2.toISOString());
  });

  it('drops earlier audiences past a route’s reach or past the most kept, moving `since` up to the last one dropped', () => {
    const day = 86_400_000;
    const at = (days: number) => new Date(NOW.getTime() + days * day);
    const republish = (parks: string[], current: ChannelsDoc, when: Date) =>
      publishChannels({ robots: [{ id: 'land', platform: 'dingtalk', ...(current.robots.length ? {} : { url: DING }), departments: ['resources_bureau'], parks }] }, current, hosts, newName, when).doc;
    const first = republish(['a'], NO_CHANNELS, NOW);
    const widened = republish(['a', 'b'], first, at(1));
    // Within reach, an unchanged publication keeps it.
    expect(republish(['b', 'a'], widened, at(1 + EARLIER_AUDIENCE_DAYS)).robots[0]).toMatchObject({ since: NOW.toISOString(), earlierAudiences: [{ until: at(1).toISOString() }] });
    // Replaced longer ago than a route reaches: dropped, and the notices from before it are refused by `since`.
    const later = republish(['b', 'a'], widened, new Date(at(1 + EARLIER_AUDIENCE_DAYS).getTime() + 1));
    expect(later.robots[0]!.earlierAudiences).toBeUndefined();
    expect(later.robots[0]!.since).toBe(at(1).toISOString());
    expect(EARLIER_AUDIENCE_DAYS).toBeGreaterThan(ROUTE_REACH_DAYS);
    // Many changes within reach: the newest MAX_EARLIER_AUDIENCES are kept, `since` moved to the last one dropped.
    let doc = first;
    for (let i = 1; i <= MAX_EARLIER_AUDIENCES + 2; i++) doc = republish(i % 2 ? ['a', 'b'] : ['a'], doc, at(i / 10));
    const kept = doc.robots[0]!.earlierAudiences!;
    expect(kept).toHaveLength(MAX_EARLIER_AUDIENCES);
    expect(kept[0]!.until).toBe(at(3 / 10).toISOString());
    expect(doc.robots[0]!.since).toBe(at(2 / 10).toISOString());
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: 'a', createdAt: at(1 / 10).toISOString() })).toEqual([]);
    expect(channelsFor(doc, { recipient: 'DEPT#resources_bureau', kind: 'task.overdue', park: 'a', createdAt: at(2 / 10).toISOString() })).toEqual(['land']);
    // A channel stored before `since` was kept gets one when an entry is dropped.
    const old = { ...widened, robots: widened.robots.map(({ since: _s, ...r }) => r) };
    expect(republish(['a', 'b'], old, at(2 + EARLIER_AUDIENCE_DAYS)).robots[0]!.since).toBe(at(1).toISOString());
  });

  it("takes a park's service center's park from its inbox; enterprise and personal inboxes reach no group", () => {
    expect(channelsFor(doc, { recipient: 'DEPT#park_center#科创城', kind: 'resource.available' })).toEqual(['centers']);
    expect(channelsFor(doc, { recipient: 'DEPT#park_center#汇通产业园', kind: 'resource.available', park: '科创城' })).toEqual([]);
    expect(channelsFor(doc, { recipient: 'OPS', kind: 'workflow.failed' })).toEqual(['ops']);
    expect(channelsFor(doc, { recipient: 'ENTERPRISE#ent-a', kind: 'task.overdue', park: '汇通产业园' })).toEqual([]);
    expect(channelsFor(doc, { recipient: 'USER#u-1', kind: 'task.overdue', park: '汇通产业园' })).toEqual([]);
    expect(departmentOf('DEPT#park_center#a#b')).toEqual({ department: 'park_center', park: 'a#b' });
  });
});

describe('the stored configuration', () => {
  it('takes credentials out: new names to write, the origin and signing shown, nothing else', () => {
    const p = publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, secret: 'SEC1', departments: ['ops'] }] });
    expect(p.writes).toEqual([{ name: p.doc.robots[0]!.credentials, value: { url: DING, secret: 'SEC1' } }]);
    expect(p.doc.robots[0]).toMatchObject({ urlHint: 'https://oapi.dingtalk.com', signed: true, format: 'markdown', rateLimits: [{ messages: 20, seconds: 60 }] });
    const shown = JSON.stringify(channelsView(p.doc));
    expect(shown).not.toContain('access_token');
    expect(shown).not.toContain('SEC1');
    expect(shown).not.toContain(p.doc.robots[0]!.credentials);
  });

  it('keeps credentials when a robot comes back without a url; replaces both when with one; drops the ones gone', () => {
    const first = publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, secret: 'S', departments: ['ops'] }, { id: 'b', platform: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/b', departments: ['ops'] }] });
    const kept = publish({ robots: [{ id: 'a', platform: 'dingtalk', departments: ['ops', 'soe'] }] }, first.doc);
    expect(kept.writes).toEqual([]);
    expect(kept.doc.robots[0]).toMatchObject({ credentials: first.doc.robots[0]!.credentials, signed: true, departments: ['ops', 'soe'] });
    expect(kept.orphaned).toEqual([first.doc.robots[1]!.credentials]);
    const replaced = publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, departments: ['ops'] }] }, kept.doc);
    expect(replaced.doc.robots[0]).toMatchObject({ signed: false });
    expect(replaced.orphaned).toEqual([first.doc.robots[0]!.credentials]);
  });

  it('refuses ids used twice or reserved, a new robot or a platform change without a url, a secret alone', () => {
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, departments: ['ops'] }], email: [{ id: 'a', to: ['x@y.cn'], departments: ['ops'] }] }))).toEqual(['doc.email[0].id']);
    expect(fieldsOf(() => publish({ robots: [{ id: 'inApp', platform: 'dingtalk', url: DING, departments: ['ops'] }] }))).toEqual(['doc.robots[0].id']);
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', departments: ['ops'] }] }))).toEqual(['doc.robots[0].url']);
    const ding = publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, departments: ['ops'] }] }).doc;
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'feishu', departments: ['ops'] }] }, ding))).toEqual(['doc.robots[0].url']);
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', secret: 's', departments: ['ops'] }] }, ding))).toEqual(['doc.robots[0].url']);
    expect(fieldsOf(() => publish({ linkBase: 'javascript:alert(1)' }))).toEqual(['doc.linkBase']);
    expect(fieldsOf(() => publish({ retry: { baseSeconds: 60, maxSeconds: 30 } }))).toEqual(['doc.retry.maxSeconds']);
  });

  it('accepts a webhook only on its platform\'s host over https (or a host the deployment allows)', () => {
    expect(webhookProblem('dingtalk', DING, hosts)).toBeUndefined();
    expect(webhookProblem('dingtalk', 'http://oapi.dingtalk.com/robot/send', hosts)).toBe('must be https');
    expect(webhookProblem('wecom', DING, hosts)).toMatch(/qyapi\.weixin\.qq\.com/);
    expect(webhookProblem('feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/x', hosts)).toBeUndefined();
    expect(webhookProblem('dingtalk', 'https://user:pw@oapi.dingtalk.com/x', hosts)).toMatch(/user name/);
    expect(webhookProblem('dingtalk', 'http://169.254.169.254/latest', hosts)).toBe('must be https');
    expect(webhookProblem('dingtalk', 'http://localhost:3999/dingtalk', { extraHosts: ['localhost'] })).toBeUndefined();
    expect(webhookProblem('dingtalk', 'not-a-url', hosts)).toBe('is not a URL');
  });

  it('takes a platform\'s webhook only with the robot\'s token in it (DingTalk access_token, WeCom key, Feishu\'s hook path): without it every delivery fails', () => {
    const ding = "a dingtalk robot webhook carries the robot's access_token=… (copy the whole webhook URL from the robot's settings)";
    for (const url of ['https://oapi.dingtalk.com/robot/send', 'https://oapi.dingtalk.com/robot/send?access_token=', 'https://oapi.dingtalk.com/robot/send?access_token=%20', 'https://oapi.dingtalk.com/robot/send?token=abc'])
      expect(webhookProblem('dingtalk', url, hosts), url).toBe(ding);
    const wecom = "a wecom robot webhook carries the robot's key=… (copy the whole webhook URL from the robot's settings)";
    for (const url of ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=abc'])
      expect(webhookProblem('wecom', url, hosts), url).toBe(wecom);
    expect(webhookProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx', hosts)).toBeUndefined();
    const feishu = "a feishu robot webhook is …/open-apis/bot/v2/hook/<the robot's token> (copy the whole webhook URL from the robot's settings)";
    // A blank token (as DingTalk's access_token=%20 is) or more path after it is no robot's token either.
    for (const url of ['https://open.feishu.cn/open-apis/bot/v2/hook/', 'https://open.feishu.cn/open-apis/bot/v2/hook', 'https://open.larksuite.com/x', 'https://open.feishu.cn/open-apis/bot/v2/hook/%20', 'https://open.feishu.cn/open-apis/bot/v2/hook/b1c2-d3/send'])
      expect(webhookProblem('feishu', url, hosts), url).toBe(feishu);
    expect(webhookProblem('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/b1c2-d3', hosts)).toBeUndefined();
    expect(webhookProblem('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/b1c2-d3/', hosts)).toBeUndefined();
    // A host the deployment adds (a zone's gateway, the local receiver) lays its URLs out its own way: not checked.
    expect(webhookProblem('dingtalk', 'http://localhost:3999/dingtalk', { extraHosts: ['localhost'] })).toBeUndefined();
    // Refused at publication, at the robot's url (400), nothing stored.
    const refused = errorOf(() => publishChannels({ robots: [{ id: 'a', platform: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send', departments: ['ops'] }] }, NO_CHANNELS, hosts, newName, NOW));
    expect(refused).toMatchObject({ status: 400, errors: [{ path: 'doc.robots[0].url', code: 'format', message: ding }] });
  });
});

describe('messages', () => {
  const message: Message = { id: 'n1', kind: 'task.overdue', title: '红灯：供地方案已逾期', body: '新能源：供地方案期限 2026-11-20', project: { id: 'prj-7', name: '新能源电池项目', park: '汇通产业园' }, item: '供地方案', dueDate: '2026-11-20', createdAt: NOW.toISOString() };

  it('signs as DingTalk documents it: key = secret, message = "timestamp\\nsecret", on the URL', () => {
    const req = robotRequest('dingtalk', 'markdown', message, { url: DING, secret: 'SECx' }, 1700000000000, hmac, 'https://zone.cn/p/');
    const url = new URL(req.url);
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECx').update('1700000000000\nSECx').digest('base64'));
    expect(dingtalkSign('SECx', 1700000000000, hmac)).toBe(url.searchParams.get('sign'));
    const body = JSON.parse(req.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.text).toContain('> 期限：2026-11-20');
    expect(body.markdown.text).toContain('[查看详情](https://zone.cn/p/prj-7)');
    expect(req.headers['x-zoneflow-notification']).toBe('n1');
  });

  it('signs as Feishu documents it: key = "timestamp\\nsecret", empty message, in the body (seconds)', () => {
    const req = robotRequest('feishu', 'markdown', message, { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: 'SECy' }, 1700000000123, hmac);
    const body = JSON.parse(req.body);
    expect(body.timestamp).toBe('1700000000');
    expect(body.sign).toBe(createHmac('sha256', '1700000000\nSECy').update('').digest('base64'));
    expect(feishuSign('SECy', 1700000000, hmac)).toBe(body.sign);
    expect(body.card.header).toEqual({ title: { tag: 'plain_text', content: message.title }, template: 'red' });
    expect(body.card.elements).toHaveLength(1); // no linkBase: no button
  });

  it('writes WeCom markdown (no signature: the key is in the URL) and plain text when asked', () => {
    const wecom = JSON.parse(robotRequest('wecom', 'markdown', message, { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, 0, hmac).body);
    expect(wecom).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('<font color="warning">红灯：供地方案已逾期</font>') } });
    const text = JSON.parse(robotRequest('dingtalk', 'text', message, { url: DING }, 0, hmac).body);
    expect(text).toEqual({ msgtype: 'text', text: { content: '【红灯：供地方案已逾期】\n新能源：供地方案期限 2026-11-20\n项目：新能源电池项目（汇通产业园）\n事项：供地方案\n期限：2026-11-20' } });
    expect(robotRequest('dingtalk', 'text', message, { url: DING }, 0, hmac).url).toBe(DING);
  });

  it('reads each platform\'s answer: HTTP 200 with a refusal code is a failure; rate codes are marked', () => {
    expect(robotOutcome('dingtalk', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(robotOutcome('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({ ok: false, error: 'dingtalk 310000: sign not match' });
    expect(robotOutcome('dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast"}')).toMatchObject({ ok: false, rateLimited: true });
    expect(robotOutcome('wecom', 200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toMatchObject({ ok: false, rateLimited: true });
    expect(robotOutcome('feishu', 200, '{"code":0,"msg":"success"}')).toEqual({ ok: true });
    expect(robotOutcome('feishu', 200, '{"StatusCode":0}')).toEqual({ ok: true });
    expect(robotOutcome('feishu', 200, '{"code":19021,"msg":"sign match fail"}')).toEqual({ ok: false, error: 'feishu 19021: sign match fail' });
    expect(robotOutcome('wecom', 502, 'bad gateway')).toEqual({ ok: false, error: 'HTTP 502' });
    expect(robotOutcome('wecom', 429, '')).toMatchObject({ rateLimited: true });
    expect(robotOutcome('wecom', 200, '<html>')).toMatchObject({ ok: false });
  });

  it('mails the same facts', () => {
    expect(mailOf(message, ['a@zone.cn'], 'https://zone.cn/p/')).toMatchObject({ to: ['a@zone.cn'], subject: '[zoneflow] 红灯：供地方案已逾期', text: expect.stringContaining('详情：https://zone.cn/p/prj-7') });
  });

  it('takes the facts a group message shows from the notice', () => {
    const project = { id: 'prj-7', name: '新能源', park: '汇通产业园', investor: { enterpriseId: 'e' } };
    const facts = (n: Notice) => factsOf(n);
    expect(facts({ kind: 'gate.open', project, to: 'committee_leader', gate: '落地转段', stage: 'SIGNING', dueDate: '2026-12-04' })).toEqual({ project: { id: 'prj-7', name: '新能源', park: '汇通产业园' }, item: '落地转段', dueDate: '2026-12-04' });
    expect(facts({ kind: 'letter.issued', project, inbox: 'DEPT#soe', number: '函1', subject: 's', replyBy: null })).toEqual({ project: { id: 'prj-7', name: '新能源', park: '汇通产业园' }, item: '函1' });
    expect(facts({ kind: 'workflow.failed', projectId: 'prj-7', execution: 'x', error: 'e', during: 'step' })).toEqual({});
  });
});

describe('delivery rules', () => {
  const retry = { baseSeconds: 30, maxSeconds: 600, giveUpHours: 24 };

  it('backs off from the base, doubling to the cap, with half of each wait random', () => {
    expect(backoffMs(1, retry, 0)).toBe(15_000);
    expect(backoffMs(1, retry, 1)).toBe(30_000);
    expect(backoffMs(2, retry, 0.5)).toBe(45_000);
    expect(backoffMs(6, retry, 1)).toBe(600_000);
    expect(backoffMs(60, retry, 0)).toBe(300_000);
  });

  it('waits for the oldest send to leave a full window; several windows all hold', () => {
    const minute = [{ messages: 3, seconds: 60 }];
    expect(rateWaitMs([0, 10_000], minute, 20_000)).toBe(0);
    expect(rateWaitMs([0, 10_000, 15_000], minute, 20_000)).toBe(40_000);
    expect(rateWaitMs([0, 10_000, 15_000], minute, 60_001)).toBe(0);
    const feishu = [{ messages: 5, seconds: 1 }, { messages: 100, seconds: 60 }];
    const burst = [100, 200, 300, 400, 500];
    expect(rateWaitMs(burst, feishu, 600)).toBe(500);
    expect(recentSends([...Array(150).keys()].map((i) => i * 100), feishu, 15_000)).toHaveLength(100);
    expect(recentSends([0, 70_000], feishu, 80_000)).toEqual([70_000]);
  });

  it('fails for good once the patience is spent, else schedules the next attempt', () => {
    const job = { attempts: 2, queuedAt: '2026-12-01T00:00:00.000Z' };
    expect(afterFailure(job, 'HTTP 500', new Date('2026-12-01T01:00:00Z'), retry, 0)).toEqual({ delivery: { status: 'pending', attempts: 3, lastError: 'HTTP 500' }, notBefore: '2026-12-01T01:01:00.000Z' });
    expect(afterFailure(job, 'HTTP 500', new Date('2026-12-02T00:00:00Z'), retry, 0)).toEqual({ delivery: { status: 'failed', attempts: 3, lastError: 'HTTP 500', at: '2026-12-02T00:00:00.000Z' } });
  });

  it('a job queued with its wall time waits and gives up on wall time: two business days in 1.5 real seconds spend no patience', () => {
    const job = { attempts: 2, queuedAt: '2026-12-01T00:00:00.000Z', queuedWallAt: '2026-12-05T10:00:00.000Z' };
    const wall = Date.parse('2026-12-05T10:00:01.500Z');
    // The business clock two days on (a day a second): still pending, its next attempt a minute of wall time away.
    expect(afterFailure(job, 'HTTP 500', new Date('2026-12-03T00:00:00Z'), retry, 0, wall)).toEqual({ delivery: { status: 'pending', attempts: 3, lastError: 'HTTP 500' }, retryAt: '2026-12-05T10:01:01.500Z' });
    // A day of wall time: failed for good, dated on the business clock.
    expect(afterFailure(job, 'HTTP 500', new Date('2026-12-03T00:00:00Z'), retry, 0, Date.parse('2026-12-06T10:00:00Z'))).toEqual({ delivery: { status: 'failed', attempts: 3, lastError: 'HTTP 500', at: '2026-12-03T00:00:00.000Z' } });
    // Waiting: a retryAt on wall time; an older job's notBefore on the business clock.
    const now = new Date('2026-12-03T00:00:00Z');
    expect(waiting({ retryAt: '2026-12-05T10:01:01.500Z' }, now, wall)).toBe(true);
    expect(waiting({ retryAt: '2026-12-05T10:01:01.500Z' }, now, Date.parse('2026-12-05T10:01:02Z'))).toBe(false);
    expect(waiting({ notBefore: '2026-12-03T00:00:01.000Z' }, now, wall)).toBe(true);
    expect(waiting({ notBefore: '2026-12-02T23:59:59.000Z' }, now, wall)).toBe(false);
    expect(waiting({}, now, wall)).toBe(false);
  });

  it('shows the in-app status of notifications written before channels existed', () => {
    expect(presentDelivery({ inApp: 'delivered' })).toEqual({ inApp: { status: 'delivered', attempts: 1 } });
    expect(presentDelivery({ inApp: { status: 'delivered', attempts: 1 }, robot: { status: 'pending', attempts: 0 } })).toEqual({ inApp: { status: 'delivered', attempts: 1 }, robot: { status: 'pending', attempts: 0 } });
    expect(presentDelivery(undefined)).toEqual({});
  });
});

describe('edges (mutation-tested)', () => {
  const { doc } = publish({
    robots: [{ id: 'r', platform: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', departments: ['ops'] }],
    email: [{ id: 'm', to: ['a@zone.cn'], departments: ['ops'] }],
  });

  it('finds a channel by id, robot or list, and nothing else', async () => {
    const { channelById } = await import('../../functions/notifications/domain/channels.ts');
    expect(channelById(doc, 'r')).toMatchObject({ type: 'robot', robot: { id: 'r', platform: 'feishu', rateLimits: [{ messages: 5, seconds: 1 }, { messages: 100, seconds: 60 }] } });
    expect(channelById(doc, 'm')).toMatchObject({ type: 'email', email: { id: 'm', rateLimits: [{ messages: 5, seconds: 1 }] } });
    expect(channelById(doc, 'x')).toBeUndefined();
  });

  it('tells departments from other inboxes exactly', () => {
    expect(departmentOf('OPS')).toEqual({ department: 'ops' });
    expect(departmentOf('DEPT#soe')).toEqual({ department: 'soe' });
    expect(departmentOf('DEPT#park_center')).toEqual({ department: 'park_center' });
    expect(departmentOf('DEPT#')).toBeUndefined();
    expect(departmentOf('ENTERPRISE#soe')).toBeUndefined();
    expect(departmentOf('USER#x')).toBeUndefined();
  });

  it('allows an extra host over https (plain http only to this machine), and nothing else on the platform host', () => {
    const local = { extraHosts: ['localhost'] };
    expect(webhookProblem('wecom', 'https://localhost/wecom', local)).toBeUndefined();
    expect(webhookProblem('wecom', 'http://localhost:3999/wecom', local)).toBeUndefined();
    expect(webhookProblem('wecom', 'ftp://localhost/wecom', local)).toBe('must be https');
    // A zone's gateway: https only (the robot's token is in its URL), whatever case the URL spells the host in.
    const gateway = { extraHosts: ['gw.zone.example.cn'] };
    expect(webhookProblem('dingtalk', 'https://GW.zone.example.cn/robot/send', gateway)).toBeUndefined();
    expect(webhookProblem('dingtalk', 'http://gw.zone.example.cn/robot/send', gateway)).toBe('must be https (plain http only to localhost)');
    expect(webhookProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', local)).toBeUndefined();
    expect(webhookProblem('feishu', 'https://open.feishu.cn.evil.example/hook', hosts)).toMatch(/open\.feishu\.cn or open\.larksuite\.com/);
  });

  it('refuses a robot faster than its platform, an enterprise audience and a kind no notice has', () => {
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, departments: ['ops'], rateLimit: { messages: 21, seconds: 60 } }] }))).toEqual(['doc.robots[0].rateLimit']);
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', departments: ['ops'], rateLimit: { messages: 6, seconds: 1 } }] }))).toEqual(['doc.robots[0].rateLimit']);
    expect(publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, departments: ['ops'], rateLimit: { messages: 10, seconds: 60 } }] }).doc.robots[0]!.rateLimits).toEqual([{ messages: 10, seconds: 60 }]);
    // A host the deployment allows (the local receiver) is not the platform: any rate.
    const local = publishChannels({ robots: [{ id: 'a', platform: 'dingtalk', url: 'http://localhost:3999/dingtalk', departments: ['ops'], rateLimit: { messages: 100, seconds: 1 } }] }, NO_CHANNELS, { extraHosts: ['localhost'] }, newName, NOW);
    expect(local.doc.robots[0]!.rateLimits).toEqual([{ messages: 100, seconds: 1 }]);
    expect(fieldsOf(() => publish({ email: [{ id: 'm', to: ['a@zone.cn'], departments: ['ops', 'enterprise'] }] }))).toEqual(['doc.email[0].departments']);
    expect(fieldsOf(() => publish({ email: [{ id: 'm', to: ['a@zone.cn'], departments: ['ops'], kinds: ['task.overdu', 'nothing.*', 'task.*', 'digest.daily'] }] }))).toEqual(['doc.email[0].kinds[0]', 'doc.email[0].kinds[1]']);
  });

  it('refuses a park that is not one of the zone’s (a misspelt park would match no notice); without the list, any', () => {
    const zone = { ...hosts, parks: ['汇通产业园', '科创城'] };
    const input = { email: [{ id: 'm', to: ['a@zone.cn'], departments: ['ops' as const], parks: ['汇通产业园', '汇通园'] }], robots: [{ id: 'r', platform: 'dingtalk' as const, url: DING, departments: ['ops' as const], parks: ['智造港'] }] };
    expect(fieldsOf(() => publishChannels(input, NO_CHANNELS, zone, newName, NOW))).toEqual(['doc.robots[0].parks[0]', 'doc.email[0].parks[1]']);
    expect(publishChannels({ email: [input.email[0]!] }, NO_CHANNELS, { ...zone, parks: ['汇通产业园', '汇通园'] }, newName, NOW).doc.email[0]!.parks).toEqual(['汇通产业园', '汇通园']);
    expect(publish(input).doc.robots[0]!.parks).toEqual(['智造港']);
  });

  const base: Message = { id: 'n', kind: 'gate.open', title: '转段待审', body: '请审批', createdAt: NOW.toISOString() };
  it('colours a Feishu card by what the notice means, and writes Feishu text', () => {
    const header = (kind: string) => (JSON.parse(robotRequest('feishu', 'markdown', { ...base, kind }, { url: 'https://open.feishu.cn/x' }, 0, hmac).body) as { card: { header: { template: string } } }).card.header.template;
    expect(header('gate.open')).toBe('blue');
    expect(header('task.yellow')).toBe('orange');
    expect(header('escalation.raised')).toBe('red');
    expect(JSON.parse(robotRequest('feishu', 'text', base, { url: 'https://open.feishu.cn/x' }, 0, hmac).body)).toEqual({ msg_type: 'text', content: { text: '【转段待审】\n请审批' } });
    const card = JSON.parse(robotRequest('feishu', 'markdown', { ...base, project: { id: 'p1', name: '项目' }, item: '落地转段', dueDate: '2026-12-04' }, { url: 'https://open.feishu.cn/x' }, 0, hmac, 'https://z.cn/p/').body) as { card: { elements: unknown[] } };
    expect(card.card.elements).toEqual([
      { tag: 'div', text: { tag: 'lark_md', content: '请审批\n**项目**：项目\n**事项**：落地转段\n**期限**：2026-12-04' } },
      { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: '查看详情' }, url: 'https://z.cn/p/p1', type: 'primary' }] },
    ]);
    const wecom = JSON.parse(robotRequest('wecom', 'markdown', base, { url: 'https://qyapi.weixin.qq.com/x' }, 0, hmac).body) as { markdown: { content: string } };
    expect(wecom.markdown.content).toBe('### 转段待审\n\n请审批\n');
    const ding = JSON.parse(robotRequest('dingtalk', 'markdown', { ...base, kind: 'task.overdue' }, { url: DING }, 0, hmac).body) as { markdown: { text: string } };
    expect(ding.markdown.text).toBe('### 转段待审\n\n请审批\n');
  });

  it('reads a 2xx only as taken, and a JSON answer without its code as refused', () => {
    expect(robotOutcome('dingtalk', 300, '{"errcode":0}')).toEqual({ ok: false, error: 'HTTP 300' });
    expect(robotOutcome('dingtalk', 199, '{"errcode":0}')).toEqual({ ok: false, error: 'HTTP 199' });
    expect(robotOutcome('dingtalk', 204, '{"errcode":0}')).toEqual({ ok: true });
    expect(robotOutcome('dingtalk', 200, '{}')).toEqual({ ok: false, error: 'dingtalk undefined: ' });
    expect(robotOutcome('feishu', 200, '{"code":11232,"msg":"frequency limited"}')).toEqual({ ok: false, error: 'feishu 11232: frequency limited', rateLimited: true });
  });

  it('counts a send exactly one window old as out of the window', () => {
    expect(rateWaitMs([0], [{ messages: 1, seconds: 1 }], 1000)).toBe(0);
    expect(rateWaitMs([1], [{ messages: 1, seconds: 1 }], 1000)).toBe(1);
    expect(recentSends([0, 500], [{ messages: 5, seconds: 1 }], 1000)).toEqual([500]);
    expect(presentDelivery({ old: 'failed', other: 'queued', broken: null })).toEqual({ old: { status: 'failed', attempts: 0 }, other: { status: 'pending', attempts: 0 } });
  });
});

describe('one group, one robot; no list names an entry twice', () => {
  const fingerprint = (url: string) => `fp:${url}`;
  const zone = { extraHosts: [], fingerprint };
  const robot = (id: string, url?: string) => ({ id, platform: 'dingtalk' as const, ...(url ? { url } : {}), departments: ['ops' as const] });

  it('refuses a second robot on a webhook another robot of the document posts to, sent together or kept', () => {
    expect(fieldsOf(() => publishChannels({ robots: [robot('a', DING), robot('b', 'https://oapi.dingtalk.com/robot/send?access_token=other'), robot('c', DING)] }, NO_CHANNELS, zone, newName, NOW))).toEqual(['doc.robots[2].url']);
    // The host in other letter case is the same webhook.
    expect(fieldsOf(() => publishChannels({ robots: [robot('a', DING), robot('b', DING.replace('oapi.dingtalk.com', 'OAPI.DingTalk.com'))] }, NO_CHANNELS, zone, newName, NOW))).toEqual(['doc.robots[1].url']);
    // Kept without its URL (its fingerprint stored, never shown), then a new robot on the same group.
    const { doc } = publishChannels({ robots: [robot('a', DING)] }, NO_CHANNELS, zone, newName, NOW);
    expect(doc.robots[0]!.urlFingerprint).toBe(`fp:${DING}`);
    expect(JSON.stringify(channelsView(doc))).not.toContain('fp:');
    expect(fieldsOf(() => publishChannels({ robots: [robot('a'), robot('b', DING)] }, doc, zone, newName, NOW))).toEqual(['doc.robots[1].url']);
    // Given a new webhook, the old one is free for another robot; the kept robot keeps its fingerprint.
    const moved = publishChannels({ robots: [robot('a', 'https://oapi.dingtalk.com/robot/send?access_token=new'), robot('b', DING)] }, doc, zone, newName, NOW).doc;
    expect(moved.robots.map((r) => r.urlFingerprint)).toEqual(['fp:https://oapi.dingtalk.com/robot/send?access_token=new', `fp:${DING}`]);
    expect(publishChannels({ robots: [robot('a'), robot('b')] }, moved, zone, newName, NOW).doc.robots.map((r) => r.urlFingerprint)).toEqual(moved.robots.map((r) => r.urlFingerprint));
  });

  it('refuses a department, park, kind or address listed twice, at the repeat', () => {
    const input = {
      robots: [{ ...robot('a', DING), departments: ['ops' as const, 'ops' as const], parks: ['汇通产业园', '汇通产业园'], kinds: ['task.yellow', 'task.*', 'task.yellow'] }],
      email: [{ id: 'm', to: ['sup@zone.cn', 'SUP@zone.cn'], departments: ['supervision_office' as const] }],
    };
    expect(fieldsOf(() => publish(input))).toEqual(['doc.robots[0].departments[1]', 'doc.robots[0].parks[1]', 'doc.robots[0].kinds[2]', 'doc.email[0].to[1]']);
  });
});

describe('the same webhook written another way', () => {
  it('is the same group: host case, default port, fragment, an empty parameter and parameter order do not make another', () => {
    const zone = { extraHosts: [], fingerprint: (url: string) => `fp:${url}` };
    const robot = (id: string, url: string) => ({ id, platform: 'dingtalk' as const, url, departments: ['ops' as const] });
    const base = 'https://oapi.dingtalk.com/robot/send?access_token=abc&x=1';
    for (const other of ['https://OAPI.dingtalk.com:443/robot/send?x=1&access_token=abc', `${base}#group`, `${base}&empty=`]) {
      expect(fieldsOf(() => publishChannels({ robots: [robot('a', base), robot('b', other)] }, NO_CHANNELS, zone, newName, NOW)), other).toEqual(['doc.robots[1].url']);
    }
    // Another token is another group.
    expect(publishChannels({ robots: [robot('a', base), robot('b', base.replace('abc', 'abd'))] }, NO_CHANNELS, zone, newName, NOW).doc.robots).toHaveLength(2);
  });
});

describe('what the URL parser would hide, and what AWS would refuse', () => {
  it('refuses a webhook on the platform host but another port, and an allowed host on a port it does not name', () => {
    expect(webhookProblem('dingtalk', 'https://oapi.dingtalk.com:8443/robot/send?access_token=abc', hosts)).toMatch(/port 443/);
    expect(webhookProblem('dingtalk', 'https://oapi.dingtalk.com:443/robot/send?access_token=abc', hosts)).toBeUndefined();
    const gateway = { extraHosts: ['gw.zone.example.cn', 'relay.zone.example.cn:8443', '[fd00::1]:9443'] };
    expect(webhookProblem('dingtalk', 'https://gw.zone.example.cn/robot/send', gateway)).toBeUndefined();
    expect(webhookProblem('dingtalk', 'https://gw.zone.example.cn:8443/robot/send', gateway)).toMatch(/on port 443 only, not 8443/);
    expect(webhookProblem('dingtalk', 'https://relay.zone.example.cn:8443/robot/send', gateway)).toBeUndefined();
    expect(webhookProblem('dingtalk', 'https://relay.zone.example.cn/robot/send', gateway)).toMatch(/on port 8443 only, not 443/);
    expect(webhookProblem('dingtalk', 'https://[fd00::1]:9443/robot/send', gateway)).toBeUndefined();
    // This machine: any port (the local receiver's).
    expect(webhookProblem('dingtalk', 'http://127.0.0.1:40123/dingtalk', { extraHosts: ['127.0.0.1'] })).toBeUndefined();
  });

  it('locally, allows a robot on this machine over plain http by name, IPv4 or IPv6 loopback — and no other host', () => {
    // As put-channels reads ROBOT_HOSTS_ALLOWED, which the local runtime sets to LOCAL_ROBOT_HOSTS.
    const local = { extraHosts: LOCAL_ROBOT_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) };
    for (const url of ['http://localhost:3999/wecom', 'http://127.0.0.1:3999/wecom', 'http://[::1]:3999/wecom', 'http://[::1]/dingtalk', 'https://[::1]:8443/wecom']) {
      expect(webhookProblem('wecom', url, local), url).toBeUndefined();
    }
    expect(webhookProblem('wecom', 'http://[::2]:3999/wecom', local)).toBe('must be https');
    expect(webhookProblem('wecom', 'http://[fd00::1]:3999/wecom', local)).toBe('must be https');
    expect(webhookProblem('wecom', 'http://127.0.0.2:3999/wecom', local)).toBe('must be https');
    expect(webhookProblem('wecom', 'http://[::ffff:7f00:1]:3999/wecom', local)).toBe('must be https');
  });

  it('refuses a url with a space, line break, tab, control character, ideographic space or backslash, and a secret with whitespace', () => {
    for (const bad of [`${DING} `, ` ${DING}`, `${DING}\n`, `${DING}\t1`, `${DING}\u0000`, `${DING}\u3000`, 'https://oapi.dingtalk.com\\robot/send?access_token=abc']) {
      expect(webhookProblem('dingtalk', bad, hosts), JSON.stringify(bad)).toBe('must not contain spaces, line breaks, control characters or backslashes');
    }
    for (const secret of ['SEC abc', 'SECabc\n', '\tSECabc', 'SEC\u3000abc']) {
      expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', url: DING, secret, departments: ['ops'] }] }))).toEqual(['doc.robots[0].secret']);
    }
  });

  it('refuses credentials over the secret store’s 4,096 bytes (UTF-8), naming the field that tips them over', () => {
    const longPath = (chars: number, ch = 'a') => `https://oapi.dingtalk.com/robot/send?access_token=${ch.repeat(chars)}`;
    // 1,400 characters of 汉 are 4,200 bytes: the url alone is too long.
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', url: longPath(1_400, '汉'), departments: ['ops'] }] }))).toEqual(['doc.robots[0].url']);
    // A url that fits (2,750 bytes), and a secret of 500 three-byte characters that tips it over: the secret.
    expect(fieldsOf(() => publish({ robots: [{ id: 'a', platform: 'dingtalk', url: longPath(900, '汉'), secret: '密'.repeat(500), departments: ['ops'] }] }))).toEqual(['doc.robots[0].secret']);
    // The same url with a secret of 500 one-byte characters: under, accepted.
    expect(publish({ robots: [{ id: 'a', platform: 'dingtalk', url: longPath(900, '汉'), secret: 's'.repeat(500), departments: ['ops'] }] }).writes).toHaveLength(1);
  });

  it('takes a linkBase that is an absolute http(s) URL without credentials (a fragment is fine)', () => {
    expect(publish({ linkBase: 'https://console.zone.cn/#/projects/' }).doc.linkBase).toBe('https://console.zone.cn/#/projects/');
    for (const linkBase of ['https://', 'https://user:pw@console.zone.cn/', 'http://a b/', 'https://console.zone.cn/\n', 'ftp://console.zone.cn/', '/projects/']) {
      expect(fieldsOf(() => publish({ linkBase })), linkBase).toEqual(['doc.linkBase']);
    }
  });
});
