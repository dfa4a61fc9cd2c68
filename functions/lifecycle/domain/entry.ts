// Entering a stage 进入阶段: on its first entry, the stage's tasks from the responsibility matrix version the project
// records, for its site mode, with working-day due dates; its gate 转段 record; and, when a due date falls in a year
// with no calendar loaded, a notice to ops; a task yellow from its first day, lit with its notice. Pure: the enter-stage step stores what this decides, first entry wins.
import type { Stage } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import { provisionalNotice, provisionalYears, yearOf, type Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import type { Matrix } from '#reference/domain/config.ts';
import { newGate, type Gate } from './gate.ts';
import { lightOf, tasksForStage, type Task } from './task.ts';
import { ladderDates, yellowLight } from './review.ts';

/** The record of a stage's first entry (STAGE#<stage>): a retried or resumed step finds it and changes nothing. */
export interface StageEntry {
  readonly stage: Stage;
  readonly segment: number;
  /** When the lifecycle wrote the entry (a crash or a retried step may put it after the stage began). */
  readonly enteredAt: string;
  /** The day the stage's clocks run from: the day it began (`beganAt`), the stall clock's and production's first day. */
  readonly enteredDate: string;
  /** When the stage began (stageBegan): its tasks are dated from it (absent on entries written before it was kept). */
  readonly beganAt?: string;
  readonly matrixVersion: number;
  readonly tasks: number;
}

export interface Entering {
  readonly entry: StageEntry;
  readonly tasks: readonly Task[];
  /** Null when the matrix names no gate for the stage (the review then uses the default gate). */
  readonly gate: Gate | null;
  readonly notices: readonly Notice[];
  readonly event: AuditRecord;
}

export function enterStage(args: {
  readonly project: Project;
  readonly stage: Stage;
  readonly segment: number;
  readonly matrix: Matrix;
  readonly matrixVersion: number;
  readonly now: Date;
  readonly today: string;
  /** When the stage began (stageBegan): its tasks start that day, however late the entry is written. Now when left out. */
  readonly began?: Date;
  readonly yellowBeforeWd: number;
  readonly calendar: CalendarLookup;
  /** The project's tasks so far (earlier stages'): a year one of them was provisional in, ops were told of already. */
  readonly earlier?: readonly Task[];
}): Entering {
  const { project, stage, now, today } = args;
  const began = args.began && args.began < now ? args.began : now;
  const startedOn = began < now && shanghaiDate(began) < today ? shanghaiDate(began) : today;
  const created = tasksForStage(args.matrix, args.matrixVersion, project, stage, startedOn, args.yellowBeforeWd, args.calendar);
  // A task yellow by now (from its first day: a limit within the yellow margin, e.g. 组建服务专班 in 3 working days; or
  // a stage entered days after it began) is lit here, with its notice: left to the first evaluation, a separate step, it
  // would be lit a day late whenever entry and that evaluation fall either side of midnight. One past due is left to
  // that evaluation, which lights it red with its overdue record and notices (review.ts redLight), once.
  const tasks = created.map((t) => (t.startedDate !== null && t.light !== 'yellow' && lightOf(t, today) === 'yellow' ? { ...t, light: 'yellow' as const } : t));
  const yellow = tasks.filter((t, i) => t.light !== created[i]?.light);
  const gateDef = args.matrix.gates.find((g) => g.stage === stage);
  const entry: StageEntry = { stage, segment: args.segment, enteredAt: now.toISOString(), enteredDate: startedOn, beganAt: began.toISOString(), matrixVersion: args.matrixVersion, tasks: tasks.length };
  // Ops are told of a year with no calendar once a project and year (as the review does): not again for a year an earlier
  // stage's task of the project (or its ladder's next window) was provisional in.
  const toldYears = provisionalYears([...(args.earlier ?? []), ...ladderDates(project.escalation)]);
  const provisional = tasks.filter((t) => t.calendarProvisional && t.dueDate && !toldYears.has(yearOf(t.dueDate))).map((t) => ({ name: t.name.zh, date: t.dueDate! }));
  return {
    entry,
    tasks,
    gate: gateDef ? newGate(gateDef, project) : null,
    notices: [
      ...(provisional.length ? [provisionalNotice(project, provisional)] : []),
      ...yellow.map((t) => yellowLight(t, project)),
    ],
    event: { action: 'stage.entered', before: {}, after: { ...entry, taskIds: tasks.map((t) => t.id) } },
  };
}

/**
 * When a stage began, which its working-day limits run from: SIGNING when the admission was decided (its last decision,
 * which made the project active), a later stage when the gate before it passed 转段 (`previousGate.passedAt`). A delay
 * the lifecycle recovers from by itself before it writes the entry — a crash and restart, a step retried after an outage
 * — does not move the stage's dates. A lifecycle that failed and waited for ops is another matter: the failure is on
 * record, nobody was shown the stage's work meanwhile, and it begins when ops resumed it (`workflow.resumedAt` of this
 * stage's execution), so no one is urged at once for work they could not see. Now when the records say nothing earlier,
 * or something after now.
 */
export function stageBegan(project: Pick<Project, 'id' | 'admission' | 'workflow'>, stage: Stage, previousGate: { readonly passedAt: string | null } | undefined, now: Date): Date {
  const approvals = project.admission.decisions.filter((d) => d.decision === 'approve').map((d) => d.at);
  const began = stage === 'SIGNING' ? approvals.sort().at(-1) : previousGate?.passedAt;
  const ref = project.workflow;
  const resumed = ref?.resumedAt && ref.executionName.startsWith(`${project.id}-${stage}-`) ? ref.resumedAt : undefined;
  const at = [began, resumed].map((v) => (v ? new Date(v) : undefined)).filter((d): d is Date => d !== undefined && !Number.isNaN(d.getTime()));
  const latest = at.reduce<Date | undefined>((a, b) => (a && a > b ? a : b), undefined);
  return latest && latest < now ? latest : now;
}