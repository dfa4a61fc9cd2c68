// When a task is due: its working-day limit counted from the day it started (not counting that day, 民法典 第二百零一条),
// and the day its yellow light 黄灯 comes on. Pure.
import { addWorkingDays, type CalendarLookup } from '#reference/domain/calendar.ts';

/** Due date, yellow-light date and provisional flag of a task started on `startedDate` with `limitWd` working days. */
export function schedule(startedDate: string, limitWd: number | null, yellowBeforeWd: number, calendar: CalendarLookup) {
  if (limitWd === null) return { dueDate: null, yellowDate: null, calendarProvisional: false };
  const due = addWorkingDays(startedDate, limitWd, calendar);
  const yellow = addWorkingDays(due.date, -Math.min(yellowBeforeWd, limitWd), calendar);
  return { dueDate: due.date, yellowDate: yellow.date, calendarProvisional: due.provisional || yellow.provisional };
}
