// 达产达效: quarterly production figures against the contract's targets.
import type { Project } from './project.ts';

/**
 * 达产 rule: the last four reported quarters reach `share` of the contract's yearly output value and tax, and the
 * latest quarter's jobs reach `share` of the jobs target. A project without targets never meets them automatically.
 */
export function targetsMet(p: Pick<Project, 'targets' | 'production'>, share: number): boolean {
  return productionShortfall(p, share).length === 0;
}

/**
 * What keeps the 达产 rule from being met, each said as the gate's `needs` say it (empty when it is met): no targets in
 * the contract, the quarters of the year of figures not reported yet, or each target the year falls short of.
 */
export function productionShortfall(p: Pick<Project, 'targets' | 'production'>, share: number): string[] {
  const t = p.targets;
  if (!t || (t.outputValueCny === undefined && t.taxCny === undefined && t.jobs === undefined)) return ['the contract names no output value, tax or jobs target: 达产 is never reached by the figures alone (amend the contract)'];
  const reported = Object.keys(p.production ?? {}).sort();
  const latest = reported.at(-1);
  if (!latest) return ['no quarter of production figures reported yet: 达产 needs four consecutive quarters'];
  // A year of figures: the latest quarter and the three before it, all reported.
  const quarters = [3, 2, 1, 0].map((back) => shiftQuarter(latest, -back));
  const missing = quarters.filter((q) => !reported.includes(q));
  if (missing.length) return [`production figures of ${missing.join(', ')} not reported: 达产 needs four consecutive quarters up to ${latest}`];
  const figures = quarters.map((q) => p.production![q]!);
  const sum = (k: 'outputValueCny' | 'taxCny') => figures.reduce((a, f) => a + f[k], 0);
  const latestJobs = figures.at(-1)!.jobs;
  const span = `${quarters[0]}–${latest}`;
  const short: string[] = [];
  if (t.outputValueCny !== undefined && sum('outputValueCny') < t.outputValueCny * share) short.push(`output value ${sum('outputValueCny')} CNY over ${span}, short of ${Math.ceil(t.outputValueCny * share)}`);
  if (t.taxCny !== undefined && sum('taxCny') < t.taxCny * share) short.push(`tax ${sum('taxCny')} CNY over ${span}, short of ${Math.ceil(t.taxCny * share)}`);
  if (t.jobs !== undefined && latestJobs < t.jobs * share) short.push(`jobs ${latestJobs} in ${latest}, short of ${Math.ceil(t.jobs * share)}`);
  return short;
}

/** "2027Q1" shifted by n quarters. */
export function shiftQuarter(quarter: string, n: number): string {
  const index = Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(5)) - 1 + n;
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
