// The gate 转段 of a stage: opened when the stage's required tasks are done, decided by parallel approval 并联审批 —
// every named department approves once per round, in any order; a rejection (with its reason) reopens the tasks it
// names and begins a new round, which needs its own approvals and meeting — from the approvers the matrix version the
// project follows names (a re-pin may have moved it while the round was decided). Pure.
import { nextStage, type Role, type Stage } from '#kernel/domain/codes.ts';
import { Conflict, Contended, NotFound, ValidationFailed } from '#kernel/domain/errors.ts';
import { actsAs, requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import type { CalendarLookup } from '#reference/domain/calendar.ts';
import type { GateDef } from '#reference/domain/config.ts';
import { assertActive, assertNoExitUnderway, projectStateConflict, type GateWait, type Project } from '#projects/domain/project.ts';
import type { Meeting } from './meeting.ts';
import { schedule } from './schedule.ts';
import { isDone, resolveDept, type Task, type TaskProject } from './task.ts';

export interface GateApproval {
  readonly role: Role;
  readonly by: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly at: string;
  readonly round: number;
}

/** The round a meeting record belongs to. */
export const meetingRound = (m: Pick<Meeting, 'round'>) => m.round ?? 1;

/** The gate's meeting of its current round, if recorded: a rejection starts a round that needs its own meeting. */
export const currentMeeting = (gate: Pick<Gate, 'meeting' | 'round'>): Meeting | null =>
  gate.meeting && meetingRound(gate.meeting) === gate.round ? gate.meeting : null;

export interface Gate {
  readonly stage: Stage;
  readonly name: { readonly zh: string; readonly en: string };
  readonly requiredApprovals: readonly Role[];
  readonly meetingRequired: boolean;
  readonly limitWd: number;
  readonly open: boolean;
  readonly openedDate: string | null;
  readonly dueDate: string | null;
  /** Rejections start a new round: approvals and the meeting of earlier rounds no longer count. */
  readonly round: number;
  /** The day the current round began (a rejection begins the next); a round's meeting is held on or after it. */
  readonly roundStartedDate?: string | null;
  readonly meeting: Meeting | null;
  readonly passedAt: string | null;
  /** The date the open gate went past its due date undecided (its approvers are reminded, supervision told). */
  readonly overdueSince?: string | null;
  /** The due date was computed on weekdays only (a year without a loaded calendar); recomputed once it is loaded. */
  readonly calendarProvisional?: boolean;
  /**
   * Decisions of the current round that count toward passing (an approval of a named department; the meeting, when the
   * gate requires one), kept by the decisions that leave the gate waiting (`gateDecided` in store/tasks.ts): a decision
   * is let through as one that leaves it waiting only while the count is short of the last — except the round's last
   * decision at a last gate held for work still owed (`held`), counted on the project's version. Absent until the
   * round's first such decision; cleared by a rejection.
   */
  readonly roundDecisions?: number;
}

/** How many decisions the gate's round needs, and how many it has as read (`approvals` of any round). */
export function gateTally(gate: Gate, approvals: readonly GateApproval[]): { needed: number; made: number } {
  const approved = new Set(approvals.filter((a) => a.round === gate.round && a.decision === 'approve').map((a) => a.role));
  const meeting = gate.meetingRequired ? 1 : 0;
  return {
    needed: gate.requiredApprovals.length + meeting,
    made: gate.requiredApprovals.filter((r) => approved.has(r)).length + (meeting && currentMeeting(gate) ? 1 : 0),
  };
}

export function newGate(def: GateDef, project: Pick<Project, 'track'>): Gate {
  return {
    stage: def.stage,
    name: def.name,
    requiredApprovals: [...new Set(def.approvers.map((a) => resolveDept(a, project)))],
    meetingRequired: def.meetingRequired,
    limitWd: def.limitWd,
    open: false,
    openedDate: null,
    dueDate: null,
    round: 1,
    meeting: null,
    passedAt: null,
  };
}

/** The gate of a stage under a matrix: a stage the matrix names no gate for passes once its tasks are done, on the committee leader's approval. */
export function stageGate(defs: readonly GateDef[], stage: Stage, project: Pick<Project, 'track'>): Gate {
  const def = defs.find((g) => g.stage === stage) ?? { stage, name: { zh: '转段', en: 'Stage gate' }, approvers: ['committee_leader' as const], meetingRequired: false, limitWd: 10 };
  return newGate(def, project);
}

/**
 * The work that outlives its stage (a 容缺 obligation, a meeting's follow-up, a rectification item 整改事项 of the joint
 * assessment) still open when `stage` is the last: the last gate (达产, into PRODUCING) neither opens nor passes while
 * any is — once the lifecycle is complete nothing watches its deadlines, and a project is not done with documents or
 * rectification still owed. Empty for any other stage (the work goes on into the next).
 */
export function outstandingAtLastGate(stage: Stage, tasks: readonly Task[]): Task[] {
  return isLastGate(stage) ? tasks.filter((t) => (t.kind === 'obligation' || t.kind === 'followup') && !isDone(t)) : [];
}

/** Whether `stage`'s gate is the last (达产, into PRODUCING), the one that waits for work still owed. */
export function isLastGate(stage: Stage): boolean {
  const into = nextStage(stage);
  return into === undefined || into === 'PRODUCING';
}

/** Why a gate not open yet refuses a decision: the last one (达产) waits for production figures as well as tasks. */
/**
 * The tasks of `stage` its gate waits for: its own work required for the gate (not its follow-ups and obligations,
 * which the last gate alone waits for — `outstandingAtLastGate`) not done yet, by task id (the store's order).
 */
export function gateWaitsOf(tasks: readonly Task[], stage: Stage): GateWait[] {
  return tasks
    .filter((t) => t.stage === stage && t.kind !== 'obligation' && t.kind !== 'followup' && t.requiredForGate && !isDone(t))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => ({ id: t.id, zh: t.name.zh, en: t.name.en }));
}

