// Schema building blocks shared by the request schemas (zod/mini: a third of classic zod's cold-start cost).
import * as z from 'zod/mini';
import { isIsoDate } from '#kernel/domain/dates.ts';

/**
 * Every top-level schema is built through this, with the call marked pure, so a bundle that never uses a schema drops
 * it: zod's `.check()` calls look effectful to esbuild and would otherwise keep (and build, at cold start) every schema
 * of a module in every handler that imports one of them.
 */
export const schema = <T>(build: () => T): T => build();

/**
 * The building blocks return one shared instance per argument: zod schemas are immutable, and each instance costs
 * cold-start time to build (zod binds its methods onto every instance), so a body with six money fields builds one.
 */
function shared<A extends string | number, T>(build: (arg: A) => T): (arg: A) => T {
  const built = new Map<A, T>();
  return (arg) => {
    let schema = built.get(arg);
    if (schema === undefined) built.set(arg, (schema = build(arg)));
    return schema;
  };
}

/**
 * What a person writes (names, notes, items): trimmed, 1 to `max` characters, valid Unicode a ledger, a letter, a CSV or
 * a workbook can carry — no control characters but tab and line breaks, no unpaired surrogate, no non-character
 * (U+FFFE/U+FFFF; U+FFFD stands for bytes that were not UTF-8), no bidirectional override (it reverses the text shown
 * around it), and something visible (not only zero-width characters).
 */
/**
 * What shows nothing on its own: spaces, the braille blank, and every default-ignorable code point Unicode names (soft
 * hyphen, joiners, the combining grapheme joiner, fillers, variation selectors, tag characters, invisible operators, the
 * musical and shorthand format controls, …) with the Egyptian hieroglyph format controls. A text of these only is blank.
 * (A list of ranges by hand missed blocks: a project named U+1D173 alone was taken, and shown as nothing.)
 */
const INVISIBLE = /[\s\u2800\u{13430}-\u{1343F}]|\p{Default_Ignorable_Code_Point}/gu;

/** The checks of `text` (trimmed first, so a line break or tab around it is dropped, not refused). */
const textChecks = (max: number) =>
  [
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    z.refine<string>((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(v), 'must not contain control characters'),
    z.refine<string>((v) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v), 'must be valid Unicode (an unpaired surrogate)'),
    z.refine<string>((v) => !/[\uFFFD\uFFFE\uFFFF\uFDD0-\uFDEF]/.test(v), 'must not contain U+FFFD (bytes that were not UTF-8) or a non-character'),
    z.refine<string>((v) => !/[\u202A-\u202E\u2066-\u2069]/.test(v), 'must not contain bidirectional override characters'),
    z.refine<string>((v) => v === '' || v.replace(INVISIBLE, '') !== '', 'must have a visible character'),
  ] as const;

export const text = /* @__PURE__ */ shared((max: number) => z.string().check(...textChecks(max)));
/**
 * A name or a short item (a project, an investor, a park, a letter's subject, an attendee, a follow-up): `text` on one
 * line — no line break or tab inside it, which would split it in a ledger row, a letter's heading or a group message.
 */
export const line = /* @__PURE__ */ shared((max: number) => z.string().check(...textChecks(max), z.refine<string>((v) => !/[\t\n\r\u0085\u2028\u2029]/.test(v), 'must be one line (no line breaks or tabs)')));
const money = /* @__PURE__ */ shared((_: 0) => z.int().check(z.gte(0), z.lte(10_000_000_000_000)));
export const cny = () => money(0);
/**
 * At most `n` decimal places. DynamoDB keeps 38 significant digits between 1E-130 and 1E+125: 1e-300 fails there (a
 * number underflow, which a client must never turn into a 500), and 1.234567890123456e-20 is stored while the sums
 * taken beside it (remaining = total − allocated) lose it. Six places are a millionth of a square metre, tonne or kVA.
 */
export const places = (n: number) => z.refine<number>((v) => Number.isFinite(v) && Number(v.toFixed(n)) === v, `must have at most ${n} decimal places`);
/**
 * A number DynamoDB stores as sent, whatever its digits (a double has fewer than 38): 0, or at least 1e-100 in
 * magnitude (DynamoDB refuses below 1E-130). For values no sum is taken over: coordinates, configuration.
 */
