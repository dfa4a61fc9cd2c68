// The write gate of one request: a write route looks up its Idempotency-Key's stored response while the handler reads
// and decides, instead of before it (one DynamoDB round trip fewer on every keyed write). Nothing may be written until
// that lookup has found no stored response: every DynamoDB write of the process's client waits here (the middleware in
// kernel/store/client.ts), and so does any other side effect a write route has (`writesAllowed`). When a response is
// stored, the wait throws `Replaying` and the pipeline answers with the stored response instead.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Thrown at a write while the request turns out to be a replay: nothing of the handler's is written. */
export class Replaying extends Error {
  override name = 'Replaying';
}

interface Gate {
  /** Resolves when the request may write; rejects with `Replaying` (or the lookup's own error) when it may not. */
  readonly open: Promise<void>;
  /** Set when the request has been answered: work it left behind in this context is no longer held. */
  closed: boolean;
}

const gates = new AsyncLocalStorage<Gate>();

/**
 * Runs `fn` with its writes held until `lookup` settles: a stored response (truthy) makes every write throw `Replaying`.
 * Returns what `fn` returned or threw, and what the lookup found.
 */
export async function withWriteGate<R, S>(lookup: Promise<S | undefined>, fn: () => Promise<R>): Promise<{ outcome: PromiseSettledResult<R>; stored: Promise<S | undefined> }> {
  const open = lookup.then((found) => {
    if (found) throw new Replaying('A stored response answers this request');
  });
  // Observed here and by the pipeline: an early rejection is never unhandled.
  open.catch(() => {});
  const gate: Gate = { open, closed: false };
  try {
    const [outcome] = await Promise.allSettled([gates.run(gate, fn)]);
    return { outcome: outcome!, stored: lookup };
  } finally {
    gate.closed = true;
  }
}

/** Waits until the current request may write (at once outside a gated request). */
export async function writesAllowed(): Promise<void> {
  const gate = gates.getStore();
  if (gate && !gate.closed) await gate.open;
}
