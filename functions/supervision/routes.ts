// The supervision module's routes: formal letters 正式函件 (and, next, the escalation ladder, exit and department
// supervision). One declaration each, read by route(), the catalog, OpenAPI, CDK, the local server and the bench.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute } from '#kernel/declarations.ts';
import { PROJECT_CHANGE } from '#projects/routes.ts';
import { ProjectIdParams, projectView } from '#projects/schemas.ts';
import * as S from './schemas.ts';

const LETTER_WRITE = { ...PROJECT_CHANGE, idempotency: 'RW', reference: 'R' } as const;
const ACK_WRITE = { ...PROJECT_CHANGE, idempotency: 'RW' } as const;

export const listLetters = /* @__PURE__ */ declareRoute({
  name: 'list-letters',
  entry: 'supervision/http/list-letters.ts',
  description: "A project's formal letters (an enterprise: those addressed to it)",
  method: 'GET',
  path: '/projects/{id}/letters',
  summary: 'Letters of a project',
  auth: 'any',
  params: ProjectIdParams,
  response: ZONEFLOW_DOCS ? S.letterList : undefined,
  tables: { projects: 'R' },
});

export const sendLetter = /* @__PURE__ */ declareRoute({
  name: 'send-letter',
  entry: 'supervision/http/send-letter.ts',
  description: 'Issues a numbered formal letter of a series about a project',
  method: 'POST',
  path: '/projects/{id}/letters',
  summary: 'Send a formal letter',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  body: S.LetterBody,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  status: 201,
  idempotent: true,
  tables: LETTER_WRITE,
});

export const getLetter = /* @__PURE__ */ declareRoute({
  name: 'get-letter',
  entry: 'supervision/http/get-letter.ts',
  description: 'One letter; Accept: text/html gives the printable A4 page',
  method: 'GET',
  path: '/letters/{id}',
  summary: 'Get a letter',
  auth: 'any',
  params: S.LetterParams,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  tables: { projects: 'R' },
});

export const acknowledgeLetter = /* @__PURE__ */ declareRoute({
  name: 'ack-letter',
  entry: 'supervision/http/ack-letter.ts',
  description: 'The addressee acknowledges a letter with its reply',
  method: 'POST',
  path: '/letters/{id}/ack',
  summary: 'Acknowledge a letter',
  auth: 'any',
  params: S.LetterParams,
  body: S.AckBody,
  response: ZONEFLOW_DOCS ? S.letterView : undefined,
  idempotent: true,
  tables: ACK_WRITE,
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
  description: 'The committee leader grants an extension 延期: the escalation ladder back to 0 until the new date',
  method: 'POST',
  path: '/projects/{id}/extension',
  summary: 'Grant an extension',
  auth: ['committee_leader'],
  params: ProjectIdParams,
  body: S.ExtensionBody,
  response: ZONEFLOW_DOCS ? projectView : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: ACK_WRITE,
});

const INTERVIEW_WRITE = { ...PROJECT_CHANGE, idempotency: 'RW', reference: 'R' } as const;

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
  tables: INTERVIEW_WRITE,
});

export const departmentReport = /* @__PURE__ */ declareRoute({
  name: 'department-report',
  entry: 'supervision/http/department-report.ts',
  description:
    'Per department 部门督办: open and overdue tasks now; tasks completed, their average handling working days, notices 通报提醒 ' +
    'and items turned red in a period (default: this month so far). Accept: text/csv gives a CSV file',
  method: 'GET',
  path: '/reports/departments',
  summary: 'Department supervision report',
  auth: ['supervision_office', 'committee_leader'],
  query: S.DepartmentReportQuery,
  response: ZONEFLOW_DOCS ? S.departmentReport : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const ROUTES = [listLetters, sendLetter, getLetter, acknowledgeLetter, queryAudit, grantExtension, recordInterview, departmentReport];
