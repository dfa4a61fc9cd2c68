// The escalation ladder 闭环管控: a project whose work is overdue beyond a grace (未按期开工, any task or 容缺
// obligation), or whose construction site is stalled (施工停滞), climbs L1 发函督促 → L2 约谈企业 → L3 联合研判 →
// L4 履约核查 → L5 退出程序 (exit pending), one rung per response window (working days, `config/escalation`), as
// long as the trigger stands. The trigger cleared (the work done, progress reported) resets the ladder; so does an
// extension 延期 by the committee leader, which also gives the project until its new date. A setting does not: a longer
// grace or stall limit applies to the climb from level 0 (currentTrigger's `rung`). Pure: the lifecycle's review
// runs it on every evaluation, and the rung due dates are among the instants the workflow wakes at.
import { ESCALATION_LEVELS, type EscalationName, type Role } from '#kernel/domain/codes.ts';
import { addCalendarDays, addYears, endOfDay } from '#kernel/domain/dates.ts';
import { Forbidden, ValidationFailed } from '#kernel/domain/errors.ts';
import { projectStateConflict } from '#projects/domain/project.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import { addWorkingDays, onOrAfterWorkingDay, workdayInfo, type CalendarLookup } from '#reference/domain/calendar.ts';
import type { Notice, NoticeProject } from '#notifications/domain/notices.ts';
import type { EscalationConfig, EscalationRung } from '#reference/domain/config.ts';
import { ASSESSMENT_LEVEL, assessmentDepartments } from './assessment.ts';
import { triggerWords } from './trigger-words.ts';

export type TriggerKind = 'start_overdue' | 'task_overdue' | 'letter_unanswered' | 'completion_overdue' | 'stalled';

export interface Trigger {
  readonly kind: TriggerKind;
  /** The overdue item (task id) or the stall. */
  readonly item: string;
  readonly label: string;
  /** The label in English (for English notices); absent on triggers recorded before it was kept. */
  readonly labelEn?: string;
  /** The day the trigger began: the item's due date (or the stall date). */
  readonly since: string;
}

/**
 * The next step and the day its window ends. A window of working days keeps what it is counted from (`window`), so the
 * day follows the calendar: computed on weekdays while a year had no calendar (`calendarProvisional`), recomputed by
 * every review once it is loaded or corrected. A joint assessment's plan sets a date of its own (no window).
 */
export interface NextStep {
  readonly step: string;
  readonly dueDate: string;
  readonly window?: { readonly from: string; readonly wd: number };
  readonly calendarProvisional?: boolean;
}

/** A window of `wd` working days from `from`: its last day, and what it was counted from. */
const windowOf = (step: string, from: string, wd: number, calendar: CalendarLookup): NextStep => {
  const due = addWorkingDays(from, wd, calendar);
  return { step, dueDate: due.date, window: { from, wd }, calendarProvisional: due.provisional };
};

/** The state with its window's last day counted again on the calendar as it stands (unchanged when it has not moved). */
function rewindow(state: EscalationState, calendar: CalendarLookup): EscalationState {
  const next = state.next;
  if (!next?.window) return state;
  const again = windowOf(next.step, next.window.from, next.window.wd, calendar);
  return again.dueDate === next.dueDate && again.calendarProvisional === (next.calendarProvisional ?? false) ? state : { ...state, next: { ...next, ...again } };
}

export interface EscalationState {
  readonly level: number;
  readonly name: EscalationName | string;
  /** The day the current rung began (null at level 0). */
  readonly since: string | null;
  readonly trigger?: Trigger | null;
  /** The next rung and the day its window ends (null at level 0). */
  readonly next?: NextStep | null;
  /** An extension 延期: no rung is climbed before this day passes. */
  readonly extendedUntil?: string | null;
  /**
   * The day each rung of this climb began, by level ({"2": "2027-05-25", "3": "2027-06-02"}): a rung's record (the
   * interview, the compliance check) is dated since its own rung began, not the current one's. Gone at level 0; a state
   * kept before it was (absent) falls back to `since` (rungSince).
   */
  readonly rungsSince?: Readonly<Record<string, string>>;
}

/**
 * The day rung `level` began in this climb: null when the ladder has not reached it; on a state kept before the days
 * were (no `rungsSince`, or no day for that rung), the current rung's day `since` (no back-fill).
 */
