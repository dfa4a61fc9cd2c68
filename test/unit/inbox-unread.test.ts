// The inbox's unread index as the writes keep it: a notice is written in it (sparse `gsiUnread`, its inbox) when a user
// reads its inbox, and marking it read takes it out in the same conditional write — no counter item that every notice's
// transaction would contend on.
import { describe, expect, it, vi } from 'vitest';
process.env.TABLE_INBOX ??= 'inbox';
const { countUnread, indexUnreadOp, inboxPut } = await import('../../functions/notifications/store/inbox.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');
const { TABLES, projectionOf } = await import('../../functions/kernel/store/tables.ts');

const AT = new Date('2026-12-01T01:00:00Z');
const put = (recipient: string) => inboxPut({ recipient, kind: 'test', title: 't', body: 'b' }, AT).item.Put!;

describe('the unread index', () => {
  it('is a sparse keys-only index of the inbox table on gsiUnread, newest first by seq', () => {
    const inbox = TABLES.find((t) => t.id === 'inbox')!;
    const index = inbox.indexes.find((i) => i.name === 'byUnread')!;
    expect(index).toMatchObject({ partitionKey: { name: 'gsiUnread', type: 'S' }, sortKey: { name: 'seq', type: 'S' } });
    expect(projectionOf(index)).toEqual({ type: 'KEYS_ONLY' });
  });

  it('holds every new notice of an inbox a user reads, under that inbox; not a department’s per-park list (read by channels only)', () => {
    expect(put('DEPT#investment_dept').Item).toMatchObject({ read: false, gsiUnread: 'DEPT#investment_dept' });
    expect(put('DEPT#park_center#汇通产业园').Item).toMatchObject({ gsiUnread: 'DEPT#park_center#汇通产业园' });
    expect(put('USER#u-1').Item).toMatchObject({ gsiUnread: 'USER#u-1' });
    expect(put('DEPT#resources_bureau#汇通产业园').Item).not.toHaveProperty('gsiUnread');
  });

  it('back-fills a notice stored before it only while the notice is there, unread and not in it yet', () => {
    const update = indexUnreadOp({ recipient: 'OPS', seq: '2026-12-01T01:00:00.000Z#abc' }).item.Update!;
    expect(update.UpdateExpression).toBe('SET gsiUnread = :r');
    expect(update.ConditionExpression).toBe('attribute_exists(recipient) AND #read = :f AND attribute_not_exists(gsiUnread)');
    expect(update.ExpressionAttributeValues).toEqual({ ':r': 'OPS', ':f': false });
  });
});

describe('counting an inbox’s unread notices', () => {
  it('counts the index’s entries under the inbox (Select COUNT), page after page to the last', async () => {
    const pages = [{ Count: 3, LastEvaluatedKey: { gsiUnread: 'OPS', seq: 'b', recipient: 'OPS' } }, { Count: 4, LastEvaluatedKey: { gsiUnread: 'OPS', seq: 'a', recipient: 'OPS' } }, { Count: 2 }];
    const send = vi.spyOn(ddb, 'send').mockImplementation((async () => pages.shift()) as never);
    try {
      expect(await countUnread('OPS')).toBe(9);
      const inputs = send.mock.calls.map(([command]) => (command as { input: Record<string, unknown> }).input);
      expect(inputs).toHaveLength(3);
      expect(inputs[0]).toMatchObject({ IndexName: 'byUnread', KeyConditionExpression: 'gsiUnread = :r', ExpressionAttributeValues: { ':r': 'OPS' }, Select: 'COUNT' });
      expect(inputs.map((i) => i.ExclusiveStartKey)).toEqual([undefined, { gsiUnread: 'OPS', seq: 'b', recipient: 'OPS' }, { gsiUnread: 'OPS', seq: 'a', recipient: 'OPS' }]);
    } finally {
      send.mockRestore();
    }
  });
});
