// A refresh period (the inventories' 2026, 2026Q4) as people say it, for the console's pages and the notices alike:
// 2026年度, 2026年第4季度 (no space beside a figure: zh-spacing.ts); English 2026, 2026 Q4. Only a relative import: the
// console bundles it as it is.
import { zh } from './zh-spacing.ts';

/** `2026` → 2026年度, `2026Q4` → 2026年第4季度 (English: 2026, 2026 Q4); anything else as it is, none as —. */
export function periodInWords(period: string | null | undefined, lang: string): string {
  if (!period) return '—';
  const q = /^(\d{4})Q([1-4])$/.exec(period);
  if (q) return lang === 'zh' ? zh`${q[1]} 年第 ${q[2]} 季度` : `${q[1]} Q${q[2]}`;
  return /^\d{4}$/.test(period) ? (lang === 'zh' ? zh`${period} 年度` : period) : period;
}
