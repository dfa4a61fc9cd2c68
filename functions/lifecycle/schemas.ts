// Request and response schemas of the lifecycle routes: tasks, gates 转段, meetings, progress and production reports.
import * as z from 'zod/mini';
import { GATE_STAGES, LIGHTS, STAGES, WORK_OWNER_ROLES } from '#kernel/domain/codes.ts';
import { projectView, staffProjectView } from '#projects/schemas.ts';
import { cny, cursor, isoDate, lazy, limit, nonNegative, pageOf, schema, text, line, dayView, instantView } from '#kernel/http/schemas.ts';

export const CompleteTaskBody = /* @__PURE__ */ schema(() => z.strictObject({
  note: z.optional(text(2000)),
  documents: z.optional(z.array(line(300)).check(z.maxLength(100))),
  /** Each missing document: its name (`document`), its English name (`documentEn`, optional: the obligation's nameEn), its day. */
  deficiencies: z.optional(z.array(z.strictObject({ document: line(300), documentEn: z.optional(line(400)), dueDate: isoDate() })).check(z.maxLength(50))),
}));

export const GateDecisionBody = /* @__PURE__ */ schema(() => z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.optional(text(2000)),
  /** On rejection: the tasks (ids) that must be redone. */
  reopenTasks: z.optional(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(50))),
  /** The round the decision is for (as read: `gate.round`): refused with 409 once a rejection has begun another. */
  round: z.optional(z.int().check(z.gte(1), z.lte(10_000))),
}));

export const MeetingBody = /* @__PURE__ */ schema(() => z.strictObject({
  heldOn: isoDate(),
  attendees: z.array(line(100)).check(z.minLength(1), z.maxLength(100)),
  decisions: z.array(text(2000)).check(z.maxLength(100)),
  followUps: z.array(z.strictObject({ item: line(500), itemEn: z.optional(line(600)), owner: z.enum(WORK_OWNER_ROLES), dueDate: isoDate() })).check(z.maxLength(50)),
  /** GROUNDBREAKING (required there, refused elsewhere): the planned completion 计划竣工 (逾期竣工 is measured against it; only an extension moves it). */
  plannedCompletionDate: z.optional(isoDate()),
}));

export const MeetingAmendmentBody = /* @__PURE__ */ schema(() => z.strictObject({
  reason: text(1000),
  heldOn: z.optional(isoDate()),
  attendees: z.optional(z.array(line(100)).check(z.minLength(1), z.maxLength(100))),
  decisions: z.optional(z.array(text(2000)).check(z.maxLength(100))),
  addFollowUps: z.optional(z.array(z.strictObject({ item: line(500), itemEn: z.optional(line(600)), owner: z.enum(WORK_OWNER_ROLES), dueDate: isoDate() })).check(z.maxLength(50))),
}));

const pct = () => nonNegative(100);
export const ProgressBody = /* @__PURE__ */ schema(() => z.strictObject({ constructionPct: pct(), equipmentPct: pct(), note: z.optional(text(2000)) }));

export const ProductionBody = /* @__PURE__ */ schema(() => z.strictObject({
  quarter: z.string().check(z.regex(/^\d{4}Q[1-4]$/, 'must look like 2027Q1')),
  outputValueCny: cny(),
  taxCny: cny(),
  jobs: z.int().check(z.gte(0), z.lte(1_000_000)),
}));

/** GET /me/tasks pages like every list. */
export { PageQuery as MyTasksQuery, PageQuery as ProgressListQuery } from '#kernel/http/schemas.ts';

/** POST /projects/{id}/workflow/resume: why ops resume (kept on the timeline). */
/** POST /projects/{id}/matrix: the published matrix version to follow from the next stage on, and why (audited). */
/** `dryRun: true`: answer what the move would do — nothing written, nothing told, nothing audited (same checks, same If-Match). */
/** `note`: why (audited) — required for the move, optional on a dry run (a preview writes no audit); repin-matrix.ts says which. */
export const RepinMatrixBody = /* @__PURE__ */ schema(() => z.strictObject({ version: z.int().check(z.gte(1), z.lte(1_000_000)), note: z.optional(text(1000)).register(z.globalRegistry, { description: 'Why the project moves (audited): required unless dryRun is true (a preview writes no audit)' }), dryRun: z.optional(z.boolean()).register(z.globalRegistry, { description: 'true: answer what the move would do (told, voids, stages, gateApprovers) after the same checks, writing, telling and auditing nothing' }) }));

export const ResumeBody = /* @__PURE__ */ schema(() => z.strictObject({ note: z.optional(text(1000)), force: z.optional(z.boolean()) }));

