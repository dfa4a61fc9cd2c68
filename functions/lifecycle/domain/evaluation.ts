// The stage evaluation: which tasks start, their lights, when the gate opens, whether the project advances, and the
// next instant the workflow must wake up. Pure: the evaluate-stage step reads the records and writes what this decides.
import type { Light, Stage } from '#kernel/domain/codes.ts';
import { addCalendarDays, endOfDay } from '#kernel/domain/dates.ts';
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';
import type { Gate, GateApproval } from './gate.ts';
import { gateComplete, gateWaitsOf, outstandingAtLastGate } from './gate.ts';
import { fixedSchedule, schedule } from './schedule.ts';
import { isDone, lightOf, type Task } from './task.ts';
import type { GateWait, TasksSummary } from '#projects/domain/project.ts';

export interface StageView {
  readonly stage: Stage;
  readonly tasks: readonly Task[];
  readonly gate: Gate;
  readonly approvals: readonly GateApproval[];
  /** OPERATION only: whether the production figures meet the contract targets (达产 rule). */
  readonly targetsMet?: boolean;
}

export interface EvaluateContext {
  readonly today: string;
  readonly now: Date;
  readonly calendar: CalendarLookup;
  readonly yellowBeforeWd: number;
  /** A year was loaded or corrected since the last review: every open date is recomputed, not only provisional ones. */
  readonly recomputeAll?: boolean;
}

export interface Evaluation {
  /** Tasks whose state changed (started, light). */
  readonly changedTasks: readonly Task[];
  readonly gate: Gate;
  readonly gateChanged: boolean;
  /** The gate opened in this evaluation (its approvers are told); a recomputed due date is a change, not an opening. */
  readonly gateOpened: boolean;
  readonly light: Light;
  /** All open, started tasks of the project, soonest first. */
  readonly openTasks: number;
  readonly overdueTasks: number;
  readonly nextDue: string | null;
  /** The stage's tasks its gate waits for (none once it has opened). */
  readonly gateWaits: readonly GateWait[];
  readonly advance: boolean;
  /**
   * Every decision of the gate's round is in (approvals, and its meeting when required): with `advance` false, the pass
   * is held for work still owed (the last gate) — the gate is no longer late for its approvers.
   */
  readonly decided: boolean;
  /** Earliest future instant at which a light changes or a due date passes. */
  readonly wakeAt: Date | null;
  readonly newlyRed: readonly Task[];
  readonly newlyYellow: readonly Task[];
  /**
   * Open tasks that were red and are not any more: their due date moved to today or later (ops corrected the calendar:
   * the day they were due made a rest day). Their overdue record is withdrawn (review.ts). Also in `newlyYellow` when
   * yellow now.
   */
  readonly noLongerRed: readonly Task[];
  /**
   * Open tasks that were yellow and are green again: their yellow day moved past today (the calendar corrected, other
   * lights published). Their lead department was told of the yellow light: told it is withdrawn (review.ts).
   */
  readonly noLongerYellow: readonly Task[];
}

const rank: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/**
 * Evaluates the project at `today`: starts tasks whose predecessors are done, refreshes lights over every task of
 * the project (follow-ups and 容缺 obligations of earlier stages keep their clocks), opens the current stage's gate
 * when its required tasks are done, and says whether the gate has passed.
 */
/** Work whose due date a person set (容缺 obligations, agreed items), not counted from a limit. */
const hasFixedDate = (t: Task) => (t.kind === 'obligation' || t.kind === 'followup') && t.limitWd === null && t.dueDate !== null;

/**
 * The open tasks not started yet that wait for nothing open any more (a predecessor done, 容缺 included, or not in the
 * project), started `today`: their clocks run from there — due by their working-day limit on the calendar, yellow
 * `yellowBeforeWd` working days before (schedule.ts). Their lights are left to the caller (lightOf). The review's rule,
 * and the one a completion starts its successors by, in its own transaction (review.ts startedByChange).
 */
export function startReady(allTasks: readonly Task[], ctx: Pick<EvaluateContext, 'today' | 'calendar' | 'yellowBeforeWd'>): Task[] {
  const byId = new Map(allTasks.map((t) => [t.id, t]));
  return allTasks
    .filter((t) => !t.startedDate && !isDone(t) && t.after.every((id) => { const p = byId.get(id); return !p || isDone(p); }))
    .map((t) => ({ ...t, startedDate: ctx.today, ...schedule(ctx.today, t.limitWd, ctx.yellowBeforeWd, ctx.calendar) }));
}

