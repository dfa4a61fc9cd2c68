// The notifier port: a domain notice becomes its recipient's in-app inbox record (both wordings, with its delivery
// status), written in the same transaction as the change that causes it — so a notice is sent exactly when its cause
// commits. Further channels (group robots, e-mail) plug in here, delivered from the outbox after the commit.
import type { WriteOp } from '#kernel/store/client.ts';
import { projectIdOf, recipientOf, render, type Notice } from './domain/notices.ts';
import { inboxPut } from './store/inbox.ts';

export function noticeOps(notices: readonly Notice[], at: Date): WriteOp[] {
  return notices.map((n) => {
    const { zh, en } = render(n);
    return inboxPut({ recipient: recipientOf(n), kind: n.kind, projectId: projectIdOf(n), title: zh.title, body: zh.body, en }, at);
  });
}
