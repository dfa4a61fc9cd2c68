// The workflow's review of a stage 阶段评估 (the "Evaluate stage" and "Deadline reached" steps): on top of the
// evaluation engine (evaluation.ts) it decides what the review changes and tells — tasks started and relit, each
// newly red item recorded as overdue and handed to supervision 督办, yellow lights told to the lead department, a
// stalled site 施工停滞 flagged, an open gate's approvers told, an overdue gate's pending approvers reminded, the
// stage's recurring work closed when the gate passes, and whether the project advances. Pure: the step loads the
// records and commits the review through the project's unit of work.
import { nextStage, type Stage } from '#kernel/domain/codes.ts';
import { endOfDay } from '#kernel/domain/dates.ts';
import { diff, type AuditRecord } from '#kernel/domain/values.ts';
import { provisionalNotice, provisionalYears, yearOf, type Notice } from '#notifications/domain/notices.ts';
import type { Project } from '#projects/domain/project.ts';
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';
import { overdueFact, overdueWithdrawal, type OverdueFact, type OverdueWithdrawal } from '#supervision/domain/department.ts';
import { climb, COMPLETION, currentTrigger, LETTER_ITEM, provisionalRung, raisedNotices, TRIGGER_CLEARED, type EscalationState, type HeldRung, type LadderConfig, type LadderStep, type WatchedItem } from '#supervision/domain/escalation.ts';
import { evaluate, startReady, summarize, tasksSummaryOf } from './evaluation.ts';
import type { Gate, GateApproval } from './gate.ts';
import { isDone, lightOf, type Task } from './task.ts';

export interface ReviewInput {
  readonly project: Project;
  readonly stage: Stage;
  /** Every task of the project (follow-ups and 容缺 obligations of earlier stages keep their clocks). */
  readonly tasks: readonly Task[];
  /** The stage's gate: as stored, or a fresh one when none is stored yet (`gateStored` false). */
  readonly gate: Gate;
  readonly gateStored: boolean;
  readonly approvals: readonly GateApproval[];
  /** The day the stage was entered, if recorded: a construction site's stall clock starts there. */
  readonly enteredDate: string | undefined;
  /** OPERATION only: whether the production figures meet the contract targets (达产). */
  readonly targetsMet: boolean;
  readonly yellowBeforeWd: number;
  readonly stalledAfterWd: number;
  readonly calendar: CalendarLookup;
  readonly now: Date;
  readonly today: string;
  /** Who closes the stage's recurring work when the gate passes (the workflow's actor). */
  readonly closedBy: string;
  /** The escalation ladder's rungs and grace (`config/escalation`). */
  readonly ladder: LadderConfig;
  /** The project's letters that ask for a reply: an enterprise's unanswered one is overdue work like a task. */
  readonly letters?: readonly ReviewLetter[];
}

/** What the review needs of a letter. */
export interface ReviewLetter {
  readonly id: string;
  readonly number: string;
  readonly replyBy: string | null;
  readonly answered: boolean;
  readonly reminded: boolean;
  /** The reply-by day before this review counted it again (a calendar change moved it); absent when it did not move. */
  readonly was?: string | null;
  /** The reply-by day is counted on weekdays for want of its year's calendar. */
  readonly replyProvisional?: boolean;
  readonly toEnterprise: boolean;
  /**
   * An urging letter 督办函 (L1's, or the supervision office's by hand): what it asks is the late work, and the ladder
   * watches that work — done (or progress reported), the ladder resets and the letter left unanswered does not start it
   * again. It is still reminded when its window passes and shows overdue.
   */
  readonly urging?: boolean;
  /** The addressee's inbox. */
  readonly inbox: string;
}

/** A task as the review stores it, with what its change records and tells (committed together, once). */
export interface TaskChange {
  readonly task: Task;
  readonly events: readonly AuditRecord[];
  readonly notices: readonly Notice[];
  /** A department's task turned red: the overdue fact its department is counted by (部门督办, 通报提醒). */
  readonly overdue?: OverdueFact;
  /** A department's red task no longer overdue (the calendar corrected): its overdue fact is withdrawn. */
  readonly withdrawn?: OverdueWithdrawal;
}

export interface Review {
  /** Whether anything is to be written: a review that changes nothing writes nothing (and moves no version). */
  readonly changed: boolean;
  /** The project after the review (summary, light, stall flag; stage and status when the gate passes). */
  readonly project: Project;
  readonly tasks: readonly TaskChange[];
  /** The gate to store, or null when it is stored and unchanged. */
  readonly gate: Gate | null;
  /** Audit events of the project's own change (stage passed, gate overdue). */
  readonly events: readonly AuditRecord[];
  readonly notices: readonly Notice[];
  /** The stage the project passed into, or null when it stays. */
  readonly passedTo: Stage | null;
  /** The earliest future instant at which the review must run again (a light changes, a due date or stall date passes). */
  readonly wakeAt: Date | null;
  /** What the escalation ladder did (a rung raised: L1 sends the urging letter). */
  readonly ladder: LadderStep['change'];
  /** Letters whose reply window passed unanswered, reminded now (once each). */
  readonly remindedLetters: readonly string[];
  /**
   * Letters reminded whose reply-by day a calendar correction moved to today or later: the reminder is withdrawn (the
   * letter is reminded again should its new day pass unanswered).
   */
  readonly unremindedLetters: readonly string[];
}

