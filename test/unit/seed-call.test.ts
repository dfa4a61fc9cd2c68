// The demo seeding's requests (local/seed-call.ts): a plain `npm start` of a seeded store lists the ledger to find the
// demo projects, and on a busy machine — clients back at once after a crash — that GET was answered 503 "took too long,
// nothing was written, retry in a moment" (Retry-After); the start threw it and died with a stack trace. A refusal a
// retry may cure (503, 429) is sent again after its Retry-After, with the same Idempotency-Key; any other is the caller's.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { seedCall } from '../../local/seed-call.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server answering each request with the next of `answers` (the last one again when they run out). */
async function serve(answers: readonly { status: number; body: unknown; retryAfter?: string }[]) {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    const a = answers[Math.min(seen.length, answers.length - 1)]!;
    seen.push(req);
    res.writeHead(a.status, { 'content-type': 'application/json', ...(a.retryAfter !== undefined ? { 'retry-after': a.retryAfter } : {}) });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const busy = { status: 503, body: { status: 503, detail: 'The request took too long and was stopped before it wrote anything; nothing was written. Retry in a moment.' }, retryAfter: '0' };

describe('seedCall', () => {
  it('sends a 503 with Retry-After again, with the same Idempotency-Key, and answers what the retry got', async () => {
    const { base, seen } = await serve([busy, { ...busy, status: 429 }, { status: 200, body: { items: [], nextCursor: null } }]);
    await expect(seedCall(base, 'tok', 'GET', '/projects?limit=100', 'k-1')).resolves.toEqual({ items: [], nextCursor: null });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['k-1']));
  });

  it('throws what a refusal no retry cures says, at once', async () => {
    const { base, seen } = await serve([{ status: 409, body: { status: 409, detail: 'taken' } }]);
    await expect(seedCall(base, 'tok', 'POST', '/inventory/parcels', 'k-2', {})).rejects.toThrow(/seed POST \/inventory\/parcels: 409 /);
    expect(seen).toHaveLength(1);
  });

  it('gives up on a store that stays busy, saying so', async () => {
    const { base, seen } = await serve([busy]);
    await expect(seedCall(base, 'tok', 'GET', '/projects', 'k-3', undefined, { attempts: 4 })).rejects.toThrow(/seed GET \/projects: 503 /);
    expect(seen).toHaveLength(4);
  });
});
