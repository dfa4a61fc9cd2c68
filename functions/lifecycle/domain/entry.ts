// Entering a stage 进入阶段: on its first entry, the stage's tasks from the responsibility matrix version the project
// records, for its site mode, with working-day due dates; its gate 转段 record; and, when a due date falls in a year
// with no calendar loaded, a notice to ops; a task yellow from its first day, lit with its notice. Pure: the enter-stage step stores what this decides, first entry wins.
import type { Stage } from '#kernel/domain/codes.ts';
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
  readonly enteredAt: string;
  readonly enteredDate: string;
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
  readonly yellowBeforeWd: number;
  readonly calendar: CalendarLookup;
  /** The project's tasks so far (earlier stages'): a year one of them was provisional in, ops were told of already. */
  readonly earlier?: readonly Task[];
}): Entering {
  const { project, stage, now, today } = args;
  const created = tasksForStage(args.matrix, args.matrixVersion, project, stage, today, args.yellowBeforeWd, args.calendar);
  // A task yellow from its first day (a limit within the yellow margin, e.g. 组建服务专班 in 3 working days) is lit
  // here, with its notice: left to the first evaluation, a separate step, it would be lit a day late whenever entry and
  // that evaluation fall either side of midnight.
  const tasks = created.map((t) => (t.startedDate === today && t.light !== 'yellow' && lightOf(t, today) === 'yellow' ? { ...t, light: 'yellow' as const } : t));
  const yellow = tasks.filter((t, i) => t.light !== created[i]?.light);
  const gateDef = args.matrix.gates.find((g) => g.stage === stage);
  const entry: StageEntry = { stage, segment: args.segment, enteredAt: now.toISOString(), enteredDate: today, matrixVersion: args.matrixVersion, tasks: tasks.length };
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
