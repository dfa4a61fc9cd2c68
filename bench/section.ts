// One bench section that needs DynamoDB, in a process of its own: the handlers' modules bind their client and table
// names once per process, so two sections in one process would share the first one's tables.
// `tsx bench/section.ts <workflow|ledger|inventory|parks|delivery|digest|memory> <out.json>`
import { writeFile } from 'node:fs/promises';
import { measureDelivery } from './delivery.ts';
import { measureDigest } from './digest.ts';
import { measureInventory } from './inventory.ts';
import { measureMemory } from './memory.ts';
import { measureLedger } from './ledger.ts';
import { measureParks } from './parks.ts';
import { measureWorkflow } from './workflow.ts';

const [name, out] = process.argv.slice(2);
if (!out || !['workflow', 'ledger', 'inventory', 'parks', 'delivery', 'digest', 'memory'].includes(name ?? '')) throw new Error('usage: tsx bench/section.ts <workflow|ledger|inventory|parks|delivery|digest|memory> <out.json>');
const result =
  name === 'workflow' ? await measureWorkflow() : name === 'ledger' ? await measureLedger() : name === 'parks' ? await measureParks() : name === 'delivery' ? await measureDelivery() : name === 'digest' ? await measureDigest() : name === 'memory' ? await measureMemory() : await measureInventory();
await writeFile(out, JSON.stringify(result));
// The runner keeps timers of aborted executions; the result is written, so end here.
process.exit();
