// Working days on the zone calendar seeded from chinese-days: Spring Festival, National Day 2026 and 调休.
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarLookup,
  loadCalendarYear,
  onOrAfterWorkingDay,
  validateCalendarYear,
  workdayInfo,
  workingDaysBetween,
} from '../../functions/reference/domain/calendar.ts';
import { endOfDay, shanghaiDate } from '../../functions/kernel/domain/dates.ts';
import { chineseDaysYears } from '../../functions/reference/store/seed.ts';

const calendar = calendarLookup(chineseDaysYears());

describe('working-day calendar (seeded 2004–2026)', () => {
  it('one working day after 2026-09-30 is 2026-10-08 (National Day holiday)', () => {
    expect(addWorkingDays('2026-09-30', 1, calendar)).toEqual({ date: '2026-10-08', provisional: false });
  });

  it('2026-10-10 (a Saturday) is a make-up working day 调休', () => {
    expect(workdayInfo('2026-10-10', calendar)).toEqual({ workday: true, provisional: false });
  });

  it('30 working days after 2026-09-21 is 2026-11-09', () => {
    expect(addWorkingDays('2026-09-21', 30, calendar).date).toBe('2026-11-09');
  });

  it('Spring Festival 2026: the holiday days are not working days and the 调休 Saturday is', () => {
    expect(workdayInfo('2026-02-17', calendar).workday).toBe(false);
    expect(workdayInfo('2026-02-14', calendar).workday).toBe(true);
    expect(workdayInfo('2026-02-28', calendar).workday).toBe(true);
  });

  it('land transfer (30 WD) started before Spring Festival 2026 ends after the holiday', () => {
    const due = addWorkingDays('2026-02-02', 30, calendar);
    expect(due.date > '2026-03-10').toBe(true);
    expect(workingDaysBetween('2026-02-02', due.date, calendar)).toBe(30);
  });

  it('counts back for the yellow light: 3 working days before 2026-10-09 is 2026-09-30', () => {
    expect(addWorkingDays('2026-10-09', -3, calendar).date).toBe('2026-09-29');
    expect(addWorkingDays('2026-10-08', -1, calendar).date).toBe('2026-09-30');
  });

  it('a deadline reaching 2027 (no calendar loaded) is computed on weekdays and flagged provisional', () => {
    const due = addWorkingDays('2026-12-28', 10, calendar);
    expect(due.provisional).toBe(true);
    expect(due.date).toBe('2027-01-11');
  });

  it('a deadline inside 2026 is not provisional', () => {
    expect(addWorkingDays('2026-12-01', 10, calendar).provisional).toBe(false);
  });

  it('loading 2027 makes the same computation exact', () => {
    const with2027 = calendarLookup([...chineseDaysYears(), { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
    expect(addWorkingDays('2026-12-28', 10, with2027)).toEqual({ date: '2027-01-12', provisional: false });
  });

  it('a date set on a rest day moves to the next working day; a working day stays (民法典 第二百零三条)', () => {
    expect(onOrAfterWorkingDay('2026-10-01', calendar)).toEqual({ date: '2026-10-08', provisional: false });
    expect(onOrAfterWorkingDay('2026-10-10', calendar)).toEqual({ date: '2026-10-10', provisional: false }); // 调休 Saturday
    expect(onOrAfterWorkingDay('2026-11-28', calendar)).toEqual({ date: '2026-11-30', provisional: false });
    expect(onOrAfterWorkingDay('2027-01-01', calendar)).toEqual({ date: '2027-01-01', provisional: true }); // a weekday, guessed
    const with2027 = calendarLookup([...chineseDaysYears(), { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
    expect(onOrAfterWorkingDay('2027-01-01', with2027)).toEqual({ date: '2027-01-04', provisional: false });
  });

  it('dates are Asia/Shanghai dates whatever the process time zone', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(endOfDay('2026-10-08').toISOString()).toBe('2026-10-08T16:00:00.000Z');
  });
});

describe('calendar edits by ops', () => {
  it('refuses a make-up working day that is a weekday, dates outside the year and duplicates', () => {
    const errors = validateCalendarYear(2027, { holidays: ['2027-01-01', '2027-01-01', '2028-01-01'], workdays: ['2027-01-05'] });
    expect(errors.map((e) => e.path)).toEqual(['holidays[1]', 'holidays[2]', 'workdays[0]']);
  });

  it('accepts a proper year', () => {
    expect(validateCalendarYear(2027, { holidays: ['2027-01-01'], workdays: ['2027-01-09'] })).toEqual([]);
  });
});

describe('what ops are told about a calendar they send', () => {
  it('names each wrong date and why', () => {
    const errors = validateCalendarYear(2027, { holidays: ['2027-02-30', '2027-01-09'], workdays: ['2027-01-09'] });
    expect(errors).toEqual([
      { path: 'holidays[0]', code: 'format', message: 'must be a valid YYYY-MM-DD date' },
      { path: 'workdays[0]', code: 'invalid', message: 'also listed as a holiday' },
    ]);
    expect(validateCalendarYear(2027, { holidays: ['2028-01-01'], workdays: ['2027-01-06'] })).toEqual([
      { path: 'holidays[0]', code: 'out_of_range', message: 'must be a date in 2027' },
      { path: 'workdays[0]', code: 'invalid', message: 'a make-up working day (调休) must be a Saturday or Sunday' },
    ]);
  });

  it('says which date is listed twice, and only what is wrong with a date that does not exist', () => {
    expect(validateCalendarYear(2027, { holidays: ['2027-01-01', '2027-01-01'], workdays: ['2027-02-30'] })).toEqual([
      { path: 'holidays[1]', code: 'duplicate', message: 'duplicate date' },
      { path: 'workdays[0]', code: 'format', message: 'must be a valid YYYY-MM-DD date' },
    ]);
    // A Sunday is as good a make-up working day as a Saturday (2027-01-10 is a Sunday).
    expect(validateCalendarYear(2027, { holidays: [], workdays: ['2027-01-10', '2027-01-09'] })).toEqual([]);
  });

  it('refuses a year left with fewer than 200 working days (every day a holiday is a typo, not a calendar)', () => {
    const everyDay = Array.from({ length: 365 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    expect(validateCalendarYear(2027, { holidays: everyDay, workdays: [] })).toEqual([{ path: 'holidays', code: 'too_big', message: 'leaves 0 working days in 2027; a year needs at least 200' }]);
    // China's real years keep about 250.
    expect(validateCalendarYear(2027, { holidays: everyDay.slice(0, 40), workdays: [] })).toEqual([]);
  });

  it('counts working days in whole days only', () => {
    expect(() => addWorkingDays('2026-09-30', 1.5, calendar)).toThrow(new RangeError('working days must be an integer, got 1.5'));
  });
});

describe('loading a year (PUT /calendar/{year})', () => {
  const now = new Date('2026-11-26T02:00:00Z');
  const body = { holidays: ['2027-10-01', '2027-01-01'], workdays: ['2027-10-09', '2027-01-09'] };
  const stored = { year: 2027, holidays: ['2027-01-01'], workdays: [], version: 3, source: 'ops', updatedAt: 'earlier', updatedBy: 'u-old' };

  it('a first load is version 1, its dates sorted, recorded as loaded by ops, by whom and when', () => {
    const asked: boolean[] = [];
    const year = loadCalendarYear(2027, body, undefined, (s) => (asked.push(s), undefined), 'u-ops', now);
    expect(year).toStrictEqual({ year: 2027, holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-01-09', '2027-10-09'], version: 1, source: 'ops', updatedAt: '2026-11-26T02:00:00.000Z', updatedBy: 'u-ops' });
    expect(asked).toEqual([false]);
    expect(loadCalendarYear(2027, body, undefined, () => 0, 'u-ops', now).version).toBe(1);
  });

  it('a replacement moves the version by one, only over the version the caller pinned', () => {
    const asked: boolean[] = [];
    expect(loadCalendarYear(2027, body, stored, (s) => (asked.push(s), 3), 'u-ops', now).version).toBe(4);
    expect(asked).toEqual([true]);
    expect(() => loadCalendarYear(2027, body, stored, () => 2, 'u-ops', now)).toThrow(expect.objectContaining({ status: 412, message: 'The calendar of 2027 is at version 3, not 2' }));
  });

  it('a first load pinned to a version that cannot exist is refused (412)', () => {
    expect(() => loadCalendarYear(2027, body, undefined, () => 1, 'u-ops', now)).toThrow(
      expect.objectContaining({ status: 412, message: 'The calendar of 2027 does not exist yet; send no If-Match (or "0")' }),
    );
  });

  it('a wrong body is a 400 naming every field, before any version is asked for', () => {
    let asked = false;
    const load = () => loadCalendarYear(2027, { holidays: ['2027-13-01', '2026-12-31'], workdays: [] }, stored, () => ((asked = true), 3), 'u-ops', now);
    expect(load).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'holidays[0]: must be a valid YYYY-MM-DD date; holidays[1]: must be a date in 2027',
        errors: [
          { path: 'holidays[0]', code: 'format', message: 'must be a valid YYYY-MM-DD date' },
          { path: 'holidays[1]', code: 'out_of_range', message: 'must be a date in 2027' },
        ],
      }),
    );
    expect(asked).toBe(false);
  });
});

