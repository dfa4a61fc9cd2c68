// Schema building blocks shared by the request schemas (zod/mini: a third of classic zod's cold-start cost).
import * as z from 'zod/mini';
import { isIsoDate } from '#domain/calendar.ts';

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const cny = () => z.int().check(z.gte(0), z.lte(10_000_000_000_000));
export const positive = (max: number) => z.number().check(z.gt(0), z.lte(max));
/** A real calendar date (2026-02-30 is refused, not rolled over) between 2000 and 2099. */
export const isoDate = () =>
  z.string().check(z.refine((d) => /^20\d{2}-\d{2}-\d{2}$/.test(d) && isIsoDate(d), 'must be a real YYYY-MM-DD date from 2000 to 2099'));
export const limit = z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'must be an integer from 1 to 100')));
export const cursor = z.optional(z.string().check(z.maxLength(2048)));
export const PageQuery = z.strictObject({ limit, cursor });
