// Every write this process sends to DynamoDB, counted as it leaves: each HTTP request of any client (the handlers', a
// test's — over node:http or fetch) is seen by Node's diagnostics channels, and each one that is not a read by its
// X-Amz-Target may have written (a request without one is no DynamoDB request: a test's own call of the API over HTTP). While the count stands still the tables are as they were, without reading them (a scan
// of all eight tables after each of thousands of refused requests would be most of a test's time).
import { subscribe } from 'node:diagnostics_channel';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems', 'DescribeTable', 'ListTables', 'DescribeTimeToLive']);
let sent = 0;
let subscribed = false;
/** A DynamoDB request names its operation in X-Amz-Target; a request without one (a test's own call of the API) is none. */
const seen = (target: string | undefined) => {
  if (target !== undefined && !READS.has(target.split('.').pop()!)) sent += 1;
};

/** Starts counting (once per process); returns a reader of the count of requests sent so far that may have written. */
export function countWrites(): () => number {
  if (!subscribed) {
    subscribed = true;
    subscribe('http.client.request.start', (message) => seen((message as { request: { getHeader(name: string): unknown } }).request.getHeader('x-amz-target')?.toString()));
    // undici (fetch) keeps a request's headers as "name: value\r\n" text or as a flat [name, value, …] list, by version.
    subscribe('undici:request:create', (message) => {
      const headers = (message as { request: { headers: string | readonly string[] } }).request.headers;
      if (typeof headers === 'string') return seen(/^x-amz-target:\s*(.+?)\r?$/im.exec(headers)?.[1]);
      const at = headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'x-amz-target');
      seen(at >= 0 ? headers[at + 1] : undefined);
    });
  }
  return () => sent;
}
