// GET /config/{name} — the configuration version in force (responsibility matrix, escalation, lights, …);
// `?version=N` an earlier one exactly as it was published (running projects keep the matrix version they started
// with; the audit of a publication names the versions), 0 the built-in default.
import { NotFound } from '#kernel/domain/errors.ts';
import { getConfig, readConfigVersion } from '#reference/store/reference.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import * as routes from '#reference/routes.ts';

export const handler = route(routes.getConfig, async (req) => {
  const { name } = req.params;
  if (req.query.version === undefined) {
    const config = await getConfig(name, 'fresh');
    return json(200, config, etag(config.version));
  }
  const version = Number(req.query.version);
  const config = await readConfigVersion(name, version);
  if (!config) throw new NotFound(`No version ${version} of ${name} was published (GET /config/${name} gives the one in force)`);
  return json(200, config, etag(config.version));
});
