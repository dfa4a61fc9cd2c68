// POST /me/notifications/{id}/read — marks one of my notifications read: looked for in every inbox I read (my
// departments', my park's or enterprise's, my own), where its id places it (one read each). A shared inbox's notice is
// read for all who read that inbox, with who marked it and when; marking it again changes nothing. Not mine, or gone
// (expired): 404 — another inbox's notice is never revealed.
import { NotFound } from '#kernel/domain/errors.ts';
import { json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { inboxesOf } from '#notifications/domain/inbox.ts';
import { presentNotification } from '#notifications/present.ts';
import { findInInbox, markRead } from '#notifications/store/inbox.ts';
import * as routes from '#notifications/routes.ts';

export const handler = route(routes.readNotification, async (req) => {
  const { id } = req.params;
  const found = (await Promise.all(inboxesOf(req.principal).map((inbox) => findInInbox(inbox, id)))).find((n) => n !== undefined);
  const gone = () => new NotFound(`No notification ${id} in your inbox`);
  if (!found) throw gone();
  const read = found.read ? found : await markRead(found, req.principal.sub, clock.now());
  if (!read) throw gone();
  return json(200, presentNotification(read));
});
