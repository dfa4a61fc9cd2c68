// The function catalog: every module's declarations (functions/<module>/routes.ts) in one list, and the shapes the CDK
// stack, the local server and the bench read from it. Nothing here is declared: it is all derived.
import type { Access, ChannelsRight, Declaration, HttpMethod, MachineId, RouteDeclaration, TaskDeclaration, WorkflowRight } from '#kernel/declarations.ts';
import { DEFAULT_MEMORY_MB } from '#kernel/memory.ts';
import type { TableId } from '#kernel/store/tables.ts';
import * as inventory from '#inventory/routes.ts';
import * as lifecycle from '#lifecycle/routes.ts';
import * as notifications from '#notifications/routes.ts';
import * as platform from '#platform/routes.ts';
import * as projects from '#projects/routes.ts';
import * as reference from '#reference/routes.ts';
import * as reports from '#reports/routes.ts';
import * as supervision from '#supervision/routes.ts';

export type { Access, HttpMethod } from '#kernel/declarations.ts';
export { PUBLIC_THROTTLE } from '#kernel/declarations.ts';

/** Every route of the API, in the order the OpenAPI document lists them. */
export const ROUTE_DECLARATIONS: readonly RouteDeclaration<unknown, unknown, unknown>[] = [
  ...platform.ROUTES,
  ...projects.ROUTES,
  ...lifecycle.ROUTES,
  ...inventory.ROUTES,
  ...supervision.ROUTES,
  ...reports.ROUTES,
  ...notifications.ROUTES,
  ...reference.ROUTES,
] as readonly RouteDeclaration<unknown, unknown, unknown>[];

/** Every function that serves no route: workflow steps, stream consumers, deploy hooks. */
export const TASK_DECLARATIONS: readonly TaskDeclaration[] = [...lifecycle.TASKS, ...reference.TASKS, ...inventory.TASKS, ...supervision.TASKS, ...notifications.TASKS];

export const DECLARATIONS: readonly Declaration[] = [...ROUTE_DECLARATIONS, ...TASK_DECLARATIONS];

/** A route as the gateway and the local server see it. */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /projects/{id}. */
  readonly path: string;
  /** public: no token; jwt: the JWT authorizer must verify a bearer token. */
  readonly auth: 'public' | 'jwt';
  readonly summary: string;
  readonly throttle?: { readonly rate: number; readonly burst: number };
  /** Headers its answer sets beyond ETag and Location (a browser on another origin is allowed to read them). */
  readonly responseHeaders?: readonly string[];
}

/** A Lambda function as the CDK stack and the bench see it. */
export interface FunctionSpec {
  readonly name: string;
  /** The handler's file under functions/. */
  readonly entry: string;
  readonly description: string;
  readonly routes: readonly RouteSpec[];
  readonly tables: Partial<Record<TableId, Access>>;
  readonly workflow?: readonly WorkflowRight[];
  /** Notification channels: the secret store, robot webhooks, e-mail. */
  readonly channels?: ChannelsRight;
  readonly aslPlaceholder?: string;
  /** The state machine a step belongs to (with aslPlaceholder). */
  readonly machine?: MachineId;
  /** Receives the failed executions of this machine. */
  readonly failureOf?: MachineId;
  readonly consumes?: TableId;
  /** Run by every deploy as a CloudFormation custom resource. */
  readonly onDeploy?: true;
  /** A scheduled job: its cron (minute, hour) in the zone's time zone. */
  readonly schedule?: TaskDeclaration['schedule'];
  /** Serves the API description: its bundle keeps every route's response schema. */
  readonly docs?: true;
  /** Its Lambda memory (MB), as deployed and billed (functions/kernel/memory.ts). */
  readonly memoryMb: number;
}

function specOf(d: Declaration): FunctionSpec {
  const common = { name: d.name, entry: d.entry, description: d.description, memoryMb: d.memoryMb ?? DEFAULT_MEMORY_MB, tables: d.tables, ...(d.workflow ? { workflow: d.workflow } : {}), ...(d.channels ? { channels: d.channels } : {}) };
  if (d.kind === 'route') {
    const route: RouteSpec = {
      method: d.method,
      path: d.path,
      auth: d.auth === 'public' ? 'public' : 'jwt',
      summary: d.summary,
      ...(d.throttle ? { throttle: d.throttle } : {}),
      ...(d.responseHeaders ? { responseHeaders: Object.keys(d.responseHeaders) } : {}),
    };
    return { ...common, routes: [route], ...(d.docs ? { docs: true as const } : {}) };
  }
  return {
    ...common,
    routes: [],
    ...(d.aslPlaceholder ? { aslPlaceholder: d.aslPlaceholder, machine: d.machine ?? 'lifecycle' } : {}),
    ...(d.failureOf ? { failureOf: d.failureOf } : {}),
    ...(d.consumes ? { consumes: d.consumes } : {}),
    ...(d.kind === 'deploy' ? { onDeploy: true as const } : {}),
    ...(d.schedule ? { schedule: d.schedule } : {}),
  };
}

export const FUNCTIONS: readonly FunctionSpec[] = DECLARATIONS.map(specOf);

/** A method the gateway routes: a declared route's, or HEAD. */
export type GatewayMethod = HttpMethod | 'HEAD';

/**
 * The methods the gateway (and the local server) routes to a declared route: its own, and HEAD beside every GET —
 * answered as that GET without its body (an HTTP API routes a method only where a route names it: HEAD has its own).
 */
export const gatewayMethods = (route: Pick<RouteSpec, 'method'>): readonly GatewayMethod[] => (route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]);

export const ROUTES = FUNCTIONS.flatMap((fn) => fn.routes.map((route) => ({ ...route, function: fn.name })));

/** What a browser on an allowed origin may send and read: the gateway's CORS configuration, and the local server's. */
export interface CorsPolicy {
  readonly allowMethods: readonly HttpMethod[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/**
 * The routes' methods and the headers the API contract uses; a browser may read the version and location headers, a
 * refusal's retry-after (a lost race, a busy service: when to retry) and those the routes declare
 * (x-projects-recomputing, a ledger file's link).
 */
export function corsPolicy(routes: readonly Pick<RouteSpec, 'method' | 'responseHeaders'>[] = ROUTES): CorsPolicy {
  const declared = new Set(routes.flatMap((route) => route.responseHeaders ?? []).map((h) => h.toLowerCase()));
  return {
    allowMethods: [...new Set(routes.map((route) => route.method))],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'if-none-match'],
    exposeHeaders: ['etag', 'location', 'retry-after', ...[...declared].sort()],
    maxAgeSeconds: 3600,
  };
}

export function functionSpec(name: string): FunctionSpec {
  const spec = FUNCTIONS.find((f) => f.name === name);
  if (!spec) throw new Error(`unknown function ${name}`);
  return spec;
}

/** Where a catalog function's handler lives, relative to the project root (functions/<module>/…/<name>.ts). */
export function entryOf(name: string): string {
  return `functions/${functionSpec(name).entry}`;
}
