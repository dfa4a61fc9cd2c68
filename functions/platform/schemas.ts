// Response schemas of the platform routes.
import * as z from 'zod/mini';
import { lazy } from '#kernel/http/schemas.ts';

export const healthView = /* @__PURE__ */ lazy(() => z.object({ status: z.literal('ok'), now: z.string(), today: z.string() }));
export const openApiView = /* @__PURE__ */ lazy(() => z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }));
