// `npm run --silent token -- --role <role> [--department D] [--park P] [--enterprise E] [--sub S]`: prints one dev JWT.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { devIdentity, loadKeys, signToken } from './auth.ts';
import { dataDir } from './paths.ts';

const USAGE = `usage: npm run --silent token -- --role <role> [--department D] [--park P] [--enterprise E] [--sub S] [--name N] [--ttl seconds]
  roles: ${ROLES.join(', ')}
  The token is signed with the local runtime's key (ZONEFLOW_DATA_DIR, default .zoneflow/): run it where npm start runs.`;

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      department: { type: 'string' },
      park: { type: 'string' },
      enterprise: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(`--role is required, one of: ${ROLES.join(', ')}\n${USAGE}`);
  process.exit(2);
}
// A token is good only with the key of the store the runtime uses: with no store here (another ZONEFLOW_DATA_DIR, or
// npm start not run yet) a new key would be made quietly and every token signed with it refused (401).
const dir = dataDir();
const keys = loadKeys(dir);
if (!keys) {
  console.error(`no local runtime store at ${dir}: start it with npm start first, or set ZONEFLOW_DATA_DIR to the store it runs on (npm start prints the command)`);
  process.exit(2);
}
const { role: _r, ttl, help: _h, ...overrides } = values as Record<string, string | undefined>;
process.stdout.write(`${await signToken(keys, devIdentity(role, overrides), ttl ? Number(ttl) : undefined)}\n`);
