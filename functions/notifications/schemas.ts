// Response schemas of the notification routes (the request is a page query, kernel/http/schemas.ts).
import * as z from 'zod/mini';
import { lazy, pageOf } from '#kernel/http/schemas.ts';

export const notificationPage = /* @__PURE__ */ lazy(() =>
  pageOf(
    z.looseObject({
      id: z.string(),
      inbox: z.string(),
      kind: z.string(),
      projectId: z.nullable(z.string()),
      title: z.string(),
      body: z.string(),
      createdAt: z.string(),
      read: z.boolean(),
    }),
  ),
);
