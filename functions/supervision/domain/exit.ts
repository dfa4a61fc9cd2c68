// The exit procedure 退出程序: at exit pending (L5) the committee leader decides — `extend` (a new date: the ladder
// back to 0, as an extension) or `exit`, resting on the latest compliance check 履约核查 having found a breach. An exit
// decided is carried out by its own workflow (statemachines/project-exit.asl.json), whose steps are the functions
// below: each reads the exit record on the project and does its part once — the record says what is done, so a retry
// or a redrive after a crash does nothing twice. Pure: no I/O.
import { Conflict, ValidationFailed } from '#kernel/domain/errors.ts';
import { requireRole, type Principal } from '#kernel/domain/principal.ts';
import type { AuditRecord } from '#kernel/domain/values.ts';
import { notActive, projectStateConflict, type Project } from '#projects/domain/project.ts';
import { checkOfThisRung, type ComplianceCheck } from './compliance.ts';
import { NONE } from './escalation.ts';

export const EXIT_LEVEL = 5;
/** The exit workflow's steps, in order (statemachines/project-exit.asl.json). */
export const EXIT_STEPS = ['check', 'release', 'letter', 'close'] as const;
export type ExitStep = (typeof EXIT_STEPS)[number];

export interface ExitRecord {
  /** decided → running (the workflow took it) → done; failed when an execution failed (ops redrive it). */
  readonly status: 'decided' | 'running' | 'failed' | 'done';
  /** The exit execution: {projectId}-EXIT-{attempt}. */
  readonly execution: string;
  readonly attempt: number;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason: string;
  /** The compliance check the decision rests on. */
  readonly complianceCheck: number;
  /** When each step finished. */
  readonly steps: Partial<Record<ExitStep, string>>;
  /** Reservations and fund allocations released by the exit. */
  readonly released: readonly string[];
  readonly letter: { readonly id: string; readonly number: string } | null;
  /** The last failure; `redriveCount` is the execution's redrives when it failed (a later failure has a higher one). */
  readonly failure: { readonly at: string; readonly error: string; readonly cause: string; readonly redriveCount?: number } | null;
  readonly redrives: number;
}

export interface ExitDecisionInput {
  readonly decision: 'exit' | 'extend';
  readonly reason: string;
  readonly newDueDate?: string;
}

/** Thrown by a step when the project's record does not allow it (not retried: the execution fails and is recorded). */
export class ExitRefused extends Error {
  override readonly name = 'ExitRefused';
}

/**
 * The committee leader's decision to exit (the `extend` decision is an extension: escalation.ts `extend`). Refused:
 * not the committee leader (403), not ACTIVE or not at exit pending (409), an exit already decided (409), no compliance
 * check on record (409 at `path.id`) or one that found no breach (409 at `decision`).
 */
export function decideExit(args: { project: Project; by: Principal; reason: string; latestCheck: ComplianceCheck | undefined; now: Date; execution: string }): { project: Project; event: AuditRecord } {
  const { project } = args;
  requireRole(args.by, ['committee_leader'], 'The exit decision 退出决定');
  assertAtExitRung(project);
  // (A finished exit leaves the project EXITED, refused above: any exit on record is one under way.)
  if (project.exit) throw projectStateConflict(`The exit of project ${project.id} is ${project.exit.status} (${project.exit.execution})`, `being exited 退出程序 (${project.exit.status})`);
  // The check this climb made: one from before an extension put the ladder back does not carry an exit now.
  const check = checkOfThisRung(args.latestCheck ? [args.latestCheck] : [], project.escalation.since);
  // What is missing is the project's (path.id); a check that found no breach refuses the decision sent, not the project
  // (`decision`: extend is taken).
  if (!check) throw projectStateConflict(`No compliance check 履约核查 (L4) of this climb is on record for project ${project.id}: an exit rests on one (record it at exit pending)`, 'no compliance check 履约核查 of this climb on record');
  if (!check.breach) {
    throw new Conflict(`The compliance check no. ${check.number} (${check.checkedOn}) found no clause breached: extend instead of exiting`, [
      { path: 'decision', code: 'state', message: `compliance check no. ${check.number} found no clause breached: only extend` },
    ]);
  }
  const exit: ExitRecord = {
    status: 'decided',
    execution: args.execution,
    // The first attempt; a failed one that can no longer be redriven gives way to the next (exit-start.ts).
    attempt: 1,
    decidedBy: args.by.sub,
    decidedAt: args.now.toISOString(),
    reason: args.reason,
    complianceCheck: check.number,
    steps: {},
    released: [],
    letter: null,
    failure: null,
    redrives: 0,
  };
  return { project: { ...project, exit }, event: { action: 'exit.decided', before: {}, after: { execution: exit.execution, reason: args.reason, complianceCheck: check.number } } };
}

