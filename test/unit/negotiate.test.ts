// Content negotiation (kernel/http/negotiate.ts): Accept with q-values picks among what a route offers; nothing
// acceptable is a 406.
import { describe, expect, it } from 'vitest';
import { negotiate, NotAcceptable } from '../../functions/kernel/http/negotiate.ts';
import { declareRoute } from '../../functions/kernel/declarations.ts';
import { NotFound } from '../../functions/kernel/domain/errors.ts';
import { json, route, type ApiEvent } from '../../functions/kernel/http/route.ts';
import { apiEvent, call } from '../support/events.ts';

const letter = ['application/json', 'text/html'] as const;

describe('negotiate', () => {
  it('takes the first offered without an Accept, or with */*', () => {
    expect(negotiate(undefined, letter)).toBe('application/json');
    expect(negotiate('', letter)).toBe('application/json');
    expect(negotiate('*/*', letter)).toBe('application/json');
  });
  it('follows q-values, not the mere mention of a type', () => {
    expect(negotiate('text/html', letter)).toBe('text/html');
    expect(negotiate('text/html;q=0.1, application/json', letter)).toBe('application/json');
    expect(negotiate('application/json;q=0.5, text/html', letter)).toBe('text/html');
    // A browser opening the letter: HTML first, everything else at 0.8.
    expect(negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', letter)).toBe('text/html');
    expect(negotiate('text/*', letter)).toBe('text/html');
    expect(negotiate('text/html;q=0, */*', letter)).toBe('application/json');
  });
  it('refuses (406) an Accept that takes nothing offered', () => {
    expect(() => negotiate('application/pdf', letter)).toThrow(NotAcceptable);
    expect(() => negotiate('application/json;q=0', ['application/json'])).toThrow(NotAcceptable);
    try {
      negotiate('image/png', letter);
    } catch (err) {
      expect((err as NotAcceptable).status).toBe(406);
    }
  });
});

// The answer of a route that weighs Accept follows Accept, refusals included: a 406 (Accept takes nothing the route
// has) is told apart from the answer to another Accept only by that header, so a cache must key it on Accept (RFC 9110
// §12.5.5) — as it must a negotiated route's 404 or 403, which another Accept does not change but which the route's
// Vary still names on every answer, as its 200 does.
describe('Vary: Accept on the answers that depend on it', () => {
  const declare = (name: string, alsoProduces?: string[]) =>
    declareRoute({ name, entry: 'x.ts', description: name, method: 'GET', path: `/${name}/{id}`, summary: name, auth: 'public', response: undefined, tables: {}, ...(alsoProduces ? { alsoProduces } : {}) });
  const answer = (decl: ReturnType<typeof declare>) =>
    route(decl, async (req) => {
      if (req.event.pathParameters?.id === 'missing') throw new NotFound('No such thing');
      return json(200, { ok: true });
    });
  const negotiated = answer(declare('report', ['text/csv']));
  const jsonOnly = answer(declare('thing'));
  const ask = (handler: typeof negotiated, key: 'GET /report/{id}' | 'GET /thing/{id}', id: string, accept?: string, method = 'GET') => {
    const event = apiEvent(key as never, { params: { id }, ...(accept ? { headers: { accept } } : {}) }) as ApiEvent;
    return call(handler, { ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method } } } as ApiEvent);
  };

  it('a negotiated route names Accept on its 406, its other refusals and its HEAD, as on its 200', async () => {
    for (const [id, accept, status] of [['a', undefined, 200], ['a', 'application/pdf', 406], ['missing', undefined, 404], ['missing', 'text/csv', 404]] as const) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await ask(negotiated, 'GET /report/{id}', id, accept, method);
        expect(reply.status, `${method} ${id} ${accept}`).toBe(status);
        expect(reply.headers.vary, `${method} ${id} ${accept}`).toBe('Accept');
      }
    }
  });

  it('a JSON-only route names Accept on its 406 (another Accept would have had the JSON), not on its other answers', async () => {
    const refused = await ask(jsonOnly, 'GET /thing/{id}', 'a', 'text/csv');
    expect(refused.status).toBe(406);
    expect(refused.headers.vary).toBe('Accept');
    expect((await ask(jsonOnly, 'GET /thing/{id}', 'a')).headers.vary).toBeUndefined();
    expect((await ask(jsonOnly, 'GET /thing/{id}', 'missing')).headers.vary).toBeUndefined();
  });
});
