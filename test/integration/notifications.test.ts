// GET /me/notifications — my inbox: every inbox I read (department per role, my park's center, my enterprise, ops,
// my own) merged newest first, paged with one cursor that only I can use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_HUITONG, PARK_KECHUANG, users, type User } from '../support/events.ts';

const store = isolatedStore('notifications');
const { handler: myNotifications } = await import('../../functions/notifications/http/my-notifications.ts');
const { handler: readNotification } = await import('../../functions/notifications/http/read-notification.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { inboxPut } = await import('../../functions/notifications/store/inbox.ts');

type Item = { id: string; inbox: string; kind: string; title: string; createdAt: string; read: boolean; readAt: string | null; readBy: string | null };
type Page = { items: Item[]; nextCursor: string | null };

/** One notice per (inbox, minute): titles name both, so a test can say exactly which it expects, in which order. */
const SENT: [string, number][] = [
  ['DEPT#investment_dept', 1],
  ['USER#u-invest-1', 2],
  ['DEPT#investment_dept', 3],
  [`DEPT#park_center#${PARK_HUITONG}`, 4],
  [`DEPT#park_center#${PARK_KECHUANG}`, 5],
  ['ENTERPRISE#ent-a', 6],
  ['DEPT#investment_dept', 7],
  ['OPS', 8],
  ['USER#u-invest-1', 9],
  ['DEPT#scitech_dept', 10],
];
const title = ([inbox, minute]: [string, number]) => `${inbox}@${minute}`;

beforeAll(async () => {
  await store.createTables();
  await transact(
    SENT.map((n) =>
      inboxPut({ recipient: n[0], kind: 'test', projectId: 'prj-test', title: title(n), body: 'body' }, new Date(Date.UTC(2026, 10, 26, 8, n[1]))),
    ),
  );
});
afterAll(() => store.destroy());

const inbox = (as: User | null, query: Record<string, string> = {}) => call<Page>(myNotifications, apiEvent('GET /me/notifications', { as, query }));
/** Titles expected for a user: the notices of the inboxes they read, newest first. */
const expected = (...inboxes: string[]) => SENT.filter(([i]) => inboxes.includes(i)).sort((a, b) => b[1] - a[1]).map(title);

describe('GET /me/notifications', () => {
  it('merges my department inbox and my own, newest first', async () => {
    const reply = await inbox(users.investmentOfficer);

    expect(reply.status).toBe(200);
    expect(reply.body.items.map((n) => n.title)).toEqual(expected('DEPT#investment_dept', 'USER#u-invest-1'));
    expect(reply.body.items[0]).toMatchObject({ inbox: 'USER#u-invest-1', kind: 'test', read: false, createdAt: '2026-11-26T08:09:00.000Z', en: null });
    expect(reply.body.nextCursor).toBeNull();
  });

  it("shows a park's service center only its own park, an enterprise only its own, ops the ops inbox", async () => {
    expect((await inbox(users.huitongParkCenter)).body.items.map((n) => n.title)).toEqual(expected(`DEPT#park_center#${PARK_HUITONG}`));
    expect((await inbox(users.kechuangParkCenter)).body.items.map((n) => n.title)).toEqual(expected(`DEPT#park_center#${PARK_KECHUANG}`));
    expect((await inbox(users.enterpriseA)).body.items.map((n) => n.title)).toEqual(expected('ENTERPRISE#ent-a'));
    expect((await inbox(users.enterpriseB)).body.items).toEqual([]);
    expect((await inbox(users.opsEngineer)).body.items.map((n) => n.title)).toEqual(expected('OPS'));
  });

  it('reads every inbox of a user with several roles', async () => {
    const both: User = { sub: 'u-both', name: '兼任', roles: ['investment_dept', 'scitech_dept'] };
    expect((await inbox(both)).body.items.map((n) => n.title)).toEqual(expected('DEPT#investment_dept', 'DEPT#scitech_dept'));
  });

  it('pages through the merged list without repeating or skipping a notice', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const reply = await inbox(users.investmentOfficer, { limit: '2', ...(cursor ? { cursor } : {}) });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.items.map((n) => n.title));
      if (!reply.body.nextCursor) break;
      cursor = reply.body.nextCursor;
    }
    expect(seen).toEqual(expected('DEPT#investment_dept', 'USER#u-invest-1'));
  });

  it("refuses another user's cursor and a tampered one with a 400 on cursor", async () => {
    const mine = (await inbox(users.investmentOfficer, { limit: '1' })).body.nextCursor ?? '';
    expectProblem(await inbox(users.scitechOfficer, { cursor: mine }), 400, ['query.cursor']);
    expectProblem(await inbox(users.investmentOfficer, { cursor: 'not-a-cursor' }), 400, ['query.cursor']);
    const forged = Buffer.from(JSON.stringify({ i: 'me/notifications', p: { 'DEPT#investment_dept': 'x' } })).toString('base64url');
    expectProblem(await inbox(users.investmentOfficer, { cursor: forged }), 400, ['query.cursor']);
  });

  it('needs a token, and refuses unknown query parameters and an unread that is not true or false', async () => {
    expectProblem(await inbox(null), 401);
    expectProblem(await inbox(users.investmentOfficer, { kind: 'task.overdue' }), 400, ['query.kind']);
    expectProblem(await inbox(users.investmentOfficer, { unread: 'yes' }), 400, ['query.unread']);
  });
});