export function evaluate(allTasks: readonly Task[], view: StageView, ctx: EvaluateContext): Evaluation {
  const byId = new Map(allTasks.map((t) => [t.id, t]));
  const changed = new Map<string, Task>();
  const put = (t: Task) => {
    byId.set(t.id, t);
    changed.set(t.id, t);
  };
  for (const t of startReady(allTasks, ctx)) put(t);
  // Dates follow the calendar: computed while a year had no calendar (provisional), they are recomputed once it is
  // loaded; after ops load or correct a year (`recomputeAll`, a holiday added to a loaded year) every open date is.
  // Work whose date a person set is scheduled by the first review after it is added (a rest day moved to the next
  // working day, its yellow date).
  for (const t of byId.values()) {
    if (isDone(t) || !t.startedDate) continue;
    const fixed = hasFixedDate(t);
    if (!fixed && t.limitWd === null) continue;
    if (!t.calendarProvisional && !ctx.recomputeAll && !(fixed && t.yellowDate === null)) continue;
    const again = fixed ? fixedSchedule(t.startedDate, t.dueDateSet ?? t.dueDate!, ctx.yellowBeforeWd, ctx.calendar) : schedule(t.startedDate, t.limitWd, ctx.yellowBeforeWd, ctx.calendar);
    if (again.dueDate !== t.dueDate || again.yellowDate !== t.yellowDate || again.calendarProvisional !== (t.calendarProvisional ?? false)) put({ ...t, ...again });
  }
  const newlyRed: Task[] = [];
  const newlyYellow: Task[] = [];
  const noLongerRed: Task[] = [];
  const noLongerYellow: Task[] = [];
  const stored = new Map(allTasks.map((t) => [t.id, t]));
  for (const t of byId.values()) {
    const light = lightOf(t, ctx.today);
    if (light === t.light) continue;
    if (light === 'red') newlyRed.push(t);
    if (light === 'yellow') newlyYellow.push(t);
    // Only by its due date moving (the calendar corrected): nothing else takes a red light off open work.
    if (t.light === 'red' && !isDone(t) && t.dueDate !== stored.get(t.id)?.dueDate) noLongerRed.push(t);
    if (t.light === 'yellow' && light === 'green' && !isDone(t) && t.yellowDate !== stored.get(t.id)?.yellowDate) noLongerYellow.push(t);
    put({ ...t, light });
  }

  // The last gate also waits for the work that outlives its stage (obligations, follow-ups, rectification items).
  const outstanding = outstandingAtLastGate(view.stage, [...byId.values()]).length > 0;
  // The stage's tasks the gate waits for (what the summary records too: computed once).
  const gateWaits = gateWaitsOf([...byId.values()], view.stage);
  const ready = gateWaits.length === 0 && (view.stage !== 'OPERATION' || view.targetsMet === true) && !outstanding;
  let gate = view.gate;
  let gateChanged = false;
  let gateOpened = false;
  if (ready && !gate.open && !gate.passedAt) {
    const due = addWorkingDays(ctx.today, gate.limitWd, ctx.calendar);
    gate = { ...gate, open: true, openedDate: ctx.today, dueDate: due.date, overdueSince: null, calendarProvisional: due.provisional };
    gateChanged = true;
    gateOpened = true;
  } else if (gate.open && !gate.passedAt && gate.openedDate && (gate.calendarProvisional || ctx.recomputeAll)) {
    // Like a task's: the gate's due date follows the calendar (a missing year loaded, a year corrected).
    const due = addWorkingDays(gate.openedDate, gate.limitWd, ctx.calendar);
    if (due.date !== gate.dueDate || due.provisional !== (gate.calendarProvisional ?? false)) {
      // Moved past today: not overdue any more, so the real due date gets its own overdue reminder.
      const overdueSince = gate.overdueSince && due.date >= ctx.today ? null : (gate.overdueSince ?? null);
      gate = { ...gate, dueDate: due.date, calendarProvisional: due.provisional, overdueSince };
      gateChanged = true;
    }
  }
  const decided = gateComplete(gate, view.approvals);
  const advance = decided && !outstanding;

  const open = [...byId.values()].filter((t) => !isDone(t) && t.dueDate);
  // A gate whose round is decided is not late (a held pass waits on tasks that carry their own lights and the ladder).
  const summary = summarize([...byId.values()], gateLight(gate, decided, ctx.today));

  const instants: Date[] = [];
  for (const t of open) {
    if (t.yellowDate) instants.push(endOfDay(addCalendarDays(t.yellowDate, -1)));
    instants.push(endOfDay(t.dueDate!));
  }
  if (gate.open && gate.dueDate && !decided) instants.push(endOfDay(gate.dueDate));
  const future = instants.filter((i) => i > ctx.now).sort((a, b) => a.getTime() - b.getTime());
  return {
    changedTasks: [...changed.values()],
    gate,
    gateChanged,
    gateOpened,
    ...summary,
    gateWaits,
    advance,
    decided,
    wakeAt: future[0] ?? null,
    newlyRed,
    newlyYellow,
    noLongerRed,
    noLongerYellow,
  };
}

/** An open gate's own light: red once past its due date, unless every decision of its round is in (`decided`). */
export function gateLight(gate: Gate, decided: boolean, today: string): Light {
  return gate.open && !gate.passedAt && gate.dueDate && !decided ? lightOf({ status: 'open', dueDate: gate.dueDate, yellowDate: null }, today) : 'green';
}

type Summary = Pick<Evaluation, 'light' | 'openTasks' | 'overdueTasks' | 'nextDue'> & { readonly gateWaits?: readonly GateWait[] };

/** The project's task summary (`tasksSummary`) from a summary of its tasks. */
export const tasksSummaryOf = (s: Summary): TasksSummary => ({ open: s.openTasks, overdue: s.overdueTasks, nextDue: s.nextDue, ...(s.gateWaits ? { gateWaits: s.gateWaits } : {}) });

/**
 * The project's light and task summary from its tasks as they stand: the worst light of the open tasks that have a
 * due date (and of the gate, `gateLight`), how many tasks are open, how many of those are red, the soonest due date —
 * and, given the project's stage, the tasks its gate waits for.
 */
export function summarize(tasks: readonly Task[], gateLight: Light = 'green', stage?: Stage): Summary {
  const open = tasks.filter((t) => !isDone(t) && t.dueDate);
  const light = [...open.map((t) => t.light), gateLight].reduce<Light>((w, l) => (rank[l] > rank[w] ? l : w), 'green');
  return {
    light,
    openTasks: tasks.filter((t) => !isDone(t)).length,
    overdueTasks: open.filter((t) => t.light === 'red').length,
    nextDue: open.map((t) => t.dueDate!).sort()[0] ?? null,
    ...(stage ? { gateWaits: gateWaitsOf(tasks, stage) } : {}),
  };
}
