// Request and response schemas of the project routes; each handler module imports only the schema module it needs, so no
// handler pays the cold-start cost of another route's schemas.
import * as z from 'zod/mini';
import { ATTRACTION_MODES, CATEGORIES, CHAIN_ROLES, INDUSTRIES, LIGHTS, SITE_MODES, STAGES, STATUSES, TECH_LEVELS, TRACKS } from '#kernel/domain/codes.ts';
import { cny, cursor, lazy, limit, pageOf, positive, schema, text, line, dayView, instantView } from '#kernel/http/schemas.ts';

/** The figures of a project's targets and needs, each a number with its bounds. */
const TARGET_FIGURES = () => ({
  outputValueCny: cny(),
  taxCny: cny(),
  jobs: z.int().check(z.gte(0), z.lte(1_000_000)),
  investmentIntensityCnyPerMu: cny(),
});
const NEED_FIGURES = () => ({
  areaM2: positive(100_000_000),
  powerKva: positive(10_000_000),
  floorLoadKnM2: positive(1_000),
  clearHeightM: positive(200),
});

/** Every figure optional (a group as created). */
const group = <S extends Record<string, z.ZodMiniType>>(figures: S) =>
  z.strictObject(Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, z.optional(f)])) as { [K in keyof S]: z.ZodMiniOptional<S[K]> });
/** A change of a group (PATCH, amendment): a figure named is set, one sent as null removed, the rest kept (RFC 7396). */
const groupPatch = <S extends Record<string, z.ZodMiniType>>(figures: S) =>
  z.strictObject(Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, z.optional(z.nullable(f))])) as { [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>> });

export const Targets = /* @__PURE__ */ schema(() => group(TARGET_FIGURES()));
export const Needs = /* @__PURE__ */ schema(() => group(NEED_FIGURES()));
const TargetsPatch = /* @__PURE__ */ schema(() => groupPatch(TARGET_FIGURES()));
const NeedsPatch = /* @__PURE__ */ schema(() => groupPatch(NEED_FIGURES()));

export const CreateProjectBody = /* @__PURE__ */ schema(() => z.strictObject({
  name: line(200),
  investor: z.strictObject({ name: line(200), enterpriseId: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')) }),
  track: z.enum(TRACKS),
  industry: z.enum(INDUSTRIES),
  attractionMode: z.enum(ATTRACTION_MODES),
  totalInvestmentCny: z.int().check(z.gt(0), z.lte(10_000_000_000_000)),
  techLevel: z.enum(TECH_LEVELS),
  chainRole: z.enum(CHAIN_ROLES),
  park: line(100),
  siteMode: z.enum(SITE_MODES),
  // null as GET answers a project without them: the same as leaving them out.
  targets: z.optional(z.nullable(Targets)),
  needs: z.optional(z.nullable(Needs)),
}));
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const PatchProjectBody = /* @__PURE__ */ schema(() => z.strictObject({
  name: z.optional(line(200)),
  investor: z.optional(z.strictObject({ name: line(200) })),
  industry: z.optional(z.enum(INDUSTRIES)),
  attractionMode: z.optional(z.enum(ATTRACTION_MODES)),
  techLevel: z.optional(z.enum(TECH_LEVELS)),
  chainRole: z.optional(z.enum(CHAIN_ROLES)),
  totalInvestmentCny: z.optional(z.int().check(z.gt(0), z.lte(10_000_000_000_000))),
  targets: z.optional(TargetsPatch),
  needs: z.optional(NeedsPatch),
}));

/** POST /projects/{id}/amendments: the contract's terms that change, and why. */
export const AmendmentBody = /* @__PURE__ */ schema(() => z.strictObject({
  reason: text(2000),
  changes: z.strictObject({
    totalInvestmentCny: z.optional(z.int().check(z.gt(0), z.lte(10_000_000_000_000))),
    industry: z.optional(z.enum(INDUSTRIES)),
    techLevel: z.optional(z.enum(TECH_LEVELS)),
    chainRole: z.optional(z.enum(CHAIN_ROLES)),
    targets: z.optional(TargetsPatch),
  }),
}));

export const AdmissionBody = /* @__PURE__ */ schema(() => z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.optional(text(2000)),
}));

