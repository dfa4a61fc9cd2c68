// A moment put between a decision and its commit: `meanwhile` runs once, just before the first transaction whose items
// mention `marker` is sent through the product's DynamoDB client (then that transaction is sent). For the race tests
// (fund-budget-race, admission-release-race). The client is passed in: the tests import it after their store is set up.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let serial = 0;

/** Installs the hook; returns its removal. */
export function beforeTransaction(client: DynamoDBDocumentClient, marker: string, meanwhile: () => Promise<unknown>): () => void {
  let fired = false;
  const name = `before-${marker}-${++serial}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!fired && String(context.commandName).startsWith('TransactWrite') && JSON.stringify((args as { input: unknown }).input).includes(marker)) {
        fired = true;
        await meanwhile();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}
