// The notice each letter sends to its addressee's inbox (the enterprise, or the department — a park center of the park).
import { roleInbox } from '#notifications/domain/inbox.ts';
import type { Notice, NoticeProject } from '#notifications/domain/notices.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import { URGING_SERIES, type Letter } from './domain/letter.ts';

/** The inbox of a letter's addressee. */
export const addresseeInbox = (project: NoticeProject, l: Pick<Letter, 'to'>): string =>
  l.to.kind === 'enterprise' ? roleInbox('enterprise', project) : roleInbox(l.to.role, { ...project, park: l.to.park ?? project.park });

export function letterNotice(project: NoticeProject, l: Letter): Notice {
  return { kind: 'letter.issued', project, inbox: addresseeInbox(project, l), number: l.number, subject: l.subject, replyBy: l.replyBy, ...(l.replyProvisional ? { replyProvisional: true } : {}) };
}

/**
 * The audit event of a letter issued inside another change (the review's urging letter, a completion's 即时函告): the
 * same record `POST /projects/{id}/letters` writes, on the project's timeline beside the change that issued it.
 */
export function letterIssued(l: Letter): AuditRecord {
  return { action: 'letter.issued', before: {}, after: { letter: l.id, number: l.number, to: l.to, subject: l.subject, replyBy: l.replyBy } };
}

/** What the lifecycle review needs of a project's letters (the ones that ask for a reply). */
export const reviewLetters = (project: NoticeProject, letters: readonly Letter[]) =>
  letters
    .filter((l) => l.replyBy !== null)
    .map((l) => ({ id: l.id, number: l.number, replyBy: l.replyBy, answered: l.ack !== null, reminded: l.remindedAt !== undefined, ...(l.replyProvisional ? { replyProvisional: true } : {}), toEnterprise: l.to.kind === 'enterprise', ...(l.series === URGING_SERIES ? { urging: true } : {}), inbox: addresseeInbox(project, l) }));
