// The write gate of one request: a write route looks up its Idempotency-Key's stored response while the handler reads
// and decides, instead of before it (one DynamoDB round trip fewer on every keyed write). Nothing may be written until
// that lookup has found no stored response: every DynamoDB write of the process's client waits here (the middleware in
// kernel/store/client.ts), and so does any other side effect a write route has (`writesAllowed`). When a response is
// stored, the wait throws `Replaying` and the pipeline answers with the stored response instead. The same gate keeps a
// request's time budget (`withRequestGate`): one answered as out of time before it wrote anything never writes.
import { AsyncLocalStorage } from 'node:async_hooks';

/** Thrown at a write while the request turns out to be a replay: nothing of the handler's is written. */
export class Replaying extends Error {
  override name = 'Replaying';
}

/** Thrown at a write of a request already answered as out of time (`withRequestGate`): it is never written. */
export class AnsweredOutOfTime extends Error {
  override name = 'AnsweredOutOfTime';
}

interface Gate {
  /** Resolves when the request may write; rejects with `Replaying` (or the lookup's own error) when it may not. */
  open: Promise<void>;
  /** Set when the request has been answered: work it left behind in this context is no longer held. */
  closed: boolean;
  /** The request was answered as out of time before it wrote anything: nothing of it is ever written. */
  expired: boolean;
  /** A write went through or may have (its outcome unknown): the request's outcome is what the handler makes of it. */
  applied: boolean;
  /** A change of the request lost a race to another writer and was being tried again (`lostRace`). */
  contended: boolean;
  /** When the request's budget ends (epoch ms; `withRequestGate`), if it has one. */
  deadline?: number;
  /** Writes sent and not answered yet, and who waits for none to be. */
  inFlight: number;
  idle: (() => void)[];
}

const newGate = (open: Promise<void>): Gate => ({ open, closed: false, expired: false, applied: false, contended: false, inFlight: 0, idle: [] });

const gates = new AsyncLocalStorage<Gate>();
const DEADLINE = Symbol('deadline');

/**
 * Runs a request's handler with a time budget. Past it, a request that has written nothing is answered with
 * `outOfTime()` (thrown) and may never write afterwards — so "nothing was written" stays true, however long the handler
 * goes on reading in the background. A write under way is waited for: refused (a lost race, a failed condition) it
 * leaves nothing written, and the request is answered as out of time then; applied, or maybe applied, the request is
 * waited for and answered with what the handler makes of it (a write cannot be taken back, and a client told "nothing
 * written" would send again a change that was made). `outOfTime` is told whether the request had lost a race to
 * another writer (`lostRace`): then its time went on that race, and that is its answer, not a busy service.
 */
export async function withRequestGate<R>(budgetMs: number | undefined, fn: () => Promise<R>, outOfTime: (contended: boolean) => Error): Promise<R> {
  const gate = newGate(Promise.resolve());
  if (budgetMs !== undefined) gate.deadline = Date.now() + Math.max(0, budgetMs);
  const work = gates.run(gate, fn);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (budgetMs === undefined) return await work;
    const deadline = new Promise<typeof DEADLINE>((resolve) => {
      timer = setTimeout(() => resolve(DEADLINE), Math.max(0, budgetMs));
    });
    let first = await Promise.race([work, deadline]);
    while (first === DEADLINE) {
      if (gate.applied) return await work;
      if (gate.inFlight === 0) {
        gate.expired = true;
        // What it does from here is never written nor answered: its end, whatever it is, is nobody's error.
        work.catch(() => {});
        throw outOfTime(gate.contended);
      }
      first = await Promise.race([work, new Promise<typeof DEADLINE>((resolve) => gate.idle.push(() => resolve(DEADLINE)))]);
    }
    return first;
  } finally {
    clearTimeout(timer);
    gate.closed = true;
  }
}

/**
 * The time the current request has left before it is answered as out of time (ms); undefined outside a request with a
 * budget. For work that can stop early with what it has (an export file read page by page says where the next starts).
 */
export function requestTimeLeft(): number | undefined {
  const deadline = gates.getStore()?.deadline;
  return deadline === undefined ? undefined : deadline - Date.now();
}

/** The current request's change lost a race to another writer and is tried again: said if its time runs out. */
export function lostRace(): void {
  const gate = gates.getStore();
  if (gate) gate.contended = true;
}

/**
 * A DynamoDB write of the current request about to be sent: waits until it may write (`writesAllowed`), counts it in
 * flight, and returns how to report its end — `applied` when it went through or may have.
 */
export async function beginWrite(): Promise<(applied: boolean) => void> {
  const gate = gates.getStore();
  if (!gate) return () => {};
  await admit(gate, (g) => g.inFlight++);
  return (applied) => {
    gate.applied ||= applied;
    if (--gate.inFlight === 0) for (const wake of gate.idle.splice(0)) wake();
  };
}

/**
 * Waits for the gate to let writes through, then — in the same synchronous step as the check that the request was not
 * answered out of time — counts the write (`mark`): the deadline can never fall between the check and the count.
 */
async function admit(gate: Gate, mark: (gate: Gate) => void): Promise<void> {
  if (!gate.closed && !gate.expired) await gate.open;
  if (gate.expired) throw new AnsweredOutOfTime('This request was answered as out of time before it wrote anything; it writes nothing now');
  mark(gate);
}

/**
 * Runs `fn` with its writes held until `lookup` settles: a stored response (truthy) makes every write throw `Replaying`.
 * Returns what `fn` returned or threw, and what the lookup found. Inside a request's gate (`withRequestGate`) it holds
 * that gate's writes; on its own, a gate of its own.
 */
export async function withWriteGate<R, S>(lookup: Promise<S | undefined>, fn: () => Promise<R>): Promise<{ outcome: PromiseSettledResult<R>; stored: Promise<S | undefined> }> {
  const open = lookup.then((found) => {
    if (found) throw new Replaying('A stored response answers this request');
  });
  // Observed here and by the pipeline: an early rejection is never unhandled.
  open.catch(() => {});
  const outer = gates.getStore();
  const gate = outer ?? newGate(open);
  gate.open = open;
  try {
    const [outcome] = await Promise.allSettled([outer ? fn() : gates.run(gate, fn)]);
    return { outcome: outcome!, stored: lookup };
  } finally {
    if (!outer) gate.closed = true;
  }
}

/**
 * Waits until the current request may write (at once outside a gated request), for a side effect other than a DynamoDB
 * write (a secret stored): from here the request has written. Throws `AnsweredOutOfTime` for a request already answered
 * as out of time.
 */
export async function writesAllowed(): Promise<void> {
  const gate = gates.getStore();
  if (!gate) return;
  await admit(gate, (g) => (g.applied = true));
}
