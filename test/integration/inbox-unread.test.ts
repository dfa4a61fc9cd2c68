// The inbox's unread count (GET /me/notifications `unread`, `unreadByInbox`), on the real DynamoDB Local: counted from
// the sparse byUnread index, right while notices arrive and several people mark them read at once; notices stored
// before the index existed are put in it once by the bootstrap.
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, PARK_KECHUANG, users, type User } from '../support/events.ts';

const store = isolatedStore('inbox-unread');
const { handler: myNotifications } = await import('../../functions/notifications/http/my-notifications.ts');
const { handler: readNotification } = await import('../../functions/notifications/http/read-notification.ts');
const { transact, ConditionFailed } = await import('../../functions/kernel/store/client.ts');
const { inboxPut, indexUnreadOp } = await import('../../functions/notifications/store/inbox.ts');
const { ensureReferenceData } = await import('../../functions/reference/store/bootstrap.ts');
const { notificationId } = await import('../../functions/notifications/domain/inbox.ts');

/** A notice as stored before the unread index existed: no gsiUnread. */
function legacy(recipient: string, n: number, read = false) {
  const at = new Date(Date.UTC(2026, 10, 1, 0, n));
  const id = notificationId(at, 0);
  return {
    recipient,
    seq: `${at.toISOString()}#${id}`,
    id,
    kind: 'test',
    title: `legacy ${recipient} ${n}`,
    body: 'body',
    createdAt: at.toISOString(),
    delivery: {},
    read,
    ...(read ? { readAt: '2026-11-02T00:00:00.000Z', readBy: 'u-x' } : {}),
  };
}

type Item = { id: string; inbox: string; title: string; read: boolean };
type Page = { items: Item[]; nextCursor: string | null; unread: number; unreadByInbox: Record<string, number> };

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

const inbox = (as: User, query: Record<string, string> = {}) => call<Page>(myNotifications, apiEvent('GET /me/notifications', { as, query }));
const markRead = (as: User, id: string) => call<Item>(readNotification, apiEvent('POST /me/notifications/{id}/read', { as, params: { id } }));
let minute = 0;
/** Notices to one inbox, each at its own minute (ids and order as the inbox makes them). */
const send = (recipient: string, n: number, title = recipient) =>
  transact(Array.from({ length: n }, (_, i) => inboxPut({ recipient, kind: 'test', title: `${title}@${i}`, body: 'body' }, new Date(Date.UTC(2026, 10, 20, 0, ++minute)))));
/** The keys the unread index holds for an inbox, as stored. */
const indexed = async (recipient: string) =>
  ((await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, IndexName: 'byUnread', KeyConditionExpression: 'gsiUnread = :r', ExpressionAttributeValues: { ':r': recipient } }))).Items ?? []).map((i) => String(i.seq)).sort();
