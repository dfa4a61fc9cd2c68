// When a task is due: its working-day limit counted from the day it started (not counting that day, 民法典 第二百零一条),
// and the day its yellow light 黄灯 comes on. Pure.
import { addWorkingDays, onOrAfterWorkingDay, type CalendarLookup } from '#reference/domain/calendar.ts';

/** Due date, yellow-light date and provisional flag of a task started on `startedDate` with `limitWd` working days. */
export function schedule(startedDate: string, limitWd: number | null, yellowBeforeWd: number, calendar: CalendarLookup) {
  if (limitWd === null) return { dueDate: null, yellowDate: null, calendarProvisional: false };
  const due = addWorkingDays(startedDate, limitWd, calendar);
  const yellow = addWorkingDays(due.date, -Math.min(yellowBeforeWd, limitWd), calendar);
  // Counted back over a holiday the task started in (a 3-day task begun on 1 October), the yellow date would fall
  // before its start: it is the start day then, as for work whose date a person set (fixedSchedule).
  return { dueDate: due.date, yellowDate: yellow.date < startedDate ? startedDate : yellow.date, calendarProvisional: due.provisional || yellow.provisional };
}

/**
 * Due date, yellow-light date and provisional flag of work whose date a person set (a 容缺 document, an item agreed at
 * a meeting, an interview or a joint assessment): a date on a rest day moves to the next working day (民法典 第二百零三条:
 * a period whose last day is a statutory holiday ends on the day after it); yellow `yellowBeforeWd` working days before,
 * or on the day it started if that is later. Provisional when a year it touches has no calendar loaded.
 */
export function fixedSchedule(startedDate: string, dueDate: string, yellowBeforeWd: number, calendar: CalendarLookup) {
  const { date: due, provisional } = onOrAfterWorkingDay(dueDate, calendar);
  const yellow = addWorkingDays(due, -yellowBeforeWd, calendar);
  return { dueDate: due, yellowDate: yellow.date < startedDate ? startedDate : yellow.date, calendarProvisional: provisional || yellow.provisional };
}

/**
 * What work a person dates (容缺 obligations, agreed items) is scheduled with as it is created: its creators below
 * (task.ts) move the date off a rest day and give its yellow date at once, as the lifecycle's reviews keep them, so the
 * answer that creates it shows them (its light is left to the review, which tells its owner when it turns).
 */
export interface SetDates {
  readonly yellowBeforeWd: number;
  readonly calendar: CalendarLookup;
}
