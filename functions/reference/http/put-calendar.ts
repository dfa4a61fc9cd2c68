// PUT /calendar/{year} — ops load or correct a year's calendar (versioned with If-Match, audited).
import { validateCalendarYear } from '#reference/domain/calendar.ts';
import { PreconditionFailed, ValidationFailed } from '#kernel/domain/errors.ts';
import { diff } from '#kernel/domain/values.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { getCalendarYear, putCalendarYear, type StoredCalendarYear } from '#reference/store/reference.ts';
import { queryProvisionalProjects } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#reference/routes.ts';

export const handler = writeRoute(routes.putCalendar,
  async (req) => {
    const year = Number(req.params.year);
    const errors = validateCalendarYear(year, req.body);
    if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
    const current = await getCalendarYear(year);
    if (current) {
      const expected = req.requireIfMatch();
      if (expected !== current.version) throw new PreconditionFailed(`The calendar of ${year} is at version ${current.version}, not ${expected}`);
    } else if (req.ifMatch !== undefined && req.ifMatch !== 0) {
      throw new PreconditionFailed(`No calendar of ${year} exists yet; send no If-Match (or "0")`);
    }
    const now = clock.now();
    const next: StoredCalendarYear = {
      year,
      holidays: [...req.body.holidays].sort(),
      workdays: [...req.body.workdays].sort(),
      version: (current?.version ?? 0) + 1,
      source: 'ops',
      updatedAt: now.toISOString(),
      updatedBy: req.principal.sub,
    };
    // Due dates computed on weekdays only while a year was missing: the calendar signal (same transaction) makes
    // wake-workflow wake those projects, each recomputing under its own lock; the header says how many are affected.
    const response = await req.commit(
      [
        putCalendarYear(next, current?.version),
        auditOp(`CALENDAR#${year}`, 'calendar.put', req.principal, diff(current ?? null, next), now, req.requestId),
        signalOp({ kind: 'calendar', year }, req.requestId),
      ],
      json(current ? 200 : 201, next, etag(next.version)),
    );
    // The count is a courtesy: the calendar is committed and its signal on the way, so a failed count is no 500.
    const affected = await queryProvisionalProjects().then((ids) => String(ids.length), () => 'unknown');
    return { ...response, headers: { ...response.headers, 'x-projects-recomputing': affected } };
  },
);