/** GET /projects/{id}/tasks: filters and paging. */
export const TaskListQuery = /* @__PURE__ */ schema(() => z.strictObject({
  stage: z.optional(z.enum(STAGES)),
  status: z.optional(z.enum(['open', 'done', 'done_with_deficiencies', 'withdrawn'])),
  light: z.optional(z.enum(LIGHTS)),
  kind: z.optional(z.enum(['matrix', 'followup', 'obligation', 'recurring'])),
  /** Completed after its due date (逾期办结) — `true` — or by it — `false`; an open task matches neither (`light` is its measure). */
  late: z.optional(z.enum(['true', 'false'])),
  limit,
  cursor,
}));

export const TaskParams = /* @__PURE__ */ schema(() => z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  taskId: z.string().check(z.regex(/^[A-Z]+\.[a-z0-9_.-]{1,80}$/, 'not a task id')),
}));
export const GateParams = /* @__PURE__ */ schema(() => z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  stage: z.enum(GATE_STAGES),
}));

export const taskView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.string(),
    projectId: z.string(),
    stage: z.enum(STAGES),
    kind: z.enum(['matrix', 'followup', 'obligation', 'recurring']),
    /** Staff view only: the task's code in the responsibility matrix (pre_site_selection …). */
    code: z.optional(z.string()),
    name: z.string(),
    nameEn: z.string(),
    lead: z.string(),
    /** Staff view only: the departments cooperating 配合. */
    cooperating: z.optional(z.array(z.string())),
    /** Staff view only: who handles it within the lead department, as the matrix says. */
    handler: z.optional(z.string()),
    /** The work standard 工作标准. */
    standard: z.string(),
    /** The time limit in working days (null: none). */
    limitWd: z.nullable(z.int()),
    /** Staff view only: the tasks (ids) it waits for. */
    after: z.optional(z.array(z.string())),
    /** Staff view only: whether the stage's gate waits for it. */
    requiredForGate: z.optional(z.boolean()),
    status: z.enum(['open', 'done', 'done_with_deficiencies', 'withdrawn']),
    startedDate: z.nullable(dayView()),
    dueDate: z.nullable(dayView()),
    /** Work whose date a person set (容缺 documents, agreed items): the date as set; `dueDate` is it moved off a rest day. */
    dueDateSet: z.optional(z.nullable(dayView())),
    /** The day its yellow light 黄灯 comes on: null without a limit, or until the lifecycle's next review schedules it. */
    yellowDate: z.nullable(dayView()),
    light: z.enum(LIGHTS),
    /** Computed on weekdays only: a year it touches has no calendar loaded yet (recomputed when it is). */
    calendarProvisional: z.optional(z.boolean()),
    /** The task whose 容缺 completion or meeting it follows from (null for a task of the matrix). */
    parentTaskId: z.nullable(z.string()),
    /**
     * Its completion 办结 (null while open): when (`at`, its business `date`), whether after its due date (`late`), the
     * documents handed in and those missing (容缺); to staff also who (`by`, `role`) and the note.
     */
    completion: z.nullable(
      z.looseObject({
        by: z.optional(z.string()),
        role: z.optional(z.string()),
        at: instantView(),
        note: z.optional(z.string()),
        date: dayView(),
        late: z.boolean(),
        documents: z.array(z.string()),
        deficiencies: z.array(z.looseObject({ document: z.string(), documentEn: z.optional(z.string()), dueDate: dayView() })),
      }),
    ),
  }),
);
export const taskPage = /* @__PURE__ */ lazy(() => pageOf(taskView()));
/** GET /projects/{id}/progress: the reports so far, newest first (the project shows the last one only). */
export const progressPage = /* @__PURE__ */ lazy(() =>
  pageOf(
    z.object({
      constructionPct: z.number(),
      equipmentPct: z.number(),
      note: z.optional(z.string()),
      reportedOn: dayView(),
      reportedAt: instantView(),
      reportedBy: z.optional(z.object({ name: z.string(), roles: z.array(z.string()) })),
    }),
  ),
);
/** GET /me/tasks: each task across projects names its project too (a department's list spans many). */
export const myTaskPage = /* @__PURE__ */ lazy(() => pageOf(z.extend(taskView(), { projectName: z.string() })));
export const completeTaskResponse = /* @__PURE__ */ lazy(() => z.object({ task: taskView(), obligations: z.array(taskView()) }));
export const gateDecisionResponse = /* @__PURE__ */ lazy(() =>
  z.object({
    stage: z.enum(STAGES),
    approval: z.looseObject({ role: z.string(), by: z.string(), decision: z.enum(['approve', 'reject']), comment: z.optional(z.string()), at: instantView(), round: z.int() }),
    reopenedTasks: z.array(z.string()),
    passedTo: z.nullable(z.enum(STAGES)),
    heldFor: z.array(z.string()),
  }),
);
/** The meeting record 会议记录: when, who attended, what was decided and agreed, who recorded it (in which role), amendments made. */
const meetingView = () =>
  z.looseObject({
    heldOn: dayView(),
    attendees: z.array(z.string()),
    decisions: z.array(z.string()),
    followUps: z.array(z.looseObject({ item: z.string(), itemEn: z.optional(z.string()), owner: z.string(), dueDate: dayView() })),
    recordedBy: z.string(),
    recordedRole: z.optional(z.string()),
    recordedAt: instantView(),
    round: z.optional(z.int()),
    amendmentCount: z.optional(z.int()),
  });
