// The local gateway (local/server.ts) answers what Node's HTTP parser refuses before any route sees it — a URL with raw
// UTF-8, as curl sends `?park=汇通产业园`, or headers past 16 KB — as problem+json, not a bare status line.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, REQUEST_TIMEOUT_MS } from '../../local/server.ts';

const server = createApiServer({
  verify: async () => {
    throw new Error('no tokens here');
  },
  loadHandler: async () => {
    throw new Error('no handler is reached');
  },
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends raw bytes (as a client that does not encode would) and reads the whole answer. */
const raw = (request: Buffer) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });

describe('requests the HTTP parser refuses', () => {
  it('a query with raw UTF-8: 400 problem+json saying to percent-encode', async () => {
    const answer = await raw(Buffer.from('GET /projects?park=汇通产业园 HTTP/1.1\r\nhost: localhost\r\n\r\n', 'utf8'));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('content-type: application/problem+json');
    expect(JSON.parse(body!)).toMatchObject({ type: 'https://zoneflow.dev/problems/validation', status: 400, title: 'Bad request', detail: expect.stringContaining('percent-encode') });
  });

  it('headers past 16 KB: 431 problem+json', async () => {
    const answer = await raw(Buffer.from(`GET /projects?cursor=${'x'.repeat(20_000)} HTTP/1.1\r\nhost: localhost\r\n\r\n`));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(body!)).toMatchObject({ status: 431 });
  });

  it('a path that starts with two slashes is a path (404 naming it), and a target that is no path a 400', async () => {
    const twice = await raw(Buffer.from('GET //projects HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n'));
    expect(twice).toMatch(/^HTTP\/1\.1 404 /);
    expect(twice).toContain('No route GET //projects');
    const star = await raw(Buffer.from('OPTIONS * HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n'));
    expect(star).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('an HTTP/1.1 request without Host: 400 problem+json asking for it, not a bare status line', async () => {
    const answer = await raw(Buffer.from('GET /health HTTP/1.1\r\nconnection: close\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('content-type: application/problem+json');
    expect(answer).toContain('send one in a Host header');
  });

  it.each([
    ['a control character in a header', 'GET /projects HTTP/1.1\r\nhost: localhost\r\nx-note: a\u0000b\r\n\r\n', 'header'],
    ['a method in lower case', 'get /projects HTTP/1.1\r\nhost: localhost\r\n\r\n', 'method'],
    ['Content-Length beside Transfer-Encoding', 'POST /projects HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n0\r\n\r\n', 'Content-Length'],
    ['a chunk without a size', 'POST /projects HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 'chunk'],
  ])('%s: 400 problem+json saying what is wrong, not that a URL must be ASCII', async (_, request, says) => {
    const answer = await raw(Buffer.from(request, 'utf8'));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    const problem = JSON.parse(body!) as { detail: string };
    expect(problem.detail).toContain(says);
    expect(problem.detail).not.toContain('percent-encode');
  });

  it('a percent-encoded query reaches the routes (here: no token, 401)', async () => {
    const answer = await raw(Buffer.from(`GET /projects?park=${encodeURIComponent('汇通产业园')} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    // The gateway's problem types are the product's (unauthorized, as a handler's own 401 says).
    expect(answer).toContain('"type":"https://zoneflow.dev/problems/unauthorized"');
  });
});

describe('the Authorization header', () => {
  // A gateway whose only good token is "good", and whose routes answer 200 once past it.
  const gateway = createApiServer({
    verify: async (token) => {
      if (token !== 'good') throw new Error('signature verification failed');
      return { sub: 'u', roles: ['ops'] };
    },
    loadHandler: async () => async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' }),
  });
  let at = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    at = (gateway.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => gateway.close(() => r())));
  const send = (...authorization: string[]) =>
    new Promise<string>((resolve, reject) => {
      const head = ['GET /deliveries HTTP/1.1', 'host: localhost', 'connection: close', ...authorization.map((a) => `authorization: ${a}`)].join('\r\n');
      const socket = connect(at, '127.0.0.1', () => socket.end(`${head}\r\n\r\n`));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });

  it('one good bearer token passes, in any case and spacing of the scheme', async () => {
    for (const a of ['Bearer good', 'bearer good', 'BEARER  good']) expect(await send(a)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('sent twice is 401 problem+json, whichever comes first: the gateway on AWS joins them into one value no token reads as', async () => {
    for (const pair of [['Bearer good', 'Bearer bad'], ['Bearer bad', 'Bearer good'], ['Bearer good', 'Bearer good']]) {
      const answer = await send(...pair);
      expect(answer, pair.join(' / ')).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toContain('application/problem+json');
      expect(answer).toContain('one Authorization header');
    }
  });
});

describe('the request log', () => {
  // As the stage's access log on AWS: every request answered, those the gateway refuses itself (a refused token, no
  // route) too — the 401 of a token signed by another store's key is what the runbook's row has ops look for.
  const lines: Record<string, unknown>[] = [];
  const gateway = createApiServer({
    verify: async (token) => {
      if (token !== 'good') throw new Error('signature verification failed');
      return { sub: 'u', roles: ['ops'] };
    },
    loadHandler: async () => async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' }),
    log: (line) => lines.push(line),
  });
  let at = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    at = (gateway.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => gateway.close(() => r())));
  const get = (path: string, token: string) => fetch(`http://127.0.0.1:${at}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  it('has a line for each request, with its time, the ones the gateway answers itself with the reason', async () => {
    expect([await get('/deliveries', 'good'), await get('/deliveries', 'bad'), await get('/nowhere', 'good')]).toEqual([200, 401, 404]);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([
      expect.objectContaining({ message: 'request', method: 'GET', path: '/deliveries', status: 200, requestId: expect.any(String), time: expect.any(String) }),
      expect.objectContaining({ message: 'request', method: 'GET', path: '/deliveries', status: 401, refused: 'The token was refused: signature verification failed', time: expect.any(String) }),
      expect.objectContaining({ message: 'request', method: 'GET', path: '/nowhere', status: 404, refused: 'No route GET /nowhere', time: expect.any(String) }),
    ]);
    for (const line of lines) expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
  });

  it('has a line for the 400 of an HTTP/1.1 request without Host too, with the reason', async () => {
    lines.length = 0;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(at, '127.0.0.1', () => socket.end('GET /deliveries HTTP/1.1\r\nconnection: close\r\n\r\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([expect.objectContaining({ message: 'request', method: 'GET', path: '/deliveries', status: 400, refused: expect.stringContaining('Host') })]);
  });

  it('says a body that never arrived whole (the client gone mid-upload) is the client\'s: a refused 400, no error line', async () => {
    lines.length = 0;
    await new Promise<void>((resolve) => {
      const socket = connect(at, '127.0.0.1', () => {
        socket.write('POST /deliveries/retry HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer good\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"chan');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ message: 'request', method: 'POST', path: '/deliveries/retry', status: 400, refused: expect.stringContaining('body') })]);
  });
});

describe('the local gateway\'s own error line', () => {
  it('has its time, as every other line of the local log', async () => {
    const lines: Record<string, unknown>[] = [];
    const gateway = createApiServer({
      before: async () => Promise.reject(new Error('the console bundle broke')),
      verify: async () => ({ sub: 'u', roles: ['ops'] }),
      loadHandler: async () => async () => ({ statusCode: 200, body: '{}' }),
      log: (line) => lines.push(line),
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    try {
      const status = await fetch(`http://127.0.0.1:${(gateway.address() as AddressInfo).port}/deliveries`).then((r) => r.status);
      expect(status).toBe(500);
    } finally {
      await new Promise<void>((r) => gateway.close(() => r()));
    }
    expect(lines).toEqual([expect.objectContaining({ level: 'error', message: 'local server error', error: 'the console bundle broke', time: expect.any(String) })]);
    expect(Number.isNaN(Date.parse(String(lines[0]!.time)))).toBe(false);
  });
});

/** A gateway whose every route is answered by `answer` (after `delayMs`), the events it was given kept. */
function echoServer(delayMs = 0) {
  const events: { queryStringParameters?: Record<string, string>; routeKey?: string }[] = [];
  const server = createApiServer({
    verify: async () => ({}),
    loadHandler: async () => async (event: unknown) => {
      events.push(event as (typeof events)[number]);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"done":true}' };
    },
  });
  return { server, events };
}

describe('the event a handler is given', () => {
  it('carries every query parameter as API Gateway passes it, __proto__ too (an own key the route refuses, not dropped)', async () => {
    const { server: echo, events } = echoServer();
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/health?__proto__=1&constructor=2&limit=3`);
      expect(res.status).toBe(201);
      // As the Lambda runtime hands it over: the event is JSON, parsed.
      const query = JSON.parse(JSON.stringify(events[0])).queryStringParameters as Record<string, string>;
      expect(Object.keys(query)).toEqual(['__proto__', 'constructor', 'limit']);
      expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toBe('1');
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});

describe('a dot segment in the path', () => {
  it('is routed as sent, as API Gateway routes it: %2E%2E is a path parameter\'s value, never the parent (/inventory/parcels/%2E%2E is no read of /inventory)', async () => {
    const { server: echo, events } = echoServer();
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const port = (echo.address() as AddressInfo).port;
    const get = (target: string) =>
      new Promise<string>((resolve, reject) => {
        // Raw bytes: fetch and curl resolve dot segments before they send.
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer t\r\nconnection: close\r\n\r\n`));
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
    try {
      const seen = events as { routeKey?: string; rawPath?: string; pathParameters?: Record<string, string> }[];
      for (const [target, id] of [['/inventory/parcels/%2E%2E', '..'], ['/inventory/parcels/%2e%2e', '..'], ['/inventory/parcels/.%2E', '..'], ['/inventory/parcels/%2E', '.'], ['/inventory/parcels/..', '..']] as const) {
        seen.length = 0;
        expect(await get(target), target).toMatch(/^HTTP\/1\.1 201 /);
        expect(seen[0], target).toMatchObject({ routeKey: 'GET /inventory/{kind}/{id}', rawPath: target, pathParameters: { kind: 'parcels', id } });
      }
      // Climbing out of a route reaches no other: no route answers the path as sent.
      seen.length = 0;
      const climbed = await get('/projects/p-1/%2E%2E/%2E%2E/inventory');
      expect(climbed).toMatch(/^HTTP\/1\.1 404 /);
      expect(climbed).toContain('No route GET /projects/p-1/%2E%2E/%2E%2E/inventory');
      expect(seen).toHaveLength(0);
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});

describe('a request that does not arrive whole in its time', () => {
  it('is given API Gateway\'s 30 s, not Node\'s 300 s', () => {
    expect(REQUEST_TIMEOUT_MS).toBe(30_000);
    const gateway = createApiServer({ verify: async () => ({}), loadHandler: async () => async () => ({ statusCode: 200, body: '{}' }) });
    expect(gateway.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(gateway.headersTimeout).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS);
  });

  it('a stalled body is answered 408 problem+json and its connection closed; the handler never runs', async () => {
    let ran = 0;
    let lineOf: (line: Record<string, unknown>) => void = () => {};
    const logged = new Promise<Record<string, unknown>>((resolve) => (lineOf = resolve));
    const gateway = createApiServer({
      requestTimeoutMs: 300,
      verify: async () => ({ sub: 'u', roles: ['ops'] }),
      log: (line) => lineOf(line),
      loadHandler: async () => async () => ((ran += 1), { statusCode: 201, body: '{}' }),
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        // Its headers and half its body, then nothing: the client (or a proxy before it) stalled.
        const socket = connect((gateway.address() as AddressInfo).port, '127.0.0.1', () => socket.write('POST /projects HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{"name":'));
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 408 /);
      expect(head).toContain('content-type: application/problem+json');
      expect(JSON.parse(body!)).toMatchObject({ type: 'https://zoneflow.dev/problems/timeout', status: 408 });
      expect(ran).toBe(0);
      // Its line in the log says what the client was answered, and why.
      expect(await logged).toMatchObject({ message: 'request', method: 'POST', path: '/projects', status: 408, refused: 'The request did not arrive in time' });
    } finally {
      await new Promise<void>((r) => gateway.close(() => r()));
    }
  });

  it('the largest body a route takes (64 KB), sent in slow pieces within the time, reaches the handler whole', async () => {
    const bodies: number[] = [];
    const gateway = createApiServer({
      verify: async () => ({ sub: 'u', roles: ['ops'] }),
      loadHandler: async () => async (event: unknown) => (bodies.push(String((event as { body?: string }).body ?? '').length), { statusCode: 201, body: '{}' }),
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    try {
      const size = 64 * 1024;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect((gateway.address() as AddressInfo).port, '127.0.0.1', () => {
          socket.write(`POST /projects HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer t\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${size}\r\n\r\n`);
          // 16 pieces of 4 KB, a pause between each: a slow link, never a stalled one.
          let sent = 0;
          const piece = () => {
            socket.write('x'.repeat(size / 16));
            if ((sent += 1) < 16) setTimeout(piece, 50);
          };
          piece();
        });
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 201 /);
      expect(bodies).toEqual([size]);
    } finally {
      await new Promise<void>((r) => gateway.close(() => r()));
    }
  });
});

describe('a request pipelined behind one being answered', () => {
  it('that the parser refuses is answered after it, in order: the first request\'s answer is its own, not the 400', async () => {
    // A client that pipelines reads the answers in the order it sent its requests: a 400 first would be read as the
    // answer to its write, which went through.
    const { server: echo, events } = echoServer(100);
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect((echo.address() as AddressInfo).port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\nGARBAGE\r\n\r\n'));
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      expect(events).toHaveLength(1);
      expect(answer).toMatch(/^HTTP\/1\.1 201 /);
      expect(answer).toContain('{"done":true}');
      // Then the refusal of what followed, and the connection closed.
      expect(answer.slice(answer.indexOf('{"done":true}'))).toMatch(/HTTP\/1\.1 400 /);
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});

describe('a client gone before its answer', () => {
  it('is logged with the answer its request was given (the write went through), not a 200 written when it left', async () => {
    // The whole request arrived, then the client closed (a timeout, Ctrl-C): the handler goes on and commits; the line
    // said status 200 at the moment of the close, with no request id, while the project was created (201).
    const logged: Record<string, unknown>[] = [];
    const gone = createApiServer({
      verify: async () => ({}),
      log: (line) => logged.push(line),
      loadHandler: async () => async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"done":true}' };
      },
    });
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    try {
      await new Promise<void>((resolve) => {
        const socket = connect((gone.address() as AddressInfo).port, '127.0.0.1', () => {
          socket.write('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n');
          setTimeout(() => socket.destroy(), 10);
        });
        socket.on('close', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(logged).toEqual([expect.objectContaining({ message: 'request', method: 'GET', path: '/health', status: 201, requestId: expect.any(String), clientGone: expect.any(String) })]);
    } finally {
      await new Promise<void>((r) => gone.close(() => r()));
    }
  });
});
