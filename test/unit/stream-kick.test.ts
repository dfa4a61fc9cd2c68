// Which tables a write names, and how many items it writes to each: what the local runtime tells each stream poller
// (local/stream-poller.ts watchWrites) so it reads when a record is coming, not on a fast idle loop.
import { describe, expect, it } from 'vitest';
import { tablesWritten } from '../../local/stream-poller.ts';

describe('tablesWritten', () => {
  it('counts the items each write command puts, updates or deletes per table', () => {
    expect(tablesWritten('PutItemCommand', { TableName: 'outbox', Item: {} })).toEqual(new Map([['outbox', 1]]));
    expect(tablesWritten('UpdateItemCommand', { TableName: 'inbox' })).toEqual(new Map([['inbox', 1]]));
    expect(tablesWritten('DeleteItemCommand', { TableName: 'inbox' })).toEqual(new Map([['inbox', 1]]));
    const transaction = {
      TransactItems: [
        { Put: { TableName: 'projects' } },
        { Put: { TableName: 'inbox' } },
        { Put: { TableName: 'inbox' } },
        { Update: { TableName: 'outbox' } },
        // A condition check writes nothing: no record.
        { ConditionCheck: { TableName: 'outbox' } },
      ],
    };
    expect(tablesWritten('TransactWriteItemsCommand', transaction)).toEqual(new Map([['projects', 1], ['inbox', 2], ['outbox', 1]]));
    expect(tablesWritten('BatchWriteItemCommand', { RequestItems: { inbox: [{}, {}, {}], audit: [{}] } })).toEqual(new Map([['inbox', 3], ['audit', 1]]));
  });

  it('names nothing for a read or a command without tables', () => {
    expect(tablesWritten('GetItemCommand', { TableName: 'outbox' }).size).toBe(0);
    expect(tablesWritten('QueryCommand', { TableName: 'outbox' }).size).toBe(0);
    expect(tablesWritten(undefined, undefined).size).toBe(0);
    expect(tablesWritten('TransactWriteItemsCommand', {}).size).toBe(0);
  });
});
