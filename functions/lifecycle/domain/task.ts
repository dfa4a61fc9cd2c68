// Tasks 任务 of a project: made from the responsibility matrix per stage and site mode, started when their predecessors
// are done, timed in working days with a yellow and a red light; completed by their lead department once — with
// documents missing (容缺), each missing one an obligation timed like a task; follow-ups of a transition meeting.
// What users add is bounded. Pure: no I/O.
import { TRACK_DEPARTMENT, type Light, type Role, type SiteMode, type Stage } from '#kernel/domain/codes.ts';
import { Conflict, Contended, NotFound, repeatsIn, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { requireActsAs, type Principal } from '#kernel/domain/principal.ts';
import { typedKey } from '#kernel/domain/values.ts';
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';
import type { DeptRef, LimitsConfig, Matrix, MatrixTask } from '#reference/domain/config.ts';
import { assertNoExitUnderway, notActive, type Project } from '#projects/domain/project.ts';
import type { Meeting } from './meeting.ts';
import { fixedSchedule, schedule, type SetDates } from './schedule.ts';

/** `withdrawn` 撤销: the project exited with the task open (no department works on it any more). */
export type TaskStatus = 'open' | 'done' | 'done_with_deficiencies' | 'withdrawn';
export type TaskKind = 'matrix' | 'followup' | 'obligation' | 'recurring';

export interface Deficiency {
  /** The document as the record names it (the obligation's Chinese name: 容缺补正：<document>). */
  readonly document: string;
  /** Its English name (optional, as a follow-up's itemEn): the obligation's English name, else the document as written. */
  readonly documentEn?: string;
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
  /**
   * Work whose date a person set (a 容缺 obligation, an agreed item): the date as set. `dueDate` is it moved off a rest
   * day by the calendar in force, and moved again from it when ops correct the calendar (back, if it is a working day
   * again). Absent on work recorded before it was kept (its `dueDate` then stands for it).
   */
  readonly dueDateSet?: string;
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

/** An open task withdrawn 撤销 with its project's exit: closed, so it carries no light (as lightOf says of it). */
export const withdrawTask = <T extends Task>(t: T): T => ({ ...t, status: 'withdrawn', light: 'green' });

/** The light of a timed open task on `today`: red once its due date has passed, yellow from its yellow date. */
export function lightOf(t: Pick<Task, 'status' | 'dueDate' | 'yellowDate'>, today: string): Light {
  if (isDone(t) || !t.dueDate) return 'green';
  if (today > t.dueDate) return 'red';
  if (t.yellowDate && today >= t.yellowDate) return 'yellow';
  return 'green';
}

/**
 * Open follow-ups and 容缺 obligations are what users add to a project without limit otherwise (50 per call, any
 * number of calls); each is a timed task the workflow watches. Beyond the configured cap: 409, nothing written.
 */
export function assertRoomForItems(tasks: readonly Pick<Task, 'kind' | 'status'>[], adding: number, limits: LimitsConfig, at: string): void {
  const open = tasks.filter((t) => (t.kind === 'followup' || t.kind === 'obligation') && !isDone(t)).length;
  if (adding > 0 && open + adding > limits.openItemsPerProject) {
    // `at`: the list sent that adds them (followUps, commitments, plan, deficiencies) — what the caller would shorten.
    const room = Math.max(0, limits.openItemsPerProject - open);
    throw new Conflict(
      `This project already carries ${open} open follow-ups and 容缺 obligations; ${adding} more would exceed the limit of ` +
        `${limits.openItemsPerProject} (config/limits openItemsPerProject). Close some first.`,
      [{ path: at, code: 'state', message: `${adding} to add; the project has room for ${room} (${open} of ${limits.openItemsPerProject} open: config/limits openItemsPerProject)` }],
    );
  }
}

/** Two names of one document as a person types them (spacing and width aside). */
const sameDocument = (a: string, b: string) => typedKey(a) === typedKey(b);

/**
 * 容缺办理 defers a document, it does not waive it: each missing document, listed once, is due after today and at the
 * latest `deficiencyWindowWd` working days from today (`latest`). Returns the field errors.
 */

export function deficiencyDueDateErrors(deficiencies: readonly Deficiency[], today: string, latest: string, windowWd: number): FieldError[] {
  return deficiencies.flatMap((d, i): FieldError[] => {
    // One missing document is one promise: named twice it would be two obligations for one paper.
    if (deficiencies.findIndex((e) => sameDocument(e.document, d.document)) < i) return [{ path: `deficiencies[${i}].document`, code: 'duplicate', message: `${d.document} is listed twice` }];
    if (d.dueDate <= today) return [{ path: `deficiencies[${i}].dueDate`, code: 'out_of_range', message: `must be after ${today}` }];
    if (d.dueDate > latest) return [{ path: `deficiencies[${i}].dueDate`, code: 'out_of_range', message: `must be on or before ${latest} (${windowWd} working days)` }];
    return [];
  });
}

/** Builds the completion of a task and its 容缺 obligations (the rules are checked by `completeTask`). */
export function completion(
  task: Task,
  by: { sub: string; roles: readonly Role[]; enterprise?: string; park?: string },
  input: { note?: string; documents?: readonly string[]; deficiencies?: readonly Deficiency[] },
  now: Date,
  today: string,
  /** Obligations this task already had (a task reopened at its gate and completed again numbers on from them). */
  earlierObligations: number,
  dates: SetDates,
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
      name: { zh: `容缺补正：${d.document}`, en: `Missing document: ${d.documentEn ?? d.document}` },
      standard: `补交 ${d.document}`,
      limitWd: null,
      after: [],
      requiredForGate: false,
      status: 'open',
      startedDate: today,
      dueDateSet: d.dueDate,
      ...fixedSchedule(today, d.dueDate, dates.yellowBeforeWd, dates.calendar),
      light: today > d.dueDate ? 'red' : 'green',
      parentTaskId: task.id,
      completion: undefined,
    }),
  );
  return { task: done, obligations };
}

