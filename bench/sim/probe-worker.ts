// The raw DynamoDB Local GetItem, probed from a thread of its own (engine.ts starts it): a loop that does nothing else,
// so each time is the store's answer and the SDK's round, not the wait of a busy event loop. Two series: one GetItem
// every `everyMs` (the even probe the API's p99 target is judged on), and one sent when told (`shot`: with every 8th API
// call, where the calls cluster). Plain Node with the SDK: no project imports, so the file loads as is (type stripping).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { parentPort, workerData } from 'node:worker_threads';

export interface ProbeSetup {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly table: string;
  readonly everyMs: number;
}

export type ToProbe = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'shot' } | { readonly kind: 'stop' };
export type FromProbe = { readonly kind: 'times'; readonly even: number[]; readonly withCalls: number[] };

const port = parentPort;
if (port) {
  const setup = workerData as ProbeSetup;
  const client = new DynamoDBClient({ endpoint: setup.endpoint, region: setup.region, credentials: setup.credentials });
  let key: string | undefined;
  let probing = true;
  const even: number[] = [];
  const withCalls: number[] = [];
  const get = async (into: number[]) => {
    if (!key) return;
    const t0 = performance.now();
    await client.send(new GetItemCommand({ TableName: setup.table, Key: { pk: { S: `PROJECT#${key}` }, sk: { S: 'PROJECT' } } }));
    into.push(performance.now() - t0);
  };
  const loop = (async () => {
    while (probing) {
      await get(even).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, setup.everyMs));
    }
  })();
  port.on('message', (message: ToProbe) => {
    if (message.kind === 'key') key ??= message.key;
    else if (message.kind === 'shot') void get(withCalls).catch(() => {});
    else {
      probing = false;
      void loop.then(() => {
        client.destroy();
        port.postMessage({ kind: 'times', even, withCalls } satisfies FromProbe);
      });
    }
  });
}
