// The reference seed: configuration defaults (reference/domain/config.ts) and the calendar: chinese-days' own data file (holidays and 调休 per date) for 2004–2026, bundled into the function
// that loads it. Its isWorkday() answers weekdays-only past 2026 — silently wrong — so only the data is used and later
// years are loaded by ops (PUT /calendar/{year}).
import { createHash } from 'node:crypto';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DEFAULT_CONFIG } from '#reference/domain/config.ts';

export const SEED_YEARS = { first: 2004, last: 2026 } as const;

/** Holidays and 调休 working days of each seed year, sorted. */
export function chineseDaysYears(): { year: number; holidays: string[]; workdays: string[] }[] {
  const { holidays, workdays } = data as { holidays: Record<string, string>; workdays: Record<string, string> };
  const years = [];
  for (let year = SEED_YEARS.first; year <= SEED_YEARS.last; year++) {
    const inYear = (dates: Record<string, string>) => Object.keys(dates).filter((d) => d.startsWith(`${year}-`)).sort();
    years.push({ year, holidays: inYear(holidays), workdays: inYear(workdays) });
  }
  return years;
}

/** A digest of what the bootstrap would write: a change of the seed makes CloudFormation run it again. */
export function seedDigest(): string {
  return createHash('sha256').update(JSON.stringify({ calendar: chineseDaysYears(), config: DEFAULT_CONFIG })).digest('hex').slice(0, 16);
}
