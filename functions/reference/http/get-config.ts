// GET /config/{name} — the configuration version in force (responsibility matrix, escalation, lights, …).
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { getConfig } from '#reference/store/reference.ts';
import { ConfigNameParams } from '#kernel/http/params.ts';
import { etag, json, route } from '#kernel/http/route.ts';

export const handler = route({ auth: STAFF_ROLES, params: ConfigNameParams }, async (req) => {
  const config = await getConfig(req.params.name);
  return json(200, config, etag(config.version));
});
