// Lifecycle records in the projects table: a stage entry (STAGE#<stage>) and the current callback wait (WAIT).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Wait } from '#lifecycle/domain/segment.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export interface StageEntry {
  readonly stage: string;
  readonly segment: number;
  readonly enteredAt: string;
  readonly enteredDate: string;
  readonly matrixVersion: number;
  readonly tasks: number;
}

export interface WaitRecord {
  readonly token: string;
  readonly wait: Wait;
  readonly executionName: string;
  readonly registeredAt: string;
}

const stageKey = (projectId: string, stage: string) => ({ pk: `PROJECT#${projectId}`, sk: `STAGE#${stage}` });
const waitKey = (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'WAIT' });

export async function getStageEntry(projectId: string, stage: string): Promise<StageEntry | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: stageKey(projectId, stage), ConsistentRead: true }));
  return out.Item as StageEntry | undefined;
}

/** First entry wins: a retried or resumed step finds the entry already there and reuses it. */
export function insertStageEntry(projectId: string, entry: StageEntry): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { ...stageKey(projectId, entry.stage), entity: 'stage', ...entry }, ConditionExpression: 'attribute_not_exists(pk)' } },
  };
}

export function putWait(projectId: string, record: WaitRecord): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { ...waitKey(projectId), entity: 'wait', ...record } } } };
}

/** Holds only while the project is still at `version`: a change after the evaluation makes the wait stale. */
export function projectAtVersion(projectId: string, version: number, onStale: () => Error): WriteOp {
  return {
    item: {
      ConditionCheck: {
        TableName: TABLE,
        Key: { pk: `PROJECT#${projectId}`, sk: 'PROJECT' },
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': version },
      },
    },
    onConditionFailed: onStale,
  };
}

export async function getWait(projectId: string): Promise<WaitRecord | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: TABLE, Key: waitKey(projectId), ConsistentRead: true }));
  return out.Item as WaitRecord | undefined;
}

/** Consumes the wait only if it still holds `token`: a repeated or late callback finds nothing to consume. */
export function consumeWait(projectId: string, token: string, onStale: () => Error): WriteOp {
  return {
    item: {
      Delete: { TableName: TABLE, Key: waitKey(projectId), ConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'token' }, ExpressionAttributeValues: { ':t': token } },
    },
    onConditionFailed: onStale,
  };
}
