// The notifier port: a domain notice becomes its recipient's in-app inbox record (both wordings, with its delivery
// status), written in the same transaction as the change that causes it — so a notice is sent exactly when its cause
// commits. The inbox item is also the outbox record of the other channels: its stream feeds route-notifications, which
// queues it for the group robots and e-mail lists the channels configuration routes it to (notifications/routing.ts).
import type { WriteOp } from '#kernel/store/client.ts';
import { startOfDay } from '#kernel/domain/dates.ts';
import { factsOf, projectIdOf, recipientOf, render, type Notice } from './domain/notices.ts';
import { inboxPut, noticesAbout, voidNoticeOp } from './store/inbox.ts';

export function noticeOps(notices: readonly Notice[], at: Date): WriteOp[] {
  return notices.map((n, order) => {
    const { zh, en } = render(n);
    const facts = factsOf(n);
    return inboxPut({ recipient: recipientOf(n), kind: n.kind, projectId: projectIdOf(n), title: zh.title, body: zh.body, en, park: facts.project?.park, facts }, at, order);
  });
}

/**
 * What the notices of a change void: a department told a gate no longer awaits its decision (`gate.open_withdrawn`)
 * finds the gate.open and gate.overdue notices it was sent about that gate since it opened (`openedDate`,
 * Asia/Shanghai) read and marked void — its unread count and list stop asking it to decide the gate. Each with the kind
 * of the notice that voids it (`by`); the same reads whether the change is made (voidedByOps) or only previewed (a
 * matrix re-pin's dry run answers them).
 */
export async function noticesVoided(notices: readonly Notice[], gateOpened: string): Promise<{ recipient: string; seq: string; id: string; kind: string; by: string }[]> {
  const since = startOfDay(gateOpened).toISOString();
  const voided = await Promise.all(
    notices.map((n) =>
      n.kind === 'gate.open_withdrawn'
        ? noticesAbout(recipientOf(n), { projectId: n.project.id, kinds: ['gate.open', 'gate.overdue'], item: n.gate, since }).then((found) => found.map((f) => ({ ...f, by: n.kind })))
        : [],
    ),
  );
  return voided.flat();
}

/** The writes that void them, in the transaction of the change whose notices void them. */
export async function voidedByOps(notices: readonly Notice[], gateOpened: string, at: Date): Promise<WriteOp[]> {
  return (await noticesVoided(notices, gateOpened)).map((v) => voidNoticeOp(v, v.by, at));
}