function gateClosedWhy(gate: Gate, stage: Stage): string {
  if (stage === 'OPERATION') return `The ${gate.name.zh} gate is not open: it opens once the stage's required tasks are done, the work the project owes is closed and a year of production figures meets the contract's targets (GET /projects/{id}: gate.needs says what is missing)`;
  return `The ${gate.name.zh} gate is not open: the stage's required tasks are not done`;
}

/**
 * Whether the gate has all it needs to pass: open and not passed, every department it names approving in the current
 * round, and that round's meeting recorded when the gate requires one.
 */
export function gateComplete(gate: Gate, approvals: readonly GateApproval[]): boolean {
  if (!gate.open || gate.passedAt) return false;
  const current = approvals.filter((a) => a.round === gate.round);
  return gate.requiredApprovals.every((r) => current.some((a) => a.role === r && a.decision === 'approve')) && (!gate.meetingRequired || currentMeeting(gate) !== null);
}

export interface GateDecisionInput {
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  /** On rejection: the completed tasks of the stage (ids) that must be redone. */
  readonly reopenTasks?: readonly string[];
  /** The round the decider saw: a decision for a round a rejection has ended is not counted in the next. */
  readonly round?: number | undefined;
}

/**
 * One decision of parallel approval 并联审批: each department the gate names decides once per round, in any order, on
 * an open gate of the project's current stage. A rejection needs its reason; it may reopen completed tasks of the stage
 * (each named once), which restart their clocks today; the gate closes for the round when it does, and every approver
 * decides anew in the next round.
 */
