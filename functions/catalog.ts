// The function catalog: every Lambda, its HTTP routes, the tables it may touch and how, and its workflow rights.
// One source for the CDK stack (functions, routes, least-privilege grants), the local server, OpenAPI and the bench.
import type { TableId } from '#kernel/store/tables.ts';

/** R: read (Get/Query/BatchGet). W: append (PutItem with condition only). RW: read and write items. */
export type Access = 'R' | 'W' | 'RW';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /projects/{id}. */
  readonly path: string;
  /** public: no token; jwt: the JWT authorizer must verify a bearer token. */
  readonly auth: 'public' | 'jwt';
  readonly summary: string;
  /** Requests per second (steady, burst) this route takes at the gateway: public routes get their own, lower limits. */
  readonly throttle?: { readonly rate: number; readonly burst: number };
}

/**
 * Public routes answer anyone, unauthenticated: each has its own throttle at the gateway (and in the local server),
 * so a flood of anonymous probes cannot use up the stage's limits that signed-in users share.
 */
export const PUBLIC_THROTTLE = { rate: 5, burst: 10 } as const;

export interface FunctionSpec {
  /** Lambda name suffix. */
  readonly name: string;
  /** The handler's file under functions/ (its module's http/, steps/, stream/ or deploy/). */
  readonly entry: string;
  readonly description: string;
  readonly routes: readonly RouteSpec[];
  readonly tables: Partial<Record<TableId, Access>>;
  /** start: may start lifecycle executions; callback: may send task success/failure; describe: read the machine. */
  readonly workflow?: readonly ('start' | 'callback' | 'describe')[];
  /** Set for functions the state machine invokes: the ASL placeholder that receives the function ARN. */
  readonly aslPlaceholder?: string;
  /** Set for functions fed by a table's stream (the table's definition carries `stream`): that table. */
  readonly consumes?: TableId;
  /** Run by every deploy as a CloudFormation custom resource (reference data the product needs from its first request). */
  readonly onDeploy?: true;
}

