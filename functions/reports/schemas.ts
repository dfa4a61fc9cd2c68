// Request schemas of the report routes: the ledger's filters (as GET /projects) and a file's size.
import * as z from 'zod/mini';
import { cursor, schema } from '#kernel/http/schemas.ts';
import { ledgerFilters } from '#projects/schemas.ts';

export const ExportQuery = /* @__PURE__ */ schema(() => z.strictObject({
  ...ledgerFilters(),
  /** Rows in this file (1–5,000; default 5,000); the next file is named by the Link header. */
  limit: z.optional(z.string().check(z.regex(/^(5000|[1-4][0-9]{3}|[1-9][0-9]{0,2})$/, 'must be an integer from 1 to 5000'))),
  cursor,
}));
