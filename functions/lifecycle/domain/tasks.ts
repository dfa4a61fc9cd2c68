// Tasks 任务, gates 转段 and the stage evaluation: which tasks start, their working-day due dates and lights, when a
// gate opens, when the project advances, and the next instant the workflow must wake up. Pure: no I/O.
import { addCalendarDays, addWorkingDays, endOfDay, type CalendarLookup } from '#reference/domain/calendar.ts';
import { TRACK_DEPARTMENT, type Light, type Role, type SiteMode, type Stage } from '#kernel/domain/codes.ts';
import type { DeptRef, GateDef, LimitsConfig, Matrix, MatrixTask } from '#reference/domain/config.ts';
import { Conflict, type FieldError } from '#kernel/domain/errors.ts';
import type { Project } from '#projects/domain/project.ts';

export type TaskStatus = 'open' | 'done' | 'done_with_deficiencies';
export type TaskKind = 'matrix' | 'followup' | 'obligation' | 'recurring';

export interface Deficiency {
  readonly document: string;
  readonly dueDate: string;
}

export interface Completion {
  readonly by: string;
  readonly role: Role;
  readonly at: string;
  readonly note?: string;
  readonly documents: readonly string[];
  readonly deficiencies: readonly Deficiency[];
}

export interface Task {
  readonly id: string;
  readonly projectId: string;
  readonly stage: Stage;
  readonly code: string;
  readonly kind: TaskKind;
  readonly name: { readonly zh: string; readonly en: string };
  /** Lead department (role code); for the enterprise, the investor itself. */
  readonly lead: Role;
  readonly cooperating: readonly Role[];
  readonly handler: string;
  readonly standard: string;
  readonly limitWd: number | null;
  /** Ids of tasks that must be done before this one starts. */
  readonly after: readonly string[];
  readonly requiredForGate: boolean;
  readonly status: TaskStatus;
  /** Date the task started (its clock runs from here); null while it waits for its predecessors. */
  readonly startedDate: string | null;
  readonly dueDate: string | null;
  readonly yellowDate: string | null;
  readonly light: Light;
  readonly calendarProvisional: boolean;
  readonly completion?: Completion;
  readonly parentTaskId?: string;
  readonly matrixVersion: number;
  /** The park of the project (park_center users act on their park's tasks only). */
  readonly park: string;
  readonly enterpriseId: string;
  /** Stored revision (optimistic lock per task); absent on a task not written yet. */
  readonly rev?: number;
}

export const taskId = (stage: Stage, code: string) => `${stage}.${code}`;

export function resolveDept(ref: DeptRef, project: Pick<Project, 'track'>): Role {
  return ref === 'track_dept' ? TRACK_DEPARTMENT[project.track] : ref;
}

/** Due date, yellow-light date and provisional flag of a task started on `startedDate` with `limitWd` working days. */
export function schedule(startedDate: string, limitWd: number | null, yellowBeforeWd: number, calendar: CalendarLookup) {
  if (limitWd === null) return { dueDate: null, yellowDate: null, calendarProvisional: false };
  const due = addWorkingDays(startedDate, limitWd, calendar);
  const yellow = addWorkingDays(due.date, -Math.min(yellowBeforeWd, limitWd), calendar);
  return { dueDate: due.date, yellowDate: yellow.date, calendarProvisional: due.provisional || yellow.provisional };
}

