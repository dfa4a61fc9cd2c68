// The OpenAPI 3.1 document, generated from the function catalog (paths, auth) and the zod request schemas.
import * as z from 'zod/mini';
import { ROUTES } from '../../catalog.ts';
import { CATEGORIES, LIGHTS, STAGES, STATUSES } from '#kernel/domain/codes.ts';
import * as C from '#reference/calendar-schemas.ts';
import * as Common from './schemas.ts';
import * as G from '#reference/config-schemas.ts';
import * as L from '#lifecycle/schemas.ts';
import * as P from './params.ts';
import * as S from '#projects/schemas.ts';

type Schema = z.ZodMiniType;
interface RouteSchemas {
  body?: Schema;
  query?: Schema;
  params?: Schema;
  response?: Schema;
  status?: number;
  idempotent?: boolean;
  ifMatch?: 'required' | 'optional';
}

const Project = z.looseObject({
  id: z.string(),
  name: z.string(),
  category: z.enum(CATEGORIES),
  categoryReason: z.string(),
  dedicatedTeam: z.nullable(z.looseObject({ kind: z.string(), lead: z.string(), members: z.array(z.string()) })),
  stage: z.enum(STAGES),
  status: z.enum(STATUSES),
  light: z.enum(LIGHTS),
  escalation: z.object({ level: z.int(), name: z.string(), since: z.nullable(z.string()) }),
  version: z.int(),
  createdAt: z.string(),
});
const Task = z.looseObject({
  id: z.string(),
  stage: z.enum(STAGES),
  code: z.string(),
  name: z.string(),
  lead: z.string(),
  status: z.enum(['open', 'done', 'done_with_deficiencies']),
  dueDate: z.nullable(z.string()),
  light: z.enum(LIGHTS),
  calendarProvisional: z.boolean(),
});
const Notification = z.looseObject({
  id: z.string(),
  inbox: z.string(),
  kind: z.string(),
  projectId: z.nullable(z.string()),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
const page = (item: Schema) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
const AuditEvent = z.looseObject({ id: z.string(), at: z.string(), actor: z.string(), roles: z.array(z.string()), action: z.string(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) });
const Calendar = z.looseObject({ year: z.int(), holidays: z.array(z.string()), workdays: z.array(z.string()), version: z.int() });
const Config = z.looseObject({ name: z.string(), version: z.int(), doc: z.unknown(), publishedAt: z.string(), publishedBy: z.string() });

const SCHEMAS: Record<string, RouteSchemas> = {
  'GET /health': { response: z.object({ status: z.literal('ok') }) },
  'GET /openapi.json': { response: z.looseObject({ openapi: z.string() }) },
  'POST /projects': { body: S.CreateProjectBody, response: Project, status: 201, idempotent: true },
  'GET /projects': { query: S.LedgerQuery, response: page(Project) },
  'GET /projects/{id}': { params: P.ProjectIdParams, response: Project },
  'PATCH /projects/{id}': { params: P.ProjectIdParams, body: S.PatchProjectBody, response: Project, idempotent: true, ifMatch: 'required' },
  'POST /projects/{id}/amendments': { params: P.ProjectIdParams, body: S.AmendmentBody, response: z.looseObject({ amendment: z.looseObject({ id: z.string(), reason: z.string() }), project: Project }), status: 201, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/admission': { params: P.ProjectIdParams, body: S.AdmissionBody, response: Project, idempotent: true, ifMatch: 'optional' },
  'GET /projects/{id}/timeline': { params: P.ProjectIdParams, query: Common.PageQuery, response: page(AuditEvent) },
  'GET /projects/{id}/tasks': { params: P.ProjectIdParams, query: L.TaskListQuery, response: page(Task) },
  'POST /projects/{id}/tasks/{taskId}/complete': { params: P.TaskParams, body: L.CompleteTaskBody, response: z.object({ task: Task, obligations: z.array(Task) }), idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/gates/{stage}/approvals': { params: P.GateParams, body: L.GateDecisionBody, response: z.looseObject({ stage: z.enum(STAGES) }), status: 201, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/gates/{stage}/meeting': { params: P.GateParams, body: L.MeetingBody, response: z.looseObject({ stage: z.enum(STAGES) }), status: 201, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/gates/{stage}/meeting/amendments': { params: P.GateParams, body: L.MeetingAmendmentBody, response: z.looseObject({ stage: z.enum(STAGES) }), status: 201, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/progress': { params: P.ProjectIdParams, body: L.ProgressBody, response: Project, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/production': { params: P.ProjectIdParams, body: L.ProductionBody, response: Project, idempotent: true, ifMatch: 'optional' },
  'POST /projects/{id}/workflow/resume': { params: P.ProjectIdParams, body: L.ResumeBody, response: z.looseObject({ projectId: z.string(), executionName: z.string(), status: z.string() }), status: 202, idempotent: true, ifMatch: 'optional' },
  'GET /me/tasks': { query: L.MyTasksQuery, response: page(Task) },
  'GET /me/notifications': { query: Common.PageQuery, response: page(Notification) },
  'GET /calendar/{year}': { params: P.YearParams, response: Calendar },
  'PUT /calendar/{year}': { params: P.YearParams, body: C.CalendarBody, response: Calendar, idempotent: true, ifMatch: 'required' },
  'GET /config/{name}': { params: P.ConfigNameParams, response: Config },
  'PUT /config/{name}': { params: P.ConfigNameParams, body: G.configBody(z.unknown()), response: Config, idempotent: true, ifMatch: 'required' },
};

const jsonSchema = (schema: Schema) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parameters(where: 'path' | 'query', schema: Schema | undefined) {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const key = `${r.method} ${r.path}`;
    const s = SCHEMAS[key] ?? {};
    const headers = [
      ...(s.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }] : []),
      ...(s.ifMatch ? [{ name: 'If-Match', in: 'header', required: s.ifMatch === 'required', schema: { type: 'string' } }] : []),
    ];
    const errors: Record<string, unknown> = { '400': { description: 'Invalid request', ...problem } };
    if (r.auth === 'jwt') Object.assign(errors, { '401': { description: 'No or bad token', ...problem }, '403': { description: 'Not allowed', ...problem } });
    if (r.path.includes('{')) errors['404'] = { description: 'Not found', ...problem };
    if (s.body) Object.assign(errors, { '413': { description: 'Body over 64 KB', ...problem }, '415': { description: 'Not JSON', ...problem } });
    if (s.ifMatch) Object.assign(errors, { '412': { description: 'Stale If-Match', ...problem }, '428': { description: 'If-Match missing', ...problem } });
    if (s.idempotent) errors['422'] = { description: 'Idempotency-Key reused with another body', ...problem };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.function,
      summary: r.summary,
      security: r.auth === 'jwt' ? [{ bearer: [] }] : [],
      parameters: [...parameters('path', s.params), ...parameters('query', s.query), ...headers],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body) } } } } : {}),
      responses: {
        [String(s.status ?? 200)]: {
          description: 'OK',
          content: { 'application/json': { schema: s.response ? jsonSchema(s.response) : {} } },
        },
        ...errors,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'zoneflow API',
      version: '1',
      description: '招商落地开工建设投产一体化 — investment projects from signing to production.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
            requestId: { type: 'string' },
          },
        },
      },
    },
    paths,
  };
}
