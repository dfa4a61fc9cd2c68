// Working-day calendar 工作日历 in Asia/Shanghai: public holidays and make-up working days (调休) per year.
// A year with no loaded calendar falls back to Monday–Friday and every answer that used it is flagged provisional.
import { addCalendarDays, isIsoDate } from '#kernel/domain/dates.ts';
import { ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { assertPinned, nextVersion } from '#kernel/domain/version.ts';

export interface CalendarYear {
  readonly year: number;
  /** Non-working dates (YYYY-MM-DD), including holiday days that fall on weekdays. */
  readonly holidays: readonly string[];
  /** Make-up working days 调休 (YYYY-MM-DD): weekend dates that are worked. */
  readonly workdays: readonly string[];
}

interface YearSets {
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
}

/** Lookup of loaded years; `undefined` means the year has no calendar loaded. */
export type CalendarLookup = (year: number) => YearSets | undefined;

export function calendarLookup(years: Iterable<CalendarYear>): CalendarLookup {
  const byYear = new Map<number, YearSets>();
  for (const y of years) byYear.set(y.year, { holidays: new Set(y.holidays), workdays: new Set(y.workdays) });
  return (year) => byYear.get(year);
}


export interface DayAnswer {
  readonly workday: boolean;
  /** True when the year has no calendar loaded and weekdays were assumed. */
  readonly provisional: boolean;
}

/** Whether a date (YYYY-MM-DD) is a Saturday or a Sunday. */
const isWeekend = (date: string): boolean => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

export function workdayInfo(date: string, calendar: CalendarLookup): DayAnswer {
  const year = Number(date.slice(0, 4));
  const sets = calendar(year);
  if (!sets) return { workday: !isWeekend(date), provisional: true };
  if (sets.holidays.has(date)) return { workday: false, provisional: false };
  if (sets.workdays.has(date)) return { workday: true, provisional: false };
  return { workday: !isWeekend(date), provisional: false };
}

export interface DueDate {
  readonly date: string;
  readonly provisional: boolean;
}

/**
 * The date `n` working days after `from` (from itself not counted): one working day after 2026-09-30 is
 * 2026-10-08. n = 0 returns `from`. Negative n counts backwards (used for the yellow-light date).
 */
export function addWorkingDays(from: string, n: number, calendar: CalendarLookup): DueDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
  let date = from;
  let provisional = false;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    date = addCalendarDays(date, step);
    const info = workdayInfo(date, calendar);
    provisional ||= info.provisional;
    if (info.workday) left -= 1;
  }
  return { date, provisional };
}

/**
 * `date` itself when it is a working day, else the next working day after it (民法典 第二百零三条: a period whose last day
 * is a statutory holiday ends on the day after it). Provisional when a day it looked at is in a year with no calendar.
 */
export function onOrAfterWorkingDay(date: string, calendar: CalendarLookup): DueDate {
  return addWorkingDays(addCalendarDays(date, -1), 1, calendar);
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(from: string, to: string, calendar: CalendarLookup): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (workdayInfo(d, calendar).workday) count += 1;
  }
  return count;
}

/** Checks a year's calendar as ops would load it; returns field errors (empty when valid). */
export function validateCalendarYear(year: number, body: { holidays: readonly string[]; workdays: readonly string[] }) {
  const errors: FieldError[] = [];
  const check = (field: 'holidays' | 'workdays') =>
    body[field].forEach((date, i) => {
      const path = `${field}[${i}]`;
      if (!isIsoDate(date)) errors.push({ path, code: 'format', message: 'must be a valid YYYY-MM-DD date' });
      else if (Number(date.slice(0, 4)) !== year) errors.push({ path, code: 'out_of_range', message: `must be a date in ${year}` });
      else if (body[field].indexOf(date) !== i) errors.push({ path, code: 'duplicate', message: 'duplicate date' });
    });
  check('holidays');
  check('workdays');
  body.workdays.forEach((date, i) => {
    if (body.holidays.includes(date)) errors.push({ path: `workdays[${i}]`, code: 'invalid', message: 'also listed as a holiday' });
    else if (isIsoDate(date) && !isWeekend(date)) {
      errors.push({ path: `workdays[${i}]`, code: 'invalid', message: 'a make-up working day (调休) must be a Saturday or Sunday' });
    }
  });
  // A year with (almost) no working day is a mistake, not a calendar: China's have about 250.
  if (errors.length === 0) {
    const holidays = new Set(body.holidays);
    const workdays = new Set(body.workdays);
    let working = 0;
    for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) {
      if (!holidays.has(d) && (workdays.has(d) || !isWeekend(d))) working += 1;
    }
    if (working < MIN_WORKING_DAYS) errors.push({ path: 'holidays', code: 'too_big', message: `leaves ${working} working days in ${year}; a year needs at least ${MIN_WORKING_DAYS}` });
  }
  return errors;
}

/** The fewest working days a loaded year may have (a typo that makes every day a holiday is refused). */
const MIN_WORKING_DAYS = 200;

/** A year's calendar as stored: who loaded it (the seed from chinese-days, or ops), at which version. */
export interface StoredCalendarYear extends CalendarYear {
  readonly version: number;
  readonly source: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * Ops load (or replace) a year's calendar 工作日历: every date valid and in the year, no duplicates, a make-up working
 * day only on a weekend and never also a holiday (400 naming each field); a year already stored is replaced only at the
 * version the caller pinned (412). `pinned` is asked only once the body is valid, with whether a year is stored (the
 * HTTP layer requires If-Match to replace one). The dates are kept sorted; the version follows the version rule.
 */
/** Fewer weekday holidays than this is not a Chinese year: the State Council's notice gives 13 statutory days off (from 2025; 11 before), most on weekdays. */
export const FEWEST_WEEKDAY_HOLIDAYS = 7;

/**
 * What a year as loaded may have wrong without being invalid: too few holidays on weekdays to be the State Council's
 * notice (a year loaded by mistake clears every provisional flag, and the only signal ops had). Said in the answer.
 */
export function calendarWarnings(y: { readonly year: number; readonly holidays: readonly string[] }): string[] {
  const weekday = y.holidays.filter((d) => !isWeekend(d)).length;
  return weekday < FEWEST_WEEKDAY_HOLIDAYS
    ? [`Only ${weekday} of the holidays of ${y.year} fall on weekdays: the State Council's notice gives 13 statutory days off (11 before 2025), most on weekdays. Every due date in ${y.year} now counts on this calendar; check it against the notice.`]
    : [];
}

export function loadCalendarYear(
  year: number,
  body: { readonly holidays: readonly string[]; readonly workdays: readonly string[] },
  current: StoredCalendarYear | undefined,
  pinned: (stored: boolean) => number | undefined,
  by: string,
  now: Date,
): StoredCalendarYear {
  const errors = validateCalendarYear(year, body);
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  assertPinned(`The calendar of ${year}`, current?.version ?? 0, pinned(current !== undefined));
  return { year, holidays: [...body.holidays].sort(), workdays: [...body.workdays].sort(), version: nextVersion(current), source: 'ops', updatedAt: now.toISOString(), updatedBy: by };
}
