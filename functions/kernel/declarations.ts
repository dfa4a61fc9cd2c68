// What a module declares about each of its functions, once: a route's path, method, roles, request and response
// schemas, tables with access, workflow rights and handler file; a workflow step's or stream consumer's tables and
// rights. `functions/catalog.ts` collects the modules' declarations; the HTTP pipeline (`route()`), the OpenAPI
// document, the CDK stack, the local server and the bench all read them — nothing about a route is written twice.
import type * as z from 'zod/mini';
import type { Role } from './domain/codes.ts';
import type { TableId } from './store/tables.ts';

/** R: read (Get/Query/BatchGet). W: append (PutItem with condition only). RW: read and write items. */
export type Access = 'R' | 'W' | 'RW';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * start: may start lifecycle executions (and describe them); callback: may send task success; describe: read the
 * machine; observe: describe lifecycle executions only (is the recorded one running?); exit: may start, describe and
 * redrive exit-procedure executions.
 */
export type WorkflowRight = 'start' | 'callback' | 'describe' | 'observe' | 'exit';
/** The state machines of statemachines/: the lifecycle (project-lifecycle.asl.json) and the exit (project-exit.asl.json). */
export type MachineId = 'lifecycle' | 'exit';
export type Tables = Partial<Record<TableId, Access>>;
/**
 * Notification channels: configure — writes robot credentials to the secret store (SSM under the stack's prefix);
 * deliver — reads them, posts to robot webhooks and sends e-mail (SES from the configured identity).
 */
export type ChannelsRight = 'configure' | 'deliver';

/**
 * Public routes answer anyone, unauthenticated: each has its own throttle at the gateway (and in the local server),
 * so a flood of anonymous probes cannot use up the stage's limits that signed-in users share.
 */
export const PUBLIC_THROTTLE = { rate: 5, burst: 10 } as const;

type Schema<T> = z.ZodMiniType<T>;

declare global {
  /**
   * Whether routes' response schemas are there. They serve only the OpenAPI document, so every function bundle but
   * the one that serves it is built with `ZONEFLOW_DOCS` defined false (infra/bundling.ts): esbuild then drops each
   * `response: ZONEFLOW_DOCS ? schema : undefined` and the zod code only responses use (≈ 5 KB a handler). Outside a
   * bundle (tsx, vitest, CDK synth) it is true.
   */
  var ZONEFLOW_DOCS: boolean | undefined;
}
globalThis.ZONEFLOW_DOCS ??= true;

