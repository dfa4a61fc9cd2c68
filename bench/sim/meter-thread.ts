// The simulation meter's part in the API thread (local/api-thread.ts): the HTTP functions' invocations, log lines and
// DynamoDB calls counted there by a meter of the same kind as the main thread's (meter.ts), started and stopped by it
// (metering.ts `threadHooks`), and its counts sent back when it stops, to be added to the main thread's.
// What the two meters do not share: the sizes of items each has seen, which price a transactional write of an item by
// its last known size (1 KB when unknown) and tell which index entries it rewrites.
import type { MessagePort } from 'node:worker_threads';
import type { ApiThreadHooks } from '../../local/api-thread.ts';
import { createMeter } from './meter.ts';
import { tableSchemas, type FromMeterThread, type ToMeterThread } from './metering.ts';

export async function apiThreadHooks(port: MessagePort): Promise<ApiThreadHooks> {
  const meter = createMeter({ tables: tableSchemas() });
  // The handlers' info lines are the simulator's to keep or drop (it drops them unless --verbose): counted, not printed.
  if (!process.env.ZONEFLOW_SIM_VERBOSE) console.log = () => {};
  let stopped = false;
  port.on('message', (message: ToMeterThread) => {
    if (message.kind === 'start' && !stopped) {
      meter.captureLogs();
      meter.start();
    } else if (message.kind === 'stop') {
      if (!stopped) meter.stop();
      stopped = true;
      port.postMessage({ kind: 'usage', usage: meter.usage.snapshot() } satisfies FromMeterThread);
    }
  });
  return {
    async attach() {
      const { ddb } = await import('../../functions/kernel/store/client.ts');
      meter.attach(ddb as never);
    },
    instrument: (name, handler) => meter.instrument(name, handler),
  };
}
