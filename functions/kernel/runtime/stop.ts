// A stop asked of the process that runs the handlers. On AWS nothing asks one: an invocation ends within its own time
// budget. The local runtime (local/runtime.ts) asks it at a Ctrl-C of `npm start`, and work that loops over side
// effects outside the store — the dispatcher mailing a channel's backlog — ends after the one it is on, its outcome
// committed, instead of going on until the store stops under it (a mail written and not recorded is mailed again at the
// next start, and the channel's lease is left held).
let current: AbortSignal = new AbortController().signal;

/** The running host's stop: aborted once it is asked. */
export const stopSignal = (): AbortSignal => current;

/** Set by the local composition root: the stop of the runtime it composes (one per process, a test's included). */
export function hostStop(signal: AbortSignal): void {
  current = signal;
}

/** Waits `ms`, or less: until a stop is asked. */
export function sleepUntilStop(ms: number): Promise<void> {
  const signal = current;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
