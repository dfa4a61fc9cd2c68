// The simulated users' HTTP client, on its own thread (engine.ts starts it): real users are on other machines, so their
// side of each call — opening the request, parsing the response, the promise chain around fetch — is kept off the event
// loop the product's handlers, the workflow runner and the stream poller share. Each call is timed here, from the
// request being sent to its body being read, by a loop that has nothing else to do. Plain Node: no imports beyond it,
// so the file loads as is (type stripping) under tsx, vitest or node.
import { parentPort } from 'node:worker_threads';

export interface HttpCall {
  readonly id: number;
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type HttpReply =
  | { readonly id: number; readonly status: number; readonly text: string; readonly requestId: string; readonly ms: number }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  port.on('message', (call: HttpCall) => {
    const t0 = performance.now();
    fetch(call.url, { method: call.method, headers: call.headers, body: call.body })
      .then(async (res) => {
        const text = await res.text();
        const reply: HttpReply = { id: call.id, status: res.status, text, requestId: res.headers.get('x-request-id') ?? '', ms: performance.now() - t0 };
        port.postMessage(reply);
      })
      .catch((err: unknown) => port.postMessage({ id: call.id, error: String((err as Error)?.message ?? err) } satisfies HttpReply));
  });
}
