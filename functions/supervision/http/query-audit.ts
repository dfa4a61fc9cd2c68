// GET /audit — every record's changes for the discipline office 纪检监察 and the supervision office: zone-wide audit
// events newest first, by actor (index byActor), action and period (dates in Asia/Shanghai, or instants with their
// offset; default the last 12 months),
// paged; read from an index, never a scan. Events written before the byMonth index existed are found by actor.
import { addCalendarDays, endOfDay, shanghaiDate, startOfDay } from '#kernel/domain/dates.ts';
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
  // Nothing is recorded after today: a period reaching into the future is read up to today. A bound is a business day
  // (the whole day, Asia/Shanghai) or an instant (an auditor's "between 14:00 and 15:00": from inclusive, to exclusive).
  const end = periodEnd(filters.to, today);
  const toBound = period?.to ?? end.bound;
  const fromBound = period?.from ?? (filters.from === undefined ? addCalendarDays(isDay(toBound) ? toBound : shanghaiDate(new Date(toBound)), -365) : normal(filters.from));
  // The period's instants: from the start of `from` to the end of `to` (a day's in Asia/Shanghai, an instant's itself).
  const from = (isDay(fromBound) ? startOfDay(fromBound) : new Date(fromBound)).toISOString();
  const to = (isDay(toBound) ? endOfDay(toBound) : new Date(toBound)).toISOString();
  if (from >= to) throw fromTooLate(filters.from ?? fromBound, filters.to, end.held, today);
  const page = await queryZoneAudit({ actor: filters.actor, action: filters.action, from, to, limit: limit ? Number(limit) : 20, position: opened ? position : undefined });
  return json(200, {
    items: page.items.map((e) => ({ subject: e.subject, subjectName: e.subjectName ?? null, at: e.at, actor: e.actor, actorName: e.actorName, roles: e.roles, action: e.action, before: e.before, after: e.after, requestId: e.requestId ?? null })),
    nextCursor: await sealCursor(scope, page.position && { ...page.position, period: { from: fromBound, to: toBound } }),
  });
});

/** A bound that is a business day (YYYY-MM-DD), not an instant. */
const isDay = (bound: string) => bound.length === 10;
/** An instant as the audit log keeps them (UTC, milliseconds), a day as sent. */
const normal = (bound: string) => (isDay(bound) ? bound : new Date(bound).toISOString());

/**
 * Where the period ends: the `to` sent (`held`), or today — none sent, or one reaching past today: nothing is recorded
 * later.
 */
function periodEnd(to: string | undefined, today: string): { bound: string; held: boolean } {
  if (to === undefined) return { bound: today, held: false };
  if (isDay(to)) return to < today ? { bound: to, held: true } : { bound: today, held: false };
  const instant = normal(to);
  return instant < endOfDay(today).toISOString() ? { bound: instant, held: true } : { bound: today, held: false };
}

/**
 * A `from` not before the period's end, said in the terms the caller sent: the `to` they gave (`toHeld`: the period
 * ends there), or — none given, or one after today — today, which is where a period ends when `to` is left out
 * (nothing is recorded later).
 */
function fromTooLate(from: string, to: string | undefined, toHeld: boolean, today: string): ValidationFailed {
  if (to !== undefined && toHeld) {
    // Two days: on or before (a day's period is the whole day); an instant on either side: before (to is exclusive).
    const days = isDay(from) && isDay(to);
    const message = days ? `must be on or before to (${to})` : `must be before to (${to})`;
    return new ValidationFailed(`from (${from}) is ${days ? 'after' : 'not before'} to (${to})`, [{ path: 'query.from', code: 'out_of_range', message }]);
  }
  const why = to === undefined ? 'to defaults to today' : `nothing is recorded after today, the end of a period to ${to}`;
  return new ValidationFailed(`from (${from}) is after today (${today}): ${why}`, [{ path: 'query.from', code: 'out_of_range', message: `must be on or before today (${today}): ${why}` }]);
}
