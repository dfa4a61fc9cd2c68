// The OpenAPI 3.1 document, generated from the route declarations (functions/catalog.ts): paths, roles, request and
// response schemas, Idempotency-Key and If-Match, and the problems each route can answer.
import * as z from 'zod/mini';
import { ROLES } from '#kernel/domain/codes.ts';
import { Conflict, Contended, FIELD_ERROR_CODES, type DomainError } from '#kernel/domain/errors.ts';
import type { RouteDeclaration } from '#kernel/declarations.ts';
import { offeredTypes } from '#kernel/http/negotiate.ts';
import { gatewayMethods, ROUTE_DECLARATIONS } from '../catalog.ts';
import type { RolesInForce } from './acting-roles.ts';

type Schema = z.ZodMiniType;

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
/** A refusal of a route that answers in several types (by Accept): it varies by Accept as the route's answers do. */
const VARY_REFUSAL = { description: 'Accept: the route answers in several types by the Accept header, its refusals as well', schema: { type: 'string' } };
/** A problem document as the pipeline writes it (kernel/http/route.ts), for an example. */
const problemOf = (e: DomainError) => ({ type: e.type, title: e.title, status: e.status, detail: e.message, ...(e.errors ? { errors: e.errors } : {}), ...e.extensions, requestId: 'req-1' });
/**
 * The two 409s a write may answer: a conflict with the state names what it refuses (a retry does not cure it), a lost
 * race names nothing — the request was fine, nothing was written — and comes with Retry-After: send it again as it is.
 */
const CONFLICT_EXAMPLES = {
  conflict: {
    summary: 'Conflict with the state: errors[] names the field or path parameter refused (code `state`, …); a retry does not cure it',
    value: problemOf(new Conflict('Project prj-1 is EXITED', [{ path: 'path.id', code: 'state', message: 'the project is EXITED' }])),
  },
  'concurrent-change': {
    summary: 'A lost race (the record was changing at that moment): no errors[], nothing written; wait Retry-After seconds and send the same request again (the same Idempotency-Key)',
    value: problemOf(new Contended()),
  },
};
/**
 * The lost race of a change written in more than one transaction (a route declaring `writesInParts`), after some of
 * them committed: what committed stays, each part whole, and the same request sent again finishes it.
 */
const PARTIAL_EXAMPLE = {
  summary:
    'A lost race after part of the change was written (`outcome: "partial"`, a change larger than one transaction): each part written is whole; wait Retry-After seconds and send the same request again (the same Idempotency-Key) — it finds that part done and finishes the rest',
  value: problemOf(new Contended('Another change to the same record is in progress; part of this change was written (1 of its transactions), the rest not. Send the request again to finish it', undefined, { outcome: 'partial' })),
};
/** A refusal a retry may cure (a throttle, a lost race, a busy service) says when: Retry-After, in seconds, where it can tell. */
const retryAfter = { headers: { 'Retry-After': { description: 'Seconds to wait before sending the request again', schema: { type: 'integer', minimum: 0 } } } };

/**
 * `inForce`: who acts on the routes whose actors are configuration (acting-roles.ts); their `x-roles` are those, with
 * `x-roles-from` naming the configuration versions. Without it, every route's `x-roles` is its declaration's gate.
 */
