// Local JWTs: the same claims the Cognito authorizer verifies on AWS, signed with a persisted ES256 dev key and
// verified here as the authorizer does: key id, issuer, audience, expiry (required), iat and algorithm pinned (alg "none"
// and HS256 forgeries are refused).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ROLE_LABELS, type Role } from '../functions/kernel/domain/codes.ts';
import type { Principal } from '../functions/kernel/domain/principal.ts';
import { writeWhole } from './files.ts';

export const LOCAL_ISSUER = 'https://zoneflow.local/issuer';
export const LOCAL_AUDIENCE = 'zoneflow-api';
const ALG = 'ES256';

export interface DevKeys {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** The dev signing key of the store in the data dir; undefined when it has none (no runtime has started on it). */
export function loadKeys(dataDir: string): DevKeys | undefined {
  const file = join(dataDir, 'dev-keys.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevKeys) : undefined;
}

/** Loads the dev signing key from the data dir, creating it once; tokens stay valid across restarts. */
export async function loadOrCreateKeys(dataDir: string): Promise<DevKeys> {
  const kept = loadKeys(dataDir);
  if (kept) return kept;
  const file = join(dataDir, 'dev-keys.json');
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const keys: DevKeys = { kid: `dev-${Date.now().toString(36)}`, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  mkdirSync(dataDir, { recursive: true });
  // Written whole: a start killed here leaves no key (the next makes one), not half of one no start can read.
  writeWhole(file, JSON.stringify(keys), 0o600);
  return keys;
}

/** A dev token carries exactly the identity a handler reads from verified claims. */
export type TokenClaims = Principal;

export async function signToken(keys: DevKeys, claims: TokenClaims, ttlSeconds = 12 * 3600): Promise<string> {
  const key = await importJWK(keys.privateJwk, ALG);
  // token_use as Cognito's ID tokens have it: the API takes ID tokens only.
  return new SignJWT({ ...claims, roles: [...claims.roles], token_use: 'id' })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key);
}

export type Verifier = (token: string) => Promise<JWTPayload>;

/**
 * As API Gateway's JWT authorizer checks a token: its kid names the signing key, its issuer, audience and algorithm are
 * the ones configured, exp is after now (a token without one is refused: it would never expire), nbf and iat before now.
 */
export async function createVerifier(keys: DevKeys): Promise<Verifier> {
  const key = await importJWK(keys.publicJwk, ALG);
  return async (token) => {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        if (header.kid !== keys.kid) throw new Error(`"kid" (key id) ${header.kid === undefined ? 'missing' : 'names no key of this issuer'}`);
        return key;
      },
      { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG], requiredClaims: ['exp'] },
    );
    if (payload.iat !== undefined && payload.iat > Date.now() / 1000) throw new Error('"iat" claim timestamp check failed (the token was issued in the future)');
    return payload;
  };
}

export const DEMO_PARK = '汇通产业园';
export const DEMO_ENTERPRISE = 'ent-a';

/** The dev identity of a role: one user per role, the park user serving the demo park, the enterprise ent-a. */
export function devIdentity(role: Role, overrides: Partial<Omit<TokenClaims, 'roles'>> = {}): TokenClaims {
  const base: TokenClaims = {
    sub: `dev-${role}`,
    name: `${ROLE_LABELS[role].zh}（开发）`,
    roles: [role],
    ...(role === 'enterprise' ? { enterprise: DEMO_ENTERPRISE } : { department: ROLE_LABELS[role].zh }),
    ...(role === 'park_center' ? { park: DEMO_PARK } : {}),
  };
  return { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}
