// The lifecycle module's routes, workflow steps and stream consumer: one declaration each (path, roles, schemas,
// tables, workflow rights, handler), read by route(), the catalog, OpenAPI, CDK, the local server and the bench.
import { declareRoute, declareTask } from '#kernel/declarations.ts';
import { PROJECT_CHANGE } from '#projects/routes.ts';
import { ProjectIdParams } from '#projects/schemas.ts';
import * as L from './schemas.ts';

// Grant sets as named constants: a spread inside a declaration would keep it (and its schemas) in every bundle that
// imports this file, since esbuild cannot prove a spread free of side effects.
const WRITE_TABLES = { ...PROJECT_CHANGE, idempotency: 'RW', reference: 'R' } as const;
/** Completing a task may link, transfer or lease the project's reservation (inventory/links.ts). */
const COMPLETE_TABLES = { ...WRITE_TABLES, inventory: 'RW' } as const;
const RESUME_TABLES = { ...PROJECT_CHANGE, idempotency: 'RW' } as const;
const STEP_TABLES = { ...PROJECT_CHANGE, reference: 'R' } as const;
/** The outbox consumer's: a step's, and the ledger's status index read (the active projects a calendar change wakes). */
const WAKE_TABLES = { ...STEP_TABLES, ledger: 'RW' } as const;

