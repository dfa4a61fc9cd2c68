// Lifecycle timing: a stage's working-day limit from the matrix, and the deadline waits the workflow sleeps on.
import { addWorkingDays, endOfDay, shanghaiDate, type CalendarLookup } from './calendar.ts';
import type { Stage, SiteMode } from './codes.ts';
import type { Matrix } from './config.ts';

/** What a callback wait sleeps until. yellow: the 黄灯 reminder; due: the deadline; review: supervision re-check. */
export interface Wait {
  readonly waitId: string;
  readonly kind: 'yellow' | 'due' | 'review';
  readonly stage: Stage;
  readonly dueDate: string;
  readonly dueAt: string;
  readonly provisional: boolean;
  /** Real seconds until dueAt on the business clock (what Step Functions sleeps). */
  readonly timeoutSeconds: number;
}

/**
 * A stage's limit in working days: the longest chain of its tasks' limits (tasks run in parallel unless one must
 * come `after` another) for the project's site mode, plus the gate's decision limit.
 */
export function stageLimitWd(matrix: Matrix, stage: Stage, siteMode: SiteMode): number {
  const tasks = matrix.tasks.filter((t) => t.stage === stage && t.siteModes.includes(siteMode) && t.limitWd !== null);
  const memo = new Map<string, number>();
  const finish = (code: string, seen: Set<string>): number => {
    const known = memo.get(code);
    if (known !== undefined) return known;
    const t = tasks.find((x) => x.code === code);
    if (!t || seen.has(code)) return 0;
    const before = Math.max(0, ...t.after.map((dep) => finish(dep, new Set([...seen, code]))));
    const total = before + (t.limitWd ?? 0);
    memo.set(code, total);
    return total;
  };
  const tasksWd = Math.max(0, ...tasks.map((t) => finish(t.code, new Set())));
  const gate = matrix.gates.find((g) => g.stage === stage);
  return tasksWd + (gate?.limitWd ?? 0);
}

export interface StageDeadline {
  readonly enteredDate: string;
  readonly dueDate: string;
  readonly yellowDate: string;
  readonly provisional: boolean;
}

export function stageDeadline(entered: Date, limitWd: number, yellowBeforeWd: number, calendar: CalendarLookup): StageDeadline {
  const enteredDate = shanghaiDate(entered);
  const due = addWorkingDays(enteredDate, limitWd, calendar);
  const yellow = addWorkingDays(due.date, -Math.min(yellowBeforeWd, limitWd), calendar);
  return { enteredDate, dueDate: due.date, yellowDate: yellow.date, provisional: due.provisional || yellow.provisional };
}

/** The first wait of a stage at business time `now`: the yellow reminder if still ahead, else the due date. */
export function firstWait(
  stage: Stage,
  d: StageDeadline,
  now: Date,
  seconds: (at: Date) => number,
  id: string,
): Wait {
  const yellowAt = endOfDay(d.yellowDate);
  const useYellow = d.yellowDate < d.dueDate && yellowAt > now;
  const date = useYellow ? d.yellowDate : d.dueDate;
  const at = endOfDay(date);
  return { waitId: id, kind: useYellow ? 'yellow' : 'due', stage, dueDate: date, dueAt: at.toISOString(), provisional: d.provisional, timeoutSeconds: seconds(at) };
}

export function waitUntil(kind: Wait['kind'], stage: Stage, date: string, provisional: boolean, seconds: (at: Date) => number, id: string): Wait {
  const at = endOfDay(date);
  return { waitId: id, kind, stage, dueDate: date, dueAt: at.toISOString(), provisional, timeoutSeconds: seconds(at) };
}
