// What the enterprise and its park center report: construction progress 建设推进 (it holds the current progress
// meeting, schedules the next and clears a stall) and quarterly production figures 达产达效. Pure.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import { quarterOf } from '#projects/domain/production.ts';
import { assertActive, assertNoExitUnderway, projectStateConflict, type Progress, type Project, type QuarterFigures } from '#projects/domain/project.ts';
import { schedule } from './schedule.ts';
import { isDone, type Task } from './task.ts';

export interface ProgressInput {
  readonly constructionPct: number;
  readonly equipmentPct: number;
  readonly note?: string;
}

/**
 * A progress report in CONSTRUCTION, by the enterprise or the park center of its park: it holds this period's progress
 * meeting 建设推进会 (closed by the report; once a period: not on the day the period began) and opens the next one of
 * the series, every `recurringEveryWd` working days of the matrix; a stalled site 施工停滞 is stalled no more.
 */
export function reportProgress(args: {
  project: Project;
  tasks: readonly Task[];
  by: Principal;
  input: ProgressInput;
  now: Date;
  today: string;
  calendar: CalendarLookup;
  yellowBeforeWd: number;
}): { project: Project; closed?: Task; next?: Task } {
  const { project, by, input, now, today } = args;
  const role = requireActsAs(by, ['enterprise', 'park_center'], project, 'Reporting progress');
  assertActive(project, 'No progress report');
  if (project.stage !== 'CONSTRUCTION') throw projectStateConflict(`Progress is reported in CONSTRUCTION; project ${project.id} is in ${project.stage}`, `in ${project.stage}`);
  assertNoExitUnderway(project, 'No progress report');
  const progress: Progress = { ...input, reportedOn: today };
  const next: Project = { ...project, progress, stalled: false };
  const meetings = args.tasks.filter((t) => t.kind === 'recurring' && t.stage === 'CONSTRUCTION');
  const current = meetings.find((t) => !isDone(t));
  // A period's meeting is held once: a report on the day its period began (another report that day, or one on the day
  // construction was entered) updates the progress and holds no meeting — four reports in a second were four meetings.
  if (!current || (current.startedDate !== null && current.startedDate >= today)) return { project: next };
  const closed: Task = { ...current, status: 'done', light: 'green', completion: { by: by.sub, role, at: now.toISOString(), note: input.note, documents: [], deficiencies: [] } };
  const opened: Task = {
    ...current,
    id: `CONSTRUCTION.${current.code}-${meetings.length + 1}`,
    status: 'open',
    startedDate: today,
    ...schedule(today, current.limitWd, args.yellowBeforeWd, args.calendar),
    light: 'green',
    completion: undefined,
    rev: undefined,
  };
  return { project: next, closed, next: opened };
}

export interface ProductionInput extends QuarterFigures {
  readonly quarter: string;
}

/**
 * Quarterly figures 达产达效 of a project in OPERATION, by the enterprise or its park center, for a quarter that has
 * begun and not before the one it entered OPERATION in (`operationSince`, the stage's first entry; unknown for a
 * project from before entries were kept: the quarter it was registered in): the 达产 gate opens on four quarters of figures, which must be quarters the
 * project was producing in. A quarter filed already is corrected only with If-Match (`correction`): 409 without.
 */
export function reportProduction(args: { project: Project; by: Principal; input: ProductionInput; today: string; operationSince?: string; correction?: boolean }): Project {
  const { project, by, input, today } = args;
  requireActsAs(by, ['enterprise', 'park_center'], project, 'Reporting production figures');
  assertActive(project, 'No production report');
  if (project.stage !== 'OPERATION') throw projectStateConflict(`Production is reported in OPERATION; project ${project.id} is in ${project.stage}`, `in ${project.stage}`);
  assertNoExitUnderway(project, 'No production report');
  const { quarter, ...figures } = input;
  const current = quarterOf(today);
  if (quarter > current) throw new ValidationFailed('Figures are reported for a quarter that has begun', [{ path: 'quarter', code: 'out_of_range', message: `must not be after ${current}` }]);
  // Not before the quarter it entered OPERATION in — or, for a project from before stage entries were kept, the one it
  // was registered in (it produced nothing before it existed here).
  // The day it was registered in the zone's time (Asia/Shanghai), not the UTC date of the instant: a project registered
  // before 08:00 on the first day of a quarter was taken as registered in the quarter before.
  const since = args.operationSince ?? shanghaiDate(new Date(project.createdAt));
  const first = quarterOf(since);
  if (quarter < first) {
    const why = args.operationSince ? `the quarters the project is in operation: it entered OPERATION on ${since}` : `quarters since the project was registered on ${since}`;
    throw new ValidationFailed(`Figures are reported for ${why}`, [{ path: 'quarter', code: 'out_of_range', message: `must not be before ${first}` }]);
  }
  // A quarter is filed once: figures sent again for it are a correction, which replaces the filed ones only on the
  // version its sender read (If-Match) — two filings at once (the enterprise and its park center) are not both answered
  // with their own figures while the last to commit silently replaces the other.
  const filed = project.production?.[quarter];
  if (filed && !args.correction) {
    throw new Conflict(
      `The figures of ${quarter} are filed already (output value ${filed.outputValueCny} CNY, tax ${filed.taxCny} CNY, ${filed.jobs} jobs): a correction replaces them only on the version read — send If-Match with the project's version`,
      [{ path: 'quarter', code: 'state', message: 'filed already: a correction needs If-Match' }],
    );
  }
  return { ...project, production: { ...project.production, [quarter]: figures } };
}
