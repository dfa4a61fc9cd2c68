// DynamoDB Local outlives no Node process that started it, and ends as at a Ctrl-C when that process ends without
// stop() — an uncaught error in `npm start` (a seed call refused, the console's bundle failing, the API's port taken
// after all), or any process.exit. Its 'exit' hook SIGKILLed the JVM there: the very kill that, at the instant Node
// died, lost an acknowledged TransactWriteItems about every other time (test/e2e/kill-node.test.ts, which made the
// kernel's pdeathsig SIGTERM). The JVM here is a stand-in `java` on PATH that answers ListTables and records the
// signal that ends it (SIGKILL records nothing).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, tsx } from '../support/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-ddb-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fakeJava = `#!/usr/bin/env node
const { createServer } = require('node:http');
const { writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
const port = Number(args[args.indexOf('-port') + 1]);
process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(join(dir, 'ended-by'))}, 'SIGTERM'); process.exit(143); });
createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }); res.end('{"TableNames":[]}'); });
}).listen(port, '127.0.0.1');
`;

const driver = `import { startDynamoDbLocal } from ${JSON.stringify(join(root, 'local/dynamodb-local.ts'))};
await startDynamoDbLocal({});
// Ends without stop(), as an uncaught error ends npm start.
process.exit(1);
`;

describe('DynamoDB Local when the process that started it exits without stop()', () => {
  it('gets SIGTERM (ends as at a Ctrl-C, keeping what it acknowledged), not SIGKILL', async () => {
    const bin = join(dir, 'bin');
    rmSync(bin, { recursive: true, force: true });
    writeFileSync(join(dir, 'driver.mts'), driver);
    mkdirSync(bin);
    writeFileSync(join(bin, 'java'), fakeJava);
    chmodSync(join(bin, 'java'), 0o755);
    const child = spawn(tsx, [join(dir, 'driver.mts')], { cwd: root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(1);
    for (const deadline = Date.now() + 5_000; !existsSync(join(dir, 'ended-by')) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir, 'ended-by')), `the stand-in JVM was not sent SIGTERM (killed outright)\n${out}`).toBe(true);
  }, 60_000);
});
