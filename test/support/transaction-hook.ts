// Hooks on the transactions the product's DynamoDB client sends, for the race tests (fund-budget-race,
// admission-release-race): a moment put between a decision and its commit, and a process dying at a transaction. The
// client is passed in: the tests import it after their store is set up.
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

/** The process dies (an error instead of the call) at the `nth` transaction whose items mention `marker`; returns the removal. */
export function dieAtTransaction(client: DynamoDBDocumentClient, marker: string, nth: number): () => void {
  let sent = 0;
  const name = `die-at-${marker}-${nth}-${++serial}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (String(context.commandName).startsWith('TransactWrite') && JSON.stringify((args as { input: unknown }).input).includes(marker) && ++sent === nth) throw new Error('the process died');
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}

/**
 * Every attempt of the `nth` transaction whose items mention `marker` meets another transaction in flight (DynamoDB's
 * TransactionConflict cancellation), so the client's retries give up; returns the removal.
 */
export function conflictAtTransaction(client: DynamoDBDocumentClient, marker: string, nth: number): () => void {
  // The retries of one transaction send the same items again: a transaction is known by its items.
  const seen: string[] = [];
  const name = `conflict-at-${marker}-${nth}-${++serial}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const items = JSON.stringify((args as { input: unknown }).input);
      if (String(context.commandName).startsWith('TransactWrite') && items.includes(marker)) {
        if (!seen.includes(items)) seen.push(items);
        if (seen.indexOf(items) === nth - 1) throw Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'TransactionConflict' }] });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => client.middlewareStack.remove(name);
}
