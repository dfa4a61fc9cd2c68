// The secret store port: where robot webhook URLs and signing secrets live — SSM Parameter Store SecureString
// parameters under the stack's prefix on AWS (SECRETS_PREFIX; encrypted with the account's aws/ssm key), files under
// ZONEFLOW_SECRETS_DIR locally (mode 600, .zoneflow/ is git-ignored). Never DynamoDB, never a log line, never a
// response. Each write gets a new name, so a value read once may be cached for the life of the container.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ParameterSecrets } from './secrets-ssm.ts';

export interface SecretStore {
  /** A fresh name for a secret of `scope` (channels/<id>/<uuid>). */
  newName(scope: string): string;
  put(name: string, value: string): Promise<void>;
  get(name: string): Promise<string | undefined>;
  delete(name: string): Promise<void>;
}

/** SSM (./secrets-ssm.ts: named imports, so the bundle keeps three commands of the SDK, not all of them). */
function lazyParameters(prefix: string): SecretStore {
  const ssm = new ParameterSecrets(prefix);
  return {
    newName: (scope) => checked(`${scope}/${randomUUID()}`),
    put: async (name, value) => ssm.put(checked(name), value),
    get: async (name) => ssm.get(checked(name)),
    delete: async (name) => ssm.delete(checked(name)),
  };
}

const SAFE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

function checked(name: string): string {
  if (!SAFE.test(name) || name.split('/').includes('..')) throw new Error(`not a secret name: ${name}`);
  return name;
}

class FileSecrets implements SecretStore {
  constructor(private readonly dir: string) {}
  newName(scope: string) {
    return checked(`${scope}/${randomUUID()}`);
  }
  private path(name: string) {
    return join(this.dir, `${checked(name)}.json`);
  }
  async put(name: string, value: string) {
    const path = this.path(name);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, value, { mode: 0o600 });
  }
  async get(name: string) {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async delete(name: string) {
    await rm(this.path(name), { force: true });
  }
}

let store: SecretStore | undefined;

/** The deployment's secret store: local files when ZONEFLOW_SECRETS_DIR is set, else SSM under SECRETS_PREFIX. */
export function secrets(): SecretStore {
  if (store) return store;
  const dir = process.env.ZONEFLOW_SECRETS_DIR;
  const prefix = process.env.SECRETS_PREFIX;
  if (dir) store = new FileSecrets(dir);
  else if (prefix) store = lazyParameters(prefix.replace(/\/+$/, ''));
  else throw new Error('Missing environment variable SECRETS_PREFIX (or ZONEFLOW_SECRETS_DIR locally)');
  return store;
}

const cache = new Map<string, Promise<string | undefined>>();

/** A secret by name, read once per container (names are never reused, so the value cannot change). */
export function cachedSecret(name: string): Promise<string | undefined> {
  let value = cache.get(name);
  if (!value) {
    value = secrets().get(name);
    value.catch(() => cache.delete(name));
    cache.set(name, value);
  }
  return value;
}