/** The ledger's filters (GET /projects, and the ledger exports of the reports module). */
export const ledgerFilters = () => ({
  stage: z.optional(z.enum(STAGES)),
  status: z.optional(z.enum(STATUSES)),
  park: z.optional(line(100)),
  track: z.optional(z.enum(TRACKS)),
  category: z.optional(z.enum(CATEGORIES)),
  light: z.optional(z.enum(LIGHTS)),
  /** `failed`: projects whose lifecycle failed (or could not start) and waits for ops to resume it. */
  workflow: z.optional(z.enum(['failed'])),
  /** Projects on the escalation ladder at this rung. */
  escalation: z.optional(z.enum(['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING'])),
});

/**
 * `matrixVersion` (ops and the committee leader): the projects following that responsibility matrix version — those to
 * move when a version was published by mistake (POST /projects/{id}/matrix).
 */
export const matrixVersionFilter = () =>
  z.optional(
    z
      .string()
      .check(z.regex(/^[1-9][0-9]{0,8}$/, 'a matrix version: a whole number from 1'))
      .register(z.globalRegistry, { description: 'The responsibility matrix version the projects follow (ops and the committee leader)' }),
  );

export const LedgerQuery = /* @__PURE__ */ schema(() => z.strictObject({ ...ledgerFilters(), matrixVersion: matrixVersionFilter(), limit, cursor }));


