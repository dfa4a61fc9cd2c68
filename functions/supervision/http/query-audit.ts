// GET /audit — every record's changes for the discipline office 纪检监察 and the supervision office: zone-wide audit
// events newest first, by actor (index byActor), action and period (dates in Asia/Shanghai; default the last 12 months),
// paged; read from an index, never a scan. Events written before the byMonth index existed are found by actor.
import { addCalendarDays, endOfDay, shanghaiDate } from '#kernel/domain/dates.ts';
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { invalidCursor, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { json, route } from '#kernel/http/route.ts';
import { queryZoneAudit } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import * as routes from '../routes.ts';

export const handler = route(routes.queryAudit, async (req) => {
  const { limit, cursor, ...filters } = req.query;
  const today = shanghaiDate(clock.now());
  // Nothing is recorded after today: a period reaching into the future is read up to today.
  const toDate = filters.to && filters.to < today ? filters.to : today;
  const fromDate = filters.from ?? addCalendarDays(toDate, -365);
  if (fromDate > toDate) throw new ValidationFailed('from is after to', [{ path: 'query.from', message: `must be on or before ${toDate}` }]);
  // The period's instants: from the start of `from` to the end of `to`, both in Asia/Shanghai.
  const from = endOfDay(addCalendarDays(fromDate, -1)).toISOString();
  const to = endOfDay(toDate).toISOString();
  const scope = { list: `audit ${JSON.stringify([filters.actor ?? null, filters.action ?? null, fromDate, toDate])}`, caller: req.principal.sub };
  const position = await openCursor<{ month?: string; key?: Record<string, string> }>(scope, cursor);
  if (position !== undefined && (typeof position !== 'object' || position === null)) throw invalidCursor();
  const page = await queryZoneAudit({ actor: filters.actor, action: filters.action, from, to, limit: limit ? Number(limit) : 20, position });
  return json(200, {
    items: page.items.map((e) => ({ subject: e.subject, at: e.at, actor: e.actor, actorName: e.actorName, roles: e.roles, action: e.action, before: e.before, after: e.after, requestId: e.requestId ?? null })),
    nextCursor: await sealCursor(scope, page.position),
  });
});