/** An item agreed at a meeting, an interview or a joint assessment: who does it, by when. */
export interface AgreedItem {
  readonly item: string;
  /** The item in English, where the record takes one (an interview's commitments, an assessment's plan): the task's nameEn. */
  readonly itemEn?: string;
  readonly owner: Role;
  readonly dueDate: string;
}

/** One agreed item as people type it (spacing and width aside), and whose it is. */
const agreedKey = (f: Pick<AgreedItem, 'item' | 'owner'>) => `${f.owner}\u0000${typedKey(f.item)}`;

/**
 * One item of one owner is agreed once: named again in a record (or in the record an amendment adds to, `recorded`)
 * it would be a second timed task for the same work, each escalating. The field errors, at `${path}[i].item`.
 */
export function agreedItemRepeats(items: readonly Pick<AgreedItem, 'item' | 'owner'>[], path: string, recorded: readonly Pick<AgreedItem, 'item' | 'owner'>[] = []): FieldError[] {
  const seen = new Set(recorded.map(agreedKey));
  return items.flatMap((f, i): FieldError[] => {
    const key = agreedKey(f);
    if (!seen.has(key)) return (seen.add(key), []);
    return [{ path: `${path}[${i}].item`, code: 'duplicate', message: `${f.item} (${f.owner}) is agreed already` }];
  });
}

/**
 * Agreed items as timed follow-up tasks of the project's current stage, numbered after its existing follow-ups: a
 * meeting's follow-ups, an interview's commitments, a joint assessment's rectification plan. `code` says where they
 * came from, `standard` the record they belong to; each starts on `startedDate`.
 */
/**
 * `from.en`: the task's English name for an item given none (a stable rendering naming the record it came from, as
 * 容缺补正 obligations are `Missing document: …`); without it, the item as written.
 */
export function agreedTasks(
  project: Pick<Project, 'id' | 'park' | 'investor'>,
  stage: Stage,
  items: readonly AgreedItem[],
  from: { code: string; standard: string; en?: (item: string) => string; startedDate: string; matrixVersion: number; startIndex: number; dates: SetDates },
): Task[] {
  return items.map((f, i) => ({
    id: `${stage}.followup-${from.startIndex + i + 1}`,
    projectId: project.id,
    stage,
    code: from.code,
    kind: 'followup',
    name: { zh: f.item, en: f.itemEn ?? (from.en ? from.en(f.item) : f.item) },
    lead: f.owner,
    cooperating: [],
    handler: '',
    standard: from.standard,
    limitWd: null,
    after: [],
    requiredForGate: false,
    status: 'open',
    startedDate: from.startedDate,
    dueDateSet: f.dueDate,
    ...fixedSchedule(from.startedDate, f.dueDate, from.dates.yellowBeforeWd, from.dates.calendar),
    light: 'green',
    matrixVersion: from.matrixVersion,
    park: project.park,
    enterpriseId: project.investor.enterpriseId,
  }));
}

