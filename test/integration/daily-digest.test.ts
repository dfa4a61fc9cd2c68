// The daily digest 每日提醒 end to end: two projects created and admitted through the real handlers on Monday 21
// September 2026, their lifecycles running on the real ASL in the embedded runner; a letter to the resources bureau
// awaiting its reply and one it answered. The job, run for a working day, tells each department with something to tell
// in its inbox (GET /me/notifications) and no other; a second run that day writes nothing; a Saturday and a day of
// National Day get nothing; the Saturday worked for National Day (调休, 10 October) gets its digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, projectBody, users, type Handler, type User } from '../support/events.ts';
import { lifecycleApi } from '../support/lifecycle-api.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import type { DigestReport } from '../../functions/supervision/digest.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // Business time from Monday 21 September 2026, 09:00 in Shanghai, at real speed: the projects start that day.
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

const load = async (file: string) => ((await import(file)) as { handler: Handler }).handler;
type Notification = { id: string; inbox: string; kind: string; title: string; body: string; createdAt: string };
type Page = { items: Notification[]; nextCursor: string | null };

async function digestsOf(user: User): Promise<Notification[]> {
  const myNotifications = await load('../../functions/notifications/http/my-notifications.ts');
  const reply = await call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: user, query: { limit: '100' } }));
  expect(reply.status, reply.text).toBe(200);
  return reply.body.items.filter((n) => n.kind === 'digest.daily');
}

async function runDigest(at: string): Promise<DigestReport> {
  const { handler } = await import('../../functions/supervision/steps/daily-digest.ts');
  return handler({ at: new Date(at).toISOString() });
}

/** A project created by the investment department and admitted by it, its SIGNING tasks entered by the workflow. */
async function admittedProject(name: string, siteMode: 'land' | 'lease') {
  const [create, admit] = await Promise.all([load('../../functions/projects/http/create-project.ts'), load('../../functions/projects/http/decide-admission.ts')]);
  const created = await call<{ id: string }>(create, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name, siteMode, totalInvestmentCny: 300_000_000 }) }));
  expect(created.status, created.text).toBe(201);
  const admitted = await call(admit, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created.body.id }, body: { decision: 'approve' } }));
  expect(admitted.status, admitted.text).toBe(200);
  const api = await lifecycleApi({ id: created.body.id, park: PARK_HUITONG, enterpriseId: 'ent-a' });
  await until(async () => ((await api.tasks()).some((t) => t.code === 'pre_site_selection' && t.startedDate) ? true : undefined));
  return { id: created.body.id, api };
}

beforeAll(async () => {
  // 电池项目 (摘地): its 预选址 (investment department, 5 working days) is due Tuesday 29 September.
  await admittedProject('电池项目', 'land');
  // 电机项目 (租赁厂房): 预选址 done at once, so the park center's 厂房匹配 and the resources bureau's 规划设计条件 (10
  // working days each) run to Monday 12 October.
  const motor = await admittedProject('电机项目', 'lease');
  const preSite = (await motor.api.tasks()).find((t) => t.code === 'pre_site_selection')!;
  const done = await motor.api.complete(preSite);
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  const matching = await until(async () => (await motor.api.tasks()).find((t) => t.code === 'factory_matching' && t.startedDate));
  expect(matching).toMatchObject({ lead: 'park_center', dueDate: '2026-10-12' });

  // Two urging letters to the resources bureau (reply within 5 working days: by 29 September); it answers the second.
  const [send, ack] = await Promise.all([load('../../functions/supervision/http/send-letter.ts'), load('../../functions/supervision/http/ack-letter.ts')]);
  const letter = (subject: string) =>
    call<{ id: string; replyBy: string }>(send, apiEvent('POST /projects/{id}/letters', { as: users.supervisionOfficer, params: { id: motor.id }, body: { series: 'urging', to: { kind: 'department', role: 'resources_bureau' }, subject, body: '请说明办理进度。' } }));
  const first = await letter('关于加快出具规划设计条件的函');
  expect(first.status, first.text).toBe(201);
  expect(first.body.replyBy).toBe('2026-09-29');
  const second = await letter('关于核实地块信息的函');
  const answered = await call(ack, apiEvent('POST /letters/{id}/ack', { as: users.resourcesOfficer, params: { id: second.body.id }, body: { reply: '已核实。' } }));
  expect(answered.status, answered.text).toBe(200);
}, 120_000);