/** `plannedCompletion`: the project's planned completion 计划竣工 (YYYY-MM-DD) once the groundbreaking gate's meeting fixed it, else null. */
export const meetingResponse = /* @__PURE__ */ lazy(() =>
  z.object({ stage: z.enum(STAGES), meeting: meetingView(), followUpTasks: z.array(z.string()), plannedCompletion: z.nullable(dayView()), passedTo: z.nullable(z.enum(STAGES)), heldFor: z.array(z.string()) }),
);
export const meetingAmendmentResponse = /* @__PURE__ */ lazy(() =>
  z.object({ stage: z.enum(STAGES), meeting: meetingView(), amendment: z.looseObject({ number: z.int(), round: z.int(), at: instantView(), by: z.string(), role: z.string(), reason: z.string(), changes: z.record(z.string(), z.unknown()) }), followUpTasks: z.array(z.string()) }),
);
export const resumeResponse = /* @__PURE__ */ lazy(() =>
  z.object({ projectId: z.string(), stage: z.enum(STAGES), executionName: z.string(), status: z.string(), resumedFrom: z.nullable(z.string()), confirmsStopped: z.boolean() }),
);

/**
 * POST /projects/{id}/matrix answers the project as staff see it, and what became of its current stage's gate
 * (`gateApprovers`; null when the stage has no gate yet): the approvers before and after, those the version moved to
 * names (null: it names no gate for the stage), whether they moved and, when not, why (`keptBecause`: `decided` —
 * someone decided the current round, whose decisions stand; `passed`; `not_named`), with the round's decisions.
 */
export const repinMatrixResponse = /* @__PURE__ */ lazy(() =>
  z.extend(staffProjectView(), {
    gateApprovers: z.nullable(
      z.looseObject({
        stage: z.enum(STAGES),
        round: z.int(),
        before: z.array(z.string()),
        after: z.array(z.string()),
        versionNames: z.nullable(z.array(z.string())),
        moved: z.boolean(),
        keptBecause: z.nullable(z.enum(['decided', 'passed', 'not_named'])),
        decisions: z.array(z.looseObject({ role: z.string(), decision: z.enum(['approve', 'reject']), at: instantView() })),
      }),
    ),
    /**
     * A dry run's answer (`dryRun: true` asked): the project as the move would leave it, its `version` the one read
     * (nothing written); `told`, the notices it would send (kind and inbox); `voids`, the earlier notices it would
     * void — the gate.open and gate.overdue notices of the gate's opening and reviews in the inbox of each department the
     * gate would no longer wait for, each by its id (as `GET /me/notifications` lists it), kind and inbox; `stages`, the
     * stages not entered yet whose tasks or gate approvers differ between the version followed and the one moved to.
     */
    dryRun: z.optional(z.literal(true)),
    told: z.optional(z.array(z.looseObject({ kind: z.string(), inbox: z.string() }))).register(z.globalRegistry, { description: 'Dry run only: the notices the move would send, each by kind and inbox' }),
    voids: z
      .optional(z.array(z.looseObject({ id: z.string(), kind: z.string(), inbox: z.string() })))
      .register(z.globalRegistry, { description: 'Dry run only: the earlier gate.open and gate.overdue notices the move would void in the inbox of each department the gate would no longer wait for, each by id (as GET /me/notifications lists it), kind and inbox' }),
    stages: z.optional(
      z.array(
        z.looseObject({
          stage: z.enum(STAGES),
          tasks: z.looseObject({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.looseObject({ code: z.string(), fields: z.array(z.string()) })) }),
          gateApprovers: z.nullable(z.looseObject({ before: z.nullable(z.array(z.string())), after: z.nullable(z.array(z.string())) })),
        }),
      ),
    ).register(z.globalRegistry, { description: 'Dry run only: the stages not entered yet whose tasks (added, removed, changed with the fields that differ) or gate approvers differ between the version followed and the one moved to' }),
  }),
);

/** Progress reports answer with the project (staff or enterprise view). */
export { projectView as projectResponse } from '#projects/schemas.ts';
/** Production figures answer with the project and whether the last four quarters meet the contract's targets 达产达效. */
export const productionResponse = /* @__PURE__ */ lazy(() => z.extend(projectView(), { targetsMet: z.boolean() }));
