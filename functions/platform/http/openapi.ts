// GET /openapi.json — the OpenAPI 3.1 document, generated from the catalog and the zod schemas on the first request
// (the generator and every route's schemas load then, not at cold start: most cold starts here are health probes).
import { json, route } from '#kernel/http/route.ts';
import * as routes from '#platform/routes.ts';

let body: Promise<unknown> | undefined;

export const handler = route(routes.openapi, async () => {
  body ??= import('#platform/openapi.ts').then((m) => m.openApiDocument());
  return json(200, await body, { 'cache-control': 'max-age=300' });
});
