// Platform routes: readiness and the API's own description.
import { declareRoute } from '#kernel/declarations.ts';
import { healthView, openApiView } from './schemas.ts';

export const health = /* @__PURE__ */ declareRoute({
  name: 'health',
  entry: 'platform/http/health.ts',
  description: 'Readiness: tables reachable and workflow available',
  method: 'GET',
  path: '/health',
  summary: 'Readiness probe',
  auth: 'public',
  response: ZONEFLOW_DOCS ? healthView : undefined,
  tables: { reference: 'R' },
  workflow: ['describe'],
});

export const openapi = /* @__PURE__ */ declareRoute({
  name: 'openapi',
  entry: 'platform/http/openapi.ts',
  description: 'Serves the OpenAPI 3.1 document generated from the route declarations',
  method: 'GET',
  path: '/openapi.json',
  summary: 'OpenAPI 3.1 document',
  auth: 'public',
  response: ZONEFLOW_DOCS ? openApiView : undefined,
  docs: true,
  tables: { reference: 'R' },
});

export const ROUTES = [health, openapi];
