// The channels configuration in the reference table, versioned like every configuration document (pk CONFIG#channels,
// one item per version): what is stored holds no credential, only the secret store's names for them.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PreconditionFailed } from '#kernel/domain/errors.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, type WriteOp } from '#kernel/store/client.ts';
import { DEFAULT_RETRY, NO_CHANNELS, type ChannelsDoc } from '#notifications/domain/channels.ts';

const TABLE = requireEnv('TABLE_REFERENCE');
const PK = 'CONFIG#channels';

export interface ChannelsVersion {
  readonly name: 'channels';
  readonly version: number;
  readonly doc: ChannelsDoc;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly note?: string;
}

const versionSk = (v: number) => `v${String(v).padStart(8, '0')}`;

/** The version in force; version 0 (no channel: in-app only) until ops publish one. */
export async function getChannels(): Promise<ChannelsVersion> {
  const out = await ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': PK }, ScanIndexForward: false, Limit: 1 }));
  const item = out.Items?.[0];
  if (!item) return { name: 'channels', version: 0, doc: NO_CHANNELS, publishedAt: '1970-01-01T00:00:00.000Z', publishedBy: 'built-in default' };
  const { pk: _pk, sk: _sk, ...rest } = item;
  const v = rest as ChannelsVersion;
  return { ...v, doc: { ...v.doc, retry: { ...DEFAULT_RETRY, ...v.doc.retry } } };
}

/** Stores version `c.version`; fails when someone published it first. */
export function putChannelsVersion(c: ChannelsVersion): WriteOp {
  return {
    item: { Put: { TableName: TABLE, Item: { pk: PK, sk: versionSk(c.version), ...c }, ConditionExpression: 'attribute_not_exists(pk)' } },
    onConditionFailed: () => new PreconditionFailed(`The channels configuration has a version ${c.version} already; read it again`),
  };
}
