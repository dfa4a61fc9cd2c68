// The business clock of a local store (`.zoneflow/clock.json`): what `npm start` runs on, from the environment and the
// clock the store already ran on. Business time never runs backwards over a store: its records (audit, letters
// numbered per year, lights) are dated on the clock it ran on.
// - No clock asked for (no ZONEFLOW_CLOCK_START, scale 1) and none stored: real time — written down as a clock at real
//   speed from now, so a later start on an earlier instant over this store is refused like any other.
// - No start asked for, the stored scale: the stored clock carries on (a plain `npm start` resumes it).
// - A start (or another scale) asked for: a new clock from it — refused when it lies before the instant the stored
//   clock has reached (a minute's slack).

export interface StoredClock {
  readonly start: string;
  readonly scale: string;
  readonly anchorMs: number;
}

export type ClockChoice =
  | { readonly env: Record<string, string>; readonly write?: StoredClock }
  | { readonly refused: string };

export function chooseClock(args: { start?: string; scale?: string; stored?: StoredClock; nowMs: number; file: string }): ClockChoice {
  const { start, stored, nowMs } = args;
  const scale = args.scale ?? '1';
  const keep = stored !== undefined && (!start || stored.start === start) && stored.scale === scale;
  if (stored && !keep) {
    const reached = Date.parse(stored.start) + (nowMs - stored.anchorMs) * Number(stored.scale);
    const from = start ? Date.parse(start) : nowMs;
    if (from < reached - 60_000) {
      return {
        refused:
          `This store's business clock has reached ${new Date(reached).toISOString()}; starting at ${new Date(from).toISOString()} would move business time backwards.\n` +
          `To carry on with the stored clock (${stored.scale}× real speed, ${args.file}), start with its scale and no ZONEFLOW_CLOCK_START: ` +
          `${stored.scale === '1' ? '' : `ZONEFLOW_TIME_SCALE=${stored.scale} `}npm start.\n` +
          `To start at another instant, set ZONEFLOW_CLOCK_START at or after the one reached. ` +
          `Only to discard every record of this store: npm start -- --fresh`,
      };
    }
  }
  // Real time, nothing stored: nothing to set, but the store now runs on real time from here (its records are dated so).
  if (!start && scale === '1' && !keep) return { env: {}, write: { start: new Date(nowMs).toISOString(), scale: '1', anchorMs: nowMs } };
  const clock = keep ? stored : { start: start ?? new Date(nowMs).toISOString(), scale, anchorMs: nowMs };
  return { env: { ZONEFLOW_CLOCK_START: clock.start, ZONEFLOW_TIME_SCALE: clock.scale, ZONEFLOW_CLOCK_ANCHOR: String(clock.anchorMs) }, write: clock };
}
