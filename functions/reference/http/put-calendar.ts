// PUT /calendar/{year} — ops load or correct a year's calendar (versioned with If-Match, audited).
import { calendarWarnings, loadCalendarYear } from '#reference/domain/calendar.ts';
import { diff } from '#kernel/domain/values.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { calendarStampOp, getCalendarYear, putCalendarYear } from '#reference/store/reference.ts';
import { activeProjectIds } from '#projects/store/ledger.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { etag, json, withWarnings } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { retrying } from '#kernel/unit-of-work.ts';
import * as routes from '#reference/routes.ts';

export const handler = writeRoute(routes.putCalendar,
  async (req) => {
    const year = Number(req.params.year);
    // Every active project recomputes its dates (a year loaded or corrected): how many is said in
    // x-projects-recomputing — counted alongside the read, so the answer a key keeps (and replays) says it too. A
    // courtesy: a failed count is no refusal.
    const counted = activeProjectIds().then((ids) => String(ids.length), () => 'unknown');
    // A first load sent with no If-Match that lost the race to another (the year stored between our read and our write)
    // is decided again on the year as it now is: a 428 (If-Match required) or the same year unchanged, as for one sent a
    // moment later — not a 412 naming an If-Match it never sent. A pinned version that lost is the 412.
    return retrying(async () => {
      const current = await getCalendarYear(year);
      // Replacing a stored year needs If-Match (428 without); a first load may send none (or "0").
      const next = loadCalendarYear(year, req.body, current, (stored) => (stored ? req.requireIfMatch() : req.ifMatch), req.principal.sub, clock.now());
      // The year as stored sent again (a deploy script, a second click): no new version, no audit, no project woken to
      // recompute — the version in force answers, and says so (as PUT /config/{name} does).
      if (current && sameDates(current.holidays, next.holidays) && sameDates(current.workdays, next.workdays)) {
        return req.commit([], json(200, withWarnings(current, calendarWarnings(current)), { ...etag(current.version), 'x-calendar-unchanged': 'true', 'x-projects-recomputing': '0' }));
      }
      const now = new Date(next.updatedAt);
      const affected = await counted;
      return req.commit(
        [
          putCalendarYear(next, current?.version),
          calendarStampOp(),
          auditOp(`CALENDAR#${year}`, 'calendar.put', req.principal, diff(current ?? null, next), now, req.requestId),
          signalOp({ kind: 'calendar', year }, req.requestId),
        ],
        // A year that cannot be the State Council's notice is stored (ops may know better) but said so: `warnings`.
        json(current ? 200 : 201, withWarnings(next, calendarWarnings(next)), { ...etag(next.version), 'x-projects-recomputing': affected }),
      );
    }, req.ifMatch !== undefined);
  },
);

/** Whether two sorted lists of dates are the same. */
const sameDates = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
