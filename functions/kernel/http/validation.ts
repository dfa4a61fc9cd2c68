// zod issues → field errors a client can act on ("investor.enterpriseId: expected string"), without zod's locale bundle.
import type * as z from 'zod/mini';
import { FIELD_ERROR_CODES, ValidationFailed, type FieldError, type FieldErrorCode } from '#kernel/domain/errors.ts';

type Issue = z.core.$ZodIssue;

const joinPath = (base: readonly PropertyKey[], key?: PropertyKey) =>
  [...base, ...(key === undefined ? [] : [key])]
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');

/** "1 item", "3 items". */
const count = (n: number | bigint, noun: string) => `${String(n)} ${noun}${Number(n) === 1 ? '' : 's'}`;

function describe(issue: Issue): string {
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
  if (missing) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at least ${count(issue.minimum, issue.origin === 'string' ? 'character' : 'item')}`
        : `must be ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `must have at most ${count(issue.maximum, issue.origin === 'string' ? 'character' : 'item')}`
        : `must be ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.message && issue.message !== 'Invalid input' ? issue.message : `must match the ${issue.format} format`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is not valid';
  }
}

/** The stable code of an issue (kernel/domain/errors.ts lists them); `describe` words the same cases. */
function codeOf(issue: Issue): FieldErrorCode {
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
  if (missing) return 'required';
  switch (issue.code) {
    case 'invalid_type':
      return 'type';
    case 'invalid_value':
      return 'enum';
    case 'too_small':
    case 'too_big':
      return issue.code;
    case 'invalid_format':
      return 'format';
    case 'custom':
      // A refinement may say which of the stable codes it is (`params.code`: a date's `format`, a bound's `out_of_range`).
      return typeof issue.params?.code === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(issue.params.code) ? (issue.params.code as FieldErrorCode) : 'invalid';
    default:
      return 'invalid';
  }
}

/**
 * One bound per field and side: a number past both a built-in bound (an int's safe range) and the field's own gets the
 * field's own — the tighter one (1e308 is "must be ≤ 10000000000000", not that and "≤ 9007199254740991" too).
 */
function tightest(issues: readonly Issue[]): Issue[] {
  type Bound = Extract<Issue, { code: 'too_big' | 'too_small' }>;
  const numeric = (i: Issue): i is Bound => (i.code === 'too_big' || i.code === 'too_small') && i.origin !== 'string' && i.origin !== 'array';
  const bound = (i: Bound) => Number(i.code === 'too_big' ? i.maximum : i.minimum);
  const key = (i: Bound) => `${i.code} ${i.path.map(String).join('.')}`;
  const kept = new Map<string, Bound>();
  for (const i of issues) {
    if (!numeric(i)) continue;
    const other = kept.get(key(i));
    if (!other || (i.code === 'too_big' ? bound(i) < bound(other) : bound(i) > bound(other))) kept.set(key(i), i);
  }
  return issues.filter((i) => !numeric(i) || kept.get(key(i)) === i);
}

/**
 * One error per field: zod runs a field's later checks after an earlier one failed (`minAreaM2=abc` is not a number, and
 * then also not "≤ 100000000"), which only says the first thing again, worse. The first — its shape — is kept.
 */
export function fieldErrors(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldError[] {
  const seen = new Set<string>();
  return tightest(issues)
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: joinPath([...prefix, ...issue.path], key), code: 'unknown_field' as const, message: 'unknown field' }))
        : [{ path: joinPath([...prefix, ...issue.path]), code: codeOf(issue), message: describe(issue) }],
    )
    // One error per field (a failed format is not also "out of range"); the body as a whole may fail several rules.
    .filter((e) => {
      const key = e.path === joinPath(prefix) ? `${e.path}\u0000${e.message}` : e.path;
      return !seen.has(key) && Boolean(seen.add(key));
    });
}

/**
 * The most field errors one answer names. A body of 64 KB can hold thousands of unknown keys, each named twice (in
 * `detail` and `errors`): 2,704 of them (19 KB) were answered in 222 KB. The first ones are what a client corrects first;
 * the rest are counted.
 */
export const MAX_LISTED_ERRORS = 50;

/** Parses `data` or throws a 400 naming the failing fields (the first 50, the rest counted); `prefix` places the paths (e.g. "query", "doc"). */
export function parse<S extends z.ZodMiniType>(schema: S, data: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, prefix ? [prefix] : []);
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const more = errors.length - listed.length;
  const detail = listed.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ');
  throw new ValidationFailed(more > 0 ? `${detail}; and ${count(more, 'more field')} ${more === 1 ? 'is' : 'are'} not valid (the first ${MAX_LISTED_ERRORS} are listed)` : detail, listed);
}
