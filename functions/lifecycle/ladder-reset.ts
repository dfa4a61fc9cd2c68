// The escalation ladder's reset, recorded with the person's change that clears what held the project on its rung (a
// task completed, progress reported, a letter answered): the rule is `ladderAfterChange` (domain/review.ts); this
// reads what it needs, and only for a project on the ladder — a change to any other project reads nothing more.
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import type { Project } from '#projects/domain/project.ts';
import type { Letter } from '#supervision/domain/letter.ts';
import { reviewLetters } from '#supervision/notices.ts';
import { listLetters } from '#supervision/store/letters.ts';
import { ladderAfterChange, type LadderReset } from './domain/review.ts';
import type { Task } from './domain/task.ts';
import { listTasks } from './store/tasks.ts';

/**
 * `project`: the project after the change. `tasks`: the project's tasks after it (read when not given); `answered`:
 * the letter the change answered, in place of its stored copy; `calendar`: the one the change already loaded.
 */
export async function ladderResetAtChange(args: { project: Project; today: string; now: Date; tasks?: readonly Task[]; answered?: Letter; calendar?: CalendarLookup }): Promise<LadderReset | undefined> {
  const { project, answered } = args;
  if (project.escalation.level === 0) return undefined;
  const [escalation, stored, tasks, calendar] = await Promise.all([getConfig('escalation'), listLetters(project.id), args.tasks ?? listTasks(project.id), args.calendar ?? loadCalendar()]);
  const letters = answered ? stored.map((l) => (l.id === answered.id ? answered : l)) : stored;
  return ladderAfterChange({ project, tasks, letters: reviewLetters(project, letters), today: args.today, now: args.now, cfg: escalation.doc, calendar });
}