/**
 * What a task turning red records and tells: its `task.overdue` event, its lead department's notice, the department's
 * overdue fact (部门督办) and — while the work is still open — the hand-over to supervision 督办, on which the escalation
 * ladder builds. The review lights a task red at its deadline; a completion that finds its task past due and not yet
 * red (the deadline's wake-up not run yet, or the lifecycle stopped awaiting a resume) records the same light first,
 * marked `atCompletion`, so the record of lateness never depends on when a timer ran.
 */
export function redLight(t: Task, project: Project, today: string, atCompletion = false): Pick<TaskChange, 'overdue' | 'events' | 'notices'> {
  const overdue = overdueFact(t, project, today);
  // Its date counted on weekdays for want of its year's calendar: told as an estimate (loading the year may move it —
  // and withdraw the red light, redWithdrawn).
  const provisional = t.calendarProvisional ? { dueProvisional: true } : {};
  return {
    ...(overdue ? { overdue } : {}),
    events: [{ action: 'task.overdue', before: {}, after: { tasks: [{ taskId: t.id, dueDate: t.dueDate, lead: t.lead }], ...(atCompletion ? { atCompletion: true } : {}) } }],
    notices: [
      { kind: 'task.overdue', project, to: t.lead, task: t.name.zh, taskEn: t.name.en, dueDate: t.dueDate, ...provisional },
      ...(atCompletion ? [] : [{ kind: 'supervision.handover' as const, project, task: t.name.zh, taskEn: t.name.en, lead: t.lead, dueDate: t.dueDate, ...provisional }]),
    ],
  };
}

/**
 * A red task that is not overdue any more: ops corrected the working calendar (the day it was due made a rest day), its
 * due date moved to today or later. The red light was a mistake of the calendar, not the department's: its overdue
 * record is withdrawn — the `task.overdue_withdrawn` event, the department's overdue fact removed (the report and the
 * notice list stop counting it) — and those told of the red light (its lead department, supervision 督办) are told it is
 * withdrawn, with the date it is due now (no yellow notice besides). Should the work still be open past the new date, it
 * turns red again then, told and handed over as any red light. `was`: the task as it stood red; `now`: as re-evaluated.
 */
export function redWithdrawn(was: Task, now: Task, project: Project): Pick<TaskChange, 'withdrawn' | 'events' | 'notices'> {
  const withdrawn = overdueWithdrawal(was);
  const told = [...new Set([was.lead, 'supervision_office' as const])];
  return {
    ...(withdrawn ? { withdrawn } : {}),
    events: [{ action: 'task.overdue_withdrawn', before: { tasks: [{ taskId: was.id, dueDate: was.dueDate, light: 'red' }] }, after: { tasks: [{ taskId: now.id, dueDate: now.dueDate, light: now.light }], reason: 'calendar' } }],
    notices: told.map((to) => ({ kind: 'task.overdue_withdrawn', project, to, task: now.name.zh, taskEn: now.name.en, was: was.dueDate, dueDate: now.dueDate, ...(now.calendarProvisional ? { dueProvisional: true } : {}) })),
  };
}

/**
 * A yellow task green again: its dates counted again (a calendar correction, a lights version), its yellow day moved
 * past today. Its lead department, told of the yellow light, is told it is withdrawn, with the day it turns yellow now:
 * that day it is told again, as any yellow light — so the second yellow notice follows a withdrawal, as a red light's does.
 */
export const yellowWithdrawn = (t: Task, project: Project): Notice => ({
  kind: 'task.yellow_withdrawn',
  project,
  to: t.lead,
  task: t.name.zh,
  taskEn: t.name.en,
  yellowDate: t.yellowDate,
  dueDate: t.dueDate,
  ...(t.calendarProvisional ? { dueProvisional: true } : {}),
});

/** Whether closing `t` today finds it past due without its red light recorded: `redLight(…, true)` is owed first. */
export const lateWithoutRed = (t: Pick<Task, 'dueDate' | 'light' | 'status'>, today: string) => t.status === 'open' && t.dueDate !== null && today > t.dueDate && t.light !== 'red';

/** A task's yellow light 临期: its lead department is told (a yellow light is told, not audited). */
export const yellowLight = (t: Task, project: Project): Notice => ({ kind: 'task.yellow', project, to: t.lead, task: t.name.zh, taskEn: t.name.en, dueDate: t.dueDate, ...(t.calendarProvisional ? { dueProvisional: true } : {}) });

/** Whether closing `t` today finds its yellow day come while it is still green (not told): `yellowLight` is owed first. */
export const dueWithoutYellow = (t: Pick<Task, 'yellowDate' | 'light' | 'status'>, today: string) => t.status === 'open' && t.light === 'green' && t.yellowDate !== null && t.yellowDate <= today;

/**
 * Whether an overdue task raises the ladder (`config/escalation` `ladderTasks`): every task, or only the work the
 * enterprise owes — the tasks it leads and every 容缺 obligation (the missing document is the applicant's).
 */
export const watchedByLadder = (t: Pick<Task, 'kind' | 'lead'>, cfg: Pick<LadderConfig, 'ladderTasks'>) => cfg.ladderTasks !== 'enterprise' || t.kind === 'obligation' || t.lead === 'enterprise';

