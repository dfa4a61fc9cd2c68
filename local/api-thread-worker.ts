// The HTTP API's own thread (local/api-thread.ts starts it): the local server and the HTTP functions' handlers on an
// event loop of their own, as each function on AWS has its own process, apart from the workflow runner, the stream
// poller and the step functions of the main thread. The worker inherits the main thread's environment (table names,
// endpoint, business clock), so its handlers bind the same tables; the embedded runner stays in the main thread, and
// the workflow port here sends each call there and waits for its answer.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { entryOf } from '../functions/catalog.ts';
import { LOCAL_WORKFLOW, type WorkflowPort } from '../functions/kernel/workflow/port.ts';
import { createVerifier, loadOrCreateKeys } from './auth.ts';
import { errorFromPost, type ApiThreadData, type ApiThreadHooks, type FromApiThread, type ToApiThread, type WorkflowMethod } from './api-thread.ts';
import { createApiServer, type HttpHandler } from './server.ts';

const data = workerData as ApiThreadData;
const port = parentPort as MessagePort;

// ---- the workflow port: every call answered by the main thread's runner ----
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
let nextCall = 0;
const post = (message: FromApiThread) => port.postMessage(message);
const call = (method: WorkflowMethod, args: unknown[]) =>
  new Promise<unknown>((resolve, reject) => {
    const id = ++nextCall;
    waiting.set(id, { resolve, reject });
    post({ kind: 'workflow', id, method, args });
  });
port.on('message', (message: ToApiThread) => {
  if (message.kind !== 'workflow-answer') return;
  const w = waiting.get(message.id);
  if (!w) return;
  waiting.delete(message.id);
  if (message.error) w.reject(errorFromPost(message.error));
  else w.resolve(message.value);
});
const proxy: WorkflowPort = {
  startExecution: (name, input) => call('startExecution', [name, input]) as ReturnType<WorkflowPort['startExecution']>,
  startExit: (name, input) => call('startExit', [name, input]) as ReturnType<WorkflowPort['startExit']>,
  redriveExit: (name) => call('redriveExit', [name]) as Promise<void>,
  sendTaskSuccess: (token, output) => call('sendTaskSuccess', [token, output]) as Promise<void>,
  ready: () => call('ready', []) as Promise<boolean>,
  describeExecution: (name, machine) => call('describeExecution', [name, machine]) as ReturnType<WorkflowPort['describeExecution']>,
};
(globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = proxy;

// ---- the handlers, wrapped by the caller's hooks (the simulator's meter) ----
const hooks: ApiThreadHooks = data.hooks ? await (await import(data.hooks.module)).apiThreadHooks(data.hooks.port) : {};
await hooks.attach?.();
const handlers = new Map<string, Promise<HttpHandler>>();
const loadHandler = (name: string): Promise<HttpHandler> => {
  let h = handlers.get(name);
  if (!h) {
    h = import(`../${entryOf(name)}`).then((m: { handler: HttpHandler }) => {
      const handler = hooks.instrument ? (hooks.instrument(name, m.handler as never) as HttpHandler) : m.handler;
      // A publication of configuration forgets what this thread kept at once; the main thread's functions are told too.
      if (!data.referenceWriters.includes(name)) return handler;
      return async (event: unknown, context: unknown) => {
        const result = await handler(event, context);
        if (result.statusCode < 300) post({ kind: 'reference-changed' });
        return result;
      };
    });
    handlers.set(name, h);
  }
  return h;
};

const keys = await loadOrCreateKeys(data.dataDir);
const { serveConsole } = data.console ? await import('./console.ts') : { serveConsole: undefined };
const { signToken, devIdentity } = await import('./auth.ts');
const server = createApiServer({
  before: serveConsole && ((req, res) => serveConsole(req, res, { devToken: (role) => signToken(keys, devIdentity(role)) })),
  verify: await createVerifier(keys),
  loadHandler,
  log: data.logRequests ? (line) => console.log(JSON.stringify(line)) : undefined,
});
port.on('message', (message: ToApiThread) => {
  if (message.kind !== 'stop') return;
  server.closeAllConnections();
  server.close(() => {
    void (async () => {
      post({ kind: 'stopped', hooks: await hooks.finish?.() });
    })();
  });
});
server.once('error', (err) => post({ kind: 'failed', error: err.message }));
server.listen(data.port, data.host, () => {
  const address = server.address();
  post({ kind: 'listening', port: typeof address === 'object' && address ? address.port : data.port });
});
