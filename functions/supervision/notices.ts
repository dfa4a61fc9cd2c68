// The notice each letter sends to its addressee's inbox (the enterprise, or the department — a park center of the park).
import { roleInbox } from '#notifications/domain/inbox.ts';
import type { Notice, NoticeProject } from '#notifications/domain/notices.ts';
import type { Letter } from './domain/letter.ts';

export function letterNotice(project: NoticeProject, l: Letter): Notice {
  const inbox = l.to.kind === 'enterprise' ? roleInbox('enterprise', project) : roleInbox(l.to.role, { ...project, park: l.to.park ?? project.park });
  return { kind: 'letter.issued', project, inbox, number: l.number, subject: l.subject, replyBy: l.replyBy };
}
