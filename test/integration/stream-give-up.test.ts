// What the local stream poller (local/stream-poller.ts, the stand-in for the outbox's event source mapping) does with a
// workflow signal wake-workflow keeps failing on: it gives up that one record after `maxAttempts` deliveries, logs it,
// and goes on with the records after it in the same batch — they are delivered. On AWS the mapping discards the batch
// from the failed record on (wake-workflow's line names those signals, `behind`, for ops to replay): the runbook's row
// "Local runtime: `stream record given up after retries`" says what differs.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';

const store = isolatedStore('stream-give-up');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { signalOp } = await import('../../functions/kernel/store/outbox.ts');
const { StreamPoller } = await import('../../local/stream-poller.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

describe('the local outbox poller and a signal that keeps failing', () => {
  it('gives up only the failing record: the signals behind it in its batch are delivered', async () => {
    const deliveries: string[][] = [];
    const lines: { message: string; fields: Record<string, unknown> }[] = [];
    const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const projects = event.Records.map((r) => r.dynamodb?.NewImage?.projectId?.S ?? '');
      deliveries.push(projects);
      // As wake-workflow does: the batch up to the failing signal is delivered, that record reported.
      const failing = event.Records.find((r) => r.dynamodb?.NewImage?.projectId?.S === 'prj-B');
      return { batchItemFailures: failing ? [{ itemIdentifier: failing.dynamodb!.SequenceNumber! }] : [] };
    };
    const poller = new StreamPoller({ endpoint: process.env.DYNAMODB_ENDPOINT!, tableName: store.tables.TABLE_OUTBOX!, handler, maxAttempts: 3, log: (message, fields) => lines.push({ message, fields }) });
    try {
      // Three signals in this order, read in one batch (or as DynamoDB Local publishes them), the middle one failing every time.
      for (const projectId of ['prj-A', 'prj-B', 'prj-C']) await transact([signalOp({ kind: 'wake', projectId, reason: 'test' })]);
      const written = (await store.signals()).map((s) => ({ id: s.id }));
      expect(written).toHaveLength(3);
      await poller.drain(written);
    } finally {
      poller.stop();
    }
    // A delivered; the failing B handed over three times in all (each batch from it on, C behind it); then B given up
    // and C read again and delivered on its own. (On AWS: B's batch from B on, C with it, to the on-failure queue.)
    expect(deliveries[0]![0]).toBe('prj-A');
    expect(deliveries.filter((batch) => batch.includes('prj-B'))).toHaveLength(3);
    expect(deliveries.at(-1)).toEqual(['prj-C']);
    expect(lines).toEqual([{ message: 'stream record given up after retries (on AWS: the on-failure queue)', fields: { table: store.tables.TABLE_OUTBOX, sequence: expect.any(String) } }]);
  });
});
