// Schema building blocks shared by the request schemas (zod/mini: a third of classic zod's cold-start cost).
import * as z from 'zod/mini';

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const cny = () => z.int().check(z.gte(0), z.lte(10_000_000_000_000));
export const positive = (max: number) => z.number().check(z.gt(0), z.lte(max));
export const isoDate = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'));
export const limit = z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'must be an integer from 1 to 100')));
export const cursor = z.optional(z.string().check(z.maxLength(2048)));
export const PageQuery = z.strictObject({ limit, cursor });