export function rungSince(state: Pick<EscalationState, 'level' | 'since' | 'rungsSince'>, level: number): string | null {
  if (state.level < level || !state.since) return null;
  return rungDays(state)[String(level)] ?? state.since;
}

/** The days the rungs of this climb began, by level: on a state kept before they were, its own rung's day (`since`). */
export function rungDays(state: Pick<EscalationState, 'level' | 'since' | 'rungsSince'>): Readonly<Record<string, string>> {
  return state.rungsSince ?? (state.level > 0 && state.since ? { [String(state.level)]: state.since } : {});
}

/**
 * The ladder's next window when it has just come to be counted on weekdays for want of a year's calendar
 * (`calendarProvisional`): its name and last day, as ops are told of it (undefined when it is not provisional, or was
 * already in that year before this change — ops were told then). The name is the rung it leads to, or the exit decision.
 */
export function provisionalRung(before: EscalationState, after: EscalationState, cfg: LadderConfig): { name: string; date: string } | undefined {
  const next = after.next;
  if (!next?.calendarProvisional) return undefined;
  const was = before.next;
  if (was?.calendarProvisional && was.dueDate.slice(0, 4) === next.dueDate.slice(0, 4)) return undefined;
  const rung = cfg.rungs.find((r) => r.code === next.step);
  return { name: rung ? `督办升级至${rung.name.zh}` : '退出决定', date: next.dueDate };
}

export type Rung = EscalationRung;

/** What the ladder reads of `config/escalation`. */
export type LadderConfig = Pick<EscalationConfig, 'rungs' | 'graceWd' | 'assessmentDepartments' | 'ladderTasks'>;

export const DEFAULT_GRACE_WD = 5;
const START_OF_WORKS = 'start_of_works';
/** The watched item of 逾期竣工: the planned completion date (recorded at the groundbreaking gate), open in CONSTRUCTION. */
export const COMPLETION = 'completion';
/**
 * The code of a watched enterprise letter (lifecycle/domain/review.ts ladderItems): a colon no task code can have
 * (config: `[a-z][a-z0-9_]*`), so a task coded `letter` is still a task.
 */
export const LETTER_ITEM = 'letter:reply';
/** A watched item's trigger kind by its code; any other (a task): task_overdue. A Map: no code reaches a prototype. */
const KIND_OF_CODE = new Map<string, TriggerKind>([
  [START_OF_WORKS, 'start_overdue'],
  [COMPLETION, 'completion_overdue'],
  [LETTER_ITEM, 'letter_unanswered'],
]);

/** An open item the ladder watches: a task (any stage) with its due date. */
export interface WatchedItem {
  readonly id: string;
  readonly code: string;
  readonly label: string;
  readonly labelEn?: string;
  readonly dueDate: string | null;
  readonly open: boolean;
}

/** The day after which an overdue item triggers the ladder: its due date plus the grace. */
const triggerFrom = (dueDate: string, cfg: LadderConfig, calendar: CalendarLookup) => addWorkingDays(dueDate, cfg.graceWd ?? DEFAULT_GRACE_WD, calendar).date;

/** Whether an item due on `dueDate` and still open today would trigger the ladder (its grace has ended). */
export const pastGrace = (dueDate: string, today: string, cfg: LadderConfig, calendar: CalendarLookup) => today > triggerFrom(dueDate, cfg, calendar);

/** Whether an extension 延期 still holds the ladder today (no trigger counts on or before its date). */
export const extendedOn = (extendedUntil: string | null | undefined, today: string): boolean => !!extendedUntil && today <= extendedUntil;

/**
 * The rung a project is on, for what holds it there: the trigger that raised it stands until the work clears it (the
 * item done, progress reported) or an extension, never because a setting changed. `progressReportedOn`: the day of the
 * last progress report (null: none yet); `constructing`: the project is in CONSTRUCTION (where a stall is watched).
 */
export interface HeldRung {
  readonly state: EscalationState;
  readonly progressReportedOn: string | null;
  readonly constructing: boolean;
}

/** The trigger of the rung the project is on, while what raised it still stands, whatever the grace or stall limit now. */
function stillStanding(rung: HeldRung | undefined, items: readonly WatchedItem[], today: string): Trigger | null {
  const held = rung && rung.state.level > 0 ? rung.state.trigger : null;
  if (!held) return null;
  if (held.kind === 'stalled') return rung!.constructing && !(rung!.progressReportedOn !== null && rung!.progressReportedOn > held.since) ? held : null;
  const item = items.find((i) => i.id === held.item);
  return item?.open && item.dueDate !== null && today > item.dueDate ? { ...held, since: item.dueDate } : null;
}

