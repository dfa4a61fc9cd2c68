// The Clock port: business time for deadlines. Locally it can start at an instant and run scaled (1 s = 1 day);
// Step Functions timeouts are derived from it, so a scaled lifecycle and its timers stay in step.

export interface Clock {
  /** Business "now". */
  now(): Date;
  /** Real seconds the workflow must wait until business instant `at` (≥ 1: Step Functions rejects 0). */
  realSecondsUntil(at: Date): number;
  /** Real milliseconds until business instant `at` (≤ 0 once it has passed): local timers on a fast clock. */
  realMsUntil(at: Date): number;
}

export interface ScaledClockOptions {
  /** Business instant at the anchor. */
  readonly start: Date;
  /** Real epoch ms at which business time equals `start`. */
  readonly anchorMs: number;
  /** Business seconds per real second (1 = real time). */
  readonly scale: number;
  readonly realNow?: () => number;
}

export function scaledClock({ start, anchorMs, scale, realNow = Date.now }: ScaledClockOptions): Clock {
  if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
  return {
    now: () => new Date(start.getTime() + (realNow() - anchorMs) * scale),
    realMsUntil(at) {
      return (at.getTime() - this.now().getTime()) / scale;
    },
    realSecondsUntil(at) {
      return Math.max(1, Math.ceil(this.realMsUntil(at) / 1000));
    },
  };
}

export const systemClock: Clock = scaledClock({ start: new Date(0), anchorMs: 0, scale: 1 });

/**
 * The clock from the environment: ZONEFLOW_CLOCK_START (RFC 3339), ZONEFLOW_CLOCK_ANCHOR (real epoch ms at that
 * instant; the local runtime persists it so business time survives a restart) and ZONEFLOW_TIME_SCALE.
 */
export function clockFromEnv(env: Record<string, string | undefined> = process.env): Clock {
  const startText = env.ZONEFLOW_CLOCK_START;
  const scale = Number(env.ZONEFLOW_TIME_SCALE ?? '1');
  if (!startText) {
    if (scale === 1) return systemClock;
    return scaledClock({ start: new Date(), anchorMs: Date.now(), scale });
  }
  const start = new Date(startText);
  if (Number.isNaN(start.getTime())) throw new Error(`ZONEFLOW_CLOCK_START is not an RFC 3339 instant: ${startText}`);
  const anchorMs = env.ZONEFLOW_CLOCK_ANCHOR ? Number(env.ZONEFLOW_CLOCK_ANCHOR) : Date.now();
  return scaledClock({ start, anchorMs, scale });
}
