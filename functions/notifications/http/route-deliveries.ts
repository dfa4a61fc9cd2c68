// POST /deliveries/route — ops route again the notices of a time window that reached no group robot or mailing list:
// those route-notifications could not route (the channels document unreadable, DynamoDB throttled) and the stream
// then parked in `<stack>-route-notifications-failed` (locally: given up after its retries). The parked message names
// only a shard and its arrival times, so ops give the window: every department inbox a channel may carry is read over
// it, and each notice is routed as the stream would have — a channel that has it already (queued, delivered, failed)
// gets nothing (routing is conditional on the notice having no status for the channel), so any window, any number of
// calls, queues each notice once per channel. A daily digest of an earlier day is not sent late (`superseded`): the
// next morning's covers what is still open. Bounded work per call (`more` and `cursor` continue); the sweep sends what
// was queued within a minute. A window starts at most ROUTE_REACH_DAYS ago, and its cursor continues it only while
// its `from` is at most ROUTE_RESUME_DAYS old (400 on `cursor` after: a new window, nothing is queued twice).
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { log } from '#kernel/runtime/log.ts';
import { openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { ROUTE_REACH_DAYS, ROUTE_RESUME_DAYS, routableInboxes } from '#notifications/domain/channels.ts';
import { enqueueOn, routeNotifications } from '#notifications/routing.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { inboxWindow } from '#notifications/store/inbox.ts';
import { parkNames } from '#reference/domain/parks.ts';
import { getConfig, publishedVersions, readConfigVersion } from '#reference/store/reference.ts';
import * as routes from '#notifications/routes.ts';

/** Notices read per call at most (each routed in a transaction per channel). */
const PER_CALL = 200;
/**
 * Notices read at a time and routed together: their channels side by side, each channel's notices one after another
 * (a queuing transaction writes its channel's STATE item; two at once on one channel would conflict).
 */
const SIDE_BY_SIDE = 8;
/** Wall time a call works before it answers `more` (the function has 10 s; a notice on many channels takes longer). */
const WORK_MS = 6_000;
/** The longest window one call takes: a parked stream record is kept 14 days; a month covers a late look. */
const MAX_WINDOW_DAYS = 31;

interface Position {
  readonly inbox: string;
  readonly after?: string;
  /** The end of a window sent without `to` (the first call's now): the calls after it continue that window. */
  readonly to?: string;
  /**
   * The notices (seq) of the page at this position that the call which stopped there counted in `routed` already (it
   * queued them on some channels before failing): queued on the rest by a later call, they are not counted again.
   */
  readonly counted?: readonly string[];
}

const badCursor = () => new ValidationFailed('The cursor is not valid for this window: send the one the last call returned, with the same from and to', [{ path: 'cursor', code: 'malformed', message: 'invalid cursor' }]);

export const handler = writeRoute(routes.routeDeliveries, async (req) => {
  const now = clock.now();
  const from = new Date(req.body.from).toISOString();
  const explicitTo = req.body.to === undefined ? undefined : new Date(req.body.to).toISOString();
  // A window without `to` ends at its first call's now; its cursor keeps that end (a later call's now has moved on).
  const scope = { list: `deliveries-route#${from}#${explicitTo ?? 'now'}`, caller: req.principal.sub };
  let start: Position | undefined;
  try {
    start = await openCursor<Position>(scope, req.body.cursor);
  } catch {
    throw badCursor();
  }
  if (
    start !== undefined &&
    (typeof start?.inbox !== 'string' ||
      (start.after !== undefined && typeof start.after !== 'string') ||
      (explicitTo === undefined) !== (typeof start.to === 'string') ||
      (start.counted !== undefined && !(Array.isArray(start.counted) && start.counted.every((seq) => typeof seq === 'string'))))
  ) {
    throw badCursor();
  }
  const to = explicitTo ?? start?.to ?? now.toISOString();
  if (to < from) {
    // Without `to` the window ends now: the field at fault is the one sent.
    throw explicitTo === undefined
      ? new ValidationFailed(`The window starts (${from}) after now (${to}), where a window without to ends`, [{ path: 'from', code: 'out_of_range', message: 'must not be after now when to is absent' }])
      : new ValidationFailed(`The window ends (${to}) before it starts (${from})`, [{ path: 'to', code: 'out_of_range', message: 'must not be before from' }]);
  }
  // Older notices may have lost the marker that kept one event's second department copy from a group it reached
  // through the first (enqueueOps): routed again now, that copy would be a second post. A window's later calls carry on
  // while the markers of the notices at its `from` surely live (ROUTE_RESUME_DAYS: days more than a first call's
  // reach); a window resumed later than that is refused on its cursor — a new window, within reach, is what is left.
  if (start === undefined && Date.parse(from) < now.getTime() - ROUTE_REACH_DAYS * 86_400_000) {
    throw new ValidationFailed(`A window starts at most ${ROUTE_REACH_DAYS} days ago: older notices cannot be routed again without sending some twice`, [{ path: 'from', code: 'out_of_range', message: `must be at most ${ROUTE_REACH_DAYS} days ago` }]);
  }
  if (start !== undefined && Date.parse(from) < now.getTime() - ROUTE_RESUME_DAYS * 86_400_000) {
    throw new ValidationFailed(
      `This window (from ${from}) can no longer be continued: it started more than ${ROUTE_RESUME_DAYS} days ago, and its oldest notices may have lost the marker that keeps one event from being posted twice to a group. Route a new window starting at most ${ROUTE_REACH_DAYS} days ago`,
      [{ path: 'cursor', code: 'out_of_range', message: `the window's from must be at most ${ROUTE_RESUME_DAYS} days ago to continue it` }],
    );
  }
  if (Date.parse(to) - Date.parse(from) > MAX_WINDOW_DAYS * 86_400_000) {
    throw new ValidationFailed(`A window is at most ${MAX_WINDOW_DAYS} days: route a longer one in several calls`, [{ path: 'from', code: 'out_of_range', message: `must be at most ${MAX_WINDOW_DAYS} days before to` }]);
  }

  // Every park the zone has listed (a park leaves the list once nothing live names it — its last project's exit, told
  // to its center, may be in the window): routing carried a notice of a park's center whatever the list said since.
  const [config, parks] = await Promise.all([
    getChannels().then((c) => c.doc),
    Promise.all([readConfigVersion('parks', 0), publishedVersions('parks'), getConfig('parks')]).then(([builtIn, published, current]) => [
      ...new Set([...(builtIn ? [builtIn] : []), ...published, current].flatMap((c) => parkNames(c.doc))),
    ]),
  ]);
  const inboxes = routableInboxes(config, parks).filter((inbox) => start === undefined || inbox >= start.inbox);
  const today = shanghaiDate(now);
  const queued: Record<string, number> = {};
  let examined = 0;
  let routed = 0;
  /** Counted in `routed` by the call that stopped at this window's cursor: each notice is counted once a window. */
  const counted = new Set(start?.counted ?? []);
  let superseded = 0;
  let next: Position | undefined;
  /** A page failed after earlier ones were routed: answered with what was done, `more` and the cursor at that page. */
  let stopped = false;
  const started = Date.now();
  outer: for (const inbox of inboxes) {
    let after = start?.inbox === inbox ? start.after : undefined;
    for (;;) {
      if (examined >= PER_CALL || Date.now() - started > WORK_MS) {
        next = { inbox, ...(after ? { after } : {}), ...(explicitTo === undefined ? { to } : {}) };
        break outer;
      }
      let page: Awaited<ReturnType<typeof inboxWindow>>;
      let done: string[][];
      const fresh: typeof page.items = [];
      /** What this page queued as it went: told even when the page fails (routed again, those notices queue nothing). */
      let partly: string[][] = [];
      try {
        page = await inboxWindow(inbox, from, to, Math.min(SIDE_BY_SIDE, PER_CALL - examined), after);
        fresh.push(...page.items.filter((n) => !(n.kind === 'digest.daily' && shanghaiDate(new Date(n.createdAt)) < today)));
        partly = fresh.map(() => []);
        done = await routeNotifications(fresh, config, now, enqueueOn, partly);
      } catch (err) {
        // Nothing done yet: the call fails as it is (nothing to report). Work done before, or by this page before it
        // failed: kept and reported, and the cursor resumes at this page — its notices queued already are not queued
        // again (routing is conditional), so what they were queued on is counted here or never.
        const partial = fresh.filter((_, i) => (partly[i]?.length ?? 0) > 0);
        if (examined === 0 && partial.length === 0) throw err;
        routed += partial.filter((n) => !counted.has(n.seq)).length;
        for (const channel of partly.flat()) queued[channel] = (queued[channel] ?? 0) + 1;
        log.warn('deliveries route: stopped part-way; the cursor resumes at the page that failed', { inbox, err: String(err) });
        // The next call reads this page again: the notices counted here (or by the call before, when this page is the
        // one it stopped at too) are not counted again when it queues them on their other channels.
        const atStart = start?.inbox === inbox && start.after === after;
        const again = [...new Set([...(atStart ? counted : []), ...partial.map((n) => n.seq)])];
        next = { inbox, ...(after ? { after } : {}), ...(explicitTo === undefined ? { to } : {}), ...(again.length > 0 ? { counted: again } : {}) };
        stopped = true;
        break outer;
      }
      examined += page.items.length;
      superseded += page.items.length - fresh.length;
      done.forEach((channels, i) => {
        if (channels.length > 0 && !counted.has(fresh[i]!.seq)) routed += 1;
        for (const channel of channels) queued[channel] = (queued[channel] ?? 0) + 1;
      });
      if (page.last === undefined) break;
      after = page.last;
    }
  }
  const cursor = await sealCursor(scope, next);
  const body = { from, to, examined, routed, queued, superseded, more: next !== undefined, cursor, ...(stopped ? { stopped: 'error' as const } : {}) };
  return req.commit(
    [auditOp('DELIVERIES', 'deliveries.routed', req.principal, { before: { from, to, resumed: start !== undefined }, after: { examined, routed, queued, superseded, more: body.more, ...(stopped ? { stopped: 'error' } : {}) } }, now, req.requestId)],
    json(200, body),
  );
});