/** The stage's tasks from the matrix version in force, for the project's site mode 摘地/租赁厂房. */
export function tasksForStage(
  matrix: Matrix,
  matrixVersion: number,
  project: Pick<Project, 'id' | 'track' | 'siteMode' | 'park' | 'investor'>,
  stage: Stage,
  today: string,
  yellowBeforeWd: number,
  calendar: CalendarLookup,
): Task[] {
  const defs = matrix.tasks.filter((t) => t.stage === stage && t.siteModes.includes(project.siteMode as SiteMode));
  const codes = new Set(defs.map((d) => d.code));
  return defs.map((def: MatrixTask) => {
    // A predecessor that does not apply to this site mode (e.g. 土地清单 in lease mode) does not block.
    const after = def.after.filter((c) => codes.has(c)).map((c) => taskId(stage, c));
    const started = after.length === 0 ? today : null;
    const limitWd = def.recurringEveryWd ?? def.limitWd;
    return {
      id: taskId(stage, def.code),
      projectId: project.id,
      stage,
      code: def.code,
      kind: def.recurringEveryWd ? 'recurring' : 'matrix',
      name: def.name,
      lead: resolveDept(def.lead, project),
      cooperating: def.cooperating.map((c) => resolveDept(c, project)),
      handler: def.handler,
      standard: def.standard,
      limitWd,
      after,
      requiredForGate: def.requiredForGate,
      status: 'open',
      startedDate: started,
      ...(started ? schedule(started, limitWd, yellowBeforeWd, calendar) : { dueDate: null, yellowDate: null, calendarProvisional: false }),
      light: 'green',
      matrixVersion,
      park: project.park,
      enterpriseId: project.investor.enterpriseId,
    } satisfies Task;
  });
}

export const isDone = (t: Pick<Task, 'status'>) => t.status !== 'open';

export interface GateApproval {
  readonly role: Role;
  readonly by: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly at: string;
  readonly round: number;
}

export interface FollowUp {
  readonly item: string;
  readonly owner: Role;
  readonly dueDate: string;
}

export interface MeetingAmendment {
  /** 1, 2, … within the meeting record. */
  readonly number: number;
  readonly round: number;
  readonly at: string;
  readonly by: string;
  readonly role: Role;
  readonly reason: string;
  /** Field by field, what the record said before and says after this amendment (follow-ups: the ones it added). */
  readonly changes: Readonly<Record<string, { readonly before: unknown; readonly after: unknown }>>;
}

export interface Meeting {
  readonly heldOn: string;
  readonly attendees: readonly string[];
  readonly decisions: readonly string[];
  readonly followUps: readonly FollowUp[];
  readonly recordedBy: string;
  /** The role the record was made in (a park center may amend only what a park center recorded). */
  readonly recordedRole?: Role;
  readonly recordedAt: string;
  /** The gate round the meeting belongs to (records made before rounds were stored have none: round 1). */
  readonly round?: number;
  /** Amendments made to this record so far (each is its own record: the record itself stays bounded). */
  readonly amendmentCount?: number;
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
  readonly advance: boolean;
  /** Earliest future instant at which a light changes or a due date passes. */
  readonly wakeAt: Date | null;
  readonly newlyRed: readonly Task[];
  readonly newlyYellow: readonly Task[];
}

/** The light of a timed open task on `today`: red once its due date has passed, yellow from its yellow date. */
export function lightOf(t: Pick<Task, 'status' | 'dueDate' | 'yellowDate'>, today: string): Light {
  if (isDone(t) || !t.dueDate) return 'green';
  if (today > t.dueDate) return 'red';
  if (t.yellowDate && today >= t.yellowDate) return 'yellow';
  return 'green';
}

const rank: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/**
 * Evaluates the project at `today`: starts tasks whose predecessors are done, refreshes lights over every task of
 * the project (follow-ups and 容缺 obligations of earlier stages keep their clocks), opens the current stage's gate
 * when its required tasks are done, and says whether the gate has passed.
 */
