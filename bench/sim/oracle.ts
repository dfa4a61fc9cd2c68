// The deadline oracle of the simulation: from each task's start date, its limit and the zone's calendar (its own
// working-day arithmetic, bench/sim/calendar.ts — not the product's evaluation, light or calendar code) it says on
// which business day the task should turn yellow and red, and checks what the product actually recorded: the red
// light's audit event (`task.overdue`, in the timeline), the lead department's red notice, and the yellow notice (a
// yellow light is told, not audited: review.ts records no event for it). A light event is lost, doubled, early, late
// (fired on a later business day than due) or spurious (fired although the task was done before its day).
// Escalation rungs are checked by ladder-oracle.ts.
import { dayOf, plusDays, type WorkCalendar } from './calendar.ts';

export type Light = 'yellow' | 'red';
/** Where an event was read: the audit log (timeline) or the lead department's inbox. */
export type Source = 'audit' | 'inbox';
export type DefectKind = 'lost' | 'doubled' | 'early' | 'late' | 'spurious';

/** A task as GET /projects/{id}/tasks shows it (the product's dueDate is only an input for items without a limit). */
export interface OracleTask {
  readonly projectId: string;
  readonly id: string;
  readonly kind: string;
  /** Its lead (a role code; `enterprise` for the investor's own work): `config/escalation` `ladderTasks` reads it. */
  readonly lead?: string;
  readonly status: string;
  readonly startedDate: string | null;
  readonly limitWd: number | null;
  readonly dueDate: string | null;
  /**
   * The date a person set on a follow-up or 容缺 obligation, as they set it (the API's `dueDateSet`): the input its
   * lights are expected from. The product's `dueDate` is its own move of that date off a rest day — what is checked.
   */
  readonly dueDateSet?: string | null;
  /** Business instant of the completion (ISO), null while open; of the withdrawal for a withdrawn task. */
  readonly completedAt: string | null;
  /** Recurring work closed by its stage's gate passing (not by a person): see `optionalYellow`. */
  readonly closedWithStage?: boolean;
}

export interface LightEvent {
  readonly projectId: string;
  /** null: an event the collector could not tie to a task (always a defect). */
  readonly taskId: string | null;
  readonly light: Light;
  readonly source: Source;
  /** Business instant it was recorded (ISO). */
  readonly at: string;
}

export interface Defect {
  readonly kind: DefectKind;
  readonly light: Light;
  readonly source: Source;
  readonly projectId: string;
  readonly taskId: string | null;
  readonly expectedDay: string | null;
  readonly actualDays: readonly string[];
  /** The instants the events were recorded at (business time, ISO). */
  readonly actualAt?: readonly string[];
  /** The task's start, the oracle's due date and the completion instant: what the expectation was made from. */
  readonly task?: { readonly startedDate: string | null; readonly dueDate: string | null; readonly completedAt: string | null };
}

/** The streams checked: each light from each place the product records it. */
export const STREAMS: readonly { light: Light; source: Source }[] = [
  { light: 'yellow', source: 'inbox' },
  { light: 'red', source: 'audit' },
  { light: 'red', source: 'inbox' },
];

export interface Expectation {
  readonly yellowDay: string | null;
  readonly redDay: string | null;
  readonly dueDate: string | null;
}

/**
 * When a task's lights are due. A task with a limit is due `limitWd` working days after it started (that day not
 * counted); yellow comes on `yellowBeforeWd` working days before (at most the limit), or on the start day if that is
 * already past; red on the first day after the due date. A follow-up or 容缺 obligation has the date a person set,
 * moved off a rest day to the next working day (民法典 第二百零三条), and its yellow light `yellowBeforeWd` working
 * days before (or on its start day).
 */
export function expectationOf(t: OracleTask, calendar: WorkCalendar, yellowBeforeWd: number): Expectation {
  if (!t.startedDate) return { yellowDay: null, redDay: null, dueDate: null };
  if (t.limitWd !== null) {
    const due = calendar.addWorkdays(t.startedDate, t.limitWd);
    const yellow = calendar.addWorkdays(due, -Math.min(yellowBeforeWd, t.limitWd));
    return { yellowDay: yellow < t.startedDate ? t.startedDate : yellow, redDay: plusDays(due, 1), dueDate: due };
  }
  const set = t.dueDateSet ?? t.dueDate;
  if (set && (t.kind === 'obligation' || t.kind === 'followup')) {
    const due = calendar.onOrAfter(set);
    const yellow = calendar.addWorkdays(due, -yellowBeforeWd);
    return { yellowDay: yellow < t.startedDate ? t.startedDate : yellow, redDay: plusDays(due, 1), dueDate: due };
  }
  if (t.dueDate) return { yellowDay: null, redDay: plusDays(t.dueDate, 1), dueDate: t.dueDate };
  return { yellowDay: null, redDay: null, dueDate: null };
}

