// GET /openapi.json — the OpenAPI 3.1 document, generated from the catalog and the zod schemas on the first request
// (the generator and every route's schemas load then, not at cold start: most cold starts here are health probes),
// and again when the configuration naming who acts on some routes (letters, escalation, inventory) has moved. The
// store out of reach, the document still answers, those routes' x-roles then the declarations' wider gate.
import { json, route } from '#kernel/http/route.ts';
import { log } from '#kernel/runtime/log.ts';
import { rolesInForce, type RolesInForce } from '#platform/acting-roles.ts';
import * as routes from '#platform/routes.ts';

let cached: { versions: string; body: Promise<unknown> } | undefined;
/** The document without the configuration (the store out of reach): generated once, served uncached by clients. */
let fallback: Promise<unknown> | undefined;

const generate = (inForce?: RolesInForce) => import('#platform/openapi.ts').then((m) => m.openApiDocument(undefined, inForce));

export const handler = route(routes.openapi, async () => {
  const inForce = await rolesInForce().catch((err: unknown) => {
    log.warn('openapi: configuration not read; x-roles from the declarations', { err });
    return undefined;
  });
  if (!inForce) return json(200, await (fallback ??= generate()), { 'cache-control': 'no-store' });
  if (cached?.versions !== inForce.versions) cached = { versions: inForce.versions, body: generate(inForce) };
  return json(200, await cached.body, { 'cache-control': 'max-age=300' });
});
