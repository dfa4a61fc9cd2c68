// Value comparison the rules share: two JSON-like values are the same whatever order their object keys come in.

/** JSON with object keys sorted at every level. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const sameValue = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * Field-level before/after of a change, for the audit log (only changed top-level fields). A field is compared by value
 * whatever order its objects' keys come in: a record read back from DynamoDB has its maps' keys in the store's order, not
 * the order the code builds them in, and a review that recomputed the same task summary was taken for a change (a write,
 * a version moved — a client's ETag stale — and a `stage.evaluated` event saying nothing). A field present on one side
 * only (or null on one, absent on the other) is a change.
 */
export function diff(before: object | null, after: object | null): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (key === 'updatedAt' || key === 'version') continue;
    const same = b[key] === undefined || a[key] === undefined || b[key] === null || a[key] === null ? b[key] === a[key] : sameValue(b[key], a[key]);
    if (!same) {
      if (key in b) out.before[key] = b[key];
      if (key in a) out.after[key] = a[key];
    }
  }
  return out;
}

/** An event the domain records in the audit log beside the change's own before/after (a task overdue, a gate passed). */
export interface AuditRecord {
  readonly action: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

/** 1 亩 = 10,000/15 m². */
export const M2_PER_MU = 10_000 / 15;
/** An area in m² as 亩, to two decimals (how officials state land). */
export const areaMu = (m2: number): number => Math.round((m2 / M2_PER_MU) * 100) / 100;

/** A name as a person types it, spacing and width aside (全角/半角): two entries with one key name one thing. */
export const typedKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');
