// Lifecycle records in the projects table: a stage entry (STAGE#<stage>) and the current callback wait (WAIT).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { StageEntry } from '#lifecycle/domain/entry.ts';
import type { Wait } from '#lifecycle/domain/segment.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ConcurrentChange, ConditionFailed, ddb, transact, type WriteOp } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_PROJECTS');

export type { StageEntry };

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

/**
 * The project moved onto another matrix version (POST /projects/{id}/matrix) after its stage's entry read the one it
 * followed: nothing of the entry was written — it is computed again on the version moved to.
 */
export class MatrixMoved extends ConcurrentChange {}

/**
 * Records a stage's first entry with what it creates (tasks, gate, notices, audit), all or nothing, while the project
 * still follows the matrix version `follows` the entry was computed on (else `MatrixMoved`). False when a concurrent or
 * retried entry wrote them first: the stage is entered either way.
 */
export async function recordStageEntry(projectId: string, entry: StageEntry, items: readonly WriteOp[], follows: number | null): Promise<boolean> {
  try {
    await transact([insertStageEntry(projectId, entry), projectFollows(projectId, follows), ...items]);
    return true;
  } catch (err) {
    if (err instanceof MatrixMoved) throw err;
    if (err instanceof ConditionFailed || err instanceof ConcurrentChange) return false;
    throw err;
  }
}

/** Holds only while the project follows matrix `version` (null: none pinned yet), as its entry read it. */
function projectFollows(projectId: string, version: number | null): WriteOp {
  return {
    item: {
      ConditionCheck: {
        TableName: TABLE,
        Key: { pk: `PROJECT#${projectId}`, sk: 'PROJECT' },
        ...(version === null
          ? { ConditionExpression: 'attribute_not_exists(#m) OR attribute_type(#m, :null)', ExpressionAttributeNames: { '#m': 'matrixVersion' }, ExpressionAttributeValues: { ':null': 'NULL' } }
          : { ConditionExpression: '#m = :m', ExpressionAttributeNames: { '#m': 'matrixVersion' }, ExpressionAttributeValues: { ':m': version } }),
      },
    },
    onConditionFailed: () => new MatrixMoved(`Project ${projectId} moved onto another matrix version while its stage was being entered`),
  };
}

class StaleWait extends Error {}

/**
 * Stores the callback wait's token while the project is still at the version the wait was computed from. False when
 * the project changed after that evaluation: the wait is stale at birth and nothing is stored.
 */
export async function registerWait(projectId: string, record: WaitRecord): Promise<boolean> {
  try {
    await transact([projectAtVersion(projectId, record.wait.version, () => new StaleWait()), putWait(projectId, record)]);
    return true;
  } catch (err) {
    if (err instanceof StaleWait) return false;
    throw err;
  }
}

export function putWait(projectId: string, record: WaitRecord): WriteOp {
  return { item: { Put: { TableName: TABLE, Item: { ...waitKey(projectId), entity: 'wait', ...record } } } };
}

/** Holds only while the project is still at `version`: a change after the evaluation makes the wait stale. */
function projectAtVersion(projectId: string, version: number, onStale: () => Error): WriteOp {
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

/** Deletes the wait if it still holds `token` (a wait registered meanwhile holds another token and stays). */
export async function consumeWaitIfHeld(projectId: string, token: string): Promise<boolean> {
  class Replaced extends Error {}
  try {
    await transact([consumeWait(projectId, token, () => new Replaced())]);
    return true;
  } catch (err) {
    if (err instanceof Replaced) return false;
    throw err;
  }
}

/** Consumes the wait only if it still holds `token`: a repeated or late callback finds nothing to consume. */
function consumeWait(projectId: string, token: string, onStale: () => Error): WriteOp {
  return {
    item: {
      Delete: { TableName: TABLE, Key: waitKey(projectId), ConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'token' }, ExpressionAttributeValues: { ':t': token } },
    },
    onConditionFailed: onStale,
  };
}
