// The supervision module's routes: formal letters 正式函件, the escalation ladder's records (interview, joint
// assessment, compliance check), extension and the exit procedure 退出程序 with its workflow step, the audit query, the
// daily digest 每日提醒 (a scheduled job).
// One declaration each, read by route(), the catalog, OpenAPI, CDK, the local server and the bench.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute, declareTask } from '#kernel/declarations.ts';
import { PROJECT_CHANGE } from '#projects/routes.ts';
import { PageQuery } from '#kernel/http/schemas.ts';
import { ProjectIdParams, staffProjectView } from '#projects/schemas.ts';
import { DIGEST_TIME } from './domain/digest.ts';
import * as S from './schemas.ts';

/** A change of the project that reads configuration (letters, the ladder's records). */
const RECORD_WRITE = { ...PROJECT_CHANGE, idempotency: 'RW', reference: 'R' } as const;
/** A change of the project that reads no configuration. */
const ACK_WRITE = { ...PROJECT_CHANGE, idempotency: 'RW' } as const;

export const listLetters = /* @__PURE__ */ declareRoute({
  name: 'list-letters',
  entry: 'supervision/http/list-letters.ts',
  description: "A project's formal letters (an enterprise: those addressed to it)",
  method: 'GET',
  path: '/projects/{id}/letters',
  summary: 'Letters of a project',
  etag: 'project',
  auth: 'any',
  params: ProjectIdParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.letterList : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const sendLetter = /* @__PURE__ */ declareRoute({
  name: 'send-letter',
  entry: 'supervision/http/send-letter.ts',
  description: 'Issues a numbered formal letter of a series about a project',
  method: 'POST',
  path: '/projects/{id}/letters',
  summary: 'Send a formal letter',
  etag: 'project',
  location: 'The new letter: /letters/{id}',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  body: S.LetterBody,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  status: 201,
  idempotent: true,
  tables: RECORD_WRITE,
});

export const getLetter = /* @__PURE__ */ declareRoute({
  name: 'get-letter',
  entry: 'supervision/http/get-letter.ts',
  description: 'One letter; Accept: text/html gives the printable A4 page',
  method: 'GET',
  path: '/letters/{id}',
  summary: 'Get a letter',
  etag: 'project',
  auth: 'any',
  params: S.LetterParams,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  alsoProduces: ['text/html'],
  tables: { projects: 'R' },
});

export const acknowledgeLetter = /* @__PURE__ */ declareRoute({
  name: 'ack-letter',
  entry: 'supervision/http/ack-letter.ts',
  description: "The addressee acknowledges a letter with its reply (If-Match: the project's version, as GET /letters/{id} gives it; 412 when the project changed since)",
  method: 'POST',
  path: '/letters/{id}/ack',
  summary: 'Acknowledge a letter',
  ifMatch: 'optional',
  etag: 'project',
  auth: 'any',
  params: S.LetterParams,
  body: S.AckBody,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  idempotent: true,
  tables: RECORD_WRITE,
});

export const queryAudit = /* @__PURE__ */ declareRoute({
  name: 'query-audit',
  entry: 'supervision/http/query-audit.ts',
  description: 'Zone-wide audit events by actor, action and period, newest first (discipline and supervision offices)',
  method: 'GET',
  path: '/audit',
  summary: 'Audit log of the zone',
  auth: ['discipline_office', 'supervision_office'],
  query: S.AuditQuery,
  response: ZONEFLOW_DOCS ? S.auditPage : undefined,
  tables: { audit: 'R', reference: 'R' },
});

export const grantExtension = /* @__PURE__ */ declareRoute({
  name: 'grant-extension',
  entry: 'supervision/http/grant-extension.ts',
  description: 'The committee leader grants an extension 延期: the escalation ladder back to 0 until the new date. The new date is a working day of the zone\'s calendar: a weekend or public holiday is refused (400 on newDueDate, naming the next working day)',
  method: 'POST',
  path: '/projects/{id}/extension',
  summary: 'Grant an extension',
  auth: ['committee_leader'],
  params: ProjectIdParams,
  body: S.ExtensionBody,
  response: ZONEFLOW_DOCS ? staffProjectView : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_WRITE,
});

export const recordInterview = /* @__PURE__ */ declareRoute({
  name: 'record-interview',
  entry: 'supervision/http/record-interview.ts',
  description: 'The L2 interview record 约谈 of a project on the ladder; its commitments become timed tasks',
  method: 'POST',
  path: '/projects/{id}/interviews',
  summary: 'Record the interview (L2)',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  body: S.InterviewBody,
  response: ZONEFLOW_DOCS ? S.interviewResponse : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_WRITE,
});

export const recordAssessment = /* @__PURE__ */ declareRoute({
  name: 'record-assessment',
  entry: 'supervision/http/record-assessment.ts',
  description: 'One named department decides in the L3 joint assessment 联合研判 (continue with a rectification plan, or proceed)',
  method: 'POST',
  path: '/projects/{id}/assessments',
  summary: 'Decide in the joint assessment (L3)',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  body: S.AssessmentBody,
  response: ZONEFLOW_DOCS ? S.assessmentView : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_WRITE,
});

export const recordComplianceCheck = /* @__PURE__ */ declareRoute({
  name: 'record-compliance-check',
  entry: 'supervision/http/record-compliance-check.ts',
  description: 'The L4 contract-compliance check 履约核查 clause by clause; the ladder goes to exit pending',
  method: 'POST',
  path: '/projects/{id}/compliance-checks',
  summary: 'Record the compliance check (L4)',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  body: S.ComplianceBody,
  response: ZONEFLOW_DOCS ? S.complianceView : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_WRITE,
});

export const decideExit = /* @__PURE__ */ declareRoute({
  name: 'decide-exit',
  entry: 'supervision/http/decide-exit.ts',
  description: 'The committee leader decides at exit pending: exit (202, the exit workflow runs) or extend (200; newDueDate a working day, as for an extension)',
  method: 'POST',
  path: '/projects/{id}/exit',
  summary: 'Decide exit or extension',
  location: "The project, whose exit.status shows the exit workflow's outcome (the 202 only)",
  auth: ['committee_leader'],
  params: ProjectIdParams,
  body: S.ExitBody,
  response: ZONEFLOW_DOCS ? staffProjectView : undefined,
  status: 202,
  alsoStatus: { 200: 'extend: the new date recorded, the ladder back to 0' },
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_WRITE,
});

export const redriveExit = /* @__PURE__ */ declareRoute({
  name: 'redrive-exit',
  entry: 'supervision/http/redrive-exit.ts',
  description: 'Ops redrive a failed exit procedure from the step that failed (nothing done is done twice)',
  method: 'POST',
  path: '/projects/{id}/exit/redrive',
  summary: 'Redrive a failed exit',
  location: "The project, whose exit.status shows the redriven exit's outcome",
  etag: true,
  auth: ['ops'],
  params: ProjectIdParams,
  body: S.RedriveBody,
  response: ZONEFLOW_DOCS ? staffProjectView : undefined,
  status: 202,
  idempotent: true,
  tables: ACK_WRITE,
});

export const getLadder = /* @__PURE__ */ declareRoute({
  name: 'get-ladder',
  entry: 'supervision/http/get-ladder.ts',
  description: "A project's supervision file: the ladder, interviews, joint assessments, compliance checks and the exit",
  method: 'GET',
  path: '/projects/{id}/ladder',
  summary: 'Supervision file of a project',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  response: ZONEFLOW_DOCS ? S.ladderView : undefined,
  tables: { projects: 'R' },
});

export const departmentReport = /* @__PURE__ */ declareRoute({
  name: 'department-report',
  entry: 'supervision/http/department-report.ts',
  description:
    'Per department 部门督办: open and overdue tasks now; tasks completed, their average handling working days, notices 通报提醒 ' +
    'and items turned red in a period (default: this month so far); park centers per park too (a park center: its own). ' +
    'CSV: ?format=csv',
  method: 'GET',
  path: '/reports/departments',
  summary: 'Department supervision report',
  auth: ['supervision_office', 'committee_leader', 'park_center'],
  query: S.DepartmentReportQuery,
  response: ZONEFLOW_DOCS ? S.departmentReport : undefined,
  alsoProduces: ['text/csv'],
  tables: { projects: 'R', reference: 'R' },
});

export const ROUTES = [listLetters, sendLetter, getLetter, acknowledgeLetter, queryAudit, grantExtension, recordInterview, recordAssessment, recordComplianceCheck, decideExit, redriveExit, getLadder, departmentReport];

/**
 * The exit workflow's steps release through the inventory module (inventory RW; the ledger read for the projects that
 * could reuse the site) and issue the exit letter.
 */
const EXIT_TABLES = { ...PROJECT_CHANGE, ledger: 'RW', inventory: 'RW', reference: 'R' } as const;

export const TASKS = [
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'exit-step',
    entry: 'supervision/steps/exit-step.ts',
    description: 'Exit workflow: check, release every holding, exit letter, close (EXITED); records failed executions',
    tables: EXIT_TABLES,
    aslPlaceholder: 'ExitStepFunctionArn',
    machine: 'exit',
    failureOf: 'exit',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'schedule',
    name: 'daily-digest',
    entry: 'supervision/steps/daily-digest.ts',
    description: 'Daily digest 每日提醒 on working days: per department, tasks due today, yellow and red, letters awaiting its reply (per park too, for channels limited to parks)',
    tables: { projects: 'R', ledger: 'R', inbox: 'W', reference: 'R' },
    schedule: { cron: { minute: String(DIGEST_TIME.minute), hour: String(DIGEST_TIME.hour) }, timeZone: 'Asia/Shanghai' },
  }),
];
