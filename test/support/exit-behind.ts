// The committee leader's exit decision written behind the product's back, as decide-exit records it on the project
// (its version moved, its exit on record): for the tests of what an exit under way closes. Not through the product's
// client, whose middleware a test may hold. The client is made on first use: the store's endpoint and tables are set by
// `isolatedStore` after this module is imported.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

let other: DynamoDBDocumentClient | undefined;

export const exitDecidedBehind = (id: string, status: 'decided' | 'running' = 'decided') =>
  (other ??= DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }))).send(
    new UpdateCommand({
      TableName: process.env.TABLE_PROJECTS,
      Key: { pk: `PROJECT#${id}`, sk: 'PROJECT' },
      UpdateExpression: 'SET version = version + :one, #exit = :exit',
      ExpressionAttributeNames: { '#exit': 'exit' },
      ExpressionAttributeValues: { ':one': 1, ':exit': { status, execution: `${id}-EXIT-1`, attempt: 1, decidedBy: 'u-leader-1', decidedAt: new Date().toISOString(), reason: '违约', complianceCheck: 1, steps: {}, released: [], letter: null, failure: null, redrives: 0 } },
    }),
  );
