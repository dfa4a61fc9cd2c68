// GET /config/channels — the notification routing in force, as ops published it but without any credential: a robot
// shows the origin of its webhook and whether it signs, never the URL or the secret.
import { etag, json, route } from '#kernel/http/route.ts';
import { channelsView } from '#notifications/domain/channels.ts';
import { getChannels } from '#notifications/store/channels.ts';
import * as routes from '#notifications/routes.ts';

export const handler = route(routes.getChannels, async () => {
  const current = await getChannels();
  return json(200, { ...current, doc: channelsView(current.doc) }, etag(current.version));
});
