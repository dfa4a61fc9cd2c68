// 达产达效: quarterly production figures against the contract's targets.
import type { Project } from './project.ts';

/**
 * 达产 rule: the last four reported quarters reach `share` of the contract's yearly output value and tax, and the
 * latest quarter's jobs reach `share` of the jobs target. A project without targets never meets them automatically.
 */
export function targetsMet(p: Pick<Project, 'targets' | 'production'>, share: number): boolean {
  return productionNeeds(p, share).length === 0;
}

/**
 * What keeps the 达产 rule from being met, each said as the gate's `needs` say it (empty when it is met): no targets in
 * the contract, the quarters of the year of figures not reported yet, or each target the year falls short of. In
 * English (the API's `message`), and in Chinese (`zh`) for the zone's officials.
 * `firstQuarter`: the quarter the project entered OPERATION in (its stage entry), when known — figures are taken from
 * it on (POST /production refuses earlier ones), so while a year since then cannot be full yet the quarters named are
 * those of that first year, never ones that cannot be reported.
 */
export function productionNeeds(p: Pick<Project, 'targets' | 'production'>, share: number, options: { firstQuarter?: string } = {}): { en: string; zh: string }[] {
  const t = p.targets;
  if (!t || (t.outputValueCny === undefined && t.taxCny === undefined && t.jobs === undefined)) {
    return [{ en: 'the contract names no output value, tax or jobs target: 达产 is never reached by the figures alone (amend the contract)', zh: '合同未约定产值、税收或就业目标：仅凭生产数据不能达产（请变更合同）' }];
  }
  const reported = Object.keys(p.production ?? {}).sort();
  const latest = reported.at(-1);
  if (!latest) return [{ en: 'no quarter of production figures reported yet: 达产 needs four consecutive quarters', zh: '尚未填报任何季度的生产数据：达产需连续四个季度' }];
  // A year of figures: the latest quarter and the three before it, all reported — or, while that year would begin
  // before the first quarter figures are taken for, the first year that can be full.
  const first = options.firstQuarter;
  const early = first !== undefined && shiftQuarter(latest, -3) < first;
  const end = early ? shiftQuarter(first, 3) : latest;
  const quarters = [3, 2, 1, 0].map((back) => shiftQuarter(end, -back));
  const missing = quarters.filter((q) => !reported.includes(q));
  if (missing.length && early) {
    return [
      {
        en: `production figures of ${missing.join(', ')} not reported: 达产 needs four consecutive quarters, ${first}–${end} at the earliest (figures are taken from ${first}, the quarter the project entered OPERATION)`,
        zh: `${missing.join('、')} 的生产数据未填报：达产需连续四个季度，最早为 ${first}–${end}（自进入投产运营的 ${first} 起填报）`,
      },
    ];
  }
  if (missing.length) {
    return [{ en: `production figures of ${missing.join(', ')} not reported: 达产 needs four consecutive quarters up to ${latest}`, zh: `${missing.join('、')} 的生产数据未填报：达产需截至 ${latest} 的连续四个季度` }];
  }
  const figures = quarters.map((q) => p.production![q]!);
  const sum = (k: 'outputValueCny' | 'taxCny') => figures.reduce((a, f) => a + f[k], 0);
  const latestJobs = figures.at(-1)!.jobs;
  const span = `${quarters[0]}–${latest}`;
  const short: { en: string; zh: string }[] = [];
  if (t.outputValueCny !== undefined && sum('outputValueCny') < t.outputValueCny * share) {
    short.push({ en: `output value ${sum('outputValueCny')} CNY over ${span}, short of ${Math.ceil(t.outputValueCny * share)}`, zh: `${span} 产值 ${sum('outputValueCny')} 元，未达 ${Math.ceil(t.outputValueCny * share)} 元` });
  }
  if (t.taxCny !== undefined && sum('taxCny') < t.taxCny * share) {
    short.push({ en: `tax ${sum('taxCny')} CNY over ${span}, short of ${Math.ceil(t.taxCny * share)}`, zh: `${span} 税收 ${sum('taxCny')} 元，未达 ${Math.ceil(t.taxCny * share)} 元` });
  }
  if (t.jobs !== undefined && latestJobs < t.jobs * share) {
    short.push({ en: `jobs ${latestJobs} in ${latest}, short of ${Math.ceil(t.jobs * share)}`, zh: `${latest} 就业 ${latestJobs} 人，未达 ${Math.ceil(t.jobs * share)} 人` });
  }
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
