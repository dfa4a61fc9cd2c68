// Vitest globalSetup: one in-memory DynamoDB Local for the whole run; test files isolate by table prefix.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

let ddb: DynamoDbLocal | undefined;

export async function setup({ provide }: TestProject): Promise<void> {
  const started = Date.now();
  ddb = await startDynamoDbLocal({});
  console.log(`DynamoDB Local on ${ddb.endpoint} (ready in ${Date.now() - started} ms)`);
  provide('dynamodbEndpoint', ddb.endpoint);
}

export async function teardown(): Promise<void> {
  await ddb?.stop();
}
