// Opaque pagination cursors: the DynamoDB LastEvaluatedKey, bound to the list (index and partition) it came from.
import { ValidationFailed } from '#domain/errors.ts';

type Key = Record<string, string>;

const invalid = () => new ValidationFailed('The cursor is not valid for this list', [{ path: 'cursor', message: 'invalid cursor' }]);

/** An opaque cursor: `payload` tagged with the list it belongs to (`i`). */
export function encodeToken(list: string, payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ ...payload, i: list })).toString('base64url');
}

/** The payload of a cursor made by encodeToken for `list`; anything else is a 400 on `cursor`. */
export function decodeToken(list: string, cursor: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { i?: unknown }).i !== list) throw invalid();
  return parsed as Record<string, unknown>;
}

/** The 400 a cursor that does not fit its list gets. */
export const invalidCursor = () => invalid();

export function encodeCursor(index: string, key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  return encodeToken(index, { k: key });
}

/**
 * Decodes a cursor made for `index` whose key has exactly `keyNames` (all string keys in zoneflow's tables) and the
 * `fixed` values of the list being read (its partition). Anything else — tampered, another list, another filter
 * value — is a 400 on `cursor`, never a DynamoDB error.
 */
export function decodeCursor(index: string, cursor: string | undefined, keyNames: readonly string[], fixed: Key = {}): Key | undefined {
  if (cursor === undefined) return undefined;
  const { k } = decodeToken(index, cursor);
  if (typeof k !== 'object' || k === null) throw invalid();
  const entries = Object.entries(k);
  const valid =
    entries.length === keyNames.length &&
    entries.every(([name, v]) => keyNames.includes(name) && typeof v === 'string' && v.length > 0 && v.length <= 1024) &&
    Object.entries(fixed).every(([name, v]) => (k as Key)[name] === v);
  if (!valid) throw invalid();
  return k as Key;
}

/** Backstop: DynamoDB refusing a start key (e.g. a key that no longer fits the index) is the cursor's fault. */
export function cursorRejected(err: unknown, hadCursor: boolean): Error {
  return hadCursor && (err as Error).name === 'ValidationException' ? invalid() : (err as Error);
}
