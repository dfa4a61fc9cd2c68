// Where the local runtime keeps its state: ZONEFLOW_DATA_DIR, default .zoneflow/ in the project root (git-ignored).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function dataDir(): string {
  // Set but empty is not set (it would be the current directory).
  return resolve(process.env.ZONEFLOW_DATA_DIR || resolve(projectRoot, '.zoneflow'));
}