/**
 * What triggers the ladder today, if anything: the longest-overdue item past its grace, else a stalled site. On a rung
 * (`rung`), what raised it also stands while it is still overdue or stalled by any measure: a longer grace or stall
 * limit published since applies to the climb from level 0 only, so a setting never resets a rung (domain: only
 * progress or an extension does) nor sends the same work a second urging letter.
 */
export function currentTrigger(args: { items: readonly WatchedItem[]; stalledSince: string | null; today: string; cfg: LadderConfig; calendar: CalendarLookup; extendedUntil?: string | null; rung?: HeldRung }): Trigger | null {
  const { today } = args;
  if (extendedOn(args.extendedUntil, today)) return null;
  const overdue = args.items
    .filter((i) => i.open && i.dueDate !== null && pastGrace(i.dueDate, today, args.cfg, args.calendar))
    .sort((a, b) => (a.dueDate! < b.dueDate! ? -1 : a.dueDate! > b.dueDate! ? 1 : a.id < b.id ? -1 : 1));
  const first = overdue[0];
  if (first) return { kind: KIND_OF_CODE.get(first.code) ?? 'task_overdue', item: first.id, label: first.label, ...(first.labelEn ? { labelEn: first.labelEn } : {}), since: first.dueDate! };
  if (args.stalledSince) return { kind: 'stalled', item: 'construction', label: '施工停滞', labelEn: 'construction stalled', since: args.stalledSince };
  return stillStanding(args.rung, args.items, today);
}

/** A reset's recorded reason when the work that held the rung is done (or progress reported): its trigger cleared. */
export const TRIGGER_CLEARED = 'trigger cleared';

export const NONE: EscalationState = { level: 0, name: 'NONE', since: null, trigger: null, next: null };

export interface LadderStep {
  readonly state: EscalationState;
  /** What happened: null (nothing), raised to a rung, reset, or the exit decision reminded. */
  readonly change: null | { readonly kind: 'raised'; readonly rung: Rung } | { readonly kind: 'reset'; readonly from: number } | { readonly kind: 'exit_reminder'; readonly rung: Rung };
  readonly events: readonly AuditRecord[];
  /** The next instant the ladder may move without any change by a user (a window ends, a grace ends). */
  readonly wakeAt: Date | null;
}

const rungAt = (cfg: LadderConfig, level: number) => cfg.rungs.find((r) => r.level === level);
const nameOf = (level: number): EscalationName => ESCALATION_LEVELS[level] ?? 'EXIT_PENDING';

/**
 * One review of the ladder. Trigger present: level 0 → L1 today; a rung whose window ended → the next rung, dated
 * the first working day after that window, its own window counted from the review's day (one per review: each rung gets its
 * window); at the top (exit pending) a window that ended reminds the committee leader and starts another. On a rest
 * day none of these moves: it waits for the next working day. Trigger gone: back to level 0 (reset), on any day. Returns the new state and when to look again.
 * `resetReason`: what a reset's audit record says of it, when not the trigger cleared (a setting changed what the ladder watches).
 */