export const ProjectIdParams = /* @__PURE__ */ schema(() => z.strictObject({ id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')) }));
/** GET /projects/{id}/amendments/{amendmentId}: a project and one of its contract amendments. */
export const AmendmentParams = /* @__PURE__ */ schema(() =>
  z.strictObject({ id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')), amendmentId: z.string().check(z.regex(/^amd-[a-z0-9-]{1,40}$/, 'not an amendment id')) }),
);

/**
 * The current stage's gate 转段 as GET /projects/{id} shows it to staff (present.ts presentGate): this round's approvals
 * and meeting, whether every decision is in (`decided`), what it needs of the inventory (`needs`), and — at a decided
 * last gate (达产) still open — the obligations and follow-ups it is held for (`heldFor`).
 */
const staffGateView = () =>
  z.looseObject({
    stage: z.enum(STAGES),
    name: z.string(),
    /** The gate's English name (the matrix configuration's), as tasks carry theirs. */
    nameEn: z.string(),
    open: z.boolean(),
    requiredApprovals: z.array(z.string()),
    approvals: z.array(z.looseObject({ role: z.string(), by: z.string(), decision: z.enum(['approve', 'reject']), at: instantView(), comment: z.optional(z.string()) })),
    meetingRequired: z.boolean(),
    meetingRecorded: z.boolean(),
    /** This round's meeting as recorded and amended: its date, attendees, decisions and agreed items (null: none yet). */
    meeting: z.optional(
      z.nullable(
        z.looseObject({
          heldOn: dayView(),
          attendees: z.array(z.string()),
          decisions: z.array(z.string()),
          followUps: z.array(z.looseObject({ item: z.string(), itemEn: z.optional(z.string()), owner: z.string(), dueDate: dayView() })),
          recordedAt: instantView(),
          recordedRole: z.nullable(z.string()),
          amendmentCount: z.int(),
        }),
      ),
    ),
    decided: z.boolean(),
    dueDate: z.nullable(dayView()),
    calendarProvisional: z.boolean(),
    round: z.int(),
    /** Why this round began: the previous round's rejections (who, when, why); null in round 1. */
    previousRound: z.optional(
      z.nullable(
        z.looseObject({
          round: z.int(),
          rejections: z.array(z.looseObject({ role: z.string(), by: z.string(), at: instantView(), comment: z.optional(z.string()) })),
        }),
      ),
    ),
    heldFor: z.optional(z.array(z.string())),
    /**
     * Each need in Chinese (`zh`) and English (`en`); `message` as first worded (a reservation's Chinese, production's
     * English). `kind: task`: a required task of the stage not done yet (`taskId`), while the gate is not open.
     */
    needs: z.array(z.looseObject({ kind: z.string(), message: z.string(), zh: z.string(), en: z.string(), taskId: z.optional(z.string()) })),
  });

/** The same gate as the investing enterprise sees it on its own project (present.ts presentProjectToEnterprise). */
const enterpriseGateView = () =>
  z.looseObject({ stage: z.enum(STAGES), name: z.string(), nameEn: z.string(), open: z.boolean(), dueDate: z.nullable(dayView()), passed: z.boolean() });

/** The escalation ladder 闭环管控 on the project: its rung, since when, what raised it, and the next window (null at level 0). */
export const escalationView = () =>
  z.looseObject({
    level: z.int(),
    name: z.string(),
    since: z.nullable(dayView()),
    /** What holds the project on its rung (an overdue item, a stall; null at level 0). Staff see it; an enterprise's view leaves it out. */
    trigger: z.optional(z.nullable(triggerView())),
    /** The next rung and the day its window ends (null at level 0). Staff see it; an enterprise's view leaves it out. */
    next: z.optional(z.nullable(nextRungView())),
    /** The day an extension 延期 granted runs to (null when none is in force). Staff see it. */
    extendedUntil: z.optional(z.nullable(dayView())),
    /**
     * The day each rung of this climb began, by level ({"2": "2027-05-25", "3": "2027-06-02"}; empty at level 0): a
     * rung's record (the interview, the compliance check) is dated on or after its own rung's day. A ladder raised
     * before the days were kept shows the current rung's day only. Staff see it.
     */
    rungsSince: z
      .optional(z.record(z.string(), dayView()))
      .register(z.globalRegistry, { description: 'The day each rung of this climb began, by level ({"2": "2027-05-25"}; empty at level 0): a rung\'s record (an interview, a compliance check) is dated on or after its own rung\'s day. Staff see it' }),
  });
/** What raised the ladder: the item (a task, an obligation, a stall) and its label in Chinese (`labelEn` in English). */
const triggerView = () => z.looseObject({ kind: z.string(), item: z.string(), label: z.string(), labelEn: z.optional(z.string()), since: dayView() });
/** The next rung, the day its window ends, the window (working days from a day), and whether that day rests on a calendar year not loaded. */
const nextRungView = () =>
  z.looseObject({ step: z.string(), dueDate: dayView(), window: z.optional(z.looseObject({ wd: z.int(), from: dayView() })), calendarProvisional: z.optional(z.boolean()) });
/** A project's figures as GET answers them: null when none were given; `needs` with the area in 亩 derived (`areaMu`). */
const targetsView = () => z.nullable(z.looseObject({ outputValueCny: z.optional(z.number()), taxCny: z.optional(z.number()), jobs: z.optional(z.int()), investmentIntensityCnyPerMu: z.optional(z.number()) }));
export const needsView = () =>
  z.nullable(z.looseObject({ areaM2: z.optional(z.number()), areaMu: z.optional(z.number()), powerKva: z.optional(z.number()), floorLoadKnM2: z.optional(z.number()), clearHeightM: z.optional(z.number()) }));
const admissionView = () =>
  z.looseObject({ required: z.array(z.string()), decisions: z.array(z.looseObject({ role: z.string(), by: z.string(), decision: z.enum(['approve', 'reject']), reason: z.optional(z.string()), at: instantView() })) });
const heldReservationView = () => z.looseObject({ id: z.string(), kind: z.string(), resourceId: z.string(), amount: z.number(), status: z.string() });
const heldAllocationView = () => z.looseObject({ id: z.string(), year: z.int(), bucket: z.string(), amountCny: z.number(), spentCny: z.number() });
/** The exit procedure 退出程序 as presentExit answers it (the project's record and GET /projects/{id}/ladder). */
export const exitView = () =>
  z.looseObject({
    status: z.enum(['decided', 'running', 'failed', 'done']),
    execution: z.string(),
    decidedBy: z.string(),
    decidedAt: instantView(),
    reason: z.string(),
    complianceCheck: z.int(),
    steps: z.record(z.string(), z.string()),
    released: z.array(z.string()),
    letter: z.nullable(z.looseObject({ id: z.string(), number: z.string() })),
    failure: z.nullable(z.looseObject({ at: instantView(), error: z.string(), cause: z.string(), redriveCount: z.optional(z.int()) })),
    redrives: z.int(),
  });
const workflowView = () => z.looseObject({ executionName: z.string(), segment: z.int(), status: z.string(), lastError: z.nullable(z.string()), resumedFrom: z.nullable(z.string()) });
const dedicatedTeamView = () => z.nullable(z.looseObject({ kind: z.string(), lead: z.string(), members: z.array(z.string()), formedAt: instantView() }));

/**
 * The project as GET /projects/{id}, GET /projects and the progress and production reports answer it: the staff view,
 * or the investing enterprise's own view (present.ts presentProjectToEnterprise), which leaves out what only staff see —
 * the attraction mode, tech level, chain role, category and its reason, the dedicated team, what raised the ladder.
 */
export const projectView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.string(),
    name: z.string(),
    investor: z.looseObject({ name: z.string(), enterpriseId: z.string() }),
    track: z.enum(TRACKS),
    industry: z.enum(INDUSTRIES),
    /** Staff view only. */
    attractionMode: z.optional(z.enum(ATTRACTION_MODES)),
    totalInvestmentCny: z.int(),
    /** Staff view only. */
    techLevel: z.optional(z.enum(TECH_LEVELS)),
    /** Staff view only. */
    chainRole: z.optional(z.enum(CHAIN_ROLES)),
    park: z.string(),
    /** GET /projects/{id}: the park's English name from the parks configuration (null when it gives none). */
    parkEn: z.optional(z.nullable(z.string())),
    siteMode: z.enum(SITE_MODES),
    targets: targetsView(),
    needs: needsView(),
    stage: z.enum(STAGES),
    status: z.enum(STATUSES),
    light: z.enum(LIGHTS),
    /** Staff view only. */
    category: z.optional(z.enum(CATEGORIES)),
    /** Staff view only. */
    categoryReason: z.optional(z.string()),
    /** The reason in English; null on projects classified before it was kept. Staff view only. */
    categoryReasonEn: z.optional(z.nullable(z.string())),
    /** The dedicated team 专班 of a major project (null otherwise). Staff view only. */
    dedicatedTeam: z.optional(dedicatedTeamView()),
    escalation: escalationView(),
    /** The open tasks, how many are overdue, and the soonest due date. */
    tasksSummary: z.looseObject({ open: z.int(), overdue: z.int(), nextDue: z.nullable(z.string()) }),
    /** The stage's name in Chinese (招商签约 …). */
    stageLabel: z.string(),
    /** The last construction progress report 建设进度 (null before the first). */
    progress: z.nullable(z.looseObject({ constructionPct: z.number(), equipmentPct: z.number(), reportedOn: dayView(), note: z.optional(z.string()) })),
    /** Whether the project is stalled 停滞 (the ladder watches it). */
    stalled: z.boolean(),
    /** The production figures 达产达效 filed, by quarter (2027Q1: …); null before the first. */
    production: z.nullable(z.record(z.string(), z.looseObject({ outputValueCny: z.number(), taxCny: z.number(), jobs: z.int() }))),
    /** Staff view only: the admission 准入 — the deciding roles and their decisions. */
    admission: z.optional(admissionView()),
    /** Staff view only: the responsibility matrix version the project's tasks were made from (null before admission). */
    matrixVersion: z.optional(z.nullable(z.int())),
    /** Staff view only: how many contract amendments 合同变更 were recorded. */
    amendmentCount: z.optional(z.int()),
    /** Staff view only: the reservations the project holds. */
    reservations: z.optional(z.array(heldReservationView())),
    /** Staff view only: the fund allocations not released. */
    fundAllocations: z.optional(z.array(heldAllocationView())),
    /** Staff view only: the planned completion 计划竣工 (YYYY-MM-DD) fixed at the groundbreaking gate, else null. */
    plannedCompletion: z.optional(z.nullable(dayView())),
    /** Staff view only: the exit procedure 退出程序 once decided, else null. */
    exit: z.optional(z.nullable(exitView())),
    /** Staff view only: the lifecycle's execution (null before admission). */
    workflow: z.optional(z.nullable(workflowView())),
    version: z.int(),
    createdAt: instantView(),
    updatedAt: instantView(),
    /**
     * The current stage's gate: filled in by GET /projects/{id} (staff see the whole gate, the investing enterprise its
     * stage, name, due date and whether it passed); null there before the stage has one, and null in every other response.
     */
    gate: z.optional(z.nullable(z.union([staffGateView(), enterpriseGateView()]))),
  }),
);
/** The project as staff see it: what the routes only staff call answer (create, edit, admission, extension, exit). */
export const staffProjectView = /* @__PURE__ */ lazy(() =>
  z.extend(projectView(), {
    attractionMode: z.enum(ATTRACTION_MODES),
    techLevel: z.enum(TECH_LEVELS),
    chainRole: z.enum(CHAIN_ROLES),
    category: z.enum(CATEGORIES),
    categoryReason: z.string(),
    categoryReasonEn: z.nullable(z.string()),
    dedicatedTeam: dedicatedTeamView(),
    escalation: z.extend(escalationView(), { trigger: z.nullable(triggerView()), next: z.nullable(nextRungView()) }),
    admission: admissionView(),
    matrixVersion: z.nullable(z.int()),
    amendmentCount: z.int(),
    reservations: z.array(heldReservationView()),
    fundAllocations: z.array(heldAllocationView()),
    plannedCompletion: z.nullable(dayView()),
    exit: z.nullable(exitView()),
    workflow: z.nullable(workflowView()),
  }),
);
export const projectPage = /* @__PURE__ */ lazy(() => pageOf(projectView()));
const amendmentView = () => z.looseObject({ id: z.string(), at: instantView(), by: z.string(), byName: z.string(), reason: z.string(), changes: z.record(z.string(), z.unknown()), classification: z.looseObject({ before: classifiedAs(), after: classifiedAs() }) });
/** A classification 分类研判 before or after an amendment: the category and why. */
const classifiedAs = () => z.looseObject({ category: z.enum(CATEGORIES), reason: z.string() });
export const amendmentResponse = /* @__PURE__ */ lazy(() => z.object({ amendment: amendmentView(), project: staffProjectView() }));
/** GET /projects/{id}/amendments: the amendments as their POST answered them. */
export const amendmentPage = /* @__PURE__ */ lazy(() => pageOf(amendmentView()));
/** GET /projects/{id}/amendments/{amendmentId}: one amendment as its POST answered it. */
export const amendmentRecord = /* @__PURE__ */ lazy(amendmentView);
/**
 * Timeline events: the audit record for staff (its id, subject — and the subject's name when recorded —, who with which
 * roles, before and after, the request that made it), the milestones for an enterprise (label, details).
 */
export const timelinePage = /* @__PURE__ */ lazy(() =>
  pageOf(
    z.looseObject({
      id: z.optional(z.string()),
      subject: z.optional(z.string()),
      subjectName: z.optional(z.string()),
      at: instantView(),
      action: z.string(),
      actor: z.optional(z.string()),
      actorName: z.optional(z.string()),
      roles: z.optional(z.array(z.string())),
      before: z.optional(z.record(z.string(), z.unknown())),
      after: z.optional(z.record(z.string(), z.unknown())),
      requestId: z.optional(z.string()),
      label: z.optional(z.string()),
      details: z.optional(z.record(z.string(), z.unknown())),
    }),
  ),
);