export interface RouteDeclaration<B = unknown, Q = unknown, P = unknown> {
  readonly kind: 'route';
  /** The Lambda's name suffix (one function per route). */
  readonly name: string;
  /** The handler's file under functions/. */
  readonly entry: string;
  readonly description: string;
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /projects/{id}. */
  readonly path: string;
  readonly summary: string;
  /** 'public': no token; 'any': any verified user; or the roles allowed to call the route. */
  readonly auth: 'public' | 'any' | readonly Role[];
  readonly params?: Schema<P>;
  readonly query?: Schema<Q>;
  readonly body?: Schema<B>;
  /**
   * The success response's schema, built when the OpenAPI document is (never at a handler's cold start). Written
   * `ZONEFLOW_DOCS ? schema : undefined`: only the bundle that serves the document carries it.
   */
  readonly response: (() => z.ZodMiniType) | undefined;
  /** A file, not JSON: the success response's media type (the OpenAPI document describes a binary body; no `response`). */
  readonly produces?: string;
  /** Other media types the JSON answer is also given in by Accept (a letter's A4 page, a report's CSV). */
  readonly alsoProduces?: readonly string[];
  /** Serves the API description: its bundle keeps every route's response schema. */
  readonly docs?: true;
  /** Success status. @default 200 */
  readonly status?: number;
  /** Other success statuses the route answers with the same body, and when (PUT /calendar/{year}: 201 on a first load). */
  readonly alsoStatus?: Readonly<Record<number, string>>;
  /**
   * An answer that carries ETag without the route taking If-Match (a read, a creation, a write on one of a project's
   * records): the version a change sends back as If-Match. `'project'`: the ETag (and the If-Match the route takes) is
   * the project's version, not the record's — a project's reservations, fund allocations and contract amendments have
   * none of their own — and the API description says so.
   */
  readonly etag?: true | 'project';
  /**
   * A read whose answer is the stored record at the version its ETag names, nothing derived from the day or from other
   * records (a calendar year, a configuration version, a contract amendment): If-None-Match with that ETag is a 304 with
   * no body (route.ts) — never for version 0, a built-in default (a configuration before its first publication, or
   * `?version=0`): its content is the code's and may change with a deploy under the same ETag. Not a project, a letter or an inventory record: their answers move under one version (a light,
   * an overdue letter, a record gone stale), so they answer in full.
   */
  readonly notModified?: true;
  /** Where the success answer's Location header points (a new record's own URL): the API description lists it. */
  readonly location?: string;
  /** Headers of the success response beyond ETag and Location, and what they say (the API description lists them). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /**
   * The body as the API description shows it when the handler checks part of it itself (a configuration document by
   * its name): written `ZONEFLOW_DOCS ? schema : undefined`, like `response`. Requests are still checked by `body`.
   */
  readonly documentedBody?: () => z.ZodMiniType;
  /**
   * The change may take more than one DynamoDB transaction (bounded atomic groups, kernel/store/client.ts
   * transactGroups): when it does, said for the API description. Such a route's 409 `concurrent-change` can come after
   * some of its transactions committed — `outcome: "partial"`, each part whole — and the same request sent again (the
   * same Idempotency-Key) finishes it; the description shows it on the route's 409.
   */
  readonly writesInParts?: string;
  /** Takes Idempotency-Key (its first response is stored with the change). */
  readonly idempotent?: boolean;
  readonly ifMatch?: 'required' | 'optional';
  readonly tables: Tables;
  readonly workflow?: readonly WorkflowRight[];
  readonly channels?: ChannelsRight;
  /** Requests per second at the gateway; public routes get PUBLIC_THROTTLE. */
  readonly throttle?: { readonly rate: number; readonly burst: number };
  /** Its Lambda memory (MB) where it needs other than DEFAULT_MEMORY_MB (functions/kernel/memory.ts: measured, with a margin). */
  readonly memoryMb?: number;
}

/** A function with no route: a workflow step, a stream consumer, a deploy hook, a scheduled job. */
export interface TaskDeclaration {
  readonly kind: 'step' | 'consumer' | 'deploy' | 'schedule';
  readonly name: string;
  readonly entry: string;
  readonly description: string;
  readonly tables: Tables;
  readonly workflow?: readonly WorkflowRight[];
  readonly channels?: ChannelsRight;
  /** Steps: the ASL placeholder that receives the function ARN. */
  readonly aslPlaceholder?: string;
  /** Steps: the state machine whose ASL names the placeholder. @default 'lifecycle' */
  readonly machine?: MachineId;
  /**
   * Receives the machine's failed, timed-out and aborted executions ("Step Functions Execution Status Change", an
   * EventBridge rule on AWS; the local runner reports its failed executions the same way).
   */
  readonly failureOf?: MachineId;
  /** Consumers: the table whose stream feeds the function (its definition carries `stream`). */
  readonly consumes?: TableId;
  /**
   * Scheduled jobs: when they run, on the business calendar's time zone (EventBridge Scheduler on AWS; the local
   * runtime fires the same handler on the business clock). The handler gets `{ at?: ISO instant }`. `minute` and
   * `hour` '*' together: every minute. `carriesOn`: the job keeps its work in its table and its next run carries on
   * (the every-minute sweep), so a failed run is not invoked again — what its alarm tells ops.
   */
  readonly schedule?: { readonly cron: { readonly minute: string; readonly hour: string }; readonly timeZone: 'Asia/Shanghai'; readonly carriesOn?: true };
  /** Its Lambda memory (MB) where it needs other than DEFAULT_MEMORY_MB (functions/kernel/memory.ts: measured, with a margin). */
  readonly memoryMb?: number;
}

export type Declaration = RouteDeclaration<any, any, any> | TaskDeclaration; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares a route (marked pure where used, so a bundle keeps only the declarations — and schemas — it imports). */
export function declareRoute<B = undefined, Q = Record<string, never>, P = Record<string, never>>(d: Omit<RouteDeclaration<B, Q, P>, 'kind'>): RouteDeclaration<B, Q, P> {
  return { kind: 'route', ...(d.auth === 'public' && !d.throttle ? { throttle: PUBLIC_THROTTLE } : {}), ...d };
}

export function declareTask(d: TaskDeclaration): TaskDeclaration {
  return d;
}