export const storable = () => z.refine<number>((v) => v === 0 || Math.abs(v) >= 1e-100, 'must be 0 or at least 1e-100 in magnitude');
export const positive = /* @__PURE__ */ shared((max: number) => z.number().check(z.gt(0), z.lte(max), places(6)));
/** Zero or more, up to `max`, at most 6 decimal places. */
export const nonNegative = /* @__PURE__ */ shared((max: number) => z.number().check(z.gte(0), z.lte(max), places(6)));
const realDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && isIsoDate(d);
const date = /* @__PURE__ */ shared((_: 0) =>
  z.string().check(
    // Not a date at all (or 2026-02-30): `format`; a real date of another century: `out_of_range`.
    z.refine(realDate, { message: 'must be a real YYYY-MM-DD date from 2000 to 2099', params: { code: 'format' } }),
    z.refine((d) => !realDate(d) || d.startsWith('20'), { message: 'must be a real YYYY-MM-DD date from 2000 to 2099', params: { code: 'out_of_range' } }),
    // The refinements are code a JSON Schema cannot carry: the OpenAPI document says what they take (a generated client
    // types and checks it as a date, not as any text).
    z.meta({ format: 'date' }),
  ),
);
/** A real calendar date (2026-02-30 is refused, not rolled over) between 2000 and 2099. */
export const isoDate = () => date(0);
const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const realInstant = (v: string) => INSTANT.test(v) && isIsoDate(INSTANT.exec(v)![1]!);
const instant = /* @__PURE__ */ shared((_: 0) =>
  z.string().check(
    z.refine(realInstant, { message: 'must be an ISO 8601 instant with its offset (2026-12-05T08:30:00Z, 2026-12-05T16:30:00+08:00) from 2000 to 2099', params: { code: 'format' } }),
    z.refine((v) => !realInstant(v) || v.startsWith('20'), { message: 'must be an ISO 8601 instant with its offset from 2000 to 2099', params: { code: 'out_of_range' } }),
    z.meta({ format: 'date-time' }),
  ),
);
/** An instant: a real date, a time to the second (milliseconds optional) and its offset (Z or ±hh:mm). */
export const isoInstant = () => instant(0);
const dayOrInstant = /* @__PURE__ */ shared((_: 0) =>
  z.string().check(
    z.refine((v) => realDate(v) || realInstant(v), {
      message: 'must be a real YYYY-MM-DD date or an ISO 8601 instant with its offset (2026-12-05T14:00:00+08:00, 2026-12-05T06:00:00Z) from 2000 to 2099',
      params: { code: 'format' },
    }),
    z.refine((v) => !(realDate(v) || realInstant(v)) || v.startsWith('20'), { message: 'must be a date or an instant from 2000 to 2099', params: { code: 'out_of_range' } }),
    z.meta({ anyOf: [{ format: 'date' }, { format: 'date-time' }] }),
  ),
);
/**
 * A period's bound as a business day (YYYY-MM-DD, Asia/Shanghai: the whole day) or an instant with its offset (to the
 * millisecond): `GET /audit`'s `from` and `to`.
 */
export const isoDateOrInstant = () => dayOrInstant(0);
/**
 * A business day in an answer (YYYY-MM-DD, Asia/Shanghai) and an instant (RFC 3339, with its offset): declared with their
 * `format` in the OpenAPI document, as the request's dates are, so a generated client types them — not checked (an
 * answer is not parsed; test/support/openapi-answers.ts checks what the product really sends against them).
 */
const dayShown = /* @__PURE__ */ shared((_: 0) => z.string().check(z.meta({ format: 'date' })));
const instantShown = /* @__PURE__ */ shared((_: 0) => z.string().check(z.meta({ format: 'date-time' })));
export const dayView = () => dayShown(0);
export const instantView = () => instantShown(0);
/**
 * A year the product keeps dates for, 2000 to 2099, as a path or query string: not four digits is `format` ("27",
 * "abc"); four digits outside the range is `out_of_range` ("1999", "2100"). `message` says the range either way.
 */
export const yearString = (message: string) =>
  z.string().check(
    z.regex(/^\d{4}$/, { message, abort: true }),
    z.refine((v) => v >= '2000' && v <= '2099', { message, params: { code: 'out_of_range' } }),
  );
/** A page's size: a whole number (`format` otherwise) from 1 to `max` (`out_of_range` outside, however many digits). */
export const pageSize = (max: number) =>
  z
    .string()
    .check(
      z.regex(/^-?[0-9]+$/, `must be an integer from 1 to ${max}`),
      z.refine((v) => !/^-?[0-9]+$/.test(v) || (Number(v) >= 1 && Number(v) <= max), { message: `must be an integer from 1 to ${max}`, params: { code: 'out_of_range' } }),
    )
    .register(z.globalRegistry, { description: `A whole number from 1 to ${max}` });
export const limit = /* @__PURE__ */ schema(() => z.optional(pageSize(100)));
export const cursor = /* @__PURE__ */ schema(() => z.optional(z.string().check(z.maxLength(2048))));
/** `?format=`: JSON or CSV, on every route that answers in both (as `Accept: text/csv` does; the format wins). */
export const format = /* @__PURE__ */ schema(() => z.optional(z.enum(['json', 'csv'])));
export const PageQuery = /* @__PURE__ */ schema(() => z.strictObject({ limit, cursor }));

/**
 * A schema built on first use and kept: what only the OpenAPI document reads (response schemas) must cost a handler's
 * cold start nothing, so declarations hold these builders, never built schemas.
 */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * `warnings` of a write's answer (route.ts withWarnings): what was done that the caller may not mean, stored, not
 * refused — left out when there is none (never null, never empty).
 */
export const warnings = () =>
  z.optional(z.array(z.string()).check(z.minLength(1)).register(z.globalRegistry, { description: 'What was done that you may not mean (stored, not refused); left out when there is none' }));

/** A page of a list: `{ items, nextCursor }`. */
export const pageOf = (item: z.ZodMiniType) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
