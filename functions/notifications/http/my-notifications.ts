// GET /me/notifications — my inbox: the notices of every inbox I read (my department per role held, my park's service
// center or my enterprise, ops, and my own), newest first, merged into one list with one cursor; with every page, how
// many of them are unread (`unread`, and per inbox `unreadByInbox`), counted from the sparse byUnread index.
// `unread=true` lists the unread notices only (read through that index; its cursor is its own).
import { inboxesOf } from '#notifications/domain/inbox.ts';
import { countUnread, queryInbox, queryUnread, type StoredNotification } from '#notifications/store/inbox.ts';
import { presentNotification } from '#notifications/present.ts';
import { invalidCursor, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#notifications/routes.ts';

/** Per inbox: the seq of the last notice handed out (the next page is older), or null once the inbox is read to its end. */
type Positions = Record<string, string | null>;

const SEQ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z#[a-z0-9]{1,40}$/;

/** A cursor names only inboxes this user reads (it is sealed to the user; the check guards a role change since). */
function positionsOf(p: unknown, inboxes: readonly string[]): Positions {
  if (p === undefined) return {};
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidCursor();
  const entries = Object.entries(p as Record<string, unknown>);
  if (!entries.every(([inbox, seq]) => inboxes.includes(inbox) && (seq === null || (typeof seq === 'string' && SEQ.test(seq))))) throw invalidCursor();
  return Object.fromEntries(entries) as Positions;
}

/** One page merged from the inboxes' pages read at `positions`: its notices, the positions after it, whether all are read. */
async function pageFrom(positions: Positions, inboxes: readonly string[], limit: number, read: typeof queryUnread): Promise<{ items: StoredNotification[]; next: Positions; done: boolean }> {
  const pages = await Promise.all(inboxes.filter((inbox) => positions[inbox] !== null).map(async (inbox) => ({ inbox, ...(await read(inbox, limit, positions[inbox] ?? undefined)) })));
  // An inbox with more to read is known only down to the last entry its page read: a notice of another inbox older
  // than that waits for the next page, since this inbox's next notices may be newer (an unread page thinned by notices
  // marked read meanwhile holds fewer than `limit`; a full page changes nothing: `limit` notices are newer anyway).
  const bound = pages.reduce((b, page) => {
    const end = page.more ? (page.last ?? page.items.at(-1)?.seq) : undefined;
    return end !== undefined && end > b ? end : b;
  }, '');
  const items = pages
    .flatMap((page) => page.items)
    .filter((n) => n.seq >= bound)
    .sort((a, b) => b.seq.localeCompare(a.seq))
    .slice(0, limit);
  const next: Positions = { ...positions };
  for (const page of pages) {
    const taken = items.filter((n) => n.recipient === page.inbox);
    const last = taken.at(-1);
    if (last) next[page.inbox] = last.seq;
    // All of the page taken: on from the last entry read (past unread entries of notices marked read meanwhile).
    if (taken.length === page.items.length) {
      if (!page.more) next[page.inbox] = null;
      else if (page.last !== undefined) next[page.inbox] = page.last;
    }
  }
  return { items, next, done: inboxes.every((inbox) => next[inbox] === null) };
}

export const handler = route(routes.myNotifications, async (req) => {
  const inboxes = inboxesOf(req.principal);
  const limit = req.query.limit ? Number(req.query.limit) : 20;
  const unreadOnly = req.query.unread === 'true';
  const scope = { list: unreadOnly ? 'me/notifications?unread' : 'me/notifications', caller: req.principal.sub };
  const positions = positionsOf(await openCursor(scope, req.query.cursor), inboxes);
  const read: typeof queryUnread = unreadOnly ? queryUnread : queryInbox;
  const counting = Promise.all(inboxes.map(async (inbox) => [inbox, await countUnread(inbox)] as const));
  let page = await pageFrom(positions, inboxes, limit, read);
  // A page that found nothing to show (notices marked read but still in the unread index: it follows a moment later on
  // AWS) is read on from where it got to, a few times, rather than answered empty with a cursor.
  for (let round = 1; round < 5 && page.items.length === 0 && !page.done; round++) page = await pageFrom(page.next, inboxes, limit, read);
  const counts = await counting;
  const unreadByInbox = Object.fromEntries(counts);
  const unread = counts.reduce((sum, [, n]) => sum + n, 0);
  return json(200, { items: page.items.map(presentNotification), nextCursor: page.done ? null : await sealCursor(scope, page.next), unread, unreadByInbox });
});
