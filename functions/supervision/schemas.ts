// Request and response schemas of the supervision routes: formal letters.
import * as z from 'zod/mini';
import { ROLES, WORK_OWNER_ROLES } from '#kernel/domain/codes.ts';
import { cursor, format, isoDate, isoDateOrInstant, lazy, limit, pageOf, schema, text, line, dayView, instantView } from '#kernel/http/schemas.ts';
import { taskView } from '#lifecycle/schemas.ts';
import { escalationView, exitView } from '#projects/schemas.ts';

export const LetterParams = /* @__PURE__ */ schema(() => z.strictObject({ id: z.string().check(z.regex(/^ltr-[a-z0-9-]{1,40}$/, 'not a letter id')) }));

/** POST /projects/{id}/letters: a letter of a series to the project's enterprise or a department. */
export const LetterBody = /* @__PURE__ */ schema(() => z.strictObject({
  series: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,29}$/, 'a series code')),
  to: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('enterprise') }), z.strictObject({ kind: z.literal('department'), role: z.enum(ROLES.filter((r) => r !== 'enterprise') as [string, ...string[]]) })]),
  subject: line(200),
  body: text(5000),
}));

export const AckBody = /* @__PURE__ */ schema(() => z.strictObject({ reply: text(5000) }));

export const letterView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    id: z.string(),
    number: z.string(),
    series: z.string(),
    projectId: z.string(),
    projectName: z.string(),
    /** The issuing department's role code; `fromName` its name. */
    from: z.string(),
    fromName: z.string(),
    /** The addressee: the project's enterprise (its id and name) or a department (its role; a park center's park). */
    to: z.union([
      z.looseObject({ kind: z.literal('enterprise'), enterpriseId: z.string(), name: z.string() }),
      z.looseObject({ kind: z.literal('department'), role: z.string(), park: z.optional(z.string()) }),
    ]),
    /** The addressee's name as the letter is headed (主送). */
    toName: z.string(),
    subject: z.string(),
    body: z.string(),
    issuedAt: instantView(),
    /** The business date it was issued (YYYY-MM-DD, Asia/Shanghai). */
    issuedOn: dayView(),
    replyBy: z.nullable(dayView()),
    replyWd: z.optional(z.int()),
    status: z.enum(['sent', 'acknowledged', 'overdue']),
    ack: z.nullable(z.looseObject({ by: z.string(), byName: z.string(), at: instantView(), reply: z.string() })),
  }),
);
export const letterList = /* @__PURE__ */ lazy(() => pageOf(letterView()));

/**
 * GET /audit: the zone's audit events by actor, action and period: `from` and `to` each a date (Asia/Shanghai, the whole
 * day: inclusive) or an instant with its offset (from inclusive, to exclusive).
 */
export const AuditQuery = /* @__PURE__ */ schema(() => z.strictObject({
  actor: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  action: z.optional(z.string().check(z.regex(/^[a-z_]+(\.[a-z_]+)*$/, 'an action such as task.completed'))),
  from: z.optional(isoDateOrInstant()),
  to: z.optional(isoDateOrInstant()),
  limit,
  cursor,
}));
export const auditPage = /* @__PURE__ */ lazy(() =>
  pageOf(
    z.looseObject({
      subject: z.string(),
      subjectName: z.nullable(z.string()),
      at: instantView(),
      actor: z.string(),
      actorName: z.string(),
      /** The roles the actor acted with. */
      roles: z.array(z.string()),
      action: z.string(),
      before: z.record(z.string(), z.unknown()),
      after: z.record(z.string(), z.unknown()),
      /** The API request that made the change (null for the workflow's own and for events recorded before it was kept). */
      requestId: z.nullable(z.string()),
    }),
  ),
);

/** POST /projects/{id}/extension: the new due date and why (延期). */
export const ExtensionBody = /* @__PURE__ */ schema(() => z.strictObject({ newDueDate: isoDate(), reason: text(2000) }));

/** POST /projects/{id}/interviews: the L2 interview record 约谈 with the commitments made. */
export const InterviewBody = /* @__PURE__ */ schema(() => z.strictObject({
  heldOn: isoDate(),
  attendees: z.array(line(100)).check(z.minLength(1), z.maxLength(50)),
  summary: text(5000),
  commitments: z.array(z.strictObject({ item: line(200), itemEn: z.optional(line(300)), owner: z.enum(WORK_OWNER_ROLES), dueDate: isoDate() })).check(z.maxLength(50)),
}));
/** The interview 约谈 as recorded: when, who attended, what was said and committed, who recorded it, the commitments' tasks. */
const interviewView = () =>
  z.looseObject({
    /** GET /projects/{id}/ladder: the project it belongs to. */
    projectId: z.optional(z.string()),
    number: z.int(),
    level: z.int(),
    heldOn: dayView(),
    attendees: z.array(z.string()),
    summary: z.string(),
    commitments: z.array(z.looseObject({ item: z.string(), itemEn: z.optional(z.string()), owner: z.string(), dueDate: dayView() })),
    recordedBy: z.string(),
    recordedAt: instantView(),
    taskIds: z.array(z.string()),
  });
