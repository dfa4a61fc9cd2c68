// Opaque pagination cursors: the DynamoDB LastEvaluatedKey, bound to the index it came from, base64url-encoded.
import { ValidationFailed } from '#domain/errors.ts';

type Key = Record<string, string | number>;

export function encodeCursor(index: string, key: Key | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify({ i: index, k: key })).toString('base64url');
}

/** Decodes a cursor made for `index`; anything else (tampered, other list) is a 400 on `cursor`. */
export function decodeCursor(index: string, cursor: string | undefined, keyNames: readonly string[]): Key | undefined {
  if (cursor === undefined) return undefined;
  const bad = () => new ValidationFailed('The cursor is not valid for this list', [{ path: 'cursor', message: 'invalid cursor' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const { i, k } = parsed as { i?: unknown; k?: unknown };
  if (i !== index || typeof k !== 'object' || k === null) throw bad();
  const entries = Object.entries(k);
  const valid =
    entries.length === keyNames.length &&
    entries.every(([name, v]) => keyNames.includes(name) && (typeof v === 'string' || typeof v === 'number'));
  if (!valid) throw bad();
  return k as Key;
}