/**
 * Why the ladder would reset, as told (`told`) and as its audit record says (`recorded`): the work done (`done`; the
 * trigger cleared), or — the task that held the rung still open — the zone's ladder no longer watching it (a
 * department's task, `ladderTasks: 'enterprise'` published since).
 */
function resetReason(project: Project, tasks: readonly Task[], cfg: LadderConfig, done: string): { told: string; recorded: string } {
  const item = project.escalation.level > 0 ? project.escalation.trigger?.item : undefined;
  const held = item === undefined ? undefined : tasks.find((t) => t.id === item);
  return held && !isDone(held) && !watchedByLadder(held, cfg)
    ? { told: '督办范围调整：部门承办事项不再对企业督办', recorded: 'ladderTasks: the task that held the rung is no longer watched' }
    : { told: done, recorded: TRIGGER_CLEARED };
}

/**
 * Whether the escalation ladder watches a letter's reply window: an enterprise's letter that asks for a reply — not an
 * urging letter (the ladder's triggers are the work it urges, domain.md §4: work done after the letter resets the ladder
 * even while the letter waits for its reply, and the climb never goes on for the letter alone).
 */
export const letterWatchedByLadder = (l: Pick<ReviewLetter, 'toEnterprise' | 'replyBy' | 'urging'>): boolean => l.toEnterprise && l.replyBy !== null && !l.urging;

/** What the escalation ladder watches: the open work (tasks, an enterprise's letters awaiting a reply, the planned completion). */
function ladderItems(project: Project, stage: Stage, tasks: readonly Task[], letters: readonly ReviewLetter[], cfg: LadderConfig): WatchedItem[] {
  return [
    ...tasks.filter((t) => watchedByLadder(t, cfg)).map((t) => ({ id: t.id, code: t.code, label: t.name.zh, labelEn: t.name.en, dueDate: t.dueDate, open: !isDone(t) && t.kind !== 'recurring' })),
    // An enterprise's unanswered letter counts for the ladder like overdue work (its reply window is its due date).
    ...letters.filter(letterWatchedByLadder).map((l) => ({ id: l.id, code: LETTER_ITEM, label: `函件${l.number}未回复`, labelEn: `letter ${l.number} unanswered`, dueDate: l.replyBy, open: !l.answered })),
    // 逾期竣工: the planned completion (recorded at the groundbreaking gate) passed while still in construction.
    ...(project.plannedCompletion ? [{ id: COMPLETION, code: COMPLETION, label: '逾期竣工', labelEn: 'completion overdue', dueDate: project.plannedCompletion, open: stage === 'CONSTRUCTION' }] : []),
  ];
}

/** What a person's change records of the ladder: a reset when it cleared what held the project on a rung. */
export interface LadderReset {
  readonly project: Project;
  readonly events: readonly AuditRecord[];
  readonly notices: readonly Notice[];
}

/**
 * The ladder after a person's change (a task completed, progress reported, a letter answered): when it leaves nothing
 * that holds the project on its rung, the reset is recorded in the change's own transaction — on the day the trigger
 * cleared, not when the lifecycle's review, woken through the outbox, gets to it (under load that can be the next
 * business day). Raising a rung stays with the review at its deadline — except the rung that review owed already and
 * had not run yet when the change cleared its trigger (`before`: the work as it stood before the change; the midnight
 * review fell behind its clock). That rung is recorded first, marked `atChange`, so the ladder's record never depends
 * on when the review ran; nobody is told of it (no urging letter for work done), and a reset from a rung nobody heard
 * of is told to nobody either. `project` is the project after the change; `tasks` and `letters` as they stand after it.
 */
export function ladderAfterChange(args: {
  project: Project;
  tasks: readonly Task[];
  letters: readonly ReviewLetter[];
  before?: {
    readonly project?: Project;
    readonly tasks: readonly Task[];
    readonly letters: readonly ReviewLetter[];
    /** The stall 施工停滞 by the rule before the change (`stallClock`), when the caller knows it: the day it counts from. */
    readonly stalledSince?: string | null;
  };
  today: string;
  now: Date;
  cfg: LadderConfig;
  calendar: CalendarLookup;
}): LadderReset | undefined {
  const { project, today, now, cfg, calendar, before } = args;
  if (ladderStandsStill(project) || (project.escalation.level === 0 && !before)) return undefined;
  const stage = project.stage as Stage;
  // The stall as recorded on the project after the change (a progress report clears it in the project it hands here).
  const items = ladderItems(project, stage, args.tasks, args.letters, cfg);
  if (currentTrigger({ items, stalledSince: recordedStall(project, stage, today), today, cfg, calendar, extendedUntil: project.escalation.extendedUntil, rung: heldRung(project, stage) })) return undefined;
  const owed = before && owedStep({ project, stage, tasks: before.tasks, letters: before.letters, stalledSince: before.stalledSince !== undefined ? before.stalledSince : recordedStall(before.project ?? project, stage, today), today, now, cfg, calendar });
  const state = owed?.state ?? project.escalation;
  if (state.level === 0) return undefined;
  const reason = resetReason(project, args.tasks, cfg, '督办事项已办结');
  const step = climb({ state, trigger: null, items, today, now, cfg, calendar, resetReason: reason.recorded });
  if (step.change?.kind !== 'reset') return undefined;
  return { project: { ...project, escalation: step.state }, events: [...(owed?.events ?? []), ...step.events], notices: toldReset(project, step, reason.told) };
}

