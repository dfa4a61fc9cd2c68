// GET /config/{name} — the configuration version in force (responsibility matrix, escalation, lights, …).
import { getConfig } from '#reference/store/reference.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#reference/routes.ts';

export const handler = route(routes.getConfig, async (req) => {
  const config = await getConfig(req.params.name, 'fresh');
  return json(200, config, etag(config.version));
});
