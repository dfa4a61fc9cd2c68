// One request of the demo seeding (local/start.ts): JSON in and out, signed as a dev role, with an Idempotency-Key so a
// start stopped part-way and carried on sends nothing twice. A refusal a retry may cure — 503 (out of its time, nothing
// written; or the outcome unknown, which the same key answers) and 429 — is sent again after its Retry-After, with the
// same key: a plain `npm start` of a seeded store lists the ledger to find the demo projects, and clients back at once
// after a crash made that GET time out on a busy machine, which killed the start.

const RETRYABLE = new Set([429, 503]);
/** The longest wait between two attempts, whatever Retry-After says (seconds). */
const MAX_WAIT_SECONDS = 5;

export async function seedCall(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  idempotencyKey: string,
  body?: unknown,
  opts: { readonly attempts?: number } = {},
): Promise<{ id: string; items?: unknown[] }> {
  const attempts = opts.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string; items?: unknown[] };
    if (res.ok) return json;
    if (!RETRYABLE.has(res.status) || attempt >= attempts) throw new Error(`seed ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    const wait = Math.min(Number(res.headers.get('retry-after') ?? 1) || 0, MAX_WAIT_SECONDS);
    await new Promise((done) => setTimeout(done, wait * 1000));
  }
}
