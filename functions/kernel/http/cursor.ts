// Opaque page cursors: a position in a list, sealed with AES-256-GCM under the zone's cursor key, with the list (its
// index, partition and filters) and the caller as associated data. A client can neither read nor forge one — the ids
// it holds stay hidden — and a cursor is worthless in another list or in another user's hands: all of that is a 400
// on `cursor`, never a DynamoDB error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { getCursorKey } from '#kernel/store/cursor-key.ts';

/** What a cursor is bound to: the list it pages (with everything that selects the list) and who it was handed to. */
export interface CursorScope {
  readonly list: string;
  readonly caller: string;
}

const VERSION = 'c1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const invalid = () => new ValidationFailed('The cursor is not valid for this list', [{ path: 'query.cursor', code: 'malformed', message: 'invalid cursor' }]);
const aad = (scope: CursorScope) => Buffer.from(`${VERSION}\n${scope.list}\n${scope.caller}`, 'utf8');

/** Seals `position` for `scope` under `key` (pure; sealCursor uses the zone's key). */
export function seal(key: Buffer, scope: CursorScope, position: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(scope));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The position sealed in `cursor` for `scope` under `key`; anything else (tampered, another list or caller) a 400. */
export function unseal<T = unknown>(key: Buffer, scope: CursorScope, cursor: string): T {
  if (!cursor.startsWith(VERSION) || !/^[A-Za-z0-9_-]+$/.test(cursor.slice(VERSION.length))) throw invalid();
  const raw = Buffer.from(cursor.slice(VERSION.length), 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw invalid();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(scope));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as T;
  } catch {
    throw invalid();
  }
}

/** The cursor of the page after this one, or null when `position` is undefined (the list ends here). */
export async function sealCursor(scope: CursorScope, position: unknown): Promise<string | null> {
  if (position === undefined || position === null) return null;
  return seal(await getCursorKey(), scope, position);
}

/** The position a cursor made by sealCursor for this scope holds; undefined without a cursor; anything else a 400. */
export async function openCursor<T = unknown>(scope: CursorScope, cursor: string | undefined): Promise<T | undefined> {
  return cursor === undefined ? undefined : unseal<T>(await getCursorKey(), scope, cursor);
}

/** The 400 a cursor gets whose sealed position does not fit the list (a key of the wrong shape). */
export const invalidCursor = () => invalid();

/** A DynamoDB start key as the lists store it: an object of non-empty string attributes, exactly `names`. */
export function asStartKey(position: unknown, names: readonly string[]): Record<string, string> {
  if (typeof position !== 'object' || position === null || Array.isArray(position)) throw invalid();
  const entries = Object.entries(position);
  const ok = entries.length === names.length && entries.every(([k, v]) => names.includes(k) && typeof v === 'string' && v.length > 0 && v.length <= 1024);
  if (!ok) throw invalid();
  return position as Record<string, string>;
}

/**
 * One page of a list read page by page in key order (a project's letters, reservations, fund allocations: released
 * ones pile up over its life), paged like every list: `limit` (default 20, at most 100) items after the one the cursor
 * names, by its key, read by `read` (the page and one more, not the list); `nextCursor` names the last item of the
 * page, or null at the end.
 */
export async function pageByKey<T>(
  read: (limit: number, after: string | undefined) => Promise<{ items: T[]; more: boolean }>,
  keyOf: (item: T) => string,
  query: { readonly limit?: string; readonly cursor?: string },
  scope: CursorScope,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = await openCursor(scope, query.cursor);
  if (after !== undefined && (typeof after !== 'string' || after.length === 0 || after.length > 1024)) throw invalid();
  const page = await read(query.limit ? Number(query.limit) : 20, after);
  return { items: page.items, nextCursor: page.more && page.items.length ? await sealCursor(scope, keyOf(page.items.at(-1)!)) : null };
}
