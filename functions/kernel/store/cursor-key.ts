// The key page cursors are sealed with: 32 random bytes in the reference table, made once by the reference-data
// bootstrap and never replaced (that would void every cursor handed out). It lives in the table because it only keeps
// API clients from reading or forging cursors: whoever can read this table can read every project it protects anyway.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailable } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from './client.ts';

const KEY = { pk: 'SECRET', sk: 'cursor-key' } as const;
/** Read lazily: only list handlers use it, on their first cursor. */
const table = () => requireEnv('TABLE_REFERENCE');

let cached: Promise<Buffer> | undefined;

/** The cursor key, read once per process. */
export function getCursorKey(): Promise<Buffer> {
  cached ??= ddb.send(new GetCommand({ TableName: table(), Key: KEY, ConsistentRead: true })).then((out) => {
    const key = typeof out.Item?.key === 'string' ? Buffer.from(out.Item.key, 'base64') : undefined;
    if (key?.length !== 32) throw new ServiceUnavailable('Lists are not ready: the reference data (cursor key) is not loaded yet; the deploy or start loads it');
    return key;
  });
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Stores a new cursor key unless one exists. */
export function cursorKeyOp(key: Buffer, at: Date): WriteOp {
  return { item: { Put: { TableName: table(), Item: { ...KEY, key: key.toString('base64'), createdAt: at.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } } };
}

export async function hasCursorKey(): Promise<boolean> {
  return Boolean((await ddb.send(new GetCommand({ TableName: table(), Key: KEY, ConsistentRead: true }))).Item);
}
