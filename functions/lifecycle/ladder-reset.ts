// The escalation ladder's reset, recorded with the person's change that clears what held the project on its rung (a
// task completed, progress reported, a letter answered) — with the rung the midnight review owed first, when that
// review had not run yet: the rule is `ladderAfterChange` (domain/review.ts); this reads what it needs, and only for a
// project on the ladder, a change that closes work past its grace, or a progress report past the stall date — a change to
// any other project reads nothing more.
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import type { EscalationConfig } from '#reference/domain/config.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import type { Project } from '#projects/domain/project.ts';
import { extendedOn, pastGrace, type LadderStep } from '#supervision/domain/escalation.ts';
import type { Letter } from '#supervision/domain/letter.ts';
import { reviewLetters } from '#supervision/notices.ts';
import { listLetters } from '#supervision/store/letters.ts';
import { ladderAfterChange, ladderOwed, ladderStandsStill, stallClock, watchedByLadder, type LadderReset } from './domain/review.ts';
import type { Task } from './domain/task.ts';
import { getStageEntry } from './store/stage.ts';
import { listTasks } from './store/tasks.ts';

/** The work as it stood before the change: the project and tasks (as read; the tasks after it when not given). */
export interface BeforeChange {
  readonly project?: Project;
  readonly tasks?: readonly Task[];
  /** The due date of the watched work the change closes (a task, a letter's reply window), if any. */
  readonly closedDue?: string | null;
  /** The task the change closes, if it closes one: its lead and kind say whether the ladder may watch it (`ladderTasks`). */
  readonly closedTask?: Pick<Task, 'kind' | 'lead'>;
  /**
   * The change is a progress report: it ends a stall 施工停滞 of `project` (before it) the review may not have flagged
   * yet, by the rule of this many working days without a report (config/recurring `stalledAfterWd`).
   */
  readonly stalledAfterWd?: number;
}

/**
 * `project`: the project after the change. `tasks`: the project's tasks after it (read when not given); `answered`:
 * the letter the change answered, in place of its stored copy; `calendar`: the one the change already loaded;
 * `before`: for the rung the review owed.
 */
export async function ladderResetAtChange(args: { project: Project; today: string; now: Date; tasks?: readonly Task[]; answered?: Letter; calendar?: CalendarLookup; before?: BeforeChange }): Promise<LadderReset | undefined> {
  const { project, answered, before, today } = args;
  if (ladderStandsStill(project)) return undefined;
  let held: Held = { calendar: args.calendar };
  if (project.escalation.level === 0) {
    const owing = before?.stalledAfterWd !== undefined && before.project ? await mayOweStall(before.project, before.stalledAfterWd, today, held) : await mayOweRung(before?.closedDue, before?.closedTask, today, held);
    if (!owing) return undefined;
    held = owing;
  }
  const [escalation, stored, tasks, calendar] = await Promise.all([
    held.ladder ?? getConfig('escalation').then((c) => c.doc),
    listLetters(project.id),
    args.tasks ?? listTasks(project.id),
    held.calendar ?? loadCalendar(),
  ]);
  const letters = answered ? stored.map((l) => (l.id === answered.id ? answered : l)) : stored;
  return ladderAfterChange({
    project,
    tasks,
    letters: reviewLetters(project, letters),
    before: before && { project: before.project, tasks: before.tasks ?? tasks, letters: reviewLetters(project, stored), stalledSince: held.stalledSince },
    today,
    now: args.now,
    cfg: escalation,
    calendar,
  });
}

/** What the check at level 0 read (or the change held), handed on so it is not read twice. */
interface Held {
  readonly ladder?: EscalationConfig;
  readonly calendar?: CalendarLookup;
  /** The stall by the rule before the change, when the check found one the review had not flagged. */
  readonly stalledSince?: string;
}

/**
 * At level 0 only a change that closes work past its grace can find a rung owed: past its due date (no read), then
 * past the grace (config/escalation read only then; the calendar the change holds, or read). A department's task is
 * watched only under `ladderTasks: 'all'`, which config/escalation says: read first, and for a task it does not watch
 * nothing more is (no calendar, no letters).
 */