/** POST /projects/{id}/interviews: the interview and the commitments' tasks, as GET /projects/{id}/tasks shows them. */
export const interviewResponse = /* @__PURE__ */ lazy(() => z.object({ interview: interviewView(), commitments: z.array(taskView()) }));

/** POST /projects/{id}/assessments: one named department's decision in the L3 joint assessment 联合研判. */
export const AssessmentBody = /* @__PURE__ */ schema(() => z.strictObject({
  decision: z.enum(['continue', 'proceed']),
  comment: text(2000),
  plan: z.optional(z.array(z.strictObject({ item: line(200), itemEn: z.optional(line(300)), owner: z.enum(WORK_OWNER_ROLES), dueDate: isoDate() })).check(z.maxLength(30))),
}));
export const assessmentView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    round: z.int(),
    rungSince: dayView(),
    departments: z.array(z.string()),
    decisions: z.array(
      z.looseObject({
        department: z.string(),
        departmentName: z.string(),
        decision: z.enum(['continue', 'proceed']),
        comment: z.string(),
        plan: z.array(z.looseObject({ item: z.string(), itemEn: z.optional(z.string()), owner: z.string(), dueDate: dayView() })),
        by: z.string(),
        at: instantView(),
      }),
    ),
    pending: z.array(z.string()),
    undecided: z.array(z.string()),
    outcome: z.nullable(z.looseObject({ decision: z.enum(['continue', 'proceed']), on: dayView(), planUntil: z.nullable(dayView()), taskIds: z.array(z.string()) })),
    /** Whether the round still takes decisions; `lapsed`: the ladder left its rung before it was decided. */
    open: z.boolean(),
    lapsed: z.boolean(),
    startedAt: instantView(),
  }),
);

/** POST /projects/{id}/compliance-checks: the L4 contract-compliance check 履约核查, clause by clause. */
export const ComplianceBody = /* @__PURE__ */ schema(() => z.strictObject({
  checkedOn: isoDate(),
  findings: z.array(z.strictObject({ clause: line(200), finding: text(2000), breached: z.boolean() })).check(z.minLength(1), z.maxLength(50)),
  summary: text(5000),
}));
export const complianceView = /* @__PURE__ */ lazy(() =>
  z.looseObject({ projectId: z.optional(z.string()), number: z.int(), level: z.int(), checkedOn: dayView(), breach: z.boolean(), findings: z.array(z.looseObject({ clause: z.string(), finding: z.string(), breached: z.boolean() })), summary: z.string(), recordedBy: z.string(), recordedAt: instantView() }),
);

/** POST /projects/{id}/exit: the committee leader's decision at exit pending (退出 or 延期). */
export const ExitBody = /* @__PURE__ */ schema(() => z.strictObject({ decision: z.enum(['exit', 'extend']), reason: text(2000), newDueDate: z.optional(isoDate()) }));

/** POST /projects/{id}/exit/redrive: why ops redrive the failed exit. */
export const RedriveBody = /* @__PURE__ */ schema(() => z.strictObject({ reason: text(1000) }));

/** GET /projects/{id}/ladder: the project's supervision file — the ladder, its records and the exit. */
export const ladderView = /* @__PURE__ */ lazy(() =>
  z.object({
    projectId: z.string(),
    status: z.string(),
    escalation: escalationView(),
    plannedCompletion: z.nullable(z.string()),
    interviews: z.array(interviewView()),
    assessments: z.array(assessmentView()),
    complianceChecks: z.array(complianceView()),
    exit: z.nullable(exitView()),
  }),
);

/** GET /reports/departments: the period, dates in Asia/Shanghai, inclusive (default: the current month so far). */
/** GET /reports/departments: the period, and JSON or CSV (or `Accept: text/csv`), as every report. */
export const DepartmentReportQuery = /* @__PURE__ */ schema(() => z.strictObject({ from: z.optional(isoDate()), to: z.optional(isoDate()), format }));
export const departmentReport = /* @__PURE__ */ lazy(() => {
  // A row's name and figures: a department's (the park centers of every park as one), or one park's center's.
  const figures = { name: z.string(), open: z.int(), overdue: z.int(), averageHandlingWd: z.nullable(z.number()), completed: z.int(), notices: z.int(), overdueInPeriod: z.int() };
  return z.object({
    from: dayView(),
    to: dayView(),
    departments: z.array(z.object({ department: z.enum(ROLES), ...figures, park: z.optional(z.string()) })),
    parks: z.array(z.object({ department: z.literal('park_center'), park: z.string(), ...figures })),
  });
});
