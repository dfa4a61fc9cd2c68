// `npm run --silent token -- --role <role> [--department D] [--park P] [--enterprise E] [--sub S]`: prints one dev JWT.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../functions/kernel/domain/codes.ts';
import { devIdentity, loadOrCreateKeys, signToken } from './auth.ts';
import { dataDir } from './paths.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    department: { type: 'string' },
    park: { type: 'string' },
    enterprise: { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    ttl: { type: 'string' },
  },
});
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(`--role is required, one of: ${ROLES.join(', ')}`);
  process.exit(2);
}
const keys = await loadOrCreateKeys(dataDir());
const { role: _r, ttl, ...overrides } = values;
process.stdout.write(`${await signToken(keys, devIdentity(role, overrides), ttl ? Number(ttl) : undefined)}\n`);
