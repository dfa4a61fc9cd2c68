// 达产达效: quarterly production figures against the contract's targets.
import type { Project } from './project.ts';

/**
 * 达产 rule: the last four reported quarters reach `share` of the contract's yearly output value and tax, and the
 * latest quarter's jobs reach `share` of the jobs target. A project without targets never meets them automatically.
 */
export function targetsMet(p: Pick<Project, 'targets' | 'production'>, share: number): boolean {
  const t = p.targets;
  const reported = Object.keys(p.production ?? {}).sort();
  const latest = reported.at(-1);
  if (!t || !latest || (t.outputValueCny === undefined && t.taxCny === undefined && t.jobs === undefined)) return false;
  // A year of figures: the latest quarter and the three before it, all reported.
  const quarters = [3, 2, 1, 0].map((back) => shiftQuarter(latest, -back));
  if (!quarters.every((q) => reported.includes(q))) return false;
  const figures = quarters.map((q) => p.production![q]!);
  const sum = (k: 'outputValueCny' | 'taxCny') => figures.reduce((a, f) => a + f[k], 0);
  const latestJobs = figures.at(-1)!.jobs;
  return (
    (t.outputValueCny === undefined || sum('outputValueCny') >= t.outputValueCny * share) &&
    (t.taxCny === undefined || sum('taxCny') >= t.taxCny * share) &&
    (t.jobs === undefined || latestJobs >= t.jobs * share)
  );
}

/** "2027Q1" shifted by n quarters. */
export function shiftQuarter(quarter: string, n: number): string {
  const index = Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(5)) - 1 + n;
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