/** The seqs of an inbox's notices stored unread (the truth the index must follow). */
const storedUnread = async (recipient: string) =>
  ((await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': recipient }, ConsistentRead: true }))).Items ?? [])
    .filter((i) => i.read === false)
    .map((i) => String(i.seq))
    .sort();

describe('GET /me/notifications counts my unread notices', () => {
  it('in total and per inbox I read, on every page, whatever the page size; marking one read counts it no more', async () => {
    await send('DEPT#soe', 3);
    await send('USER#u-soe-1', 2);
    await send('DEPT#eco_bureau', 4); // not the soe officer's

    const first = await inbox(users.soeOfficer, { limit: '2' });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ unread: 5, unreadByInbox: { 'DEPT#soe': 3, 'USER#u-soe-1': 2 } });
    expect(Object.keys(first.body.unreadByInbox).sort()).toEqual(['DEPT#soe', 'USER#u-soe-1']);
    const second = await inbox(users.soeOfficer, { limit: '2', cursor: first.body.nextCursor! });
    expect(second.body).toMatchObject({ unread: 5, unreadByInbox: { 'DEPT#soe': 3, 'USER#u-soe-1': 2 } });

    expect((await markRead(users.soeOfficer, first.body.items[0]!.id)).status).toBe(200);
    expect((await markRead(users.soeOfficer, first.body.items[0]!.id)).status).toBe(200); // again: changes nothing
    const after = await inbox(users.soeOfficer);
    expect(after.body.unread).toBe(4);
    expect(after.body.items.filter((n) => !n.read)).toHaveLength(4);
    // Another inbox's count is its own; one with nothing unread counts 0.
    expect((await inbox(users.ecoOfficer)).body).toMatchObject({ unread: 4, unreadByInbox: { 'DEPT#eco_bureau': 4, 'USER#u-eco-1': 0 } });
    expect((await inbox(users.enterpriseB)).body).toMatchObject({ unread: 0, unreadByInbox: { 'ENTERPRISE#ent-b': 0, 'USER#u-ent-b': 0 } });
  });

  it('stays exact under 10 parallel mark-reads of one notice and of different ones, while notices arrive', async () => {
    const box = 'DEPT#resources_bureau';
    await send(box, 12);
    const items = (await inbox(users.resourcesOfficer, { limit: '100' })).body.items;
    expect(items).toHaveLength(12);
    const same = items[0]!.id;
    const different = items.slice(1, 11).map((n) => n.id);
    const replies = await Promise.all([
      ...Array.from({ length: 10 }, () => markRead(users.resourcesOfficer, same)),
      ...different.map((id) => markRead(users.resourcesOfficer, id)),
      // Notices arriving meanwhile, each change's transaction on its own item (no counter to contend on).
      ...Array.from({ length: 5 }, (_, i) => send(box, 1, `arriving-${i}`).then(() => ({ status: 200, body: { read: true } }))),
    ]);
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    // 12 + 5 arrived, 11 marked read (one of them ten times over): 6 unread, as stored and as indexed.
    expect(await storedUnread(box)).toHaveLength(6);
    expect(await indexed(box)).toEqual(await storedUnread(box));
    const page = await inbox(users.resourcesOfficer, { limit: '100' });
    expect(page.body.unread).toBe(6);
    expect(page.body.unreadByInbox[box]).toBe(6);
    expect(page.body.items.filter((n) => !n.read).map((n) => n.title).sort()).toEqual([items[11]!.title, ...Array.from({ length: 5 }, (_, i) => `arriving-${i}@0`)].sort());
  });

  it('lists the unread notices only with unread=true: newest first across my inboxes, paged, one marked read left out', async () => {
    const officer: User = { sub: 'u-constr-1', name: '建设管理部', roles: ['construction_dept'] };
    await send('DEPT#construction_dept', 4, 'dept');
    await send('USER#u-constr-1', 3, 'mine');
    const all = (await inbox(officer, { limit: '100' })).body.items;
    expect(all).toHaveLength(7);
    // Two read before listing, one (the newest unread) marked read between pages.
    await markRead(officer, all[1]!.id);
    await markRead(officer, all[4]!.id);
    const expected = all.filter((_, i) => i !== 1 && i !== 4).map((n) => n.title);
    const first = await inbox(officer, { unread: 'true', limit: '2' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((n) => n.title)).toEqual(expected.slice(0, 2));
    expect(first.body.items.every((n) => !n.read)).toBe(true);
    expect(first.body.unread).toBe(5);
    const seen = [...first.body.items.map((n) => n.title)];
    await markRead(officer, all.find((n) => n.title === expected[2])!.id);
    for (let cursor = first.body.nextCursor; cursor !== null; ) {
      const page = await inbox(officer, { unread: 'true', limit: '2', cursor });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((n) => n.title));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(expected.filter((t) => t !== expected[2]));
    // unread=false is the whole inbox; a cursor of one list is not the other's; anything else is a 400 on unread.
    expect((await inbox(officer, { unread: 'false', limit: '100' })).body.items).toHaveLength(7);
    const other = await inbox(officer, { limit: '2', cursor: first.body.nextCursor! });
    expect(other.status).toBe(400);
    const bad = await inbox(officer, { unread: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('unread');
  });

  it('keeps unread=true newest first across my inboxes while the index still lists notices just marked read', async () => {
    // On AWS the byUnread index follows a mark-read about a second later: a page of index entries may then hold notices
    // already read, left out after the BatchGet. One inbox's page so thinned must not let another inbox's older notice
    // ahead of its own notices not read yet (helper-109 saw u2 listed before d1).
    const officer: User = { sub: 'u-lag-1', name: '科技服务中心', roles: ['scitech_dept'] };
    await send('USER#u-lag-1', 2, 'u');
    await send('DEPT#scitech_dept', 3, 'd');
    const all = (await inbox(officer, { limit: '100' })).body.items.map((n) => n.title);
    expect(all).toEqual(['d@2', 'd@1', 'd@0', 'u@1', 'u@0']);
    // d@1 read, its index entry not yet gone (as the index lags on AWS).
    const stored = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'DEPT#scitech_dept' } }))).Items!;
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX, Item: { ...stored.find((i) => i.title === 'd@1')!, read: true, readAt: '2026-11-21T00:00:00.000Z', readBy: 'u-x' } }));
    const seen: string[] = [];
    for (let cursor: string | null | undefined, pages = 0; cursor !== null && pages < 10; pages++) {
      const page = await inbox(officer, { unread: 'true', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((n) => n.title));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(['d@2', 'd@0', 'u@1', 'u@0']);
  });

  it('answers no empty page with a cursor while the index still lists a page of notices just marked read', async () => {
    const officer: User = { sub: 'u-lag-2', name: '产业规划与创新管理部', roles: ['investment_dept'] };
    await send('USER#u-lag-2', 2, 'mine');
    await send('DEPT#investment_dept', 3, 'dept');
    const stored = (await store.doc.send(new QueryCommand({ TableName: store.tables.TABLE_INBOX, KeyConditionExpression: 'recipient = :r', ExpressionAttributeValues: { ':r': 'DEPT#investment_dept' } }))).Items!;
    // All three of the department's marked read, their index entries not yet gone (as the index lags on AWS).
    for (const item of stored) await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX, Item: { ...item, read: true, readAt: '2026-11-21T00:00:00.000Z', readBy: 'u-x' } }));
    const first = await inbox(officer, { unread: 'true', limit: '2' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((n) => n.title)).toEqual(['mine@1', 'mine@0']);
  });

  it('counts a thousand unread notices of one inbox', async () => {
    const box = 'DEPT#approval_office';
    for (let i = 0; i < 40; i++) await send(box, 25);
    expect((await inbox({ sub: 'u-appr-1', name: '审批局', roles: ['approval_office'] })).body.unread).toBe(1000);
  });
});