describe('the daily digest 每日提醒', () => {
  it('tells each department with something to tell, in its inbox, on a working day — and no other', async () => {
    const report = await runDigest('2026-09-29T08:30:00+08:00');

    expect(report).toMatchObject({ date: '2026-09-29', toTell: 2, sent: 2 });
    expect(report.skipped).toBeUndefined();
    const invest = await digestsOf(users.investmentOfficer);
    expect(invest).toHaveLength(1);
    expect(invest[0]).toMatchObject({
      inbox: 'DEPT#investment_dept',
      title: '每日提醒2026-09-29：到期1项，黄灯0项，红灯0项，待复函0件',
      body: '产业规划与创新管理部：【今日到期】电池项目·预选址（期限2026-09-29）。',
      createdAt: '2026-09-29T00:30:00.000Z',
    });
    // The answered letter is not awaiting a reply.
    expect((await digestsOf(users.resourcesOfficer)).map((n) => [n.title, n.body])).toEqual([
      ['每日提醒2026-09-29：到期0项，黄灯0项，红灯0项，待复函1件', '规划和自然资源局开发区分局：【待复函】电机项目·晋综开督函〔2026〕1号（回复期限2026-09-29）。'],
    ]);
    // 厂房匹配, due 12 October, is beyond the yellow light's three working days (30 September, 8 and 9 October).
    expect(await digestsOf(users.huitongParkCenter)).toEqual([]);
    expect(await digestsOf(users.ecoOfficer)).toEqual([]);
  });

  it('writes nothing twice when it runs again that day, and pages like any notice', async () => {
    const again = await runDigest('2026-09-29T10:00:00+08:00');

    expect(again).toMatchObject({ toTell: 2, sent: 0 });
    expect(await digestsOf(users.investmentOfficer)).toHaveLength(1);
    expect(await digestsOf(users.resourcesOfficer)).toHaveLength(1);
    // A cursor that stops on a digest is a valid position in the inbox.
    const myNotifications = await load('../../functions/notifications/http/my-notifications.ts');
    const first = await call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: users.investmentOfficer, query: { limit: '1' } }));
    expect(first.body.items[0]?.kind).toBe('digest.daily');
    const next = await call<Page>(myNotifications, apiEvent('GET /me/notifications', { as: users.investmentOfficer, query: { limit: '1', cursor: first.body.nextCursor ?? '' } }));
    expect(next.status, next.text).toBe(200);
  });

  it('sends nothing before its hour: the scheduled run of the day sends it', async () => {
    expect(await runDigest('2026-09-30T07:00:00+08:00')).toMatchObject({ date: '2026-09-30', skipped: 'before_digest_time', sent: 0 });
    expect(await digestsOf(users.investmentOfficer)).toHaveLength(1);
  });

  it('sends nothing on a Saturday or on a statutory holiday, though items are overdue', async () => {
    expect(await runDigest('2026-10-17T08:30:00+08:00')).toMatchObject({ date: '2026-10-17', skipped: 'not_a_working_day', sent: 0 });
    expect(await runDigest('2026-10-05T08:30:00+08:00')).toMatchObject({ date: '2026-10-05', skipped: 'not_a_working_day', sent: 0 });

    expect(await digestsOf(users.investmentOfficer)).toHaveLength(1);
    expect(await digestsOf(users.resourcesOfficer)).toHaveLength(1);
    expect(await digestsOf(users.huitongParkCenter)).toEqual([]);
  });

  it('sends on the Saturday worked for National Day (调休): red, yellow and an overdue letter', async () => {
    const report = await runDigest('2026-10-10T08:30:00+08:00');

    expect(report).toMatchObject({ date: '2026-10-10', toTell: 3, sent: 3 });
    expect((await digestsOf(users.investmentOfficer))[0]).toMatchObject({
      title: '每日提醒2026-10-10：到期0项，黄灯0项，红灯1项，待复函0件',
      body: '产业规划与创新管理部：【红灯】电池项目·预选址（期限2026-09-29）。',
    });
    expect(await digestsOf(users.huitongParkCenter)).toEqual([
      expect.objectContaining({
        inbox: `DEPT#park_center#${PARK_HUITONG}`,
        title: '每日提醒2026-10-10：到期0项，黄灯1项，红灯0项，待复函0件',
        body: `${PARK_HUITONG}园区事业服务中心：【黄灯】电机项目·厂房匹配（期限2026-10-12）。`,
      }),
    ]);
    // The bureau's 规划设计条件 of 电机项目 started with 厂房匹配: yellow too.
    expect((await digestsOf(users.resourcesOfficer))[0]).toMatchObject({
      title: '每日提醒2026-10-10：到期0项，黄灯1项，红灯0项，待复函1件',
      body: '规划和自然资源局开发区分局：【黄灯】电机项目·规划设计条件（期限2026-10-12）；【待复函】电机项目·晋综开督函〔2026〕1号（回复期限2026-09-29，已逾期）。',
    });
    // Another park's service center reads none of it.
    expect(await digestsOf(users.kechuangParkCenter)).toEqual([]);
  });

  it('gives a department’s channel limited to a park the digest of that park’s projects alone, outside the in-app inbox', async () => {
    const [create, send, putChannels] = await Promise.all([
      load('../../functions/projects/http/create-project.ts'),
      load('../../functions/supervision/http/send-letter.ts'),
      load('../../functions/notifications/http/put-channels.ts'),
    ]);
    // A 科创城 project the resources bureau is urged about: in its whole digest, not in 汇通's.
    const kc = await call<{ id: string }>(create, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ name: '光模块项目', park: PARK_KECHUANG }) }));
    expect(kc.status, kc.text).toBe(201);
    const urged = await call(send, apiEvent('POST /projects/{id}/letters', { as: users.supervisionOfficer, params: { id: kc.body.id }, body: { series: 'urging', to: { kind: 'department', role: 'resources_bureau' }, subject: '关于科创城地块的函', body: '请说明。' } }));
    expect(urged.status, urged.text).toBe(201);
    const published = await call(putChannels, apiEvent('PUT /config/channels', {
      as: users.opsEngineer,
      headers: { 'if-match': '"0"' },
      body: { doc: { email: [
        { id: 'land-ht-mail', to: ['land-ht@zone.example.cn'], departments: ['resources_bureau'], parks: [PARK_HUITONG], kinds: ['digest.daily'] },
        { id: 'land-all-mail', to: ['land@zone.example.cn'], departments: ['resources_bureau'], kinds: ['digest.daily'] },
      ] } },
    }));
    expect(published.status, published.text).toBe(200);

    const report = await runDigest('2026-10-12T08:30:00+08:00');
    // investment, the bureau, 汇通's center — and the bureau's digest of 汇通's projects.
    expect(report).toMatchObject({ date: '2026-10-12', toTell: 4, sent: 4 });
    const whole = (await digestsOf(users.resourcesOfficer)).find((n) => n.createdAt.startsWith('2026-10-12'))!;
    expect(whole.title).toBe('每日提醒2026-10-12：到期1项，黄灯0项，红灯0项，待复函2件');
    expect(whole.body).toContain('光模块项目');
    // The 汇通 digest: 电机项目's 规划设计条件 due today and its letter; not the 科创城 letter. No user's inbox shows it.
    const { queryInbox } = await import('../../functions/notifications/store/inbox.ts');
    const { parkDigestInbox } = await import('../../functions/notifications/domain/channels.ts');
    const scoped = (await queryInbox(parkDigestInbox('resources_bureau', PARK_HUITONG), 10)).items;
    expect(scoped.map((n) => [n.kind, n.title])).toEqual([['digest.daily', '每日提醒2026-10-12：到期1项，黄灯0项，红灯0项，待复函1件']]);
    expect(scoped[0]!.body).toMatch(new RegExp(`^规划和自然资源局开发区分局（${PARK_HUITONG}）：【今日到期】电机项目·规划设计条件`));
    expect(scoped[0]!.body).not.toContain('光模块项目');
    expect((await digestsOf(users.resourcesOfficer)).filter((n) => n.createdAt.startsWith('2026-10-12'))).toHaveLength(1);
    // Routed (from the inbox's stream) to the 汇通 list only; the whole digest to the whole department's list only.
    const channelsOf = async (recipient: string) => {
      const item = (await queryInbox(recipient, 10)).items.find((n) => n.kind === 'digest.daily' && n.createdAt.startsWith('2026-10-12'))!;
      return Object.keys(item.delivery).filter((c) => c !== 'inApp');
    };
    await until(async () => ((await channelsOf(parkDigestInbox('resources_bureau', PARK_HUITONG))).length > 0 && (await channelsOf('DEPT#resources_bureau')).length > 0 ? true : undefined));
    expect(await channelsOf(parkDigestInbox('resources_bureau', PARK_HUITONG))).toEqual(['land-ht-mail']);
    expect(await channelsOf('DEPT#resources_bureau')).toEqual(['land-all-mail']);
  });
});