export function openApiDocument(routes: readonly RouteDeclaration<unknown, unknown, unknown>[] = ROUTE_DECLARATIONS, inForce?: RolesInForce) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const s of routes) {
    const r = { ...s, auth: s.auth === 'public' ? 'public' : 'jwt' };
    const headers = [
      ...(s.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }] : []),
      ...(s.ifMatch ? [{ name: 'If-Match', in: 'header', required: s.ifMatch === 'required', ...(s.etag === 'project' ? { description: PROJECT_IF_MATCH } : {}), schema: { type: 'string' } }] : []),
      ...(s.notModified ? [{ name: 'If-None-Match', in: 'header', required: false, description: 'The ETag (or ETags, or *) of the answer you hold: 304 with no body while it is still the one (never for "0", a built-in default: a deploy may change it)', schema: { type: 'string' } }] : []),
    ];
    const errors: Record<string, unknown> = { '400': { description: 'Invalid request', ...problem } };
    if (r.auth === 'jwt') Object.assign(errors, { '401': { description: 'No or bad token', ...problem }, '403': { description: 'Not allowed', ...problem } });
    if (r.path.includes('{')) errors['404'] = { description: 'Not found', ...problem };
    if (s.body) Object.assign(errors, { '413': { description: 'Body over 64 KB', ...problem }, '415': { description: 'Not JSON', ...problem } });
    if (s.ifMatch) Object.assign(errors, { '412': { description: 'Stale If-Match', ...problem }, '428': { description: 'If-Match missing', ...problem } });
    if (s.idempotent) errors['422'] = { description: 'Idempotency-Key reused with another body', ...problem };
    if (s.method !== 'GET') {
      errors['409'] = {
        description:
          'Conflict with the current state (nothing written; `errors` names what is refused); with Retry-After when the record was changing at that moment (`concurrent-change`, no `errors`): send it again' +
          (s.writesInParts
            ? `. This change may take more than one transaction (${s.writesInParts}): a \`concurrent-change\` with \`outcome: "partial"\` says part of it was written, each part whole — send the same request again (the same Idempotency-Key) to finish it`
            : ''),
        ...retryAfter,
        content: { 'application/problem+json': { ...problem.content['application/problem+json'], examples: s.writesInParts ? { ...CONFLICT_EXAMPLES, 'concurrent-change-partial': PARTIAL_EXAMPLE } : CONFLICT_EXAMPLES } },
      };
    }
    if (s.throttle) errors['429'] = { description: `More than ${s.throttle.rate} requests a second`, ...retryAfter, ...problem };
    if (!s.produces) errors['406'] = { description: `Accept takes none of the types this route answers in (${offeredTypes(s).join(', ')})`, headers: { Vary: { description: 'Accept: another Accept has an answer', schema: { type: 'string' } } }, ...problem };
    errors['503'] = { description: 'Busy, not ready or out of time; nothing written: retry (with `outcome: "unknown"`: a write failed in a way that leaves it unknown whether it was applied — retry with the same Idempotency-Key, or read first)', ...retryAfter, ...problem };
    // A route answering in several types by Accept varies its refusals by Accept too (route.ts pipeline): each says so.
    if (!s.produces && offeredTypes(s).length > 1) {
      for (const [status, e] of Object.entries(errors) as [string, { headers?: Record<string, unknown> }][]) errors[status] = { ...e, headers: { ...e.headers, Vary: VARY_REFUSAL } };
    }
    const operation = {
      operationId: s.name,
      summary: r.summary,
      security: r.auth === 'jwt' ? [{ bearer: [] }] : [],
      // A route open to every signed-in role (`any`: the object decides — a task's lead, a gate's approvers, a
      // letter's addressee, the project's enterprise) lists them all; a public one none.
      ...(inForce?.roles[s.name] ? { 'x-roles': inForce.roles[s.name], 'x-roles-from': inForce.versions } : Array.isArray(s.auth) ? { 'x-roles': s.auth } : s.auth === 'any' ? { 'x-roles': ROLES } : {}),
      parameters: [...parameters('path', s.params), ...parameters('query', s.query), ...headers],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.documentedBody?.() ?? s.body) } } } } : {}),
      responses: { ...successes(s), ...(s.notModified ? { '304': NOT_MODIFIED } : {}), ...errors },
    };
    const at = (paths[r.path] ??= {});
    at[r.method.toLowerCase()] = operation;
    // HEAD beside every GET (catalog.ts gatewayMethods): the GET's statuses and headers, never a body.
    if (gatewayMethods(s).includes('HEAD')) at.head = { ...operation, operationId: `${s.name}Head`, summary: `${r.summary} (status and headers only)`, responses: withoutBodies(operation.responses) };
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
            type: {
              type: 'string',
              description:
                'What kind of refusal, a URI to branch on. A retry may cure those sent with Retry-After (seconds): ' +
                `${new Contended().type} (409, a write that lost its race to another change of the same record: no errors, nothing written — send the same request again; with \`outcome: "partial"\`, on a route whose change may take several transactions, part was written and the same request sent again finishes it), ` +
                'https://zoneflow.dev/problems/unavailable (503; with `outcome: "unknown"` the write may have been applied: retry with the same Idempotency-Key) and a 429 throttle. ' +
                `Others are decided on the request or the state as it is: ${new Conflict('x').type} (409, errors names what is refused), validation (400), stale-version (412), …`,
            },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              description: 'The fields at fault, each with a stable code (the message is prose and may be reworded)',
              items: {
                type: 'object',
                required: ['path', 'code', 'message'],
                properties: { path: { type: 'string' }, code: { type: 'string', enum: [...FIELD_ERROR_CODES] }, message: { type: 'string' } },
              },
            },
            outcome: {
              type: 'string',
              enum: ['unknown', 'partial'],
              description:
                'Present only when something may have been written although the answer is a refusal: `unknown` (503) — the store failed while the change was being written and it may have been applied: send it again with the same Idempotency-Key, which answers what was done (or read first); ' +
                '`partial` (409 concurrent-change, on a route whose change may take more than one transaction — its 409 says so) — part of the change was written, each part whole, the rest lost its race: send the same request again (the same Idempotency-Key) and it finishes it',
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
    paths,
  };
}

