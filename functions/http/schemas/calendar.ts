// Request schemas of the calendar routes.
import * as z from 'zod/mini';
import { isoDate } from './common.ts';

export const CalendarBody = z.strictObject({
  holidays: z.array(isoDate()).check(z.maxLength(366)),
  workdays: z.array(isoDate()).check(z.maxLength(366)),
});