export function decideGate(args: {
  project: TaskProject & Pick<Project, 'stage'>;
  stage: Stage;
  gate: Gate | undefined;
  approvals: readonly GateApproval[];
  tasks: readonly Task[];
  by: Principal;
  input: GateDecisionInput;
  now: Date;
  today: string;
  calendar: CalendarLookup;
  yellowBeforeWd: number;
  /**
   * The approvers of the round a rejection begins (matrix-pin.ts nextRoundApprovers: those of the matrix version the
   * project follows); the gate's own when not given.
   */
  nextApprovers?: readonly Role[];
}): { approval: GateApproval; gate: Gate | undefined; reopened: Task[] } {
  const { project, stage, gate, by, input, now, today } = args;
  const reopenTasks = input.reopenTasks ?? [];
  if (input.decision === 'reject' && !input.comment) throw new ValidationFailed('A rejection needs its reason', [{ path: 'comment', code: 'required', message: 'is required when rejecting' }]);
  if (input.decision === 'approve' && reopenTasks.length) throw new ValidationFailed('Only a rejection reopens tasks', [{ path: 'reopenTasks', code: 'not_allowed', message: 'only with decision reject' }]);
  if (!gate) throw new NotFound(`Project ${project.id} has no ${stage} gate yet`);
  // Who may decide comes first: someone who may not is told so (403), not the gate's state.
  const mine = gate.requiredApprovals.filter((r) => actsAs(by, r, project));
  if (mine.length === 0) requireActsAs(by, gate.requiredApprovals, project, `Deciding the ${gate.name.zh} gate`);
  // The gate the path names (`path.stage`) is what is not in a state that takes a decision, as a closed project is `path.id`.
  if (gate.passedAt) throw projectStateConflict(`The ${gate.name.zh} gate was passed already`, 'passed already', 'path.stage');
  assertActive(project, `No decision at the ${gate.name.zh} gate`);
  if (project.stage !== stage) throw projectStateConflict(`Project ${project.id} is not at the ${stage} gate`, `the project is in ${project.stage}`, 'path.stage');
  assertNoExitUnderway(project, `No decision at the ${gate.name.zh} gate`);
  if (!gate.open) {
    // Its tasks all done a moment ago: the stage's review opens it next (asynchronously, after the completion) — a retry,
    // not the wrong cause (helper-69 was told the tasks were not done).
    if (stage !== 'OPERATION' && gateWaitsOf(args.tasks, stage).length === 0) {
      throw new Contended(`The ${gate.name.zh} gate opens in a moment: its required tasks are done and the stage's review is opening it; nothing was written. Retry the request`);
    }
    throw projectStateConflict(gateClosedWhy(gate, stage), 'not open', 'path.stage');
  }
  if (input.round !== undefined && input.round !== gate.round) {
    throw new Conflict(
      input.round < gate.round
        ? `Round ${input.round} of the ${gate.name.zh} gate is over: a rejection began round ${gate.round} meanwhile. Nothing was recorded; decide again on round ${gate.round}`
        : `The ${gate.name.zh} gate is in round ${gate.round}, not ${input.round}`,
      [{ path: 'round', code: 'state', message: `the gate is in round ${gate.round}` }],
    );
  }
  const decided = new Set(args.approvals.filter((a) => a.round === gate.round).map((a) => a.role));
  const role = mine.find((r) => !decided.has(r));
  if (!role) throw projectStateConflict(`${mine.join(', ')} already decided on this gate (round ${gate.round})`, `${mine.join(', ')} decided in round ${gate.round}`, 'path.stage');
  // Parallel approval 并联审批 is several departments' independent say: one person holding two of the roles gives one.
  const own = args.approvals.find((a) => a.round === gate.round && a.by === by.sub);
  if (own) throw projectStateConflict(`You decided the ${gate.name.zh} gate for ${own.role} already (round ${gate.round}): ${role} is decided by another person`, `you decided round ${gate.round} for ${own.role}`, 'path.stage');
  const approval: GateApproval = { role, by: by.sub, decision: input.decision, comment: input.comment, at: now.toISOString(), round: gate.round };
  if (input.decision === 'approve') return { approval, gate: undefined, reopened: [] };
  const reopened = reopenTasks.map((id, i): Task => {
    const t = args.tasks.find((x) => x.id === id && x.stage === stage);
    if (!t) throw new ValidationFailed(`No ${stage} task ${id} to reopen`, [{ path: `reopenTasks[${i}]`, code: 'unknown_ref', message: 'not a task of this stage' }]);
    if (reopenTasks.indexOf(id) !== i) throw new ValidationFailed(`${id} is listed twice in reopenTasks`, [{ path: `reopenTasks[${i}]`, code: 'duplicate', message: 'listed twice' }]);
    // Only completed matrix tasks are redone: an open task keeps its clock (and its overdue record).
    if (t.kind !== 'matrix' || t.status === 'open') throw new ValidationFailed(`${id} cannot be reopened`, [{ path: `reopenTasks[${i}]`, code: 'state', message: 'only a completed task of the stage can be reopened' }]);
    // Reopened by a rejection, it holds the gate whatever the matrix said of it (else the gate would open again at the
    // next review with the work still to do).
    return { ...t, status: 'open', completion: undefined, startedDate: today, ...schedule(today, t.limitWd, args.yellowBeforeWd, args.calendar), light: 'green', requiredForGate: true };
  });
  // The gate closes for this round while tasks are reopened; it reopens once they are done.
  // The new round counts its own decisions: the old round's count goes.
  const { roundDecisions: _counted, ...rest } = gate;
  return { approval, gate: { ...rest, requiredApprovals: args.nextApprovers ?? gate.requiredApprovals, open: reopened.length === 0, round: gate.round + 1, roundStartedDate: today, overdueSince: null }, reopened };
}