export function assertAtExitRung(project: Pick<Project, 'id' | 'status' | 'escalation'>): void {
  if (project.status !== 'ACTIVE') throw notActive(project);
  if (project.escalation.level !== EXIT_LEVEL) throw projectStateConflict(`The exit decision is taken at the ladder's exit rung (L${EXIT_LEVEL}); project ${project.id} is at L${project.escalation.level}`, `at L${project.escalation.level}`);
}

/** A decision to exit takes no new due date: a client that meant to extend is told, not given an exit. */
export function assertExitDecisionFields(input: ExitDecisionInput): void {
  if (input.decision === 'exit' && input.newDueDate !== undefined) {
    throw new ValidationFailed('A decision to exit takes no new due date (send decision "extend" to extend)', [{ path: 'newDueDate', code: 'not_allowed', message: 'only with decision extend' }]);
  }
}

/** The extend decision's fields: a new date is required. */
export function extendDate(input: ExitDecisionInput): string {
  if (!input.newDueDate) throw new ValidationFailed('A decision to extend names the new due date', [{ path: 'newDueDate', code: 'required', message: 'required when decision is extend' }]);
  return input.newDueDate;
}

/**
 * The exit record a step works on: the project's exit for this execution, not finished. Undefined when the step has
 * nothing to do (the project exited already — a redelivered step after the end). Throws ExitRefused for an execution
 * that is not the project's exit.
 */
export function exitFor(project: Project, execution: string): ExitRecord | undefined {
  const exit = project.exit;
  if (project.status === 'EXITED' && exit?.execution === execution) return undefined;
  if (!exit || exit.execution !== execution) throw new ExitRefused(`Execution ${execution} is not the exit of project ${project.id} (${exit?.execution ?? 'none decided'})`);
  if (project.status !== 'ACTIVE') throw new ExitRefused(`Project ${project.id} is ${project.status}`);
  return exit;
}

/** A step done: recorded on the exit (a failed exit that a redrive continues is running again). */
export function stepDone(exit: ExitRecord, step: ExitStep, now: Date, extra: Partial<ExitRecord> = {}): ExitRecord {
  return { ...exit, ...extra, status: 'running', steps: { ...exit.steps, [step]: now.toISOString() } };
}

/**
 * The project closed by its exit: EXITED, the ladder ended, the lifecycle ended, its open tasks withdrawn with it (the
 * close step), so nothing is open, overdue or due and no light is lit: the ledger and reports list it as exited, not red.
 */
export function closeExited(project: Project, exit: ExitRecord, now: Date): Project {
  return {
    ...project,
    status: 'EXITED',
    escalation: { ...NONE },
    stalled: false,
    light: 'green',
    tasksSummary: { open: 0, overdue: 0, nextDue: null },
    workflow: project.workflow && { ...project.workflow, status: 'ended' },
    exit: { ...stepDone(exit, 'close', now), status: 'done', failure: null },
  };
}

/**
 * An exit execution failed (its status-change event, or a start refused): recorded, unless it is not the current exit
 * or it finished — or this failure is on record already: status-change events come at least once, and a failure after
 * a redrive (by the API or the console) carries a higher `redriveCount` than the one before it.
 */
export function exitFailed(project: Project, execution: string, error: string, cause: string, now: Date, redriveCount = 0): Project | undefined {
  const exit = project.exit;
  if (!exit || exit.execution !== execution || exit.status === 'done' || project.status === 'EXITED') return undefined;
  if (exit.failure && redriveCount <= (exit.failure.redriveCount ?? 0)) return undefined;
  return { ...project, exit: { ...exit, status: 'failed', failure: { at: now.toISOString(), error, cause: cause.slice(0, 1000), redriveCount } } };
}

/** Ops redrive a failed exit: from the step that failed (or, when the execution can no longer be redriven, a new one). */
export function redriveRequested(project: Project): Project {
  const exit = project.exit;
  if (!exit || exit.status !== 'failed') throw projectStateConflict(`The exit of project ${project.id} is ${exit?.status ?? 'not decided'}: only a failed exit is redriven`, `exit ${exit?.status ?? 'not decided'}`);
  return { ...project, exit: { ...exit, status: 'running', redrives: exit.redrives + 1 } };
}