const api = (method: HttpMethod, path: string, summary: string, auth: 'public' | 'jwt' = 'jwt'): RouteSpec => ({
  method,
  path,
  auth,
  summary,
  ...(auth === 'public' ? { throttle: PUBLIC_THROTTLE } : {}),
});

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'health',
    entry: 'platform/http/health.ts',
    description: 'Readiness: tables reachable and workflow available',
    routes: [api('GET', '/health', 'Readiness probe', 'public')],
    tables: { reference: 'R' },
    workflow: ['describe'],
  },
  {
    name: 'openapi',
    entry: 'platform/http/openapi.ts',
    description: 'Serves the OpenAPI 3.1 document generated from the zod schemas',
    routes: [api('GET', '/openapi.json', 'OpenAPI 3.1 document', 'public')],
    tables: {},
  },
  {
    name: 'create-project',
    entry: 'projects/http/create-project.ts',
    description: 'Creates and classifies a project (分类研判); admission pending',
    routes: [api('POST', '/projects', 'Create a project')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R' },
  },
  {
    name: 'list-projects',
    entry: 'projects/http/list-projects.ts',
    description: 'Project ledger 台账 by index query',
    routes: [api('GET', '/projects', 'Project ledger')],
    tables: { reference: 'R', projects: 'R' },
  },
  {
    name: 'get-project',
    entry: 'projects/http/get-project.ts',
    description: 'One project with its current state',
    routes: [api('GET', '/projects/{id}', 'Get a project')],
    tables: { projects: 'R' },
  },
  {
    name: 'update-project',
    entry: 'projects/http/update-project.ts',
    description: 'Edits descriptive fields of a project (If-Match)',
    routes: [api('PATCH', '/projects/{id}', 'Edit a project (contract terms locked after admission)')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'amend-contract',
    entry: 'projects/http/amend-contract.ts',
    description: 'Contract amendment after admission (committee leader): terms changed with reason, re-classified',
    routes: [api('POST', '/projects/{id}/amendments', 'Amend the contract')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'decide-admission',
    entry: 'projects/http/decide-admission.ts',
    description: 'Admission decision 准入; approval starts the lifecycle',
    routes: [api('POST', '/projects/{id}/admission', 'Approve or reject admission')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'get-timeline',
    entry: 'projects/http/get-timeline.ts',
    description: 'Audit events of a project, oldest first',
    routes: [api('GET', '/projects/{id}/timeline', 'Audit timeline')],
    tables: { reference: 'R', projects: 'R', audit: 'R' },
  },
  {
    name: 'list-tasks',
    entry: 'lifecycle/http/list-tasks.ts',
    description: 'Tasks of a project, every stage',
    routes: [api('GET', '/projects/{id}/tasks', 'Tasks of a project')],
    tables: { reference: 'R', projects: 'R' },
  },
  {
    name: 'complete-task',
    entry: 'lifecycle/http/complete-task.ts',
    description: 'The lead department completes a task (容缺 with deficiencies)',
    routes: [api('POST', '/projects/{id}/tasks/{taskId}/complete', 'Complete a task')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'decide-gate',
    entry: 'lifecycle/http/decide-gate.ts',
    description: 'Parallel approval 并联审批 of a stage gate',
    routes: [api('POST', '/projects/{id}/gates/{stage}/approvals', 'Approve or reject a stage gate')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'record-meeting',
    entry: 'lifecycle/http/record-meeting.ts',
    description: 'Transition meeting 转段会议 record with follow-up tasks',
    routes: [api('POST', '/projects/{id}/gates/{stage}/meeting', 'Record the transition meeting')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'amend-meeting',
    entry: 'lifecycle/http/amend-meeting.ts',
    description: 'Amends a recorded transition meeting, keeping the original in its amendments and the timeline',
    routes: [api('POST', '/projects/{id}/gates/{stage}/meeting/amendments', 'Amend the transition meeting record')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'report-progress',
    entry: 'lifecycle/http/report-progress.ts',
    description: 'Construction progress report 建设推进',
    routes: [api('POST', '/projects/{id}/progress', 'Report construction progress')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'report-production',
    entry: 'lifecycle/http/report-production.ts',
    description: 'Quarterly production figures 达产达效',
    routes: [api('POST', '/projects/{id}/production', 'Report quarterly production figures')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', reference: 'R', outbox: 'W' },
  },
  {
    name: 'resume-workflow',
    entry: 'lifecycle/http/resume-workflow.ts',
    description: 'Ops resume a failed lifecycle from DynamoDB (next segment of the same stage)',
    routes: [api('POST', '/projects/{id}/workflow/resume', 'Resume a failed lifecycle')],
    tables: { projects: 'RW', audit: 'W', idempotency: 'RW', outbox: 'W' },
  },
  {
    name: 'my-tasks',
    entry: 'lifecycle/http/my-tasks.ts',
    description: 'Open tasks of my department, soonest due first',
    routes: [api('GET', '/me/tasks', 'My open tasks')],
    tables: { reference: 'R', projects: 'R' },
  },
  {
    name: 'my-notifications',
    entry: 'notifications/http/my-notifications.ts',
    description: 'My inbox: notices to my departments, park, enterprise and me, newest first',
    routes: [api('GET', '/me/notifications', 'My notifications')],
    tables: { inbox: 'R', reference: 'R' },
  },
  {
    name: 'get-calendar',
    entry: 'reference/http/get-calendar.ts',
    description: 'Working-day calendar of a year',
    routes: [api('GET', '/calendar/{year}', 'Calendar of a year', 'public')],
    tables: { reference: 'R' },
  },
  {
    name: 'put-calendar',
    entry: 'reference/http/put-calendar.ts',
    description: 'Replaces the calendar of a year (ops); recomputes provisional due dates',
    routes: [api('PUT', '/calendar/{year}', 'Load or edit the calendar of a year')],
    tables: { reference: 'RW', audit: 'W', idempotency: 'RW', projects: 'R', outbox: 'W' },
  },
  {
    name: 'get-config',
    entry: 'reference/http/get-config.ts',
    description: 'Configuration in force (matrix, escalation, lights, classification)',
    routes: [api('GET', '/config/{name}', 'Configuration in force')],
    tables: { reference: 'R' },
  },
  {
    name: 'put-config',
    entry: 'reference/http/put-config.ts',
    description: 'Publishes a new configuration version (ops)',
    routes: [api('PUT', '/config/{name}', 'Publish a configuration version')],
    tables: { reference: 'RW', audit: 'W', idempotency: 'RW' },
  },
  {
    name: 'enter-stage',
    entry: 'lifecycle/steps/enter-stage.ts',
    description: 'Workflow: creates the stage tasks from the responsibility matrix and the gate record',
    routes: [],
    tables: { projects: 'RW', audit: 'W', reference: 'R', inbox: 'W' },
    aslPlaceholder: 'EnterStageFunctionArn',
  },
  {
    name: 'evaluate-stage',
    entry: 'lifecycle/steps/evaluate-stage.ts',
    description: 'Workflow: starts ready tasks, lights, overdue events, gate, and the next wait or transition',
    routes: [],
    tables: { projects: 'RW', audit: 'W', reference: 'R', inbox: 'W' },
    aslPlaceholder: 'EvaluateStageFunctionArn',
  },
  {
    name: 'register-wait',
    entry: 'lifecycle/steps/register-wait.ts',
    description: 'Workflow: stores the callback token of a deadline wait (wakes itself if the project changed)',
    routes: [],
    tables: { projects: 'RW' },
    workflow: ['callback'],
    aslPlaceholder: 'RegisterWaitFunctionArn',
  },
  {
    name: 'start-segment',
    entry: 'lifecycle/steps/start-segment.ts',
    description: 'Workflow: starts the next execution segment with a deterministic name',
    routes: [],
    tables: { projects: 'RW', audit: 'W' },
    workflow: ['start'],
    aslPlaceholder: 'StartSegmentFunctionArn',
  },
  {
    name: 'record-failure',
    entry: 'lifecycle/steps/record-failure.ts',
    description: 'Workflow: records a failed step on the project (never a silent dead execution)',
    routes: [],
    tables: { projects: 'RW', audit: 'W', inbox: 'W' },
    aslPlaceholder: 'RecordFailureFunctionArn',
  },
  {
    name: 'bootstrap-reference',
    entry: 'reference/deploy/bootstrap-reference.ts',
    description: 'On every deploy: loads the calendar 2004–2026, configuration v1 and the cursor key where missing (never over ops)',
    routes: [],
    // projects RW: re-keys park-center tasks stored before the department-task index was split per park.
    tables: { reference: 'RW', audit: 'W', projects: 'RW' },
    onDeploy: true,
  },
  {
    name: 'wake-workflow',
    entry: 'lifecycle/stream/wake-workflow.ts',
    description: 'Outbox stream consumer: wakes, starts or recomputes lifecycles after committed changes',
    routes: [],
    // outbox W: a calendar load fans out into one wake signal per affected project.
    tables: { projects: 'RW', audit: 'W', outbox: 'W', inbox: 'W' },
    workflow: ['start', 'callback'],
    consumes: 'outbox',
  },
];

export const ROUTES = FUNCTIONS.flatMap((fn) => fn.routes.map((route) => ({ ...route, function: fn.name })));

export function functionSpec(name: string): FunctionSpec {
  const spec = FUNCTIONS.find((f) => f.name === name);
  if (!spec) throw new Error(`unknown function ${name}`);
  return spec;
}

/** Where a catalog function's handler lives, relative to the project root (functions/<module>/…/<name>.ts). */
export function entryOf(name: string): string {
  return `functions/${functionSpec(name).entry}`;
}