export function evaluate(allTasks: readonly Task[], view: StageView, ctx: EvaluateContext): Evaluation {
  const byId = new Map(allTasks.map((t) => [t.id, t]));
  const changed = new Map<string, Task>();
  const put = (t: Task) => {
    byId.set(t.id, t);
    changed.set(t.id, t);
  };
  for (const t of allTasks) {
    if (t.startedDate || isDone(t)) continue;
    if (t.after.every((id) => { const p = byId.get(id); return !p || isDone(p); })) {
      put({ ...t, startedDate: ctx.today, ...schedule(ctx.today, t.limitWd, ctx.yellowBeforeWd, ctx.calendar) });
    }
  }
  // Due dates computed while a year had no calendar are recomputed once it is loaded.
  for (const t of byId.values()) {
    if (!t.calendarProvisional || isDone(t) || !t.startedDate) continue;
    const again = schedule(t.startedDate, t.limitWd, ctx.yellowBeforeWd, ctx.calendar);
    if (again.dueDate !== t.dueDate || again.yellowDate !== t.yellowDate || again.calendarProvisional !== t.calendarProvisional) put({ ...t, ...again });
  }
  const newlyRed: Task[] = [];
  const newlyYellow: Task[] = [];
  for (const t of byId.values()) {
    const light = lightOf(t, ctx.today);
    if (light === t.light) continue;
    if (light === 'red') newlyRed.push(t);
    if (light === 'yellow') newlyYellow.push(t);
    put({ ...t, light });
  }

  const stageTasks = [...byId.values()].filter((t) => t.stage === view.stage && t.kind !== 'obligation' && t.kind !== 'followup');
  const ready = stageTasks.filter((t) => t.requiredForGate).every(isDone) && (view.stage !== 'OPERATION' || view.targetsMet === true);
  let gate = view.gate;
  let gateChanged = false;
  let gateOpened = false;
  if (ready && !gate.open && !gate.passedAt) {
    const due = addWorkingDays(ctx.today, gate.limitWd, ctx.calendar);
    gate = { ...gate, open: true, openedDate: ctx.today, dueDate: due.date, overdueSince: null, calendarProvisional: due.provisional };
    gateChanged = true;
    gateOpened = true;
  } else if (gate.open && !gate.passedAt && gate.calendarProvisional && gate.openedDate) {
    // Like a task's: the gate's due date is recomputed once the missing year is loaded.
    const due = addWorkingDays(gate.openedDate, gate.limitWd, ctx.calendar);
    if (due.date !== gate.dueDate || !due.provisional) {
      // Moved past today: not overdue any more, so the real due date gets its own overdue reminder.
      const overdueSince = gate.overdueSince && due.date >= ctx.today ? null : (gate.overdueSince ?? null);
      gate = { ...gate, dueDate: due.date, calendarProvisional: due.provisional, overdueSince };
      gateChanged = true;
    }
  }
  const current = view.approvals.filter((a) => a.round === gate.round);
  const approvedAll = gate.requiredApprovals.every((r) => current.some((a) => a.role === r && a.decision === 'approve'));
  const advance = gate.open && approvedAll && (!gate.meetingRequired || currentMeeting(gate) !== null);

  const open = [...byId.values()].filter((t) => !isDone(t) && t.dueDate);
  const lights = open.map((t) => byId.get(t.id)!.light);
  const gateLight: Light = gate.open && gate.dueDate && !advance ? lightOf({ status: 'open', dueDate: gate.dueDate, yellowDate: null }, ctx.today) : 'green';
  const light = [...lights, gateLight].reduce<Light>((w, l) => (rank[l] > rank[w] ? l : w), 'green');

  const instants: Date[] = [];
  for (const t of open) {
    if (t.yellowDate) instants.push(endOfDay(addCalendarDays(t.yellowDate, -1)));
    instants.push(endOfDay(t.dueDate!));
  }
  if (gate.open && gate.dueDate && !advance) instants.push(endOfDay(gate.dueDate));
  const future = instants.filter((i) => i > ctx.now).sort((a, b) => a.getTime() - b.getTime());
  const dueDates = open.map((t) => t.dueDate!).sort();
  return {
    changedTasks: [...changed.values()],
    gate,
    gateChanged,
    gateOpened,
    light,
    openTasks: [...byId.values()].filter((t) => !isDone(t)).length,
    overdueTasks: open.filter((t) => byId.get(t.id)!.light === 'red').length,
    nextDue: dueDates[0] ?? null,
    advance,
    wakeAt: future[0] ?? null,
    newlyRed,
    newlyYellow,
  };
}