/** How many follow-ups the stage has: the next agreed items are numbered after them. */
export const followUpCount = (tasks: readonly Pick<Task, 'stage' | 'kind'>[], stage: Stage) => tasks.filter((t) => t.stage === stage && t.kind === 'followup').length;

export function followUpTasks(project: Pick<Project, 'id' | 'park' | 'investor'>, stage: Stage, meeting: Meeting, matrixVersion: number, startIndex: number, dates: SetDates): Task[] {
  return agreedTasks(project, stage, meeting.followUps, {
    code: 'meeting_followup',
    standard: `转段会议（${meeting.heldOn}）确定事项`,
    en: (item) => `Gate meeting follow-up (${meeting.heldOn}): ${item}`,
    startedDate: meeting.heldOn,
    matrixVersion,
    startIndex,
    dates,
  });
}

/** What a department sends to complete a task. */
export interface CompletionInput {
  readonly note?: string;
  readonly documents?: readonly string[];
  readonly deficiencies?: readonly Deficiency[];
}

/** The project a task rule needs to know about. */
export type TaskProject = Pick<Project, 'id' | 'status' | 'park' | 'investor' | 'exit'>;

/**
 * Completing a task: by its lead department only (a park center in its park, the enterprise on its own project),
 * once, after it started, while the project is active; recurring work is held by reporting progress instead. Missing
 * documents make it 容缺: each is due after today and within `limits.deficiencyWindowWd` working days, and becomes an
 * obligation timed like a task, within the project's cap on open items.
 */
