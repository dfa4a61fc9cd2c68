// Schema building blocks shared by the request schemas (zod/mini: a third of classic zod's cold-start cost).
import * as z from 'zod/mini';
import { isIsoDate } from '#domain/calendar.ts';

/**
 * Every top-level schema is built through this, with the call marked pure, so a bundle that never uses a schema drops
 * it: zod's `.check()` calls look effectful to esbuild and would otherwise keep (and build, at cold start) every schema
 * of a module in every handler that imports one of them.
 */
export const schema = <T>(build: () => T): T => build();

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const cny = () => z.int().check(z.gte(0), z.lte(10_000_000_000_000));
export const positive = (max: number) => z.number().check(z.gt(0), z.lte(max));
/** A real calendar date (2026-02-30 is refused, not rolled over) between 2000 and 2099. */
export const isoDate = () =>
  z.string().check(z.refine((d) => /^20\d{2}-\d{2}-\d{2}$/.test(d) && isIsoDate(d), 'must be a real YYYY-MM-DD date from 2000 to 2099'));
export const limit = /* @__PURE__ */ schema(() => z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'must be an integer from 1 to 100'))));
export const cursor = /* @__PURE__ */ schema(() => z.optional(z.string().check(z.maxLength(2048))));
export const PageQuery = /* @__PURE__ */ schema(() => z.strictObject({ limit, cursor }));
