// Request schemas of the report routes: the ledger's filters (as GET /projects) and a file's size.
import * as z from 'zod/mini';
import { CATEGORIES, LIGHTS, STAGES, STATUSES, TRACKS } from '#kernel/domain/codes.ts';
import { cursor, schema, text } from '#kernel/http/schemas.ts';

export const ExportQuery = /* @__PURE__ */ schema(() => z.strictObject({
  stage: z.optional(z.enum(STAGES)),
  status: z.optional(z.enum(STATUSES)),
  park: z.optional(text(100)),
  track: z.optional(z.enum(TRACKS)),
  category: z.optional(z.enum(CATEGORIES)),
  light: z.optional(z.enum(LIGHTS)),
  workflow: z.optional(z.enum(['failed'])),
  escalation: z.optional(z.enum(['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING'])),
  /** Rows in this file (1–5,000; default 5,000); the next file is named by the Link header. */
  limit: z.optional(z.string().check(z.regex(/^(5000|[1-4][0-9]{3}|[1-9][0-9]{0,2})$/, 'must be an integer from 1 to 5000'))),
  cursor,
}));
