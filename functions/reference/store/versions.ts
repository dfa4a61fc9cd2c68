// Versioned documents in the reference table (pk CONFIG#<name>, one item per version, sk v00000001…): configuration
// documents and the notification channels. On its own, without the configuration defaults, so a function that reads
// only the channels does not bundle them.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_REFERENCE');

export const versionSk = (v: number) => `v${String(v).padStart(8, '0')}`;

/**
 * The newest version of a versioned document (pk `CONFIG#<name>`, one item per version) without its keys, or
 * undefined when none was published. Configuration documents and the notification channels are kept this way.
 * `consistent`: a strongly consistent read (what ops edit, and a write that must see a version just published).
 */
export async function newestVersion(name: string, consistent = false): Promise<Record<string, unknown> | undefined> {
  const out = await ddb.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `CONFIG#${name}` }, ScanIndexForward: false, Limit: 1, ConsistentRead: consistent }),
  );
  const item = out.Items?.[0];
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}

/** Stores version `v.version` of the versioned document `v.name`; fails when that version exists (someone published first). */
export function putVersion(v: { readonly name: string; readonly version: number }): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: `CONFIG#${v.name}`, sk: versionSk(v.version), ...v }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new PreconditionFailed(`Configuration ${v.name} has a version ${v.version} already; read it again`),
  };
}

