// The local HTTP API on a thread of its own (local/api-thread-worker.ts): the server and the HTTP functions run on
// their own event loop, the workflow runner, the stream poller, the scheduled jobs and the step functions on the main
// thread's — as on AWS, where every function has its own process and a burst of lifecycle steps does not hold up the
// API's answers. The worker's workflow port calls the runner here; a configuration publication there makes the main
// thread's functions forget what they kept, as it does in the worker.
import { Worker, type MessagePort } from 'node:worker_threads';
import { FUNCTIONS } from '../functions/catalog.ts';
import { ExecutionNotRedrivable, TaskTokenRejected, type WorkflowPort } from '../functions/kernel/workflow/port.ts';

export type WorkflowMethod = keyof WorkflowPort;
/** A handler as the hooks see it (HTTP handlers here). */
export type AnyHandlerLike = (event: unknown, context: { awsRequestId: string; functionName: string }) => Promise<unknown>;

/** What the worker is started with (it inherits the main thread's environment besides). */
export interface ApiThreadData {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Serve the local console (/console/) before the API's routes. */
  readonly console: boolean;
  /** One JSON line per request on the worker's stdout. */
  readonly logRequests: boolean;
  /** The functions whose success changes reference data (PUT /config/{name}, the calendar…). */
  readonly referenceWriters: readonly string[];
  /** A module whose `apiThreadHooks(port)` wraps the worker's handlers (the simulator's meter), and its channel. */
  readonly hooks?: { readonly module: string; readonly port: MessagePort };
}

/** What a hooks module gives the worker: a wrapper for every handler it loads, and its figures when the thread stops. */
export interface ApiThreadHooks {
  attach?(): Promise<void>;
  instrument?(name: string, handler: AnyHandlerLike): AnyHandlerLike;
  finish?(): Promise<unknown>;
}

export type FromApiThread =
  | { readonly kind: 'workflow'; readonly id: number; readonly method: WorkflowMethod; readonly args: unknown[] }
  | { readonly kind: 'reference-changed' }
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'stopped'; readonly hooks?: unknown };

export type ToApiThread =
  | { readonly kind: 'workflow-answer'; readonly id: number; readonly value?: unknown; readonly error?: { name: string; message: string } }
  | { readonly kind: 'stop' };

export interface ApiThreadOptions {
  readonly workflow: WorkflowPort;
  readonly dataDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly console?: boolean;
  readonly logRequests?: boolean;
  /** A hooks module (file URL) and the port its worker side talks to; the caller keeps the other end of the channel. */
  readonly hooks?: { readonly module: string; readonly port: MessagePort };
  /** Called in the main thread when the worker published reference data (the main thread's caches forget it). */
  readonly onReferenceChanged?: () => void;
}

export interface ApiThread {
  readonly port: number;
  /** Closes the server and ends the thread; answers what the hooks' `finish` gave (the meter's figures). */
  stop(): Promise<unknown>;
}

/** Functions whose successful call publishes reference data: the routes under /config and /calendar. */
export const REFERENCE_WRITERS = FUNCTIONS.filter((f) => f.routes.some((r) => r.method !== 'GET' && /^\/(config|calendar)\b/.test(r.path))).map((f) => f.name);

/** A workflow error as it crosses to the API thread: its class's name (the port's own errors) and message. */
export function errorToPost(err: unknown): { name: string; message: string } {
  const e = err as Error | undefined;
  const className = e?.constructor?.name;
  return { name: className && className !== 'Error' ? className : (e?.name ?? 'Error'), message: String(e?.message ?? err) };
}

/** The error rebuilt in the API thread, as the port's callers test it (instanceof TaskTokenRejected, ExecutionNotRedrivable). */
export function errorFromPost(error: { name: string; message: string }): Error {
  if (error.name === 'TaskTokenRejected') return new TaskTokenRejected(error.message);
  if (error.name === 'ExecutionNotRedrivable') return new ExecutionNotRedrivable(error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

export async function startApiThread(options: ApiThreadOptions): Promise<ApiThread> {
  const data: ApiThreadData = {
    dataDir: options.dataDir,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    console: options.console ?? false,
    logRequests: options.logRequests ?? false,
    referenceWriters: REFERENCE_WRITERS,
    hooks: options.hooks,
  };
  const worker = new Worker(new URL('./api-thread-boot.ts', import.meta.url), {
    workerData: data,
    transferList: options.hooks ? [options.hooks.port] : [],
  });
  const answer = (message: ToApiThread) => worker.postMessage(message);
  let stopped: ((hooks: unknown) => void) | undefined;
  const listening = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromApiThread) => {
      switch (message.kind) {
        case 'workflow': {
          const method = options.workflow[message.method] as (...args: unknown[]) => Promise<unknown>;
          method.apply(options.workflow, message.args).then(
            (value) => answer({ kind: 'workflow-answer', id: message.id, value }),
            (err: unknown) => answer({ kind: 'workflow-answer', id: message.id, error: errorToPost(err) }),
          );
          return;
        }
        case 'reference-changed':
          options.onReferenceChanged?.();
          return;
        case 'listening':
          resolve(message.port);
          return;
        case 'failed':
          reject(new Error(`the API thread could not listen: ${message.error}`));
          return;
        case 'stopped':
          stopped?.(message.hooks);
          return;
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the API thread exited (${code}) before it listened`)));
  });
  const port = await listening;
  return {
    port,
    async stop() {
      const hooks = await new Promise<unknown>((resolve) => {
        stopped = resolve;
        worker.once('exit', () => resolve(undefined));
        answer({ kind: 'stop' });
      });
      await worker.terminate();
      return hooks;
    },
  };
}
