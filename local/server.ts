// The local HTTP API: turns requests into API Gateway v2 (HTTP API) events for the same handlers Lambda runs,
// verifying bearer tokens first the way the JWT authorizer does on AWS.
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { corsPolicy, gatewayMethods, ROUTES, type GatewayMethod } from '../functions/catalog.ts';
import type { Verifier } from './auth.ts';

export type HttpHandler = (event: unknown, context: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }>;

/** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs; the handlers enforce the 64 KB rule. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

const compiled = ROUTES.map((r) => ({
  ...r,
  regex: new RegExp(`^${r.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
}));

const params = (path: string) => (path.match(/\{/g) ?? []).length;

/** A token bucket per throttled route, as the gateway's route settings: `rate` tokens a second, up to `burst`. */
const buckets = new Map<string, { tokens: number; at: number }>();
function admit(key: string, throttle: { rate: number; burst: number }): boolean {
  const now = Date.now();
  const bucket = buckets.get(key) ?? { tokens: throttle.burst, at: now };
  bucket.tokens = Math.min(throttle.burst, bucket.tokens + ((now - bucket.at) / 1000) * throttle.rate);
  bucket.at = now;
  buckets.set(key, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** What Node's parser refuses before any route sees it, answered as the problem it is (status, title, detail). */
const PARSER_REFUSALS: Record<string, readonly [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request header fields too large', 'The request line and headers exceed 16 KB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timeout', 'The request did not arrive in time'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Request body too large', 'The chunk extensions are too large'],
};
/** What else the parser refuses, said as what to mend (a 400 each); a fault not listed here is said by its code. */
const PARSER_FAULTS: Record<string, string> = {
  HPE_INVALID_URL: 'The request is not valid HTTP/1.1 (a URL must be ASCII: percent-encode other characters, as curl -G --data-urlencode "park=汇通产业园" does)',
  HPE_INVALID_HEADER_TOKEN: 'The request is not valid HTTP/1.1: a header has a character HTTP does not allow there (a control character in its value, a space or other separator in its name)',
  HPE_INVALID_METHOD: 'The request is not valid HTTP/1.1: its method is none HTTP has (methods are upper case: GET, POST, …)',
  HPE_INVALID_CONTENT_LENGTH: 'The request is not valid HTTP/1.1: send a Content-Length that is a number, or Transfer-Encoding: chunked, not both',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'The request is not valid HTTP/1.1: send a Content-Length, or Transfer-Encoding: chunked, not both',
  HPE_INVALID_TRANSFER_ENCODING: 'The request is not valid HTTP/1.1: the only Transfer-Encoding taken is chunked, last',
  HPE_INVALID_CHUNK_SIZE: 'The request is not valid HTTP/1.1: a chunk of the body does not start with its size in hexadecimal',
};
const notHttp = (code: string | undefined) => [400, 'Bad request', PARSER_FAULTS[code ?? ''] ?? `The request is not valid HTTP/1.1 (${code ?? 'unreadable'})`] as const;

/** The gateway's problem types, named as the product's own (kernel/domain/errors.ts): one type per kind of answer. */
const PROBLEM_TYPE: Record<number, string> = { 400: 'validation', 401: 'unauthorized', 404: 'not-found', 405: 'method-not-allowed', 408: 'timeout', 413: 'too-large', 429: 'too-many-requests', 431: 'header-too-large', 500: 'internal' };
const problemType = (status: number) => `https://zoneflow.dev/problems/${PROBLEM_TYPE[status] ?? status}`;

/** What the gateway itself answered a request it refused (no token, no route, throttled): for its line in the log. */
const refusals = new WeakMap<ServerResponse, string>();
/** The 408 the parser's clock answered a request whose body was still arriving: its line's status. */
const cutShort = new WeakMap<ServerResponse, number>();

function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}) {
  refusals.set(res, detail);
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ type: problemType(status), title, status, detail }));
}

/** The authorizer passes claims to the integration as strings (arrays as "[a b]"): do the same locally. */
function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'string' ? v : String(v)]),
  );
}

