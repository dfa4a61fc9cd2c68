// The pace a simulation takes when the command names none: the clocks the local stack was measured to keep.
import { describe, expect, it } from 'vitest';
import { defaultPace, LOAD_KEPT } from '../../bench/sim/pace.ts';

describe('defaultPace', () => {
  it('runs 100 projects at a day a second and 1,000 at an eighth, as the zero-defect runs did', () => {
    expect(defaultPace(100)).toEqual({ scale: 86_400, concurrency: 8 });
    expect(defaultPace(1000)).toEqual({ scale: 10_800, concurrency: 16 });
    expect(defaultPace(30)).toEqual({ scale: 172_800, concurrency: 8 });
    // The thresholds the README states.
    expect([62, 63, 125, 126].map((n) => defaultPace(n).scale)).toEqual([172_800, 86_400, 86_400, 43_200]);
  });

  it('never loads the stack past those runs: projects × days a second stays within their budget, slower as the zone grows', () => {
    const sizes = [1, 10, 30, 62, 63, 99, 100, 125, 126, 250, 500, 999, 1000, 1001, 3000, 10_000, 100_000];
    const paces = sizes.map((n) => defaultPace(n).scale);
    for (const [i, n] of sizes.entries()) {
      if (i > 0) expect(paces[i]!).toBeLessThanOrEqual(paces[i - 1]!);
      if (n <= 400_000) expect(n * paces[i]!).toBeLessThanOrEqual(LOAD_KEPT);
      // Whole fractions or multiples of a day a second: business days line up with real seconds in the report.
      expect(86_400 % paces[i]! === 0 || paces[i]! % 86_400 === 0).toBe(true);
    }
  });
});
