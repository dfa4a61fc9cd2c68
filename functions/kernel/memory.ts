// Each function's memory as deployed (MB): what its process needs, measured (`npm run bench -- --sections memory`,
// bench/memory.ts), with a margin; docs/deploy.md "Function memory" says why these figures. Read by the catalog, the
// CDK stack and the cost model (bench/sim/cost.ts), so what is billed is what is configured.

/** A function is given at least its measured peak RSS times this: room for a zone larger than the bench's. */
export const MEMORY_MARGIN = 1.5;

/** Every function's memory unless its declaration says otherwise (`memoryMb`). */
export const DEFAULT_MEMORY_MB = 512;
