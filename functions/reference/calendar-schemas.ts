// Request schemas of the calendar routes.
import * as z from 'zod/mini';
import { isoDate, schema } from '#kernel/http/schemas.ts';

export const CalendarBody = /* @__PURE__ */ schema(() => z.strictObject({
  holidays: z.array(isoDate()).check(z.maxLength(366)),
  workdays: z.array(isoDate()).check(z.maxLength(366)),
}));

