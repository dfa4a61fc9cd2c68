// A stored item as the domain sees it: without its key and entity attributes.
export function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, entity: _e, ...rest } = item;
  return rest as T;
}
