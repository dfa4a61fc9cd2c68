// The answers check of test/support/openapi-answers.ts itself: an answer whose date is not the format its schema
// declares is a mismatch, as a generated client (which parses `format: date` into a date) would trip on it — a
// business day that is an instant, an instant without its offset, a day that does not exist.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiClient, type OpenApiDocument } from '../support/openapi-answers.ts';

let answer = '{}';
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const doc = {
  paths: {
    '/thing': {
      get: {
        security: [],
        parameters: [],
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: { type: 'object', properties: { dueDate: { type: 'string', format: 'date' }, createdAt: { type: 'string', format: 'date-time' } }, required: ['dueDate', 'createdAt'] },
              },
            },
          },
        },
      },
    },
  },
  components: {},
} as unknown as OpenApiDocument;

async function mismatchesOf(body: unknown) {
  answer = JSON.stringify(body);
  const client = openApiClient(base, doc, () => 'token');
  await client.request(null, 'GET', '/thing');
  return client.mismatches;
}

describe('the answers check validates the formats the document declares', () => {
  it('takes a business day and an instant with its offset', async () => {
    expect(await mismatchesOf({ dueDate: '2026-03-02', createdAt: '2026-03-02T01:00:00.000Z' })).toEqual([]);
    expect(await mismatchesOf({ dueDate: '2026-03-02', createdAt: '2026-03-02T09:00:00+08:00' })).toEqual([]);
  });

  it.each([
    ['an instant where a day is declared', { dueDate: '2026-03-02T01:00:00.000Z', createdAt: '2026-03-02T01:00:00.000Z' }, '/dueDate'],
    ['a day that does not exist', { dueDate: '2026-02-30', createdAt: '2026-03-02T01:00:00.000Z' }, '/dueDate'],
    ['a day where an instant is declared', { dueDate: '2026-03-02', createdAt: '2026-03-02' }, '/createdAt'],
    ['an instant without its offset', { dueDate: '2026-03-02', createdAt: '2026-03-02T09:00:00' }, '/createdAt'],
  ])('refuses %s', async (_, body, field) => {
    const found = await mismatchesOf(body);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${field} must match format`);
  });
});
