// Request schemas of the calendar routes.
import * as z from 'zod/mini';
import { isoDate } from './common.ts';

export const YearParams = z.strictObject({ year: z.string().check(z.regex(/^(19|20|21)\d{2}$/, 'must be a four-digit year')) });
export const CalendarBody = z.strictObject({
  holidays: z.array(isoDate()).check(z.maxLength(366)),
  workdays: z.array(isoDate()).check(z.maxLength(366)),
});

