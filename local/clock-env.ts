// The business clock of a local store (`.zoneflow/clock.json`): what `npm start` runs on, from the environment and the
// clock the store already ran on. Business time never runs backwards over a store: its records (audit, letters
// numbered per year, lights) are dated on the clock it ran on.
// - No clock asked for (no ZONEFLOW_CLOCK_START, scale 1) and none stored: real time — written down as a clock at real
//   speed from now, so a later start on an earlier instant over this store is refused like any other.
// - No start asked for, the stored scale: the stored clock carries on (a plain `npm start` resumes it). A plain start
//   (neither variable set) over a store that ran a fast clock carries that clock on at its scale, and says so: taken as
//   real speed, it jumped to today's date when the stored clock was behind it (weeks of deadlines passed at once, the
//   ladder climbing on them) and was refused when it was ahead — by where the fast clock happened to stand.
//   `ZONEFLOW_TIME_SCALE=1` asks for real speed.
// - Another fast scale asked for, no start, over a clock asked for: that clock carries on from the instant it reached,
//   at the new speed (from the real date, a store left in March jumped to December, every deadline between passed).
// - A start (or real speed, scale 1) asked for: a new clock from it (real speed: from now) — refused when it lies before
//   the instant the stored clock has reached (a minute's slack).
// A clock asked for (a start, or another speed) stands still while the store is stopped: the runtime records the
// instant it has reached (`reached`) when it stops and the next start carries on from there — at a day a second, five
// minutes stopped were three hundred business days gone, every deadline of them passed at once, and a refusal's "start
// at or after" instant moved on while it was read. A runtime killed outright records nothing: its clock runs on (never
// back behind a record it dated). Real time (none asked for) runs on.

export interface StoredClock {
  readonly start: string;
  readonly scale: string;
  readonly anchorMs: number;
  /** Real time, none asked for: it runs on while the store is stopped, as the world's does. */
  readonly real?: true;
  /** The business instant the last runtime on this store reached (a clock asked for resumes from it). */
  readonly reached?: string;
  /** The start first asked for, kept as the clock resumes (`start` moves to each instant resumed from). */
  readonly origin?: string;
}

/** The stored clock as it stands now: a clock asked for resumes from the instant its last runtime reached. */
function resumed(stored: StoredClock, nowMs: number): StoredClock {
  if (isReal(stored) || !stored.reached) return stored;
  return { start: stored.reached, scale: stored.scale, anchorMs: nowMs, origin: stored.origin ?? stored.start };
}

/**
 * Whether a stored clock is real time (none asked for). A store written before `real` was kept has the shape the real
 * clock was written in: scale 1 from the instant of its anchor.
 */
export const isReal = (clock: StoredClock): boolean => clock.real === true || (clock.scale === '1' && !clock.origin && clock.start === new Date(clock.anchorMs).toISOString());

/** The business instant `clock` shows at real time `nowMs`. */
export const businessAt = (clock: StoredClock, nowMs: number): number => Date.parse(clock.start) + (nowMs - clock.anchorMs) * Number(clock.scale);

export type ClockChoice =
  /**
   * `carriedScale`: a plain start took the stored clock's scale (no ZONEFLOW_TIME_SCALE given); `respeeded`: another
   * speed asked for carries the stored clock on from where it stands. The start says so.
   */
  | { readonly env: Record<string, string>; readonly write?: StoredClock; readonly carriedScale?: string; readonly respeeded?: { readonly from: string; readonly to: string } }
  | { readonly refused: string };

export function chooseClock(args: { start?: string; scale?: string; stored?: StoredClock; nowMs: number; file: string }): ClockChoice {
  const { nowMs } = args;
  // A variable set empty (`ZONEFLOW_TIME_SCALE= npm start`, a script's unset $SCALE) is not set: taken as given, a scale
  // or start of "" was written to the store's clock, which the runtime then refused (time scale 0).
  const start = args.start || undefined;
  const asked = args.scale || undefined;
  // Nothing asked for over a store that ran a clock asked for: that clock's scale (carried on below).
  const carriedScale = !start && !asked && args.stored && !isReal(args.stored) && args.stored.scale !== '1' ? args.stored.scale : undefined;
  const scale = asked ?? carriedScale ?? '1';
  const original = args.stored;
  const stored = original && resumed(original, nowMs);
  // The same start asked for again (the README's command run twice) carries the clock on, however often it resumed.
  const keep = stored !== undefined && original !== undefined && (!start || [original.origin, original.start, stored.start].includes(start)) && stored.scale === scale;
  // Another fast speed asked for, no start, over a store that ran a clock asked for: that clock carries on from the
  // instant it reached, at the new speed (a new clock from the real date jumped a store left at 10 March to December,
  // every deadline between passed at once). Real speed (scale 1) stays real time: from today.
  const respeed = stored !== undefined && original !== undefined && !keep && !start && asked !== undefined && scale !== '1' && !isReal(stored);
  if (stored && !keep && !respeed) {
    const reached = businessAt(stored, nowMs);
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
  if (!start && scale === '1' && !keep) return { env: {}, write: { start: new Date(nowMs).toISOString(), scale: '1', anchorMs: nowMs, real: true } };
  const clock = keep
    ? stored
    : respeed
      ? { start: new Date(businessAt(stored, nowMs)).toISOString(), scale, anchorMs: nowMs, origin: original.origin ?? original.start }
      : { start: start ?? new Date(nowMs).toISOString(), scale, anchorMs: nowMs };
  return {
    env: { ZONEFLOW_CLOCK_START: clock.start, ZONEFLOW_TIME_SCALE: clock.scale, ZONEFLOW_CLOCK_ANCHOR: String(clock.anchorMs) },
    write: clock,
    ...(carriedScale ? { carriedScale } : {}),
    ...(respeed ? { respeeded: { from: stored.scale, to: scale } } : {}),
  };
}