/** A reset as people heard of the ladder: from the rung they were told of (none: nobody is told). */
function toldReset(project: Project, reset: LadderStep, reason: string): Notice[] {
  const from = project.escalation.level;
  return from > 0 && reset.change?.kind === 'reset' ? ladderNotices(project, { ...reset, change: { kind: 'reset', from } }, reason) : [];
}

/**
 * The rung (or the exit decision's reminder) the midnight review owed on the work as it stands, before a person's
 * decision that moves the ladder by itself (an extension 延期, the exit decision) when that review had not run yet.
 * `stalledSince`: the stall by the rule, when the caller worked it out (else the stall as recorded).
 */
export function ladderOwed(args: { project: Project; tasks: readonly Task[]; letters: readonly ReviewLetter[]; stalledSince?: string | null; today: string; now: Date; cfg: LadderConfig; calendar: CalendarLookup }): LadderStep | undefined {
  const { project, today } = args;
  if (ladderStandsStill(project)) return undefined;
  const stage = project.stage as Stage;
  return owedStep({ ...args, stage, stalledSince: args.stalledSince !== undefined ? args.stalledSince : recordedStall(project, stage, today) });
}

/** The rung (or the exit decision's reminder) the review owed on the work as it stood before a change, if any. */
function owedStep(args: { project: Project; stage: Stage; tasks: readonly Task[]; letters: readonly ReviewLetter[]; stalledSince: string | null; today: string; now: Date; cfg: LadderConfig; calendar: CalendarLookup }): LadderStep | undefined {
  const { project, today, cfg, calendar } = args;
  const items = ladderItems(project, args.stage, args.tasks, args.letters, cfg);
  const trigger = currentTrigger({ items, stalledSince: args.stalledSince, today, cfg, calendar, extendedUntil: project.escalation.extendedUntil, rung: heldRung(project, args.stage) });
  if (!trigger) return undefined;
  const step = climb({ state: project.escalation, trigger, items, today, now: args.now, cfg, calendar });
  if (step.change === null || step.change.kind === 'reset') return undefined;
  return { ...step, events: step.events.map((e) => ({ ...e, after: { ...e.after, atChange: true } })) };
}

/** An exit decided is carried out by its own workflow: the ladder stands still (no rung, reminder or reset) meanwhile. */
/** Whether the project's exit 退出 is under way (decided, not done): it leaves by its exit, not into production. */
export function exiting(project: Project): boolean {
  return project.exit !== undefined && project.exit.status !== 'done';
}

/** Whether no person's change moves the project's ladder: the project is no longer active, or its exit is under way. */
export const ladderStandsStill = (project: Project): boolean => project.status !== 'ACTIVE' || exiting(project);

/**
 * 施工停滞 by the rule: in CONSTRUCTION, no progress report for `stalledAfterWd` working days after the last one (or the
 * stage's entry). `lastProgress` is the day the stall counts from; `stallDate` the last day before it is stalled.
 */
export function stallClock(args: { project: Project; stage: Stage; enteredDate: string | undefined; stalledAfterWd: number; today: string; calendar: CalendarLookup }): { lastProgress: string; stallDate: string; stalled: boolean } {
  const lastProgress = args.project.progress?.reportedOn ?? args.enteredDate ?? args.today;
  const stallDate = addWorkingDays(lastProgress, args.stalledAfterWd, args.calendar).date;
  return { lastProgress, stallDate, stalled: args.stage === 'CONSTRUCTION' && args.today > stallDate };
}

/** The stall 施工停滞 as the last review recorded it on the project (flag and last report), in construction. */
const recordedStall = (project: Project, stage: Stage, today: string): string | null =>
  stage === 'CONSTRUCTION' && project.stalled ? (project.progress?.reportedOn ?? today) : null;

/** The rung the project is on, with what clears a stall that raised it (a progress report after it began). */
const heldRung = (project: Project, stage: Stage): HeldRung => ({ state: project.escalation, progressReportedOn: project.progress?.reportedOn ?? null, constructing: stage === 'CONSTRUCTION' });

/** What a ladder step tells: a rung raised, a reset (with its reason), the exit decision reminded. */
function ladderNotices(project: Project, step: LadderStep, resetReason: string, cfg?: LadderConfig): Notice[] {
  const change = step.change;
  if (change?.kind === 'raised') return raisedNotices(project, { rung: change.rung, state: step.state }, cfg);
  if (change?.kind === 'reset') return [{ kind: 'escalation.reset', project, from: change.from, reason: resetReason }];
  if (change?.kind === 'exit_reminder') return [{ kind: 'escalation.exit_reminder', project, dueDate: step.state.next?.dueDate ?? null, ...(step.state.next?.calendarProvisional ? { dueProvisional: true } : {}) }];
  return [];
}

/** The ladder's next window as a dated item (provisionalYears reads its flag and day). */
export const ladderDates = (escalation: EscalationState): { calendarProvisional?: boolean; dueDate: string }[] => (escalation.next ? [escalation.next] : []);

/**
 * Ops told that the ladder's next window is counted on weekdays for want of a calendar (provisionalRung), unless a year
 * `dated` (the project's tasks and gate) or the ladder before was provisional in already: once a project and year.
 */
