// `npm run bench [-- --runs N] [-- --sections handlers,workflow,ledger,inventory,parks,delivery,digest,memory] [-- --against REV]`: runs each bench section,
// prints its table and writes bench/results/latest.json (sections not run keep their figures from the previous file).
// --against REV also builds every function as it was at commit REV and times it in the same run, beside the same
// baseline, so a change's cold-start cost is a ratio measured once, not two runs minutes apart on a noisy machine.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatHandlers, measureHandlers } from './cold-start.ts';
import { formatInventory, type InventorySection } from './inventory.ts';
import { formatLedger, type LedgerSection } from './ledger.ts';
import { formatMemory, type MemorySection } from './memory.ts';
import { formatParks, type ParksSection } from './parks.ts';
import { formatDelivery, type DeliverySection } from './delivery.ts';
import { formatDigest, type DigestSection } from './digest.ts';
import { formatWorkflow, type WorkflowSection } from './workflow.ts';

const SECTIONS = ['handlers', 'workflow', 'ledger', 'inventory', 'parks', 'delivery', 'digest', 'memory'] as const;
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, sections: { type: 'string', default: SECTIONS.join(',') }, against: { type: 'string' } },
});
const runs = Number(values.runs);
// Below 10 the median and p90 of a noisy shared machine are not worth comparing.
if (!Number.isInteger(runs) || runs < 10) throw new Error(`--runs must be an integer ≥ 10, got ${values.runs}`);
const wanted = values.sections.split(',').map((s) => s.trim());
for (const s of wanted) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section ${s}; sections: ${SECTIONS.join(', ')}`);

const out = new URL('results/latest.json', import.meta.url);
const previous = await readFile(out, 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>, () => ({}) as Record<string, unknown>);
const started = performance.now();
let failed = false;

const handlers = wanted.includes('handlers') ? await measureHandlers({ runs, against: values.against }) : undefined;
if (handlers) {
  console.log(formatHandlers(handlers));
  // A missed target is a finding, not a failure; a bundle that cannot build or load is.
  failed ||= handlers.failures.length > 0;
}
/** A section that needs DynamoDB runs in a process of its own (bench/section.ts). */
async function section<T>(name: string): Promise<T> {
  const file = join(await mkdtemp(join(tmpdir(), 'zoneflow-bench-')), `${name}.json`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', new URL('section.ts', import.meta.url).pathname, name, file], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error(`bench section ${name} failed (exit ${run.status})`);
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
const workflow = wanted.includes('workflow') ? await section<WorkflowSection>('workflow') : undefined;
if (workflow) console.log(`\n${formatWorkflow(workflow)}`);
const ledger = wanted.includes('ledger') ? await section<LedgerSection>('ledger') : undefined;
if (ledger) console.log(`\n${formatLedger(ledger)}`);
const inventory = wanted.includes('inventory') ? await section<InventorySection>('inventory') : undefined;
if (inventory) console.log(`\n${formatInventory(inventory)}`);
const parks = wanted.includes('parks') ? await section<ParksSection>('parks') : undefined;
if (parks) console.log(`\n${formatParks(parks)}`);
const delivery = wanted.includes('delivery') ? await section<DeliverySection>('delivery') : undefined;
if (delivery) console.log(`\n${formatDelivery(delivery)}`);
const digest = wanted.includes('digest') ? await section<DigestSection>('digest') : undefined;
if (digest) console.log(`\n${formatDigest(digest)}`);

const memory = wanted.includes('memory') ? await section<MemorySection>('memory') : undefined;
if (memory) {
  console.log(`\n${formatMemory(memory)}`);
  // A function set below what it was measured to need, or one that could not run, fails the bench.
  failed ||= !memory.allFit;
}

// Sections sit side by side in one file; the handler section (runs included) stays top-level.
const { generatedAt: _g, node: _n, machine: _m, workflow: prevWorkflow, ledger: prevLedger, inventory: prevInventory, parks: prevParks, delivery: prevDelivery, digest: prevDigest, memory: prevMemory, ...prevHandlers } = previous;
const results = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  machine: { cpus: cpus().length, totalMemGB: Math.round(totalmem() / 2 ** 30) },
  sectionsRun: wanted,
  ...(handlers ?? prevHandlers),
  workflow: workflow ?? prevWorkflow,
  ledger: ledger ?? prevLedger,
  inventory: inventory ?? prevInventory,
  parks: parks ?? prevParks,
  delivery: delivery ?? prevDelivery,
  digest: digest ?? prevDigest,
  memory: memory ?? prevMemory,
};
await mkdir(new URL('.', out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

console.log(`\nwrote bench/results/latest.json in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) process.exitCode = 1;
// The runner keeps timers of aborted executions; the results are written, so end here.
process.exit();
