// API Gateway HTTP API (v2) events for calling the handlers directly, the way the JWT authorizer delivers them:
// lower-cased headers, claims as strings (arrays as "[a b]"), no authorizer block on public routes or without a user.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { HttpMethod } from '../../functions/catalog.ts';
import type { Principal } from '../../functions/kernel/domain/principal.ts';
import type { ApiEvent, ApiResult } from '../../functions/kernel/http/route.ts';
import base from '../events/apigw-http-v2.json' with { type: 'json' };
import createProjectBody from '../events/create-project.body.json' with { type: 'json' };

/** A signed-in user as the zone knows them: the claims their token carries. */
export type User = Principal;

export const PARK_HUITONG = '汇通产业园';
export const PARK_KECHUANG = '科创城';

export const users = {
  investmentOfficer: { sub: 'u-invest-1', name: '王招商', roles: ['investment_dept'], department: 'investment_dept' },
  investmentOfficer2: { sub: 'u-invest-2', name: '李招商', roles: ['investment_dept'], department: 'investment_dept' },
  scitechOfficer: { sub: 'u-scitech-1', name: '赵科创', roles: ['scitech_dept'], department: 'scitech_dept' },
  committeeLeader: { sub: 'u-leader-1', name: '陈主任', roles: ['committee_leader'], department: 'committee' },
  opsEngineer: { sub: 'u-ops-1', name: '运维值班', roles: ['ops'], department: 'ops' },
  supervisionOfficer: { sub: 'u-super-1', name: '督查员', roles: ['supervision_office'], department: 'supervision_office' },
  disciplineInspector: { sub: 'u-disc-1', name: '纪检员', roles: ['discipline_office'], department: 'discipline_office' },
  resourcesOfficer: { sub: 'u-res-1', name: '自然资源局', roles: ['resources_bureau'], department: 'resources_bureau' },
  ecoOfficer: { sub: 'u-eco-1', name: '生态环境局', roles: ['eco_bureau'], department: 'eco_bureau' },
  soeOfficer: { sub: 'u-soe-1', name: '区属国企', roles: ['soe'], department: 'soe' },
  huitongParkCenter: { sub: 'u-park-ht', name: '汇通园区服务中心', roles: ['park_center'], department: 'park_center', park: PARK_HUITONG },
  kechuangParkCenter: { sub: 'u-park-kc', name: '科创城服务中心', roles: ['park_center'], department: 'park_center', park: PARK_KECHUANG },
  enterpriseA: { sub: 'u-ent-a', name: '示例汽车科技有限公司', roles: ['enterprise'], enterprise: 'ent-a' },
  enterpriseB: { sub: 'u-ent-b', name: '另一家企业', roles: ['enterprise'], enterprise: 'ent-b' },
} as const satisfies Record<string, User>;

/** Claims as API Gateway passes them to the integration: every value a string, arrays as "[a b]". */
export function claimsOf(user: User): Record<string, string> {
  const claims: Record<string, string> = { sub: user.sub, name: user.name, roles: `[${user.roles.join(' ')}]` };
  if (user.department) claims.department = user.department;
  if (user.enterprise) claims.enterprise = user.enterprise;
  if (user.park) claims.park = user.park;
  return claims;
}

export type RouteKey = `${HttpMethod} /${string}`;

export interface RequestInit {
  /** The signed-in user; omitted or null: no authorizer context at all (public route or no token). */
  readonly as?: User | null;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON; strings are sent as they are. */
  readonly body?: unknown;
  /** Defaults to application/json when there is a body; null sends no content-type. */
  readonly contentType?: string | null;
  readonly requestId?: string;
}

/** Builds the event API Gateway would send for `routeKey` (e.g. "PATCH /projects/{id}"). */
export function apiEvent(routeKey: RouteKey, init: RequestInit = {}): ApiEvent {
  const [method, template] = routeKey.split(' ') as [HttpMethod, string];
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = init.params?.[name];
    if (value === undefined) throw new Error(`apiEvent: missing path parameter ${name} for ${routeKey}`);
    return encodeURIComponent(value);
  });
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers: Record<string, string> = { ...base.headers };
  if (body !== undefined && init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  const requestId = init.requestId ?? `req-${randomUUID()}`;
  const query = init.query && Object.keys(init.query).length ? init.query : undefined;
  const event = {
    ...base,
    routeKey,
    rawPath,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(init.params ? { pathParameters: init.params } : {}),
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      ...base.requestContext,
      http: { ...base.requestContext.http, method, path: rawPath },
      requestId,
      routeKey,
      ...(init.as ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claimsOf(init.as), scopes: [] } } } : {}),
    },
  };
  return event as unknown as ApiEvent;
}

export function lambdaContext(requestId = `ctx-${randomUUID()}`): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'zoneflow-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-east-1:000000000000:function:zoneflow-test',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/zoneflow-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 25_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** A handler's answer with its JSON body parsed. */
export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly contentType: string;
  readonly body: T;
  readonly text: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly { readonly path: string; readonly code: string; readonly message: string }[];
  readonly requestId?: string;
}

/** Calls the handler the way Lambda does and parses the answer. */
export async function call<T = Record<string, unknown>>(handler: Handler, event: ApiEvent): Promise<Reply<T>> {
  const result = await handler(event, lambdaContext());
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const contentType = headers['content-type'] ?? '';
  const text = result.body ?? '';
  const body = (/json/.test(contentType) && text ? JSON.parse(text) : {}) as T;
  return { status: result.statusCode, headers, contentType, body, text };
}

/** The api.md example body of POST /projects (a 1.2-billion-yuan NEV project of ent-a in 汇通产业园); `overrides` replace top-level fields. */
export function projectBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(createProjectBody), ...overrides };
}
