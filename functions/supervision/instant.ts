// 即时函告: completing a task named in `config/letters` `instantNotices` sends each named department a numbered letter
// at once (the approval office's completed 施工手续 → the construction department and the park's service center), in
// the completion's own transaction. The enterprise's own work waiting for that task (开工 after 施工手续) starts with the
// completion: the project's enterprise gets the same letter, as the departments told of it do — once, with the completion.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Role } from '#kernel/domain/codes.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { seriesOf, TEMPLATES, type LetterProject, type LettersConfig, type NewLetter } from './domain/letter.ts';
import { issueLetters } from './issue.ts';

export async function instantNoticeLetters(args: {
  project: LetterProject;
  task: { readonly id?: string; readonly code: string; readonly name: { readonly zh: string } };
  /** The project's tasks after the completion: an open task of the enterprise's that waited for this one starts now. */
  tasks?: readonly { readonly id: string; readonly after: readonly string[]; readonly lead: Role; readonly status: string; readonly startedDate: string | null }[];
  by: Principal;
  now: Date;
  cfg: LettersConfig;
  calendar: CalendarLookup;
}): Promise<{ writes: WriteOp[]; notices: Notice[]; events: AuditRecord[] }> {
  const rules = args.cfg.instantNotices.filter((n) => n.task === args.task.code && seriesOf(args.cfg, n.series));
  if (rules.length === 0) return { writes: [], notices: [], events: [] };
  const today = shanghaiDate(args.now);
  const wording = TEMPLATES.instantNotice(args.project, args.task.name.zh, today);
  const inputs: NewLetter[] = rules.flatMap((rule) =>
    rule.to.map((role: Role) => ({ series: rule.series, to: { kind: 'department' as const, role, ...(role === 'park_center' ? { park: args.project.park } : {}) }, ...wording })),
  );
  // The enterprise leads work this completion starts: told by the first rule's letter (its series), as the departments are.
  const open = new Set((args.tasks ?? []).filter((t) => t.status === 'open').map((t) => t.id));
  const id = args.task.id;
  const starts = id !== undefined && (args.tasks ?? []).some((t) => t.lead === 'enterprise' && open.has(t.id) && !t.startedDate && t.after.includes(id) && t.after.every((p) => p === id || !open.has(p)));
  if (starts) {
    const { investor } = args.project;
    inputs.push({ series: rules[0]!.series, to: { kind: 'enterprise', enterpriseId: investor.enterpriseId, name: investor.name }, ...wording });
  }
  const { writes, notices, events } = await issueLetters({ project: args.project, inputs, cfg: args.cfg, by: args.by, system: true, now: args.now, today, calendar: args.calendar });
  return { writes, notices, events };
}