function ladderProvisional(project: Project, after: EscalationState, dated: readonly { calendarProvisional?: boolean; dueDate: string | null }[], cfg: LadderConfig): Notice[] {
  const rung = provisionalRung(project.escalation, after, cfg);
  return rung && !provisionalYears([...dated, ...ladderDates(project.escalation)]).has(yearOf(rung.date)) ? [provisionalNotice(project, [rung])] : [];
}

/** A stage's gate passed: what its passing records and tells, in the transaction that records it. */
export interface StagePass {
  /** The stage the project passed into (`PRODUCING`: the lifecycle is complete). */
  readonly to: Stage;
  /** The project in its next stage: summary without the closed recurring work, stall flag cleared, ladder moved. */
  readonly project: Project;
  readonly gate: Gate;
  /** The stage's recurring work, closed with it (at 达产: all the project's open work), each with the red light it was owed and had not got. */
  readonly closed: readonly TaskChange[];
  readonly events: readonly AuditRecord[];
  readonly notices: readonly Notice[];
  /**
   * The ladder's move: a reset; a rung raised by work that outlives the stage still overdue (from level 0: L1, whose
   * letter the caller sends; on a rung whose window ended: the next); an exit reminder; or null (the rung kept).
   */
  readonly ladder: LadderStep['change'];
}

/**
 * A gate passing 转段: the gate closes as passed, the stage's recurring work ends with it (a meeting closed past its
 * due date keeps its red light), the project moves into the next stage (past OPERATION: PRODUCING, the lifecycle
 * complete). A gate passed is progress: the escalation ladder resets — unless work that outlives the stage (an
 * unanswered letter, a 容缺 obligation, a follow-up) is still overdue past its grace: then the project stays on its rung
 * (the same work never gets a second urging letter), or from level 0 climbs to L1 at once, as the next stage's first
 * review would. Recorded by the decision that completes the gate (the last approval, or the
 * meeting), on its day, or by the review when the gate needs no decision. `tasks`: every task of the project as it
 * stands; `letters`: the project's letters that ask for a reply.
 */
export function passStage(args: { project: Project; stage: Stage; gate: Gate; tasks: readonly Task[]; letters: readonly ReviewLetter[]; now: Date; today: string; closedBy: string; ladder: LadderConfig; calendar: CalendarLookup; byReview?: boolean }): StagePass {
  const { project, stage, now, today, calendar } = args;
  const to = nextStage(stage) ?? 'PRODUCING';
  // At 达产 the project completes: the work still open with it (the 达产达效 task, which has no time limit and is not the
  // gate's to wait for) ends too — a completed project takes no completion (409), so it would stay open in its lead's
  // work and the department report for good. The gate waits for the work that outlives a stage, so none of that is here.
  const completes = to === 'PRODUCING';
  const closed = args.tasks
    .filter((t) => (completes || (t.stage === stage && t.kind === 'recurring')) && !isDone(t))
    .map((t): TaskChange => {
      const note = completes ? '达产，项目完成，任务结束' : '阶段转段，定期任务结束';
      const task: Task = { ...t, status: 'done', light: 'green', completion: { by: args.closedBy, role: t.lead, at: now.toISOString(), note, documents: [], deficiencies: [] } };
      return lateWithoutRed(t, today) ? { task, ...redLight(t, project, today, true) } : { task, events: [], notices: [] };
    });
  const byId = new Map(closed.map((c) => [c.task.id, c.task]));
  const after = args.tasks.map((t) => byId.get(t.id) ?? t);
  const gate: Gate = { ...args.gate, open: false, passedAt: now.toISOString() };
  // The next stage's tasks are not here yet: entered with the pass (stage-pass.ts entryWithPass), which counts them in
  // the project's light and summary, or, when they do not fit in its transaction, by the lifecycle's `Enter stage`.
  const summary = summarize(after, 'green', to === 'PRODUCING' ? undefined : to);
  const moved: Project = { ...project, light: summary.light, stalled: false, tasksSummary: tasksSummaryOf(summary) };
  let next: Project = to === 'PRODUCING' ? { ...moved, stage: 'PRODUCING', status: 'COMPLETED', workflow: moved.workflow && { ...moved.workflow, status: 'ended' } } : { ...moved, stage: to };
  const events: AuditRecord[] = [{ action: 'stage.passed', before: { stage }, after: { stage: to, gate: gate.name.zh, round: gate.round } }];
  const notices: Notice[] = [];
  let ladder: LadderStep['change'] = null;
  if (!exiting(project)) {
    // Work that outlives the stage and is still overdue (an unanswered letter, a 容缺 obligation, a follow-up) holds the
    // project as the review would hold it: on its rung while what raised it stands (the same work never gets a second
    // urging letter, the climb is not started over at every gate), the next rung when its window has ended, or from
    // level 0 at L1 from the day the stage passed.
    const items = next.status === 'ACTIVE' ? ladderItems(next, to, after, args.letters, args.ladder) : [];
    const trigger = next.status === 'ACTIVE' ? currentTrigger({ items, stalledSince: null, today, cfg: args.ladder, calendar, extendedUntil: project.escalation.extendedUntil, rung: heldRung(project, to) }) : null;
    if (trigger) {
      const step = climb({ state: project.escalation, trigger, items, today, now, cfg: args.ladder, calendar });
      next = { ...next, escalation: step.state };
      events.push(...step.events);
      notices.push(...ladderNotices(project, step, '阶段转段', args.ladder));
      // The review that passes a gate tells of its own provisional dates (reviewStage); a decision's pass, here.
      if (!args.byReview) notices.push(...ladderProvisional(project, step.state, [...args.tasks, args.gate], args.ladder));
      ladder = step.change;
    } else {
      // Nothing holds it any more (its start of works, its stall, its stage's work are behind it): the ladder resets,
      // after the rung the review owed on the stage as it stood (its midnight run fell behind the clock) — by a
      // decision; when the review itself passes the gate, the pass comes before any rung of that review.
      const owed = args.byReview ? undefined : owedStep({ project, stage, tasks: args.tasks, letters: args.letters, stalledSince: recordedStall(project, stage, today), today, now, cfg: args.ladder, calendar });
      const reset = climb({ state: owed?.state ?? project.escalation, trigger: null, items, today, now, cfg: args.ladder, calendar });
      next = { ...next, escalation: reset.state };
      events.push(...(owed?.events ?? []), ...reset.events);
      notices.push(...toldReset(project, reset, '阶段转段'));
      ladder = reset.change;
    }
  }
  return { to, project: next, gate, closed, events, notices, ladder };
}