export function climb(args: { state: EscalationState; trigger: Trigger | null; items: readonly WatchedItem[]; today: string; now: Date; cfg: LadderConfig; calendar: CalendarLookup; resetReason?: string }): LadderStep {
  const { trigger, today, cfg, calendar } = args;
  const state = rewindow(args.state, calendar);
  const top = Math.max(...cfg.rungs.map((r) => r.level));
  if (!trigger) {
    // When the next item would start the ladder: the earliest open due date's grace, or the extension's end.
    const upcoming = args.items.filter((i) => i.open && i.dueDate !== null).map((i) => endOfDay(triggerFrom(i.dueDate!, cfg, calendar)));
    if (extendedOn(state.extendedUntil, today)) upcoming.push(endOfDay(state.extendedUntil!));
    const wakeAt = upcoming.filter((d) => d > args.now).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
    if (state.level === 0) return { state, change: null, events: [], wakeAt };
    return {
      state: { ...NONE, extendedUntil: state.extendedUntil ?? null },
      change: { kind: 'reset', from: state.level },
      events: [{ action: 'escalation.reset', before: { level: state.level, name: state.name, trigger: state.trigger ?? null }, after: { level: 0, reason: args.resetReason ?? TRIGGER_CLEARED } }],
      wakeAt,
    };
  }
  // On a rung, the review also wakes when another open item's grace ends: should the work that holds the project be
  // done meanwhile (its reset is recorded with the completion), that item starts the ladder again on its own day,
  // whenever the review the completion asks for runs.
  const graceEnds = args.items.filter((i) => i.open && i.dueDate !== null && i.id !== trigger.item).map((i) => endOfDay(triggerFrom(i.dueDate!, cfg, calendar)));
  const soonest = (at: Date): Date => graceEnds.filter((d) => d > args.now && d < at).sort((a, b) => a.getTime() - b.getTime())[0] ?? at;
  const climbTo = (level: number, on = today): LadderStep => {
    const raised = raise({ state, level, trigger, today: on, windowFrom: today, cfg, calendar });
    return { ...raised, wakeAt: raised.wakeAt && soonest(raised.wakeAt) };
  };
  const due = state.next?.dueDate ?? today;
  if (state.level > 0 && today <= due) return { state: { ...state, trigger }, change: null, events: [], wakeAt: soonest(endOfDay(due)) };
  // A rung (its urging letter, its notices) or a reminder is an act of a government office: owed on a rest day, it
  // is raised on the next working day of the zone's calendar (民法典 第二百零三条, as a due date on a rest day moves),
  // so its letter is dated and its window counted from a working day. The review wakes again at that day's start.
  if (!workdayInfo(today, calendar).workday) {
    const workday = onOrAfterWorkingDay(today, calendar).date;
    return { state: state.level === 0 ? state : { ...state, trigger }, change: null, events: [], wakeAt: soonest(endOfDay(addCalendarDays(workday, -1))) };
  }
  if (state.level === 0) return climbTo(1);
  // The next rung is owed from the first working day after the window ended, whenever the review runs (a runtime down
  // over it, a late wake-up): dated that day. Its window is counted from the day it is raised and told, so a rung
  // raised late still gives the enterprise and the departments its whole window (no climb of several rungs in one
  // catch-up).
  if (state.level < top) return climbTo(state.level + 1, addWorkingDays(due, 1, calendar).date);
  // Exit pending and undecided: the committee leader is reminded each window.
  const rung = rungAt(cfg, top)!;
  const next = windowOf('EXIT_DECISION', today, rung.responseWd, calendar);
  return {
    state: { ...state, trigger, next },
    change: { kind: 'exit_reminder', rung },
    events: [{ action: 'escalation.exit_reminder', before: { dueDate: due }, after: { next } }],
    wakeAt: soonest(endOfDay(next.dueDate)),
  };
}

/**
 * The ladder raised to `level` today (a window ended with the trigger standing, or the rung's record moved it on: the
 * joint assessment decided to proceed, the compliance check is done), with the new rung's window.
 */
export function raise(args: { state: EscalationState; level: number; trigger: Trigger | null; today: string; windowFrom?: string; cfg: LadderConfig; calendar: CalendarLookup }): LadderStep & { change: { kind: 'raised'; rung: Rung } } {
  const { state, level, trigger, today, cfg } = args;
  const rung = rungAt(cfg, level);
  if (!rung) throw new Error(`config/escalation has no rung ${level}`);
  const after = rungAt(cfg, level + 1);
  const next = windowOf(after ? after.code : 'EXIT_DECISION', args.windowFrom ?? today, rung.responseWd, args.calendar);
  // The days of the rungs below, in this climb (a state kept before they were: its own rung's day, `since`).
  const below = state.level > 0 ? rungDays(state) : {};
  const rungsSince = { ...Object.fromEntries(Object.entries(below).filter(([l]) => Number(l) < level)), [String(level)]: today };
  const s: EscalationState = { level, name: nameOf(level), since: today, trigger: trigger ?? state.trigger ?? null, next, extendedUntil: state.extendedUntil ?? null, rungsSince };
  return {
    state: s,
    change: { kind: 'raised', rung },
    events: [{ action: 'escalation.raised', before: { level: state.level, name: state.name }, after: { level, name: s.name, trigger: s.trigger, next } }],
    wakeAt: endOfDay(next.dueDate),
  };
}

/**
 * An extension 延期 by the committee leader (with its reason): the ladder back to level 0 and no rung before the new
 * date passes. The date lies after today and within a year.
 */
