// CORS on the local gateway (local/server.ts, `CORS_ORIGINS` on npm start): as API Gateway with a CORS configuration —
// it answers every preflight itself, with the catalog's policy for an allowed origin and none for another, and adds
// the allowed origin to every answer (a handler's and its own refusals alike); without origins, CORS is off.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsPolicy } from '../../functions/catalog.ts';
import { createApiServer } from '../../local/server.ts';

const ALLOWED = 'http://localhost:5173';
const servers = {
  on: createApiServer({
    corsOrigins: [ALLOWED],
    verify: async () => ({ sub: 'u-1' }),
    // Every route answers 200 with a Vary of its own (as a route negotiating its type does).
    loadHandler: async () => async () => ({ statusCode: 200, headers: { 'content-type': 'application/json', vary: 'accept', etag: '"3"' }, body: '{}' }),
  }),
  off: createApiServer({
    verify: async () => ({ sub: 'u-1' }),
    loadHandler: async () => async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' }),
  }),
};
const base: Record<keyof typeof servers, string> = { on: '', off: '' };
beforeAll(async () => {
  for (const [name, server] of Object.entries(servers) as [keyof typeof servers, (typeof servers)['on']][]) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
});
afterAll(() => Promise.all(Object.values(servers).map((s) => new Promise<void>((r) => s.close(() => r())))));

const preflight = (at: string, path: string, origin: string) =>
  fetch(`${at}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,if-match,content-type' } });

describe('CORS on the local gateway', () => {
  it('answers a preflight from an allowed origin with the methods, headers and max age of the catalog’s policy', async () => {
    const answer = await preflight(base.on, '/projects/prj-1', ALLOWED);
    const policy = corsPolicy();
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-methods')?.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']));
    // If-None-Match too: a page revalidating a calendar year or a configuration it holds (a 304) sets it itself.
    expect(answer.headers.get('access-control-allow-headers')?.split(',')).toEqual(['authorization', 'content-type', 'idempotency-key', 'if-match', 'if-none-match']);
    expect(answer.headers.get('access-control-max-age')).toBe(String(policy.maxAgeSeconds));
    expect(answer.headers.get('vary')).toBe('origin');
  });

  it('answers a preflight from another origin without CORS headers (the browser then refuses the call)', async () => {
    const answer = await preflight(base.on, '/projects/prj-1', 'https://evil.example');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets an allowed page read an answer and its ETag, a refusal of the gateway’s own included; another origin gets no grant', async () => {
    const ok = await fetch(`${base.on}/projects/prj-1`, { headers: { origin: ALLOWED, authorization: 'Bearer t' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['etag', 'location', 'retry-after']));
    expect(ok.headers.get('vary')).toBe('origin, accept');
    const unauthenticated = await fetch(`${base.on}/projects/prj-1`, { headers: { origin: ALLOWED } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const other = await fetch(`${base.on}/projects/prj-1`, { headers: { origin: 'https://evil.example', authorization: 'Bearer t' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is off without origins: OPTIONS is a method no route takes (405 naming the allowed ones), answers carry no grant', async () => {
    const answer = await preflight(base.off, '/projects/prj-1', ALLOWED);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toContain('GET');
    const ok = await fetch(`${base.off}/projects/prj-1`, { headers: { origin: ALLOWED, authorization: 'Bearer t' } });
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    expect(ok.headers.get('vary')).toBeNull();
  });
});
