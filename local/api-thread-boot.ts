// The API thread's entry (local/api-thread.ts starts it): the worker runs the product's TypeScript. Under tsx (npm start,
// the simulator) it inherits tsx's loader with the process's flags; elsewhere (a vitest fork) it registers it here.
import { register } from 'tsx/esm/api';

if (!process.execArgv.some((flag) => flag.includes('tsx'))) register();
await import('./api-thread-worker.ts');
