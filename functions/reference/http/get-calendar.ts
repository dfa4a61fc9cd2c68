// GET /calendar/{year} — the working-day calendar of a year (public holidays and 调休 make-up days).
import { NotFound } from '#kernel/domain/errors.ts';
import { getCalendarYear } from '#reference/store/reference.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#reference/routes.ts';

export const handler = route(routes.getCalendar, async (req) => {
  const year = await getCalendarYear(Number(req.params.year));
  if (!year) {
    throw new NotFound(
      `No calendar is loaded for ${req.params.year}: due dates in that year are computed on weekdays only and flagged calendarProvisional until ops load it`,
    );
  }
  return json(200, year, etag(year.version));
});