/**
 * The one light whose record depends on when the deadline wake-up ran, by the product's rule: recurring work closed by
 * its gate passing is told no yellow light on the day it closes ("a yellow light on work closing is told to nobody",
 * lifecycle/domain/review.ts). The review at the start of that day tells it; one that runs late and passes the gate at
 * once does not. Either record is right; a second one is still doubled, and one on another day still early or late.
 */
export function optionalYellow(t: OracleTask, yellowDay: string | null): boolean {
  return t.closedWithStage === true && yellowDay !== null && t.completedAt !== null && dayOf(t.completedAt) === yellowDay;
}

/** Whether the light must have come on: the task was still open when its day began. */
function owed(t: OracleTask, day: string | null): day is string {
  // A withdrawn task (the project exited) owes its lights up to its withdrawal; without that instant, none.
  if (day === null || (t.status === 'withdrawn' && t.completedAt === null)) return false;
  return t.completedAt === null || dayOf(t.completedAt) >= day;
}

export interface OracleReport {
  readonly tasksChecked: number;
  /** Per stream: events the oracle expects by the cutoff, and events the product recorded. */
  readonly expected: Record<string, number>;
  readonly actual: Record<string, number>;
  readonly defects: readonly Defect[];
  readonly counts: Record<DefectKind, number>;
  /** Calendar years the oracle had no data for (counted Monday–Friday). */
  readonly assumedYears: readonly number[];
}

/**
 * Checks every stream. `cutoffDay`: the business day the run stopped on — an event due before it must be there, one due
 * on it may still have been in flight, one due after it must not be there.
 */
export function checkDeadlines(input: {
  readonly tasks: readonly OracleTask[];
  readonly events: readonly LightEvent[];
  readonly calendar: WorkCalendar;
  readonly yellowBeforeWd: number;
  readonly cutoffDay: string;
}): OracleReport {
  const { tasks, events, calendar, yellowBeforeWd, cutoffDay } = input;
  const key = (projectId: string, taskId: string | null) => `${projectId}\u0000${taskId ?? ''}`;
  const byTask = new Map(tasks.map((t) => [key(t.projectId, t.id), t]));
  const defects: Defect[] = [];
  const expected: Record<string, number> = {};
  const actual: Record<string, number> = {};
  for (const { light, source } of STREAMS) {
    const stream = `${light}/${source}`;
    const mine = events.filter((e) => e.light === light && e.source === source);
    actual[stream] = mine.length;
    const fired = new Map<string, string[]>();
    const firedAt = new Map<string, string[]>();
    for (const e of mine) {
      const k = key(e.projectId, e.taskId);
      if (e.taskId === null || !byTask.has(k)) {
        defects.push({ kind: 'spurious', light, source, projectId: e.projectId, taskId: e.taskId, expectedDay: null, actualDays: [dayOf(e.at)] });
        continue;
      }
      fired.set(k, [...(fired.get(k) ?? []), dayOf(e.at)]);
      firedAt.set(k, [...(firedAt.get(k) ?? []), e.at]);
    }
    let owedCount = 0;
    for (const t of tasks) {
      const exp = expectationOf(t, calendar, yellowBeforeWd);
      const day = light === 'yellow' ? exp.yellowDay : exp.redDay;
      const due = owed(t, day);
      const days = (fired.get(key(t.projectId, t.id)) ?? []).sort();
      const defect = (kind: DefectKind) =>
        defects.push({ kind, light, source, projectId: t.projectId, taskId: t.id, expectedDay: day, actualDays: days, actualAt: (firedAt.get(key(t.projectId, t.id)) ?? []).sort(), task: { startedDate: t.startedDate, dueDate: exp.dueDate, completedAt: t.completedAt } });
      if (light === 'yellow' && days.length <= 1 && optionalYellow(t, day) && (days.length === 0 || days[0] === day)) continue;
      if (due && day! < cutoffDay) owedCount += 1;
      if (days.length > 1) defect('doubled');
      else if (days.length === 1) {
        const at = days[0]!;
        if (day !== null && at < day) defect('early');
        else if (!due) defect('spurious');
        else if (at > day!) defect('late');
      } else if (due && day! < cutoffDay) defect('lost');
    }
    expected[stream] = owedCount;
  }
  const counts: Record<DefectKind, number> = { lost: 0, doubled: 0, early: 0, late: 0, spurious: 0 };
  for (const d of defects) counts[d.kind] += 1;
  return { tasksChecked: tasks.length, expected, actual, defects, counts, assumedYears: [...calendar.assumedYears].sort() };
}
