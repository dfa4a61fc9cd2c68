// Issuing letters inside a project change: numbers taken after each series' counter and highest number claimed, as
// read (one counter move per series, however many letters), each number's claim, the letters and their locators — all
// in the change's transaction — with each letter's
// notice to its addressee and its letter.issued event for the project's timeline. A lost race on a counter or a claim is
// a ConcurrentChange: the unit of work decides again on what is taken now.
import type { Principal } from '#kernel/domain/principal.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import type { WriteOp } from '#kernel/store/client.ts';
import { newId } from '#kernel/runtime/ids.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import type { TouchGuard } from '#projects/store/projects.ts';
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';
import { issueLetter, seriesOf, type Letter, type LetterProject, type LettersConfig, type NewLetter } from './domain/letter.ts';
import { insertLetter, readNumbering, takeNumbers, type Numbering } from './store/letters.ts';
import { letterIssued, letterNotice } from './notices.ts';

/**
 * How a letter issued or answered by hand changes its project. One whose reply window the review watches (a reminder
 * the day after it, overdue work for the escalation ladder), on a running project, is a change to review: the version
 * moves by a touch (conditioned on status, stage and park, not the version: no race with the project's other writers)
 * and the lifecycle is woken — register-wait then sees the version moved if it was between its review and its wait,
 * where a wake-up alone would find no wait stored and be lost. Any other is a record of the project: its version (and
 * clients' If-Match) stays, and nothing wakes.
 */
export function letterOnProject(project: Pick<Project, 'status' | 'stage' | 'park'>, watched: boolean): { touch: TouchGuard } | { signal: null; recordOnly: true } {
  return watched && project.status === 'ACTIVE' ? { touch: { stage: project.stage, park: project.park } } : { signal: null, recordOnly: true };
}

export async function issueLetters(args: {
  project: LetterProject;
  inputs: readonly NewLetter[];
  cfg: LettersConfig;
  by: Principal;
  system?: boolean;
  now: Date;
  today: string;
  calendar: CalendarLookup;
  /** The reply window of a system letter issued on a rung (the rung's own window). */
  replyWd?: number;
}): Promise<{ letters: Letter[]; writes: WriteOp[]; notices: Notice[]; events: AuditRecord[] }> {
  const year = Number(args.today.slice(0, 4));
  const read = new Map<string, Numbering>();
  const next = new Map<string, number>();
  const letters: Letter[] = [];
  // Letters issued together share their issue time: their ids, ascending, keep them in the order issued (and numbered).
  const ids = args.inputs.map(() => newId('ltr', args.now)).sort();
  for (const [i, input] of args.inputs.entries()) {
    if (!read.has(input.series) && seriesOf(args.cfg, input.series)) read.set(input.series, await readNumbering(input.series, year));
    const seq = (next.get(input.series) ?? read.get(input.series)?.last ?? 0) + 1;
    letters.push(
      issueLetter({ project: args.project, input, cfg: args.cfg, by: args.by, system: args.system, id: ids[i]!, seq, now: args.now, today: args.today, replyBy: (wd) => addWorkingDays(args.today, wd, args.calendar), replyWd: args.replyWd }),
    );
    next.set(input.series, seq);
  }
  const writes = [...[...next].map(([series, seq]) => takeNumbers(read.get(series) ?? { series, year, counter: 'absent', last: 0 }, seq)), ...letters.flatMap(insertLetter)];
  // Each letter told to its addressee and put on the project's timeline (letter.issued), whichever change issues it.
  return { letters, writes, notices: letters.map((l) => letterNotice(args.project, l)), events: letters.map(letterIssued) };
}
