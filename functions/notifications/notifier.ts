// The notifier port: every notification lands in the recipient's in-app inbox (with its delivery status);
// group-robot webhooks and e-mail are further channels behind the same call.
import { requireEnv } from '#kernel/runtime/env.ts';
import type { WriteOp } from '#kernel/store/client.ts';

const TABLE = requireEnv('TABLE_INBOX');

export interface Notification {
  /** DEPT#<role>, USER#<sub> or OPS. */
  readonly recipient: string;
  readonly kind: string;
  readonly projectId?: string;
  readonly title: string;
  readonly body: string;
}

export function notifyOp(n: Notification, at: Date): WriteOp {
  const id = `${at.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    item: {
      Put: {
        TableName: TABLE,
        Item: { ...n, id, seq: `${at.toISOString()}#${id}`, createdAt: at.toISOString(), delivery: { inApp: 'delivered' }, read: false },
      },
    },
  };
}