/** The approvers of the gate's round who have not decided yet (an overdue gate reminds them; its withdrawal tells them). */
const pendingApprovers = (gate: Gate, approvals: readonly GateApproval[]): Gate['requiredApprovals'] => {
  const decided = new Set(approvals.filter((a) => a.round === gate.round).map((a) => a.role));
  return gate.requiredApprovals.filter((r) => !decided.has(r));
};

/** The project once its dates are recomputed on the calendar as it stands: the flag a calendar change set is cleared. */
function withoutRecompute(p: Project): Project {
  const { datesToRecompute: _done, ...rest } = p;
  return rest;
}

/**
 * Dates newly counted on weekdays for want of their year's calendar (`newly`) in a year ops were not told of for the
 * project yet: told once a project and year — not for a year its work as it stood (`dated`: its tasks, the gate) or
 * its ladder's next window was provisional in already.
 */
function untoldProvisional(project: Project, dated: readonly { calendarProvisional?: boolean; dueDate: string | null }[], newly: readonly { name: string; date: string | null | undefined }[]): { name: string; date: string }[] {
  const told = provisionalYears([...dated, ...ladderDates(project.escalation)]);
  return newly.filter((x): x is { name: string; date: string } => x.date !== null && x.date !== undefined && !told.has(yearOf(x.date)));
}

/**
 * Work a person dates — 容缺 obligations, a meeting's follow-ups, an interview's commitments, a joint assessment's plan —
 * created with a date in a year with no calendar: flagged `calendarProvisional` as it is made (fixedSchedule), so the
 * review, which tells ops of dates that turn provisional, never tells of it. The change that creates it tells ops, once a
 * project and year, as the review tells of the work it dates: `before`, the project's tasks and gates as they stood
 * (a year one of them was provisional in was told already); `created`, the new work.
 */
export function provisionalCreated(project: Project, before: readonly { calendarProvisional?: boolean; dueDate: string | null }[], created: readonly Task[]): Notice[] {
  const untold = untoldProvisional(project, before, created.filter((t) => t.calendarProvisional).map((t) => ({ name: t.name.zh, date: t.dueDate })));
  return untold.length ? [provisionalNotice(project, untold)] : [];
}

/**
 * The work a person's change leaves ready — every task it waits for done (a completion, 容缺 included; a progress report
 * holding the meeting it waits for) — started in that change's own transaction, as the stage's review would start it
 * (startReady: today, due by its working-day limit on the calendar, its yellow date) and with what the review would tell
 * of it: a light on at once (yellow: a limit within the yellow window) to its lead department, a due date in a year
 * without a calendar to ops. A department completing it right after is not told to retry, and its clock does not start
 * a business day late when the review runs behind the clock. The review that follows finds it started, lit and told:
 * it starts and tells nothing again, and its wait counts the new clock (`wakeAt`). `tasks`: every task of the project
 * after the change, any stage's; `gate`: the stage's gate as stored, if it is. Nothing on a project that is not active (no review runs).
 */
export function startedByChange(args: { project: Project; tasks: readonly Task[]; gate: Gate | undefined; today: string; calendar: CalendarLookup; yellowBeforeWd: number }): { tasks: TaskChange[]; notices: Notice[] } {
  const { project, today } = args;
  if (project.status !== 'ACTIVE') return { tasks: [], notices: [] };
  // Every task of the project, as the review of the stage it is in reads them (stage-records.ts): a leftover of a stage
  // passed (work its gate did not wait for, completed since) is started by that review and kept on its clock, so here too.
  const started = startReady(args.tasks, args).map((t) => ({ ...t, light: lightOf(t, today) }));
  // Due on or after the day it starts, a task starting is never red: yellow at most, told to its lead as the review tells it.
  const tasks = started.map((t): TaskChange => ({ task: t, events: [], notices: t.light === 'yellow' ? [yellowLight(t, project)] : [] }));
  const provisional = untoldProvisional(project, [...args.tasks, ...(args.gate ? [args.gate] : [])], started.filter((t) => t.calendarProvisional).map((t) => ({ name: t.name.zh, date: t.dueDate })));
  return { tasks, notices: provisional.length ? [provisionalNotice(project, provisional)] : [] };
}