/** The ETag of a project's record that has no version of its own (a reservation, a fund allocation, an amendment). */
const PROJECT_ETAG =
  "The project's version, as GET /projects/{id} answers it (this record has no version of its own): send it as If-Match with the next change of " +
  'the project or of its records (a release, a spending, an amendment, a letter\'s acknowledgement). Any change of the project since — another record of it, a task, the ' +
  'lifecycle — makes it stale (412)';
/** The If-Match of a write on such a record. */
const PROJECT_IF_MATCH =
  "The project's version as last read: the ETag of GET /projects/{id} or of any of its records read (a reservation, a fund allocation, an " +
  'amendment, a letter); 412 when the project has changed since. Optional: without it the change is made on the project as it stands';

/** The 304 of a read taking If-None-Match (route.ts): the ETag held is still the record's; no body. */
const NOT_MODIFIED = {
  description: 'Not modified: the ETag sent in If-None-Match is still the answer’s (no body)',
  headers: { ETag: { description: 'The version now stored, as the 200 would send it', required: true, schema: { type: 'string' } } },
};

/** Answers as HEAD gives them: each status with its headers, no content. */
const withoutBodies = (responses: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(responses).map(([status, answer]) => [status, Object.fromEntries(Object.entries(answer as Record<string, unknown>).filter(([k]) => k !== 'content'))]));

/** The route's success answers: its status, and any other it answers with the same body; their headers. */
function successes(s: RouteDeclaration<unknown, unknown, unknown>): Record<string, unknown> {
  const content = s.produces
    ? { [s.produces]: { schema: { type: 'string', format: 'binary' } } }
    : { 'application/json': { schema: jsonSchema(responseOf(s)) }, ...Object.fromEntries((s.alsoProduces ?? []).map((t) => [t, { schema: { type: 'string' } }])) };
  // ETag, Location and Vary come with every success answer that declares them (required); the route's own headers only
  // when they apply (a next page's Link, an unchanged document's flag).
  const named = [
    ...(!s.produces && s.alsoProduces?.length ? [['Vary', 'Accept: the answer is in the type the Accept header weighs first (or ?format= names, where the route takes it)', true] as const] : []),
    ...Object.entries(s.responseHeaders ?? {}).map(([name, description]) => [name, description, false] as const),
  ].map(([name, description, required]) => [name, { description, required, schema: { type: 'string' } }] as const);
  const headers = Object.fromEntries([
    ...(s.ifMatch || s.etag ? [['ETag', { description: s.etag === 'project' ? PROJECT_ETAG : 'The version now stored: send it as If-Match with the next change', required: true, schema: { type: 'string' } }] as const] : []),
    ...(s.location ? [['Location', { description: s.location, required: true, schema: { type: 'string' } }] as const] : []),
    ...named,
  ]);
  const answer = (description: string, sent: Record<string, unknown>) => ({ description, ...(Object.keys(sent).length ? { headers: sent } : {}), content });
  // Location points at what the route's own status made (POST /projects/{id}/exit: the 202's; its 200, an extension, has none).
  const { Location: _made, ...others } = headers as Record<string, unknown>;
  return { [String(s.status ?? 200)]: answer('OK', headers), ...Object.fromEntries(Object.entries(s.alsoStatus ?? {}).map(([status, when]) => [status, answer(when, others)])) };
}

/** A route's response schema; absent only from a bundle built for a handler (ZONEFLOW_DOCS false), never this one's. */
function responseOf(s: { readonly name: string; readonly response: (() => z.ZodMiniType) | undefined }): z.ZodMiniType {
  if (!s.response) throw new Error(`${s.name}: built without response schemas (ZONEFLOW_DOCS false); only the docs bundle can describe the API`);
  return s.response();
}