export const listTasks = /* @__PURE__ */ declareRoute({
  name: 'list-tasks',
  entry: 'lifecycle/http/list-tasks.ts',
  description: 'Tasks of a project, every stage, paged and filtered',
  method: 'GET',
  path: '/projects/{id}/tasks',
  summary: 'Tasks of a project',
  auth: 'any',
  params: ProjectIdParams,
  query: L.TaskListQuery,
  response: ZONEFLOW_DOCS ? L.taskPage : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const completeTask = /* @__PURE__ */ declareRoute({
  name: 'complete-task',
  entry: 'lifecycle/http/complete-task.ts',
  description: 'The lead department completes a task (容缺 with deficiencies)',
  method: 'POST',
  path: '/projects/{id}/tasks/{taskId}/complete',
  summary: 'Complete a task',
  auth: 'any',
  params: L.TaskParams,
  body: L.CompleteTaskBody,
  response: ZONEFLOW_DOCS ? L.completeTaskResponse : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: COMPLETE_TABLES,
});

export const decideGate = /* @__PURE__ */ declareRoute({
  name: 'decide-gate',
  entry: 'lifecycle/http/decide-gate.ts',
  description: 'Parallel approval 并联审批 of a stage gate',
  method: 'POST',
  path: '/projects/{id}/gates/{stage}/approvals',
  summary: 'Approve or reject a stage gate',
  auth: 'any',
  params: L.GateParams,
  body: L.GateDecisionBody,
  response: ZONEFLOW_DOCS ? L.gateDecisionResponse : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: WRITE_TABLES,
});

export const recordMeeting = /* @__PURE__ */ declareRoute({
  name: 'record-meeting',
  entry: 'lifecycle/http/record-meeting.ts',
  description: 'Transition meeting 转段会议 record with follow-up tasks',
  method: 'POST',
  path: '/projects/{id}/gates/{stage}/meeting',
  summary: 'Record the transition meeting',
  auth: ['committee_leader', 'park_center'],
  params: L.GateParams,
  body: L.MeetingBody,
  response: ZONEFLOW_DOCS ? L.meetingResponse : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: WRITE_TABLES,
});

export const amendMeeting = /* @__PURE__ */ declareRoute({
  name: 'amend-meeting',
  entry: 'lifecycle/http/amend-meeting.ts',
  description: 'Amends the recorded transition meeting; the amendment keeps the original values',
  method: 'POST',
  path: '/projects/{id}/gates/{stage}/meeting/amendments',
  summary: 'Amend the transition meeting record',
  auth: ['committee_leader', 'park_center'],
  params: L.GateParams,
  body: L.MeetingAmendmentBody,
  response: ZONEFLOW_DOCS ? L.meetingAmendmentResponse : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  tables: WRITE_TABLES,
});

export const reportProgress = /* @__PURE__ */ declareRoute({
  name: 'report-progress',
  entry: 'lifecycle/http/report-progress.ts',
  description: 'Construction progress report 建设推进',
  method: 'POST',
  path: '/projects/{id}/progress',
  summary: 'Report construction progress',
  auth: ['enterprise', 'park_center'],
  params: ProjectIdParams,
  body: L.ProgressBody,
  response: ZONEFLOW_DOCS ? L.projectResponse : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: WRITE_TABLES,
});

export const listProgress = /* @__PURE__ */ declareRoute({
  name: 'list-progress',
  entry: 'lifecycle/http/list-progress.ts',
  description: 'Construction progress reports of a project so far, newest first',
  method: 'GET',
  path: '/projects/{id}/progress',
  summary: 'Progress reports so far',
  auth: 'any',
  params: ProjectIdParams,
  query: L.ProgressListQuery,
  response: ZONEFLOW_DOCS ? L.progressPage : undefined,
  tables: { projects: 'R', audit: 'R', reference: 'R' },
});

export const reportProduction = /* @__PURE__ */ declareRoute({
  name: 'report-production',
  entry: 'lifecycle/http/report-production.ts',
  description: 'Quarterly production figures 达产达效. A quarter is filed once: figures for a quarter filed already are a correction, sent with If-Match (the project\'s version read; 412 when stale) — without it 409 on quarter',
  method: 'POST',
  path: '/projects/{id}/production',
  summary: 'Report quarterly production figures',
  auth: ['enterprise', 'park_center'],
  params: ProjectIdParams,
  body: L.ProductionBody,
  response: ZONEFLOW_DOCS ? L.productionResponse : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: WRITE_TABLES,
});

export const resumeWorkflow = /* @__PURE__ */ declareRoute({
  name: 'resume-workflow',
  entry: 'lifecycle/http/resume-workflow.ts',
  description: 'Ops resume a failed lifecycle from DynamoDB (next segment of the same stage)',
  method: 'POST',
  path: '/projects/{id}/workflow/resume',
  summary: 'Resume a failed lifecycle',
  location: 'The project resumed: /projects/{id}',
  auth: ['ops'],
  params: ProjectIdParams,
  body: L.ResumeBody,
  response: ZONEFLOW_DOCS ? L.resumeResponse : undefined,
  status: 202,
  idempotent: true,
  ifMatch: 'optional',
  tables: RESUME_TABLES,
  // A forced resume asks Step Functions whether the recorded execution still runs (409 if it does).
  workflow: ['observe'],
});

export const repinMatrix = /* @__PURE__ */ declareRoute({
  name: 'repin-matrix',
  entry: 'lifecycle/http/repin-matrix.ts',
  description: 'Ops move a running project onto a later published responsibility matrix (one published by mistake, corrected): the stages it has not entered yet follow it; the current stage keeps its tasks and gate',
  method: 'POST',
  path: '/projects/{id}/matrix',
  summary: 'Move a project onto another matrix version',
  etag: true,
  auth: ['ops'],
  params: ProjectIdParams,
  body: L.RepinMatrixBody,
  response: ZONEFLOW_DOCS ? L.repinMatrixResponse : undefined,
  idempotent: true,
  ifMatch: 'required',
  tables: WRITE_TABLES,
});

export const myTasks = /* @__PURE__ */ declareRoute({
  name: 'my-tasks',
  entry: 'lifecycle/http/my-tasks.ts',
  description: 'Open tasks of my department, soonest due first',
  method: 'GET',
  path: '/me/tasks',
  summary: 'My open tasks',
  auth: 'any',
  query: L.MyTasksQuery,
  response: ZONEFLOW_DOCS ? L.myTaskPage : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const ROUTES = [listTasks, completeTask, decideGate, recordMeeting, amendMeeting, reportProgress, listProgress, reportProduction, resumeWorkflow, repinMatrix, myTasks];

export const TASKS = [
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'enter-stage',
    entry: 'lifecycle/steps/enter-stage.ts',
    description: 'Workflow: creates the stage tasks from the responsibility matrix and the gate record',
    tables: STEP_TABLES,
    aslPlaceholder: 'EnterStageFunctionArn',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'evaluate-stage',
    entry: 'lifecycle/steps/evaluate-stage.ts',
    description: 'Workflow: starts ready tasks, lights, overdue events, gate, and the next wait or transition',
    tables: STEP_TABLES,
    aslPlaceholder: 'EvaluateStageFunctionArn',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'register-wait',
    entry: 'lifecycle/steps/register-wait.ts',
    description: 'Workflow: stores the callback token of a deadline wait (wakes itself if the project changed)',
    tables: { projects: 'RW' },
    workflow: ['callback'],
    aslPlaceholder: 'RegisterWaitFunctionArn',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'start-segment',
    entry: 'lifecycle/steps/start-segment.ts',
    description: 'Workflow: starts the next execution segment with a deterministic name',
    tables: PROJECT_CHANGE,
    workflow: ['start'],
    aslPlaceholder: 'StartSegmentFunctionArn',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'step',
    name: 'record-failure',
    entry: 'lifecycle/steps/record-failure.ts',
    description: 'Workflow: records a failed step on the project (never a silent dead execution)',
    tables: PROJECT_CHANGE,
    aslPlaceholder: 'RecordFailureFunctionArn',
  }),
  /* @__PURE__ */ declareTask({
    kind: 'consumer',
    name: 'wake-workflow',
    entry: 'lifecycle/stream/wake-workflow.ts',
    description: 'Outbox stream consumer: wakes, starts or recomputes lifecycles after committed changes; department notices',
    // outbox W: a calendar load fans out into one wake signal per active project (ledger R: the status index).
    // reference R: the department notice rule's threshold, window and calendar.
    tables: WAKE_TABLES,
    workflow: ['start', 'callback', 'exit'],
    consumes: 'outbox',
  }),
];
