// `npm test`'s static checks side by side: each argument a shell command, all started at once (two cores: eslint's
// type-aware pass on one, the compilers and `cdk synth` on the other), each one's output printed whole when it ends
// (never interleaved), the exit code non-zero when any failed. Usage: node --import tsx test/support/in-parallel.ts
// 'npm run lint' 'npm run typecheck && npm run synth'
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (!commands.length) {
  console.error('usage: in-parallel.ts <command> [<command> …]');
  process.exit(2);
}

const started = Date.now();
const results = await Promise.all(
  commands.map(
    (command) =>
      new Promise<{ command: string; code: number }>((resolve) => {
        const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (d: Buffer) => chunks.push(d));
        child.stderr.on('data', (d: Buffer) => chunks.push(d));
        child.once('error', (err) => chunks.push(Buffer.from(`${err.message}\n`)));
        child.once('close', (code, signal) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(`\n> ${command}  (${code === 0 ? 'ok' : `failed: ${signal ?? `exit ${code}`}`}, ${seconds} s)\n${Buffer.concat(chunks).toString()}`);
          resolve({ command, code: code ?? 1 });
        });
      }),
  ),
);
const failed = results.filter((r) => r.code !== 0);
if (failed.length) console.error(`\nfailed: ${failed.map((r) => r.command).join('; ')}`);
process.exit(failed.length ? 1 : 0);
