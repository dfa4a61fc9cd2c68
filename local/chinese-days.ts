// The calendar seed: chinese-days' own data file (holidays and 调休 per date) for 2004–2026. Its isWorkday() answers
// weekdays-only past 2026 — silently wrong — so only the data is used and later years are loaded by ops.
import { createRequire } from 'node:module';

export const SEED_YEARS = { first: 2004, last: 2026 } as const;

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** chinese-days' own data file: holidays and 调休 working days per date (its isWorkday() guesses past 2026). */
export function chineseDaysYears(): { year: number; holidays: string[]; workdays: string[] }[] {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const years = [];
  for (let year = SEED_YEARS.first; year <= SEED_YEARS.last; year++) {
    const inYear = (dates: Record<string, string>) => Object.keys(dates).filter((d) => d.startsWith(`${year}-`)).sort();
    years.push({ year, holidays: inYear(data.holidays), workdays: inYear(data.workdays) });
  }
  return years;
}

