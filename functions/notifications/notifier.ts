// The notifier port: a domain notice becomes its recipient's in-app inbox record (both wordings, with its delivery
// status), written in the same transaction as the change that causes it — so a notice is sent exactly when its cause
// commits. The inbox item is also the outbox record of the other channels: its stream feeds route-notifications, which
// queues it for the group robots and e-mail lists the channels configuration routes it to (notifications/routing.ts).
import type { WriteOp } from '#kernel/store/client.ts';
import { factsOf, projectIdOf, recipientOf, render, type Notice } from './domain/notices.ts';
import { inboxPut } from './store/inbox.ts';

export function noticeOps(notices: readonly Notice[], at: Date): WriteOp[] {
  return notices.map((n, order) => {
    const { zh, en } = render(n);
    const facts = factsOf(n);
    return inboxPut({ recipient: recipientOf(n), kind: n.kind, projectId: projectIdOf(n), title: zh.title, body: zh.body, en, park: facts.project?.park, facts }, at, order);
  });
}