/**
 * Open follow-ups and 容缺 obligations are what users add to a project without limit otherwise (50 per call, any
 * number of calls); each is a timed task the workflow watches. Beyond the configured cap: 409, nothing written.
 */
export function assertRoomForItems(tasks: readonly Pick<Task, 'kind' | 'status'>[], adding: number, limits: LimitsConfig): void {
  const open = tasks.filter((t) => (t.kind === 'followup' || t.kind === 'obligation') && !isDone(t)).length;
  if (adding > 0 && open + adding > limits.openItemsPerProject) {
    throw new Conflict(
      `This project already carries ${open} open follow-ups and 容缺 obligations; ${adding} more would exceed the limit of ` +
        `${limits.openItemsPerProject} (config/limits openItemsPerProject). Close some first.`,
    );
  }
}

/**
 * 容缺办理 defers a document, it does not waive it: each missing document is due after today and at the latest
 * `deficiencyWindowWd` working days from today (`latest`). Returns the field errors.
 */
export function deficiencyDueDateErrors(deficiencies: readonly Deficiency[], today: string, latest: string, windowWd: number): FieldError[] {
  return deficiencies.flatMap((d, i): FieldError[] => {
    if (d.dueDate <= today) return [{ path: `deficiencies[${i}].dueDate`, message: `must be after ${today}` }];
    if (d.dueDate > latest) return [{ path: `deficiencies[${i}].dueDate`, message: `must be on or before ${latest} (${windowWd} working days)` }];
    return [];
  });
}

/** Completing a task: by its lead only, once; deficiencies make it 容缺 with timed obligations. */
export function completeTask(
  task: Task,
  by: { sub: string; roles: readonly Role[]; enterprise?: string; park?: string },
  input: { note?: string; documents?: readonly string[]; deficiencies?: readonly Deficiency[] },
  now: Date,
  today: string,
  /** Obligations this task already had (a task reopened at its gate and completed again numbers on from them). */
  earlierObligations = 0,
): { task: Task; obligations: Task[] } {
  const deficiencies = input.deficiencies ?? [];
  const completion: Completion = {
    by: by.sub,
    role: task.lead,
    at: now.toISOString(),
    note: input.note,
    documents: input.documents ?? [],
    deficiencies,
  };
  const done: Task = {
    ...task,
    status: deficiencies.length ? 'done_with_deficiencies' : 'done',
    light: 'green',
    completion,
  };
  const obligations = deficiencies.map(
    (d, i): Task => ({
      ...task,
      id: `${task.id}.obligation-${earlierObligations + i + 1}`,
      code: `${task.code}_obligation`,
      kind: 'obligation',
      name: { zh: `容缺补正：${d.document}`, en: `Missing document: ${d.document}` },
      standard: `补交 ${d.document}`,
      limitWd: null,
      after: [],
      requiredForGate: false,
      status: 'open',
      startedDate: today,
      dueDate: d.dueDate,
      yellowDate: null,
      light: today > d.dueDate ? 'red' : 'green',
      calendarProvisional: false,
      parentTaskId: task.id,
      completion: undefined,
    }),
  );
  return { task: done, obligations };
}

export function followUpTasks(project: Pick<Project, 'id' | 'park' | 'investor'>, stage: Stage, meeting: Meeting, matrixVersion: number, startIndex: number): Task[] {
  return meeting.followUps.map((f, i) => ({
    id: `${stage}.followup-${startIndex + i + 1}`,
    projectId: project.id,
    stage,
    code: 'meeting_followup',
    kind: 'followup',
    name: { zh: f.item, en: f.item },
    lead: f.owner,
    cooperating: [],
    handler: '',
    standard: `转段会议（${meeting.heldOn}）确定事项`,
    limitWd: null,
    after: [],
    requiredForGate: false,
    status: 'open',
    startedDate: meeting.heldOn,
    dueDate: f.dueDate,
    yellowDate: null,
    light: 'green',
    calendarProvisional: false,
    matrixVersion,
    park: project.park,
    enterpriseId: project.investor.enterpriseId,
  }));
}

