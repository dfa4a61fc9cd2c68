// Every body this API takes is a JSON object: one that is not (an array, a string, a number, a boolean, null) is
// refused before its schema is read, at path "" — the body as a whole, as a body that is not JSON is — with a message
// naming what was sent, on every route alike (kernel/http/route.ts; no schema is asked to word it).
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { declareRoute } from '../../functions/kernel/declarations.ts';
import { json, route } from '../../functions/kernel/http/route.ts';
import { apiEvent, call } from '../support/events.ts';

const decl = declareRoute({ name: 'note', entry: 'x.ts', description: 'note', method: 'POST', path: '/notes', summary: 'note', auth: 'public', body: z.strictObject({ note: z.optional(z.string()) }), response: undefined, tables: {} });
const handler = route(decl, async () => json(200, { ok: true }));
const send = (body: string) => call(handler, apiEvent('POST /notes' as never, { body }));

describe('a body that is not a JSON object', () => {
  it.each([
    ['[]', 'an array'],
    ['[{"note":"x"}]', 'an array'],
    ['"x"', 'a string'],
    ['3', 'a number'],
    ['true', 'a boolean'],
    ['null', 'null'],
  ])('%s is a 400 type at path "" saying it is %s, not an object', async (body, what) => {
    const reply = await send(body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ detail: `The body must be a JSON object, not ${what}`, errors: [{ path: '', code: 'type', message: `must be a JSON object, not ${what}` }] });
  });

  it('an object is read by its schema as before', async () => {
    expect((await send('{"note":"x"}')).status).toBe(200);
    expect((await send('{"other":1}')).body).toMatchObject({ errors: [{ path: 'other', code: 'unknown_field' }] });
  });
});
