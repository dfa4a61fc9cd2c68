// Request and response schemas of the report routes: the ledger's filters (as GET /projects) and a file's size; the
// park report's park and format, its rows and the zone's quotas.
import * as z from 'zod/mini';
import { LIGHTS, ROLES, STAGES, STATUSES } from '#kernel/domain/codes.ts';
import { cursor, format, lazy, pageSize, schema, line, dayView } from '#kernel/http/schemas.ts';
import { POLLUTANTS, UTILITIES } from '#inventory/domain/resource.ts';
import { ledgerFilters, matrixVersionFilter } from '#projects/schemas.ts';

export const ExportQuery = /* @__PURE__ */ schema(() => z.strictObject({
  ...ledgerFilters(),
  matrixVersion: matrixVersionFilter(),
  /** Rows in this file (1–5,000; default 5,000); the next file is named by the Link header. */
  limit: z.optional(pageSize(5000)),
  cursor,
  /** The file's language: `zh` (the default: Chinese headers and words) or `en` (English headers and words). */
  lang: z.optional(z.enum(['zh', 'en'])),
}));

/** GET /reports/parks: one park (a park center: its own, the default), and JSON or CSV (or `Accept: text/csv`). */
export const ParksReportQuery = /* @__PURE__ */ schema(() => z.strictObject({
  park: z.optional(line(100)),
  format,
}));

const counts = (keys: readonly string[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.int()])));
const parkCounts = () =>
  z.object({
    projects: z.object({
      total: z.int(),
      byStatus: counts(STATUSES),
      byStage: counts(STAGES),
      byLight: counts(LIGHTS),
      escalated: z.int(),
      byRung: counts(['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING']),
    }),
    tasks: z.object({ open: z.int(), overdue: z.int(), overdueByLead: z.partialRecord(z.enum(ROLES), z.int()) }),
    resources: z.object({
      parcels: z.object({ available: z.int(), areaM2: z.number(), areaMu: z.number(), stale: z.int() }),
      facilities: z.object({ available: z.int(), areaM2: z.number(), stale: z.int() }),
      utilities: z.array(z.object({ utility: z.enum(UTILITIES), unit: z.string(), capacity: z.number(), allocated: z.number(), remaining: z.number() })),
    }),
  });
export const parksReport = /* @__PURE__ */ lazy(() =>
  z.object({
    date: dayView(),
    park: z.nullable(z.string()),
    parks: z.array(z.extend(parkCounts(), { park: z.string() })),
    totals: parkCounts(),
    // The zone's quotas for the business year (kept for the whole zone, not per park).
    quotas: z.object({
      year: z.int(),
      energy: z.nullable(z.object({ totalTce: z.number(), allocated: z.number(), remaining: z.number(), stale: z.boolean() })),
      environment: z.array(z.object({ pollutant: z.enum(POLLUTANTS), totalTonnes: z.number(), allocated: z.number(), remaining: z.number(), stale: z.boolean() })),
    }),
  }),
);
