// The project module's routes: one declaration each (path, roles, schemas, tables, handler), read by route(), the
// catalog, OpenAPI, CDK, the local server and the bench.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute } from '#kernel/declarations.ts';
import { PageQuery } from '#kernel/http/schemas.ts';
import * as S from './schemas.ts';

/**
 * What the project's unit of work (projects/change.ts) writes: the project (and its ledger entry when a facet moves), its
 * audit events, the notices it causes and its workflow signal. Every route or step that changes a project through it holds these grants.
 */
export const PROJECT_CHANGE = { projects: 'RW', ledger: 'W', audit: 'W', inbox: 'W', outbox: 'W' } as const;
/** A write route's grants (a named constant: a spread inside a declaration would keep it in every bundle). */
const CHANGE_ROUTE = { ...PROJECT_CHANGE, idempotency: 'RW', reference: 'R' } as const;
/**
 * A rejected admission releases what the project holds (inventory/release-all.ts), reading the ledger for the projects
 * that could reuse it.
 */
const ADMISSION_ROUTE = { ...CHANGE_ROUTE, inventory: 'RW', ledger: 'RW' } as const;

export const createProject = /* @__PURE__ */ declareRoute({
  name: 'create-project',
  entry: 'projects/http/create-project.ts',
  description: 'Creates and classifies a project (分类研判); admission pending',
  method: 'POST',
  path: '/projects',
  summary: 'Create a project',
  etag: true,
  location: 'The new project: /projects/{id}',
  auth: ['investment_dept', 'scitech_dept'],
  body: S.CreateProjectBody,
  response: ZONEFLOW_DOCS ? S.staffProjectView : undefined,
  status: 201,
  idempotent: true,
  // reference: the count of writes naming the project's park (park-names.ts)
  tables: { projects: 'RW', ledger: 'W', audit: 'W', idempotency: 'RW', reference: 'RW' },
});

export const listProjects = /* @__PURE__ */ declareRoute({
  name: 'list-projects',
  entry: 'projects/http/list-projects.ts',
  description: 'Project ledger 台账 by index query',
  method: 'GET',
  path: '/projects',
  summary: 'Project ledger (an enterprise: its own projects)',
  auth: [...STAFF_ROLES, 'enterprise'],
  query: S.LedgerQuery,
  response: ZONEFLOW_DOCS ? S.projectPage : undefined,
  tables: { projects: 'R', ledger: 'R', reference: 'R' },
});

export const getProject = /* @__PURE__ */ declareRoute({
  name: 'get-project',
  entry: 'projects/http/get-project.ts',
  description: 'One project with its current state',
  method: 'GET',
  path: '/projects/{id}',
  summary: 'Get a project',
  auth: 'any',
  params: S.ProjectIdParams,
  response: ZONEFLOW_DOCS ? S.projectView : undefined,
  etag: true,
  tables: { projects: 'R', reference: 'R' },
});

export const updateProject = /* @__PURE__ */ declareRoute({
  name: 'update-project',
  entry: 'projects/http/update-project.ts',
  description: 'Edits a project (If-Match); contract terms locked after admission',
  method: 'PATCH',
  path: '/projects/{id}',
  summary: 'Edit a project (contract terms locked after admission)',
  auth: ['investment_dept', 'scitech_dept'],
  params: S.ProjectIdParams,
  body: S.PatchProjectBody,
  response: ZONEFLOW_DOCS ? S.staffProjectView : undefined,
  idempotent: true,
  ifMatch: 'required',
  tables: CHANGE_ROUTE,
});

export const amendContract = /* @__PURE__ */ declareRoute({
  name: 'amend-contract',
  entry: 'projects/http/amend-contract.ts',
  description: 'Contract amendment after admission (committee leader): terms changed with reason, re-classified',
  method: 'POST',
  path: '/projects/{id}/amendments',
  summary: 'Amend the contract',
  location: 'The amendment: /projects/{id}/amendments/{amendmentId}',
  // The ETag beside that Location is the project's version (an amendment has none of its own), as GET of it answers.
  etag: 'project',
  auth: ['committee_leader'],
  params: S.ProjectIdParams,
  body: S.AmendmentBody,
  response: ZONEFLOW_DOCS ? S.amendmentResponse : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: CHANGE_ROUTE,
});

export const decideAdmission = /* @__PURE__ */ declareRoute({
  name: 'decide-admission',
  entry: 'projects/http/decide-admission.ts',
  description: 'Admission decision 准入; approval starts the lifecycle',
  method: 'POST',
  path: '/projects/{id}/admission',
  summary: 'Approve or reject admission',
  auth: ['investment_dept', 'scitech_dept', 'committee_leader'],
  params: S.ProjectIdParams,
  body: S.AdmissionBody,
  response: ZONEFLOW_DOCS ? S.staffProjectView : undefined,
  writesInParts:
    'A rejection gives back what the project holds (reservations, fund allocations); when they do not fit in one transaction with the rejection — many of them, or several amounts of one quota or fund bucket, each given back in a transaction of its own — they are given back first, each whole, and the rejection last',
  idempotent: true,
  ifMatch: 'optional',
  tables: ADMISSION_ROUTE,
});

export const getTimeline = /* @__PURE__ */ declareRoute({
  name: 'get-timeline',
  entry: 'projects/http/get-timeline.ts',
  description: 'Audit events of a project, oldest first (milestones only for its enterprise)',
  method: 'GET',
  path: '/projects/{id}/timeline',
  summary: 'Audit timeline',
  auth: 'any',
  params: S.ProjectIdParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.timelinePage : undefined,
  tables: { projects: 'R', audit: 'R', reference: 'R' },
});

export const listAmendments = /* @__PURE__ */ declareRoute({
  name: 'list-amendments',
  entry: 'projects/http/list-amendments.ts',
  description: "A project's contract amendments 合同变更, oldest first: each term's before and after, the reason, who",
  method: 'GET',
  path: '/projects/{id}/amendments',
  summary: 'Contract amendments of a project',
  auth: STAFF_ROLES,
  params: S.ProjectIdParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.amendmentPage : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const getAmendment = /* @__PURE__ */ declareRoute({
  name: 'get-amendment',
  entry: 'projects/http/get-amendment.ts',
  description: "One contract amendment 合同变更 of a project, as its POST answered it (where a new amendment's Location points)",
  method: 'GET',
  path: '/projects/{id}/amendments/{amendmentId}',
  summary: 'Get a contract amendment',
  etag: 'project',
  notModified: true,
  auth: STAFF_ROLES,
  params: S.AmendmentParams,
  response: ZONEFLOW_DOCS ? S.amendmentRecord : undefined,
  tables: { projects: 'R' },
});

export const ROUTES = [createProject, listProjects, getProject, updateProject, amendContract, listAmendments, getAmendment, decideAdmission, getTimeline];