describe('POST /me/notifications/{id}/read', () => {
  const markRead = (as: User | null, id: string) => call<Item>(readNotification, apiEvent('POST /me/notifications/{id}/read', { as, params: { id } }));
  const at = new Date(Date.UTC(2026, 10, 27, 2, 0));
  const digestId = 'dg20261127' + '0123456789abcdef';

  beforeAll(async () => {
    await transact([
      inboxPut({ recipient: 'DEPT#eco_bureau', kind: 'test', projectId: 'prj-test', title: 'eco@1', body: 'body' }, at),
      inboxPut({ recipient: 'USER#u-eco-1', kind: 'test', title: 'eco-own@2', body: 'body', en: { title: 'own, in English', body: 'the body in English' } }, new Date(at.getTime() + 60_000)),
      // A day's digest: its id is fixed by the day (supervision/digest.ts), its instant 08:30 Shanghai.
      inboxPut({ id: digestId, recipient: 'DEPT#eco_bureau', kind: 'digest.daily', title: 'digest', body: 'body' }, new Date('2026-11-27T08:30:00+08:00')),
    ]);
  });

  it('marks a notice of my department read, with who and when, for everyone who reads that inbox; again changes nothing', async () => {
    const list = (await inbox(users.ecoOfficer)).body.items;
    const notice = list.find((n) => n.title === 'eco@1')!;
    expect(notice).toMatchObject({ read: false, readAt: null, readBy: null });
    const first = await markRead(users.ecoOfficer, notice.id);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ id: notice.id, inbox: 'DEPT#eco_bureau', read: true, readBy: 'u-eco-1' });
    expect(first.body.readAt).toEqual(expect.any(String));
    const again = await markRead(users.ecoOfficer, notice.id);
    expect(again.body).toEqual(first.body);
    // The list shows it read; the other notices stay unread.
    const after = (await inbox(users.ecoOfficer)).body.items;
    expect(after.find((n) => n.id === notice.id)).toMatchObject({ read: true, readBy: 'u-eco-1', readAt: first.body.readAt });
    expect(after.filter((n) => n.id !== notice.id).every((n) => !n.read)).toBe(true);
  });

  it('finds my own notices and a day’s digest by their ids', async () => {
    const list = (await inbox(users.ecoOfficer)).body.items;
    const own = list.find((n) => n.title === 'eco-own@2')!;
    expect((await markRead(users.ecoOfficer, own.id)).body).toMatchObject({ inbox: 'USER#u-eco-1', read: true, en: { title: 'own, in English', body: 'the body in English' } });
    expect((await markRead(users.ecoOfficer, digestId)).body).toMatchObject({ id: digestId, kind: 'digest.daily', read: true });
  });

  it('is 404 for another inbox’s notice (never revealed, never marked), an unknown id, and 400 for a malformed one', async () => {
    const theirs = (await inbox(users.investmentOfficer)).body.items[0]!;
    expectProblem(await markRead(users.ecoOfficer, theirs.id), 404);
    expectProblem(await markRead(users.enterpriseB, theirs.id), 404);
    expect((await inbox(users.investmentOfficer)).body.items[0]).toMatchObject({ id: theirs.id, read: false });
    expectProblem(await markRead(users.ecoOfficer, 'mhzzzzzz000aaaaa'), 404);
    expectProblem(await markRead(users.ecoOfficer, 'dg20261128' + '0123456789abcdef'), 404);
    expectProblem(await markRead(users.ecoOfficer, 'NOT-AN-ID'), 400, ['path.id']);
    expectProblem(await markRead(null, theirs.id), 401);
  });
});