export function reviewStage(input: ReviewInput): Review {
  const { project, stage, tasks, now, today, calendar } = input;
  const ev = evaluate(tasks, { stage, tasks, gate: input.gate, approvals: input.approvals, targetsMet: input.targetsMet }, { today, now, calendar, yellowBeforeWd: input.yellowBeforeWd, recomputeAll: project.datesToRecompute === true });

  // The tasks as evaluated; when the gate passes, the stage's recurring work (progress meetings) closes with it.
  const evaluated = new Map(ev.changedTasks.map((t) => [t.id, t]));
  // Not while an exit is under way: the project leaves by its exit, not into production.
  const pass = ev.advance && !exiting(project)
    ? passStage({ project, stage, gate: ev.gate, tasks: tasks.map((t) => evaluated.get(t.id) ?? t), letters: input.letters ?? [], now, today, closedBy: input.closedBy, ladder: input.ladder, calendar, byReview: true })
    : null;
  const closing = new Map((pass?.closed ?? []).map((c) => [c.task.id, c]));
  const writes = new Map([...evaluated, ...[...closing.values()].map((c) => [c.task.id, c.task] as const)]);
  // Recurring work closed past its due date keeps its red light (a missed meeting is a fact, whenever the review that
  // would have lit it ran); a yellow light on work closing is told to nobody.
  const red = new Set(ev.newlyRed.map((t) => t.id));
  const yellow = new Set(ev.newlyYellow.map((t) => t.id).filter((id) => !closing.has(id)));
  const stored = new Map(tasks.map((t) => [t.id, t]));
  const unred = new Set(ev.noLongerRed.map((t) => t.id).filter((id) => !closing.has(id)));
  const unyellow = new Set(ev.noLongerYellow.map((t) => t.id).filter((id) => !closing.has(id)));
  const taskChanges: TaskChange[] = [...writes.values()].map((t) => {
    if (red.has(t.id)) return { task: t, ...redLight(evaluated.get(t.id) ?? t, project, today, closing.has(t.id)) };
    if (unred.has(t.id)) return { task: t, ...redWithdrawn(stored.get(t.id) ?? t, t, project) };
    if (yellow.has(t.id)) return { task: t, events: [], notices: [yellowLight(t, project)] };
    if (unyellow.has(t.id)) return { task: t, events: [], notices: [yellowWithdrawn(t, project)] };
    return closing.get(t.id) ?? { task: t, events: [], notices: [] };
  });

  const notices: Notice[] = [];
  const events: AuditRecord[] = [];
  // No calendar is loaded for a year a due date falls in: computed on weekdays only, flagged, and ops told — once a
  // project and year: a year the project already had provisional dates in (tasks, gate, the ladder's next window: ops
  // were told) is not told again.
  const newlyProvisional = untoldProvisional(project, [...tasks, input.gate], [
    ...ev.changedTasks.filter((t) => t.calendarProvisional && !stored.get(t.id)?.calendarProvisional).map((t) => ({ name: t.name.zh, date: t.dueDate })),
    ...(ev.gate.calendarProvisional && !input.gate.calendarProvisional ? [{ name: ev.gate.name.zh, date: ev.gate.dueDate }] : []),
  ]);
  if (newlyProvisional.length) notices.push(provisionalNotice(project, newlyProvisional));

  // 施工停滞: no progress report for stalledAfterWd working days in CONSTRUCTION.
  const { lastProgress, stallDate, stalled } = stallClock({ project, stage, enteredDate: input.enteredDate, stalledAfterWd: input.stalledAfterWd, today, calendar });
  if (stalled && !project.stalled) notices.push({ kind: 'construction.stalled', project, since: lastProgress });

  let next: Project = withoutRecompute(
    pass ? pass.project : { ...project, light: ev.light, stalled: stage === 'CONSTRUCTION' ? stalled : project.stalled, tasksSummary: tasksSummaryOf(ev) },
  );
  let gate = pass ? pass.gate : ev.gate;
  if (pass) {
    events.push(...pass.events);
    notices.push(...pass.notices);
  }
  // An overdue gate whose due date a calendar correction moved to today or later (evaluation.ts cleared its
  // `overdueSince`): those reminded of it — the approvers still to decide, supervision — are told it is withdrawn.
  if (!pass && input.gate.open && input.gate.overdueSince && !gate.overdueSince && gate.open && gate.round === input.gate.round) {
    const pending = pendingApprovers(gate, input.approvals);
    events.push({ action: 'gate.overdue_withdrawn', before: { stage, dueDate: input.gate.dueDate, overdueSince: input.gate.overdueSince }, after: { stage, dueDate: gate.dueDate, reason: 'calendar' } });
    for (const to of [...new Set([...pending, 'supervision_office' as const])]) {
      notices.push({ kind: 'gate.overdue_withdrawn', project, to, gate: gate.name.zh, gateEn: gate.name.en, stage, was: input.gate.dueDate ?? null, dueDate: gate.dueDate, ...(gate.calendarProvisional ? { dueProvisional: true } : {}) });
    }
  }
  // An open gate past its due date, still undecided: the approvers who have not decided are reminded, supervision told.
  if (!ev.decided && gate.open && gate.dueDate && today > gate.dueDate && !gate.overdueSince) {
    const pending = pendingApprovers(gate, input.approvals);
    gate = { ...gate, overdueSince: today };
    events.push({ action: 'gate.overdue', before: {}, after: { stage, dueDate: gate.dueDate, pending } });
    for (const to of [...pending, 'supervision_office'] as const) notices.push({ kind: 'gate.overdue', project, to, gate: gate.name.zh, gateEn: gate.name.en, stage, dueDate: gate.dueDate, pending });
  }
  const gateWrite = ev.gateChanged || ev.advance || !input.gateStored || gate !== ev.gate ? gate : null;
  if (ev.gateOpened && !ev.advance) {
    for (const to of gate.requiredApprovals) notices.push({ kind: 'gate.open', project, to, gate: gate.name.zh, gateEn: gate.name.en, stage, dueDate: gate.dueDate, ...(gate.calendarProvisional ? { dueProvisional: true } : {}) });
  }

  // The escalation ladder 闭环管控 (supervision/domain/escalation.ts): on the work as it stands after this review (a
  // gate passed: what passStage decided).
  const after = tasks.map((t) => writes.get(t.id) ?? t);
  const letters = input.letters ?? [];
  // A letter whose reply window passed unanswered: its addressee is reminded, once.
  const remindedLetters = letters.filter((l) => !l.answered && !l.reminded && l.replyBy !== null && today > l.replyBy);
  for (const l of remindedLetters) notices.push({ kind: 'letter.overdue', project, inbox: l.inbox, number: l.number, replyBy: l.replyBy! });
  // A letter reminded whose reply-by day a calendar correction moved to today or later (recountReply): it is not overdue,
  // so the reminder is withdrawn — the event on the project's timeline, its addressee (the one reminded) told with the
  // new day — and it is reminded again, as any letter, should the new day pass unanswered.
  const unremindedLetters = letters.filter((l) => !l.answered && l.reminded && l.replyBy !== null && today <= l.replyBy);
  for (const l of unremindedLetters) {
    const was = l.was ?? null;
    events.push({ action: 'letter.overdue_withdrawn', before: { letter: l.id, number: l.number, replyBy: was }, after: { letter: l.id, number: l.number, replyBy: l.replyBy, reason: 'calendar' } });
    notices.push({ kind: 'letter.overdue_withdrawn', project, inbox: l.inbox, number: l.number, was, replyBy: l.replyBy!, ...(l.replyProvisional ? { replyProvisional: true } : {}) });
  }
  const awaiting = (l: ReviewLetter) => !l.answered && (!l.reminded || unremindedLetters.includes(l)) && l.replyBy !== null && today <= l.replyBy;
  const letterWake = letters.filter(awaiting).map((l) => endOfDay(l.replyBy!));
  let ladder: LadderStep['change'] = pass?.ladder ?? null;
  let ladderWake: Date | null = null;
  if (!pass) {
    const escalation = project.escalation;
    const items = ladderItems(project, stage, after, letters, input.ladder);
    const trigger = next.status !== 'ACTIVE' ? null : currentTrigger({ items, stalledSince: stalled ? lastProgress : null, today, cfg: input.ladder, calendar, extendedUntil: escalation.extendedUntil, rung: heldRung(project, stage) });
    // An exit decided is carried out by its own workflow: the ladder stands still (no reminders, no reset) meanwhile.
    const reason = resetReason(project, after, input.ladder, '督办事项已办结');
    const step: LadderStep = exiting(project) ? { state: escalation, change: null, events: [], wakeAt: null } : climb({ state: escalation, trigger, items, today, now, cfg: input.ladder, calendar, resetReason: reason.recorded });
    next = { ...next, escalation: step.state };
    events.push(...step.events);
    notices.push(...ladderNotices(project, step, reason.told, input.ladder));
    ladder = step.change;
    ladderWake = step.wakeAt;
  }
  // The ladder's next window counted on weekdays for want of a calendar (its rung's dates are estimates too): ops told
  // once a project and year, as of the tasks' — not again for a year this review's notice or an earlier one named.
  const toldNow = newlyProvisional.map((x) => ({ calendarProvisional: true, dueDate: x.date }));
  if (!exiting(project)) notices.push(...ladderProvisional(project, next.escalation, [...tasks, input.gate, ...toldNow], input.ladder));

  const d = diff(project, next);
  const changed = remindedLetters.length > 0 || unremindedLetters.length > 0 || taskChanges.length > 0 || gateWrite !== null || events.length > 0 || notices.length > 0 || Object.keys(d.before).length + Object.keys(d.after).length > 0;
  // In CONSTRUCTION the stall date is a deadline too: wake when it passes without a progress report.
  const stallAt = stage === 'CONSTRUCTION' && !stalled ? endOfDay(stallDate) : null;
  const wakeAt = [ev.wakeAt, stallAt, ladderWake, ...letterWake].filter((x): x is Date => x !== null && x > now).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return { changed, project: next, tasks: taskChanges, gate: gateWrite, events, notices, passedTo: pass?.to ?? null, wakeAt, ladder, remindedLetters: remindedLetters.map((l) => l.id), unremindedLetters: unremindedLetters.map((l) => l.id) };
}
