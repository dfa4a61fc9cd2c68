// The pace a simulation takes when the command names none (bench/simulate.ts): the fastest clock at which this local
// stack keeps up with a zone of a given size on two cores.

/** Clocks (business seconds per real second) a run picks from: whole fractions and multiples of a day a second. */
const PACES = [172_800, 86_400, 43_200, 21_600, 10_800, 5_400, 2_700, 1_350, 675, 270, 135, 54, 27] as const;

/**
 * The load the local stack was measured to keep: projects × business seconds a real second. 1,000 projects at an
 * eighth of a day a second (10,800) ran with no late event on either oracle (runs of 2026-11-30 and 2026-12-01), as did
 * 100 projects at a day a second (8,640,000, below it).
 */
export const LOAD_KEPT = 1000 * 10_800;

/**
 * The pace a run takes when none is given: the fastest clock of PACES within LOAD_KEPT for `projects` (up to 62
 * projects two days a second, 125 a day, 250 half a day, 500 a quarter, 1,000 an eighth, …; one business day in
 * 3,200 real seconds for the largest zones). A faster clock than the stack keeps makes deadlines fire late, which the
 * oracles rightly count. From 500 projects the simulated people keep 16 calls in flight (as the 1,000-project runs
 * did), below that 8.
 */
export function defaultPace(projects: number): { scale: number; concurrency: number } {
  const budget = LOAD_KEPT / projects;
  const scale = PACES.find((s) => s <= budget) ?? PACES[PACES.length - 1]!;
  return { scale, concurrency: projects >= 500 ? 16 : 8 };
}