describe('notices stored before the unread index existed', () => {
  it('are put in it once by the bootstrap (unread ones of every inbox users read), then counted; the back-fill is marked done', async () => {
    const parkCenter = `DEPT#park_center#${PARK_KECHUANG}`;
    const items = [legacy('DEPT#discipline_office', 1), legacy('DEPT#discipline_office', 2), legacy('DEPT#discipline_office', 3, true), legacy('OPS', 4), legacy(parkCenter, 5), legacy('DEPT#resources_bureau#科创城', 6)];
    for (const item of items) await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX, Item: item }));
    await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_REFERENCE, Key: { pk: 'MIGRATION', sk: 'inbox-unread-index' } }));
    expect((await inbox(users.disciplineInspector)).body.unread).toBe(0);

    expect(await ensureReferenceData(new Date())).toMatchObject({ unreadIndexed: 4, unreadIndexFinished: true });

    expect((await inbox(users.disciplineInspector)).body).toMatchObject({ unread: 2, unreadByInbox: { 'DEPT#discipline_office': 2 } });
    expect((await inbox(users.opsEngineer)).body.unread).toBe(1);
    expect((await inbox(users.kechuangParkCenter)).body.unread).toBe(1);
    // Marked read after the back-fill: out of the index again.
    const notice = (await inbox(users.disciplineInspector)).body.items.find((n) => !n.read)!;
    await markRead(users.disciplineInspector, notice.id);
    expect((await inbox(users.disciplineInspector)).body.unread).toBe(1);
    // Done: a later start does not look again.
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX, Item: legacy('DEPT#discipline_office', 7) }));
    expect(await ensureReferenceData(new Date())).toMatchObject({ unreadIndexed: 0, unreadIndexFinished: true });
  });

  it('leaves out a notice marked read between the back-fill’s reading and its write', async () => {
    const item = legacy('DEPT#supervision_office', 9);
    const key = { recipient: item.recipient, seq: item.seq };
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_INBOX, Item: item }));
    expect((await markRead(users.supervisionOfficer, item.id)).body).toMatchObject({ read: true });
    await expect(transact([indexUnreadOp(key)])).rejects.toBeInstanceOf(ConditionFailed);
    expect(await indexed('DEPT#supervision_office')).toEqual([]);
  });
});
