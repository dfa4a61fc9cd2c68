// One DynamoDB document client per process (module scope), plus the transaction helper that maps failed conditions.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Conflict } from '#domain/errors.ts';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

export const ddb = DynamoDBDocumentClient.from(
  new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  { marshallOptions: { removeUndefinedValues: true } },
);

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction and the error to raise when its condition fails. */
export interface WriteOp {
  readonly item: TransactItem;
  readonly onConditionFailed?: () => Error;
}

/** Raised when a transaction is cancelled by a failed condition that has no domain meaning attached. */
export class ConditionFailed extends Error {}

interface CancellationReason {
  Code?: string;
}

/** All-or-nothing write: every op commits, or none does and the first failed condition's error is thrown. */
export async function transact(ops: readonly WriteOp[]): Promise<void> {
  if (ops.length === 0) return;
  try {
    await ddb.send(new TransactWriteCommand({ TransactItems: ops.map((o) => o.item) }));
  } catch (err) {
    const reasons = (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
    if ((err as Error).name === 'TransactionCanceledException' && reasons) {
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (index >= 0) throw ops[index]?.onConditionFailed?.() ?? new ConditionFailed(`condition failed on item ${index}`);
      if (reasons.some((r) => r.Code === 'TransactionConflict')) {
        throw new Conflict('Another change to the same record is in progress; retry the request');
      }
    }
    throw err;
  }
}

/** Every item of a query, following LastEvaluatedKey (for bounded sets: a project's items, the calendar years). */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
