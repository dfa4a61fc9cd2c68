// Audit log entity 全程可溯: append-only (PutItem with a not-exists condition; IAM grants no update or delete).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#kernel/domain/principal.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { ddb, startKeyRejected, type WriteOp } from './client.ts';

const TABLE = requireEnv('TABLE_AUDIT');

export interface AuditEvent {
  readonly id: string;
  readonly subject: string;
  readonly at: string;
  readonly actor: string;
  readonly actorName: string;
  readonly roles: readonly string[];
  readonly action: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  readonly requestId?: string;
}

/** The actor recorded for changes the workflow makes on its own (deadline timers, segment starts). */
export const SYSTEM_ACTOR: Principal = { sub: 'system:workflow', name: 'zoneflow workflow', roles: [] };

export function auditOp(
  subject: string,
  action: string,
  by: Principal,
  change: { before: Record<string, unknown>; after: Record<string, unknown> },
  at: Date,
  requestId?: string,
): WriteOp {
  const id = `${at.getTime().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const event: AuditEvent = {
    id,
    subject,
    at: at.toISOString(),
    actor: by.sub,
    actorName: by.name,
    roles: by.roles,
    action,
    before: change.before,
    after: change.after,
    requestId,
  };
  return {
    item: {
      Put: { TableName: TABLE, Item: { ...event, seq: `${event.at}#${id}` }, ConditionExpression: 'attribute_not_exists(seq)' },
    },
  };
}

/** The start-key attributes of a subject's timeline. */
export const AUDIT_KEY_NAMES = ['subject', 'seq'] as const;

/** A subject's audit events, oldest first, `limit` at a time from `startKey`. */
export async function listAudit(
  subject: string,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ items: AuditEvent[]; lastKey?: Record<string, string> }> {
  const out = await ddb
    .send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'subject = :s',
        ExpressionAttributeValues: { ':s': subject },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    )
    .catch((err: unknown) => {
      throw startKeyRejected(err, startKey !== undefined);
    });
  const items = (out.Items ?? []).map(({ seq: _seq, ...rest }) => rest as unknown as AuditEvent);
  return { items, lastKey: out.LastEvaluatedKey as Record<string, string> | undefined };
}
