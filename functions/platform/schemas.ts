// Response schemas of the platform routes.
import * as z from 'zod/mini';
import { lazy, dayView, instantView } from '#kernel/http/schemas.ts';

export const healthView = /* @__PURE__ */ lazy(() => z.object({ status: z.literal('ok'), now: instantView(), today: dayView() }));
/** The OpenAPI 3.1 document itself: its version, its info (title, version, description), its components and paths. */
export const openApiView = /* @__PURE__ */ lazy(() =>
  z.looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string(), description: z.optional(z.string()) }),
    components: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  }),
);
