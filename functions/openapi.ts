// GET /openapi.json — the OpenAPI 3.1 document (built once per process from the catalog and the zod schemas).
import { openApiDocument } from '#http/openapi.ts';
import { json, route } from '#http/route.ts';

let body: unknown;

export const handler = route({ auth: 'public' }, async () => json(200, (body ??= openApiDocument()), { 'cache-control': 'max-age=300' }));
