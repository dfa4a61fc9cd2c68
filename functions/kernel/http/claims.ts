// Identity from the claims the JWT authorizer verified (API Gateway passes them as strings; arrays as "[a b]").
import { ROLES, type Role } from '#kernel/domain/codes.ts';
import { Unauthorized } from '#kernel/domain/errors.ts';
import type { Principal } from '#kernel/domain/principal.ts';

type Claims = Record<string, string | number | boolean | string[] | undefined>;

function list(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        return [];
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}

const str = (value: Claims[string]) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The longest identity the user pool issues: a custom attribute (department, enterprise, park) holds at most 128
 * characters (infra/constructs/auth.ts), a sub is a UUID. The identity keys DynamoDB items and index queries (an
 * idempotency scope, an audit actor, a park's or enterprise's partition), whose keys hold 2 KB at most: a longer one
 * would fail in the store, a 500 — it is refused as a token this API does not take.
 */
export const MAX_IDENTITY_CHARS = 128;

function bounded(claim: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.length > MAX_IDENTITY_CHARS) throw new Unauthorized(`The token's ${claim} is longer than ${MAX_IDENTITY_CHARS} characters: not an identity this API issues`);
  return value;
}

/**
 * A display name as recorded (audit actors, completions, letters): its first MAX_IDENTITY_CHARS characters, with … when
 * longer. Unlike the keys above it keys nothing, and Cognito's standard `name` holds up to 2,048 characters: a user
 * whose name is that long still works, shown by its start (a 330-character name was stored whole on every record).
 */
function displayName(value: string): string {
  const chars = Array.from(value);
  return chars.length > MAX_IDENTITY_CHARS ? `${chars.slice(0, MAX_IDENTITY_CHARS - 1).join('')}…` : value;
}

/** Local tokens carry `roles`, `department`…; Cognito tokens carry `cognito:groups`, `custom:department`…: both map here. */
export function principalFromClaims(claims: Claims | undefined): Principal {
  if (!claims) throw new Unauthorized();
  const sub = bounded('sub', str(claims.sub));
  if (!sub) throw new Unauthorized('The token has no subject');
  // ID tokens only: they carry the name, department, park and enterprise the API authorizes by. Cognito access tokens
  // carry none of them (the JWT authorizer accepts both, matching client_id as readily as aud), so one would act as a
  // user without a park or enterprise: refused outright.
  const use = str(claims.token_use);
  if (use !== undefined && use !== 'id') throw new Unauthorized(use === 'access' ? 'Send the ID token, not an access token' : `Send the ID token (token_use "id"); this one's token_use is ${JSON.stringify(use.slice(0, 40))}`);
  const roles = [...list(claims.roles), ...list(claims['cognito:groups'])].filter((r): r is Role =>
    (ROLES as readonly string[]).includes(r),
  );
  return {
    sub,
    name: displayName(str(claims.name) ?? str(claims['cognito:username']) ?? sub),
    roles: [...new Set(roles)],
    department: bounded('department', str(claims.department) ?? str(claims['custom:department'])),
    enterprise: bounded('enterprise', str(claims.enterprise) ?? str(claims['custom:enterprise'])),
    park: bounded('park', str(claims.park) ?? str(claims['custom:park'])),
  };
}
