// HEAD on a GET route: the gateway routes it beside the GET (catalog.ts gatewayMethods) and the pipeline answers it as
// the GET — the same status and headers, Content-Length the GET body's — without the body; the local server routes it
// the same way.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareRoute } from '../../functions/kernel/declarations.ts';
import { NotFound } from '../../functions/kernel/domain/errors.ts';
import { etag, json, route, type ApiEvent } from '../../functions/kernel/http/route.ts';
import { gatewayMethods, ROUTES } from '../../functions/catalog.ts';
import { createApiServer } from '../../local/server.ts';
import { apiEvent, call } from '../support/events.ts';

const decl = declareRoute({ name: 'thing', entry: 'x.ts', description: 'a thing', method: 'GET', path: '/things/{id}', summary: 'a thing', auth: 'public', response: undefined, tables: {} });
const handler = route(decl, async (req) => {
  if ((req.event.pathParameters?.id ?? '') === 'missing') throw new NotFound('No such thing');
  return json(200, { name: '示例' }, etag(3));
});
const as = (method: string, id: string) => {
  const event = apiEvent('GET /things/{id}', { params: { id } }) as ApiEvent;
  return { ...event, routeKey: `${method} /things/{id}`, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method } } } as ApiEvent;
};

describe('HEAD on a GET route', () => {
  it('answers as GET would: same status and headers, Content-Length of the GET body, no body', async () => {
    const get = await call(handler, as('GET', 'a'));
    const head = await call(handler, as('HEAD', 'a'));
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers).toMatchObject({ 'content-type': get.headers['content-type'], etag: '"3"', 'content-length': String(Buffer.byteLength(get.text)) });
  });

  it('answers a refusal as GET would, without its body', async () => {
    const head = await call(handler, as('HEAD', 'missing'));
    expect(head.status).toBe(404);
    expect(head.contentType).toMatch(/^application\/problem\+json/);
    expect(head.text).toBe('');
  });

  it('is routed beside every GET route, and only there', () => {
    for (const r of ROUTES) expect(gatewayMethods(r).includes('HEAD'), `${r.method} ${r.path}`).toBe(r.method === 'GET');
  });
});

describe('the local server', () => {
  const seen: unknown[] = [];
  const server = createApiServer({
    verify: async () => ({ sub: 'u', roles: ['ops'] }),
    loadHandler: async () => async (event) => {
      seen.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '15' }, body: '' };
    },
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('routes HEAD to the GET route’s function as HEAD (routeKey "HEAD /health"), not 405', async () => {
    const reply = await fetch(`${base}/health`, { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-length')).toBe('15');
    expect(seen.at(-1)).toMatchObject({ routeKey: 'HEAD /health', requestContext: { http: { method: 'HEAD' } } });
  });

  it('names HEAD beside GET in the Allow of a 405', async () => {
    const reply = await fetch(`${base}/health`, { method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, HEAD');
  });
});
