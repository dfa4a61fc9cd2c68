// The zone's day hour by hour (Asia/Shanghai business time): the API calls the simulated people made in each hour and
// how long they took, and the product's other invocations (workflow steps, stream consumers, scheduled jobs) that ran
// in it — where in the business day the load and the API's tail fall. Diagnostic: counted during the drive only.
import type { AnyHandler } from './meter.ts';

const HOUR_MS = 3_600_000;
const SHANGHAI_MS = 8 * HOUR_MS;
const hourOf = (businessMs: number) => new Date(businessMs + SHANGHAI_MS).getUTCHours();

export interface HourRow {
  readonly hour: number;
  readonly apiCalls: number;
  readonly apiP50: number;
  readonly apiP99: number;
  /** The product's invocations that were not HTTP calls of the simulated people, started in this hour. */
  readonly otherInvocations: number;
  /** Their summed duration (ms of real time, on this machine's one event loop). */
  readonly otherMs: number;
}

export function createHourProfile(now: () => number | undefined) {
  const api = Array.from({ length: 24 }, () => [] as number[]);
  const other = Array.from({ length: 24 }, () => ({ n: 0, ms: 0 }));
  let on = false;
  const q = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
  return {
    start: () => void (on = true),
    stop: () => void (on = false),
    /** An API call of the simulated people, started at `businessMs`, that took `ms` as their client timed it. */
    call(businessMs: number, ms: number) {
      if (on) api[hourOf(businessMs)]!.push(ms);
    },
    /** Wraps a handler the runtime loads: the invocations of `httpNames` are the API's (timed by the client instead). */
    wrap(name: string, handler: AnyHandler, httpNames: ReadonlySet<string>): AnyHandler {
      if (httpNames.has(name)) return handler;
      return async (event, context) => {
        const at = now();
        if (!on || at === undefined) return handler(event, context);
        const t0 = performance.now();
        try {
          return await handler(event, context);
        } finally {
          const row = other[hourOf(at)]!;
          row.n += 1;
          row.ms += performance.now() - t0;
        }
      };
    },
    report(): HourRow[] {
      return api.map((ms, hour) => {
        const s = [...ms].sort((a, b) => a - b);
        return { hour, apiCalls: s.length, apiP50: Math.round(q(s, 0.5) * 10) / 10, apiP99: Math.round(q(s, 0.99) * 10) / 10, otherInvocations: other[hour]!.n, otherMs: Math.round(other[hour]!.ms) };
      });
    },
  };
}
