// The simulator's own working-day arithmetic, written apart from the product's (functions/reference/domain/calendar.ts)
// so the oracle does not check the product against itself. Input: the zone's calendar data as GET /calendar/{year}
// serves it (holidays and make-up working days 调休). Rules from domain.md: the day a period starts is not counted;
// a year without data counts Monday–Friday (and says so). Dates are YYYY-MM-DD in Asia/Shanghai (UTC+8, no DST).

export interface CalendarData {
  readonly year: number;
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** YYYY-MM-DD `n` calendar days after `date`. */
export const plusDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The Shanghai calendar date of an instant. */
export const dayOf = (instant: Date | string): string => new Date(new Date(instant).getTime() + SHANGHAI_MS).toISOString().slice(0, 10);

/** 00:00 in Shanghai on `date`. */
export const startOf = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);

export class WorkCalendar {
  private readonly off = new Set<string>();
  private readonly on = new Set<string>();
  private readonly years = new Set<number>();
  /** Years a computation needed that had no data (counted Monday–Friday). */
  readonly assumedYears = new Set<number>();

  constructor(data: readonly CalendarData[]) {
    for (const y of data) {
      this.years.add(y.year);
      y.holidays.forEach((d) => this.off.add(d));
      y.workdays.forEach((d) => this.on.add(d));
    }
  }

  isWorkday(date: string): boolean {
    const year = Number(date.slice(0, 4));
    if (!this.years.has(year)) this.assumedYears.add(year);
    if (this.off.has(date)) return false;
    if (this.on.has(date)) return true;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The date `n` working days after `from` (from not counted); negative n counts back. */
  addWorkdays(from: string, n: number): string {
    let date = from;
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      date = plusDays(date, step);
      if (this.isWorkday(date)) left -= 1;
    }
    return date;
  }

  /** The first working day on or after `date`. */
  onOrAfter(date: string): string {
    let d = date;
    while (!this.isWorkday(d)) d = plusDays(d, 1);
    return d;
  }
}
