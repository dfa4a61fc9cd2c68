// Node fires any setTimeout delay over 2^31−1 ms (≈ 24.8 days) after 1 ms. The embedded workflow runner sleeps on
// plain setTimeout, so at real-time scale a 30-working-day deadline would time out at once. This chains long delays
// in steps below the limit, leaving the ASL (what AWS runs) untouched.

export const MAX_DELAY_MS = 2 ** 31 - 1;

type Callback = (...args: unknown[]) => void;

/** A handle for a chained timer; clearTimeout cancels whichever step is pending. */
class LongTimeout {
  current: ReturnType<typeof setTimeout> | undefined;
  refed = true;
  ref() {
    this.refed = true;
    (this.current as { ref?: () => void } | undefined)?.ref?.();
    return this;
  }
  unref() {
    this.refed = false;
    (this.current as { unref?: () => void } | undefined)?.unref?.();
    return this;
  }
  hasRef() {
    return this.refed;
  }
}

const LONG = Symbol.for('zoneflow.longTimers');

/** Replaces the global setTimeout/clearTimeout with versions that honour delays beyond 2^31−1 ms. Idempotent. */
export function installLongTimers(): void {
  if ((globalThis.setTimeout as unknown as Record<symbol, boolean>)[LONG]) return;
  const nativeSet = globalThis.setTimeout;
  const nativeClear = globalThis.clearTimeout;

  const longSet = (fn: Callback, delay?: number, ...args: unknown[]) => {
    if (typeof delay !== 'number' || !(delay > MAX_DELAY_MS)) return nativeSet(fn, delay, ...args);
    const handle = new LongTimeout();
    const due = Date.now() + delay;
    const step = () => {
      const left = due - Date.now();
      handle.current = left > MAX_DELAY_MS ? nativeSet(step, MAX_DELAY_MS) : nativeSet(fn, Math.max(0, left), ...args);
      if (!handle.refed) (handle.current as { unref?: () => void }).unref?.();
    };
    step();
    return handle;
  };
  const longClear = (handle: unknown) => {
    if (handle instanceof LongTimeout) nativeClear(handle.current);
    else nativeClear(handle as Parameters<typeof clearTimeout>[0]);
  };
  Object.defineProperty(longSet, LONG, { value: true });
  globalThis.setTimeout = longSet as unknown as typeof setTimeout;
  globalThis.clearTimeout = longClear as typeof clearTimeout;
}
