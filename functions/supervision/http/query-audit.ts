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
  // The cursor is tied to the query as the client sent it; the period the first page resolved (the default `to` is
  // today, `from` a year before) travels inside it, so a listing paged across midnight keeps its period.
  const scope = { list: `audit ${JSON.stringify([filters.actor ?? null, filters.action ?? null, filters.from ?? null, filters.to ?? null])}`, caller: req.principal.sub };
  const opened = await openCursor<{ month?: string; key?: Record<string, string>; period?: { from: string; to: string } }>(scope, cursor);
  if (opened !== undefined && (typeof opened !== 'object' || opened === null)) throw invalidCursor();
  const { period, ...position } = opened ?? {};
  const today = shanghaiDate(clock.now());
  // Nothing is recorded after today: a period reaching into the future is read up to today.
  const toDate = period?.to ?? (filters.to && filters.to < today ? filters.to : today);
  const fromDate = period?.from ?? filters.from ?? addCalendarDays(toDate, -365);
  if (fromDate > toDate) throw fromTooLate(fromDate, filters.to, today);
  // The period's instants: from the start of `from` to the end of `to`, both in Asia/Shanghai.
  const from = endOfDay(addCalendarDays(fromDate, -1)).toISOString();
  const to = endOfDay(toDate).toISOString();
  const page = await queryZoneAudit({ actor: filters.actor, action: filters.action, from, to, limit: limit ? Number(limit) : 20, position: opened ? position : undefined });
  return json(200, {
    items: page.items.map((e) => ({ subject: e.subject, subjectName: e.subjectName ?? null, at: e.at, actor: e.actor, actorName: e.actorName, roles: e.roles, action: e.action, before: e.before, after: e.after, requestId: e.requestId ?? null })),
    nextCursor: await sealCursor(scope, page.position && { ...page.position, period: { from: fromDate, to: toDate } }),
  });
});

/**
 * A `from` past the period's end, said in the terms the caller sent: the `to` they gave, or — none given, or one after
 * today — today, which is where a period ends when `to` is left out (nothing is recorded later).
 */
function fromTooLate(from: string, to: string | undefined, today: string): ValidationFailed {
  if (to !== undefined && to < today) {
    return new ValidationFailed(`from (${from}) is after to (${to})`, [{ path: 'query.from', code: 'out_of_range', message: `must be on or before to (${to})` }]);
  }
  const why = to === undefined ? 'to defaults to today' : `nothing is recorded after today, the end of a period to ${to}`;
  return new ValidationFailed(`from (${from}) is after today (${today}): ${why}`, [{ path: 'query.from', code: 'out_of_range', message: `must be on or before today (${today}): ${why}` }]);
}
