// The pace a simulation takes when the command names none: the clocks the local stack was measured to keep.
import { describe, expect, it } from 'vitest';
import { defaultPace } from '../../bench/sim/engine.ts';

describe('defaultPace', () => {
  it('runs 100 projects at a day a second and 1,000 at an eighth, as the zero-defect runs did', () => {
    expect(defaultPace(100)).toEqual({ scale: 86_400, concurrency: 8 });
    expect(defaultPace(1000)).toEqual({ scale: 10_800, concurrency: 16 });
    expect(defaultPace(30)).toEqual({ scale: 172_800, concurrency: 8 });
  });

  it('never loads the stack past those runs: projects × days a second stays within their budget, slower as the zone grows', () => {
    const sizes = [1, 10, 30, 60, 99, 100, 101, 250, 500, 999, 1000, 1001, 3000, 10_000];
    const paces = sizes.map((n) => defaultPace(n).scale);
    for (const [i, n] of sizes.entries()) {
      if (i > 0) expect(paces[i]!).toBeLessThanOrEqual(paces[i - 1]!);
      if (paces[i]! > 1_350) expect(n * paces[i]!).toBeLessThanOrEqual(100 * 86_400 * 1.25);
      // Whole fractions or multiples of a day a second: business days line up with real seconds in the report.
      expect(86_400 % paces[i]! === 0 || paces[i]! % 86_400 === 0).toBe(true);
    }
  });
});