async function mayOweRung(closedDue: string | null | undefined, closedTask: BeforeChange['closedTask'], today: string, held: Held): Promise<Held | undefined> {
  if (!closedDue || today <= closedDue) return undefined;
  const owed = (ladder: EscalationConfig, calendar: CalendarLookup): Held | undefined => (pastGrace(closedDue, today, ladder, calendar) ? { ladder, calendar } : undefined);
  // Watched under any setting (the enterprise's own task, a 容缺 obligation, a letter's reply window): both read at once.
  if (!closedTask || watchedByLadder(closedTask, { ladderTasks: 'enterprise' })) {
    const [ladder, calendar] = await Promise.all([getConfig('escalation').then((c) => c.doc), held.calendar ?? loadCalendar()]);
    return owed(ladder, calendar);
  }
  const ladder = (await getConfig('escalation')).doc;
  return watchedByLadder(closedTask, ladder) ? owed(ladder, held.calendar ?? (await loadCalendar())) : undefined;
}

/**
 * At level 0 a progress report can end a stall the midnight review had not flagged yet (it fell behind its clock): by
 * the review's rule (`stallClock`; the stage's entry is read when no report came before), the site was stalled before
 * the report. Nothing is read outside construction, for a stall already flagged (its rung is on record), or during an
 * extension (no trigger counts then).
 */
async function mayOweStall(project: Project, stalledAfterWd: number, today: string, held: Held): Promise<Held | undefined> {
  if (project.stage !== 'CONSTRUCTION' || project.stalled || extendedOn(project.escalation.extendedUntil, today)) return undefined;
  const calendar = held.calendar ?? (await loadCalendar());
  const stalledSince = await stalledByRule(project, stalledAfterWd, today, calendar);
  // config/escalation only for a site found stalled: most reports find none, and read nothing more.
  return stalledSince ? { ladder: (await getConfig('escalation')).doc, calendar, stalledSince } : undefined;
}

/**
 * The stall 施工停滞 by the review's own rule (`stallClock`) of a site in construction the review has not flagged: the
 * day it counts from, or null. The stage's entry is read only before the first progress report.
 */
async function stalledByRule(project: Project, stalledAfterWd: number, today: string, calendar: CalendarLookup): Promise<string | null> {
  const entry = project.progress ? undefined : await getStageEntry(project.id, 'CONSTRUCTION');
  const clock = stallClock({ project, stage: 'CONSTRUCTION', enteredDate: entry?.enteredDate, stalledAfterWd, today, calendar });
  return clock.stalled ? clock.lastProgress : null;
}

/**
 * What the midnight review owed a project before a person's decision that moves its ladder by itself — an extension 延期
 * (back to level 0) or the exit decision (the ladder stands still from it) — when that review had not run yet (it fell
 * behind its clock): the rung, or the exit decision's reminder, that the decision records before its own event
 * (`atChange`; nobody is told of it, the decision is what people hear of). On a rung only a window that has ended can
 * owe one, and nothing is read before that; at level 0 any trigger can: the project's work, letters, stall and the
 * ladder's configuration are read.
 */
export async function ladderOwedBeforeDecision(project: Project, today: string, now: Date): Promise<LadderStep | undefined> {
  if (ladderStandsStill(project) || extendedOn(project.escalation.extendedUntil, today)) return undefined;
  const { level, next } = project.escalation;
  if (level > 0 && next && today <= next.dueDate) return undefined;
  // A site not flagged stalled may be stalled by the rule all the same (the review that flags it has not run either).
  const byRule = project.stage === 'CONSTRUCTION' && !project.stalled;
  const [ladder, recurring, calendar, tasks, letters] = await Promise.all([getConfig('escalation'), byRule ? getConfig('recurring') : undefined, loadCalendar(), listTasks(project.id), listLetters(project.id)]);
  return ladderOwed({
    project,
    tasks,
    letters: reviewLetters(project, letters),
    stalledSince: recurring ? await stalledByRule(project, recurring.doc.stalledAfterWd, today, calendar) : undefined,
    today,
    now,
    cfg: ladder.doc,
    calendar,
  });
}