export function completeTask(args: {
  project: TaskProject & Pick<Project, 'stage'>;
  tasks: readonly Task[];
  taskId: string;
  by: Principal;
  input: CompletionInput;
  now: Date;
  today: string;
  limits: LimitsConfig;
  calendar: CalendarLookup;
  /** config/lights: an obligation's yellow light comes on this many working days before its date. */
  yellowBeforeWd: number;
}): { task: Task; obligations: Task[] } {
  const { project, tasks, by, input, now, today, limits } = args;
  const deficiencies = input.deficiencies ?? [];
  const task = tasks.find((t) => t.id === args.taskId);
  if (!task) {
    // Its stage's tasks not created yet: the lifecycle sets a stage up a moment after admission or a gate's pass, so a
    // task of the stage the project is in is not unknown but not there yet — retry (409 with Retry-After), not 404.
    if (project.status === 'ACTIVE' && args.taskId.startsWith(`${project.stage}.`) && !tasks.some((t) => t.stage === project.stage)) {
      throw new Contended(`The ${project.stage} stage's tasks are being set up by the project's lifecycle (it was admitted or entered the stage a moment ago); nothing was written. Retry the request`);
    }
    throw new NotFound(`Project ${project.id} has no task ${args.taskId}`);
  }
  requireActsAs(by, [task.lead], project, `Completing ${task.name.zh}`);
  // The task the path names is what is not in a state that takes the completion: `path.taskId`, as a closed project is
  // `path.id`.
  const taskState = (message: string): FieldError[] => [{ path: 'path.taskId', code: 'state', message }];
  // Withdrawn with the project's exit, there is nothing left to complete whatever the request holds — no body gets past
  // it, so it is said before the body's faults (a 容缺 obligation told to name its documents would hand them in to a
  // 409 next).
  if (task.status === 'withdrawn') throw new Conflict(`Task ${task.id} was withdrawn 已撤销 with its project's exit: nothing to complete`, taskState('is withdrawn'));
  // Recurring work (建设推进会) is held by reporting progress: no completion ever takes it, whatever the body — said first too.
  if (task.kind === 'recurring') throw new Conflict(`${task.name.zh} is held by reporting progress: POST /projects/${project.id}/progress`, taskState('is recurring: held by reporting progress'));
  // The request's own faults come next, each a 400 at its field (after who may complete it: a 403 says so first) — a
  // 409 for the task's or the project's state would read as if the same request might go through once that changed.
  // An obligation is the missing document itself: it is done when the document is in, not deferred again (a deferral
  // of a deferral would put the paper off without end; more time is the ladder's extension). `deficiencies` is a field
  // it does not take, whatever they name or whenever they are due.
  if (task.kind === 'obligation' && deficiencies.length)
    throw new ValidationFailed(`${task.name.zh} is a 容缺 obligation: it is completed with the document handed in, not deferred again`, [{ path: 'deficiencies', code: 'not_allowed', message: 'not allowed on a 容缺 obligation' }]);
  // Nor done with nothing handed in: the document is what it owes (done with a note alone it would leave the gate's
  // 容缺 line with the paper still missing).
  if (task.kind === 'obligation' && !(input.documents ?? []).length)
    throw new ValidationFailed(`${task.name.zh} is a 容缺 obligation: it is completed with the missing document handed in — name it in documents`, [{ path: 'documents', code: 'required', message: 'required' }]);
  // A document handed in is one paper: named twice, the completion would record it twice (the gate's record, the audit).
  const repeated = repeatsIn(input.documents, 'documents', typedKey);
  if (repeated.length) throw new ValidationFailed('Each document handed in is named once in documents', repeated);
  if (deficiencies.length) {
    const latest = addWorkingDays(today, limits.deficiencyWindowWd, args.calendar).date;
    const errors = deficiencyDueDateErrors(deficiencies, today, latest, limits.deficiencyWindowWd);
    if (errors.length) throw new ValidationFailed(`容缺 defers each missing document once, to a day after today (${today}) and at most ${limits.deficiencyWindowWd} working days ahead (${latest})`, errors);
    // A document handed in is not missing: listed as both, the completion would say it has the paper and owe it too.
    const delivered = input.documents ?? [];
    const both = deficiencies.flatMap((d, i): FieldError[] => {
      const j = delivered.findIndex((doc) => sameDocument(doc, d.document));
      return j < 0 ? [] : [{ path: `deficiencies[${i}].document`, code: 'duplicate', message: `${d.document} is also listed as handed in (documents[${j}])` }];
    });
    if (both.length) throw new ValidationFailed('A document is either handed in (documents) or missing (deficiencies), not both', both);
  }
  if (task.status !== 'open') throw new Conflict(`Task ${task.id} is already completed`, taskState(`is ${task.status}`));
  if (!task.startedDate) {
    const waiting = task.after.filter((id) => tasks.some((t) => t.id === id && !isDone(t)));
    // Every task it waits for done and the project active, yet not started: a completion starts the work it leaves
    // ready in its own transaction (review.ts startedByChange), so this is work whose last predecessor was closed by a
    // change that starts nothing (a gate's pass closing the stage's recurring work; a completion from before starts
    // went with completions). The review their change woke starts it a moment later — a retry, not a refusal naming
    // work already done.
    if (waiting.length === 0 && project.status === 'ACTIVE') {
      throw new Contended(`Task ${task.id} is being started by the project's lifecycle (${task.after.join(', ')} completed a moment ago); nothing was written. Retry the request`);
    }
    const waitsFor = (waiting.length ? waiting : task.after).join(', ');
    throw new Conflict(`Task ${task.id} has not started: it waits for ${waitsFor}`, taskState(`waits for ${waitsFor}`));
  }
  if (project.status !== 'ACTIVE') throw notActive(project);
  assertNoExitUnderway(project, `No completion of ${task.name.zh}`);
  // A task reopened at its gate and completed again may still owe a document from its first completion: that open
  // obligation is the promise, named again it would be a second obligation for one paper, and a later date a deferral
  // of the deferral.
  const owed = tasks.filter((t) => t.parentTaskId === task.id && t.kind === 'obligation' && !isDone(t));
  const again = deficiencies.flatMap((d, i): FieldError[] => {
    const o = owed.find((t) => sameDocument(t.name.zh.replace(/^容缺补正：/, ''), d.document));
    return o ? [{ path: `deficiencies[${i}].document`, code: 'duplicate', message: `${d.document} is owed already by ${o.id} (due ${o.dueDateSet ?? o.dueDate})` }] : [];
  });
  if (again.length) throw new ValidationFailed(`${task.name.zh} still owes these documents from its earlier 容缺 completion: hand them in on that obligation, not defer them again`, again);
  assertRoomForItems(tasks, deficiencies.length, limits, 'deficiencies');
  // A task reopened at its gate and completed again numbers its obligations on from the earlier ones.
  return completion(task, by, input, now, today, tasks.filter((t) => t.parentTaskId === task.id).length, { yellowBeforeWd: args.yellowBeforeWd, calendar: args.calendar });
}