/** The body whole; 'cut' when it never arrives whole (the client gone mid-upload, a chunk the parser refused). */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'cut'> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > GATEWAY_MAX_BYTES) return 'too-large';
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'cut';
  }
  return Buffer.concat(chunks);
}

/**
 * The path as the request sent it, dot segments and all: API Gateway routes on it so — `/inventory/parcels/%2E%2E` is
 * `GET /inventory/{kind}/{id}` with the id "..", which the route's own validation refuses (400 at path.id), never the
 * parent `/inventory` that URL parsing would resolve it to (WHATWG URLs take `%2E%2E`, `.%2e` and `..` for "go up").
 * An absolute-form target (`GET http://host/path`) is the path after its authority.
 */
function pathAsSent(target: string, url: URL): string {
  if (!target.startsWith('/')) return /^[a-z][a-z\d+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(target)?.[1] ?? url.pathname;
  return target.replace(/[?#].*$/s, '');
}

export interface ApiServerOptions {
  readonly verify: Verifier;
  readonly loadHandler: (functionName: string) => Promise<HttpHandler>;
  readonly log?: (line: Record<string, unknown>) => void;
  /** Paths served before the API's routes (the local console): true when it answered the request. */
  readonly before?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /**
   * Browser origins allowed to call the API (`CORS_ORIGINS` on `npm start`; the stack's `corsOrigins` context on AWS),
   * `*` for any. As the gateway with CORS configured: it answers every preflight itself (with the policy's headers
   * for an allowed origin, none for another) and adds the allowed origin to every answer. Empty: CORS off.
   */
  readonly corsOrigins?: readonly string[];
  /** How long a request may take to arrive whole, headers and body (default: API Gateway's 30 s; tests shorten it). */
  readonly requestTimeoutMs?: number;
}

/**
 * API Gateway gives a request 30 s (an HTTP API's integration timeout, its most): a client whose request has not
 * arrived whole by then is answered 408 problem+json (`PARSER_REFUSALS`) and its connection closed — not held for Node's
 * default 300 s. The largest body a route takes (64 KB, kernel/http/route.ts) arrives in that time on a link of 2.2 KB/s.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

const CORS = corsPolicy();

/**
 * The CORS headers of an answer to `origin` (none when CORS is off or the origin is not allowed), set on the response
 * before anything else answers, so a refusal carries them too and the browser lets the page read it.
 */
function allowOrigin(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origins.length === 0) return false;
  res.setHeader('vary', 'origin');
  if (!origin || !(origins.includes('*') || origins.includes(origin))) return false;
  res.setHeader('access-control-allow-origin', origins.includes('*') ? '*' : origin);
  res.setHeader('access-control-expose-headers', CORS.exposeHeaders.join(','));
  return true;
}

export function createApiServer(options: ApiServerOptions): Server {
  // Without Host, Node would answer an HTTP/1.1 request a bare 400 itself: the route below answers it as a problem.
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node checks the requests' clocks every `connectionsCheckingInterval` (30 s by default): checked often, a request is
  // cut at its time, not up to 30 s later.
  const server = createServer({ requireHostHeader: false, requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(1_000, requestTimeout) }, (req, res) => {
    void handle(req, res, options).catch((err: unknown) => {
      options.log?.({ level: 'error', message: 'local server error', time: new Date().toISOString(), error: (err as Error).message });
      if (!res.headersSent) problem(res, 500, 'Internal error', 'The local gateway failed');
      else res.end();
    });
  });
  // A request Node's parser refuses before any handler sees it (a URL with raw non-ASCII bytes, as curl sends
  // `?park=汇通产业园`; headers past 16 KB) is answered as problem+json too, saying what to send instead.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: ServerResponse | null }) => {
    if (err.code === 'ECONNRESET') return void socket.destroy();
    const [status, title, detail] = PARSER_REFUSALS[err.code ?? ''] ?? notHttp(err.code);
    const body = JSON.stringify({ type: problemType(status), title, status, detail });
    // A bad request pipelined behind one still being answered is refused after that answer, in order: a client reads
    // the answers in the order it sent its requests, and the first one's (a write that went through) is its own — a
    // 400 in its place would say it was refused, and cutting the connection would leave it not knowing.
    const refuse = () => {
      if (!socket.writable) return void socket.destroy();
      const answering = socket._httpMessage;
      // The fault in the body of the request being answered (a chunk without a size) is that request's: refused now,
      // as the handler will never have its whole body — unless its answer has begun, when there is nothing to say.
      if (answering && !answering.req.complete) {
        if (answering.headersSent) return void socket.destroy();
        // Out of time: its line says so (408), not that the client went away mid-upload (the close that follows).
        if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
          refusals.set(answering, detail);
          cutShort.set(answering, status);
        }
        return void send();
      }
      if (answering && !answering.writableFinished) {
        // Finished, or closed with its connection: whichever comes first (once).
        let waited = false;
        const next = () => void (waited || ((waited = true), setImmediate(refuse)));
        return void answering.once('finish', next).once('close', next);
      }
      send();
    };
    const send = () =>
      socket.end(`HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    refuse();
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ApiServerOptions): Promise<void> {
  if (options.before && (await options.before(req, res))) return;
  const started = Date.now();
  // The request target as sent (`//projects` is a path, not a host: resolved against a base it would read as one).
  const target = req.url ?? '/';
  const url = URL.parse(target.startsWith('/') ? `http://localhost${target}` : target);
  if (!url) return problem(res, 400, 'Bad request', `The request target ${target.slice(0, 100)} is not a path`);
  const method = (req.method ?? 'GET').toUpperCase();
  const sent = pathAsSent(target, url);
  const path = sent.length > 1 ? sent.replace(/\/+$/, '') : sent;
  // One line for every request answered, as the stage's access log has on AWS: those the gateway refuses itself (a
  // token refused, no route, throttled) too, with the reason; with its time, as every line of the product has.
  const line: Record<string, unknown> = {};
  // The handler's answer while it runs: a client gone before it (the whole request sent) is logged with it once it comes.
  const handling: { answer?: Promise<number> } = {};
  res.once('close', () => {
    // A connection closed before its body arrived whole (the client gone mid-upload) was the client's doing: a 400
    // refused, whatever the answer would have been (it may close before the body's read fails).
    const cut = !req.complete && !res.headersSent;
    const refusedHere = cutShort.get(res);
    const refused = cut && refusedHere === undefined ? 'The body did not arrive whole' : refusals.get(res);
    const write = (status: number, gone?: string) =>
      options.log?.({ level: 'info', message: 'request', time: new Date().toISOString(), method, path, status, ms: Date.now() - started, ...line, ...(refused ? { refused } : {}), ...(gone ? { clientGone: gone } : {}) });
    // Closed while its handler still ran (a client's timeout, Ctrl-C): the request goes on and may commit — its line says
    // the answer it was given, not res's default 200 at the moment the client left.
    if (!cut && !res.headersSent && handling.answer) {
      const gone = 'the connection closed before the answer was sent';
      return void handling.answer.then((status) => write(status, gone));
    }
    write(refusedHere ?? (cut ? 400 : res.statusCode));
  });
  // After the line is set up: a request refused for want of a Host is logged as every other refusal is.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) return problem(res, 400, 'Bad request', 'An HTTP/1.1 request names its server: send one in a Host header');
  const cors = options.corsOrigins ?? [];
  const allowed = allowOrigin(req, res, cors);
  if (cors.length && method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    // A preflight: answered here whatever the path, as the gateway does (no route sees it).
    if (allowed) {
      res.setHeader('access-control-allow-methods', CORS.allowMethods.join(','));
      res.setHeader('access-control-allow-headers', CORS.allowHeaders.join(','));
      res.setHeader('access-control-max-age', String(CORS.maxAgeSeconds));
    }
    line.preflight = allowed ? 'allowed' : 'origin not allowed';
    res.writeHead(204).end();
    return;
  }
  const candidates = compiled.filter((r) => r.regex.test(path));
  // As API Gateway: a literal segment beats a parameter (/config/channels before /config/{name}).
  // HEAD is routed beside every GET (as the gateway's HEAD routes): the handler answers it as the GET, without the body.
  const route = candidates.filter((r) => gatewayMethods(r).includes(method as GatewayMethod)).sort((a, b) => params(a.path) - params(b.path))[0];
  if (!route) {
    if (candidates.length) return problem(res, 405, 'Method not allowed', `${method} is not allowed on ${path}`, { allow: candidates.flatMap(gatewayMethods).join(', ') });
    return problem(res, 404, 'Not found', `No route ${method} ${path}`);
  }
  const routeKey = `${method} ${route.path}`;
  if (route.throttle && !admit(routeKey, route.throttle)) {
    return problem(res, 429, 'Too many requests', `${routeKey} takes ${route.throttle.rate} requests a second (bursts of ${route.throttle.burst})`, { 'retry-after': '1' });
  }
  const body = await readBody(req);
  if (body === 'too-large') return problem(res, 413, 'Request body too large', 'The gateway accepts at most 10 MB');
  // The client's doing, not the gateway's: its line says so (a 400 it may no longer be there to read), no error line.
  if (body === 'cut') return problem(res, 400, 'Bad request', 'The body did not arrive whole');

  let claims: Record<string, string> | undefined;
  if (route.auth === 'jwt') {
    // Node keeps the first of two Authorization headers; API Gateway joins them with a comma into one value, which
    // no token reads as: the request is refused, whichever token comes first.
    const sent = req.headersDistinct.authorization ?? [];
    if (sent.length > 1) return problem(res, 401, 'Not authenticated', `Send one Authorization header (this request has ${sent.length})`, { 'www-authenticate': 'Bearer error="invalid_request"' });
    const header = sent[0] ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return problem(res, 401, 'Not authenticated', 'Send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
    try {
      claims = gatewayClaims(await options.verify(match[1]));
    } catch (err) {
      return problem(res, 401, 'Not authenticated', `The token was refused: ${(err as Error).message}`, {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
  }

  // Built as own keys (Object.fromEntries), as API Gateway's JSON event has them: an assignment to `__proto__` would set
  // no key, and `?__proto__=1` would reach the route as no parameter at all (200) where on AWS it is refused as unknown.
  const headers: Record<string, string> = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]])));
  const joined = new Map<string, string>();
  for (const [k, v] of url.searchParams) joined.set(k, joined.has(k) ? `${joined.get(k)},${v}` : v);
  const query: Record<string, string> = Object.fromEntries(joined);
  const pathParameters = route.regex.exec(path)?.groups;
  try {
    Object.values(pathParameters ?? {}).forEach((v) => decodeURIComponent(v));
  } catch {
    return problem(res, 400, 'Bad request', 'The path has a malformed %-escape');
  }
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: pathParameters && Object.keys(pathParameters).length ? Object.fromEntries(Object.entries(pathParameters).map(([k, v]) => [k, decodeURIComponent(v)])) : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    // As API Gateway does with a body that is not text: bytes that are not UTF-8 arrive base64-encoded (the handler
    // refuses them), never silently replaced.
    body: body.length ? (isUtf8(body) ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isUtf8(body),
  };
  line.requestId = requestId;
  const handler = await options.loadHandler(route.function);
  const call = handler(event, { awsRequestId: requestId, functionName: route.function, getRemainingTimeInMillis: () => 10_000 });
  // Never a rejection of its own (the handler's fault is answered below as the gateway's 500).
  handling.answer = call.then((r) => r.statusCode, () => 500);
  const result = await call;
  const answered: Record<string, string> = { ...(result.headers ?? {}), 'x-request-id': requestId };
  // The handler's Vary (content negotiation) beside the gateway's (the origin, with CORS on): both hold.
  const varyKey = Object.keys(answered).find((k) => k.toLowerCase() === 'vary');
  if (varyKey && res.hasHeader('vary')) answered[varyKey] = `origin, ${answered[varyKey]}`;
  res.writeHead(result.statusCode, answered);
  res.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}
