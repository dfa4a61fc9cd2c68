// The local gateway (local/server.ts) answers what Node's HTTP parser refuses before any route sees it — a URL with raw
// UTF-8, as curl sends `?park=汇通产业园`, or headers past 16 KB — as problem+json, not a bare status line.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../local/server.ts';

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

  it('a percent-encoded query reaches the routes (here: no token, 401)', async () => {
    const answer = await raw(Buffer.from(`GET /projects?park=${encodeURIComponent('汇通产业园')} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    // The gateway's problem types are the product's (unauthorized, as a handler's own 401 says).
    expect(answer).toContain('"type":"https://zoneflow.dev/problems/unauthorized"');
  });
});
