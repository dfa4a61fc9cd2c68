// 即时函告: completing a task named in `config/letters` `instantNotices` sends each named department a numbered letter
// at once (the approval office's completed 施工手续 → the construction department and the park's service center), in
// the completion's own transaction.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Role } from '#kernel/domain/codes.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { seriesOf, TEMPLATES, type LetterProject, type LettersConfig } from './domain/letter.ts';
import { issueLetters } from './issue.ts';

export async function instantNoticeLetters(args: {
  project: LetterProject;
  task: { readonly code: string; readonly name: { readonly zh: string } };
  by: Principal;
  now: Date;
  cfg: LettersConfig;
  calendar: CalendarLookup;
}): Promise<{ writes: WriteOp[]; notices: Notice[]; events: AuditRecord[] }> {
  const rules = args.cfg.instantNotices.filter((n) => n.task === args.task.code && seriesOf(args.cfg, n.series));
  if (rules.length === 0) return { writes: [], notices: [], events: [] };
  const today = shanghaiDate(args.now);
  const wording = TEMPLATES.instantNotice(args.project, args.task.name.zh, today);
  const inputs = rules.flatMap((rule) =>
    rule.to.map((role: Role) => ({ series: rule.series, to: { kind: 'department' as const, role, ...(role === 'park_center' ? { park: args.project.park } : {}) }, ...wording })),
  );
  const { writes, notices, events } = await issueLetters({ project: args.project, inputs, cfg: args.cfg, by: args.by, system: true, now: args.now, today, calendar: args.calendar });
  return { writes, notices, events };
}
