// Loading a bench section's zone into DynamoDB Local: items written by BatchWriteItem, 25 a request and 8 requests at
// once, what comes back unprocessed sent again. The store's client is imported when called: a section binds its
// tables (bindLocalStore) first.

/** Writes every `[table, item]` pair (plain items, as a Put would write them). */
export async function batchPut(items: readonly (readonly [table: string, item: Record<string, unknown>])[]): Promise<void> {
  const { ddb } = await import('../functions/kernel/store/client.ts');
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
  for (let b = 0; b < batches.length; b += 8) {
    await Promise.all(
      batches.slice(b, b + 8).map(async (batch) => {
        let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
        for (const [name, Item] of batch) (requests[name] ??= []).push({ PutRequest: { Item } });
        while (Object.keys(requests).length) {
          const out = await ddb.send(new BatchWriteCommand({ RequestItems: requests }));
          requests = (out.UnprocessedItems ?? {}) as typeof requests;
        }
      }),
    );
  }
}
