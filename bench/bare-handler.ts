// Baseline for the cold-start bench: the least a DynamoDB-backed handler can do — load the SDK client and build one.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// Exported so the construction can never be tree-shaken away: the baseline must pay for it like the handlers do.
export const client = new DynamoDBClient({});

export const handler = async () => ({ statusCode: 200, body: 'ok' });