export function extend(args: { state: EscalationState; by: Principal; newDueDate: string; reason: string; today: string; projectStatus: string }): { state: EscalationState; event: AuditRecord } {
  const { state, newDueDate, today } = args;
  if (!hasRole(args.by, 'committee_leader')) throw new Forbidden('An extension 延期 is decided by the committee leader');
  if (args.projectStatus !== 'ACTIVE') throw projectStateConflict(`The project is ${args.projectStatus}: nothing to extend`, `is ${args.projectStatus}`);
  const limit = addYears(today, 1);
  if (newDueDate <= today || newDueDate > limit) throw new ValidationFailed(`The new due date lies after today (${today}) and at most a year ahead (${limit})`, [{ path: 'newDueDate', code: 'out_of_range', message: `must be after ${today} and on or before ${limit}` }]);
  return {
    state: { ...NONE, extendedUntil: newDueDate },
    event: { action: 'escalation.extended', before: { level: state.level, name: state.name, extendedUntil: state.extendedUntil ?? null }, after: { level: 0, extendedUntil: newDueDate, reason: args.reason } },
  };
}

/**
 * The new date of an extension 延期 is a working day of the zone's calendar: the committee leader's decision is told to
 * the enterprise as a date to meet, and a weekend or public holiday would be moved to the next working day by law
 * (民法典 第二百零三条) — a date other than the one decided. Refused (400 on `newDueDate`) naming that working day, so
 * the leader chooses it, or the working day before, knowingly. A year with no calendar loaded counts Monday–Friday.
 */
export function assertExtensionOnWorkingDay(newDueDate: string, calendar: CalendarLookup, path = 'newDueDate', latest?: string): void {
  if (workdayInfo(newDueDate, calendar).workday) return;
  // The working day named is one the extension may run to: past the latest date allowed (a year ahead), the one before.
  const next = onOrAfterWorkingDay(newDueDate, calendar).date;
  const [which, day] = latest !== undefined && next > latest ? ['the working day before', addWorkingDays(newDueDate, -1, calendar).date] : ['the next working day', next];
  throw new ValidationFailed(`${newDueDate} is not a working day of the zone's calendar (a weekend or public holiday): an extension runs to a working day; ${which} is ${day}`, [
    { path, code: 'out_of_range', message: `${newDueDate} is a rest day; ${which} is ${day}` },
  ]);
}

/** 计划竣工 after an extension to `newDueDate`: a planned completion before the new date moves to it (only an extension moves it). */
export function movedCompletion(project: { readonly plannedCompletion?: string | null }, newDueDate: string): string | null {
  const planned = project.plannedCompletion ?? null;
  return planned !== null && planned < newDueDate ? newDueDate : planned;
}

/**
 * Who else a raised rung concerns beyond its owner and supervision: the enterprise at its interview 约谈 (L2) and its
 * compliance check 履约核查 (L4), the departments that make the joint assessment 联合研判 (L3: each must decide before
 * the round lapses). The urging letter (L1) reaches the enterprise as a letter; the exit decision (L5) is the committee
 * leader's, the rung's owner.
 */
export function concernedByRung(level: number, cfg?: Pick<EscalationConfig, 'assessmentDepartments'>): Role[] {
  if (level === 2 || level === 4) return ['enterprise'];
  if (level === ASSESSMENT_LEVEL) return [...assessmentDepartments(cfg)];
  return [];
}

/** A rung raised (by the review or by a rung's record): its owner and the supervision office are told why and by when. */
export function raisedNotices(project: NoticeProject, raised: { readonly rung: Rung; readonly state: EscalationState }, cfg?: Pick<EscalationConfig, 'assessmentDepartments'>): Notice[] {
  const trigger = raised.state.trigger;
  return [...new Set<Role>([raised.rung.owner, 'supervision_office', ...concernedByRung(raised.rung.level, cfg)])].map((to) => ({
    kind: 'escalation.raised' as const,
    project,
    to,
    level: raised.rung.level,
    rung: raised.rung.name.zh,
    rungEn: raised.rung.name.en,
    trigger: trigger ? triggerWords(trigger).zh : '督办事项',
    triggerEn: trigger ? triggerWords(trigger).en : 'the matter under supervision',
    dueDate: raised.state.next?.dueDate ?? null,
    ...(raised.state.next?.calendarProvisional ? { dueProvisional: true } : {}),
  }));
}
