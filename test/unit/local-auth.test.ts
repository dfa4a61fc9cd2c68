// The local gateway's token check (local/auth.ts) refuses what API Gateway's JWT authorizer refuses on AWS: besides the
// signature, issuer, audience and algorithm, a token must carry `exp` (one without would never expire), may not have
// been issued in the future (`iat`), and must name the signing key (`kid`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createVerifier, devIdentity, LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKeys, signToken } from '../../local/auth.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = await loadOrCreateKeys(dir);
const verify = await createVerifier(keys);
const key = await importJWK(keys.privateJwk, 'ES256');
const now = Math.floor(Date.now() / 1000);
const token = (edit: (jwt: SignJWT) => SignJWT, kid = keys.kid) =>
  edit(new SignJWT({ roles: ['ops'], token_use: 'id' }).setProtectedHeader({ alg: 'ES256', ...(kid ? { kid } : {}) }).setSubject('u').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE)).sign(key);

describe('local token verification', () => {

  it('takes a dev token, and one issued and expiring as Cognito does', async () => {
    expect((await verify(await signToken(keys, devIdentity('ops')))).sub).toBe('dev-ops');
    expect((await verify(await token((j) => j.setIssuedAt(now).setExpirationTime(now + 600)))).sub).toBe('u');
  });

  it('refuses a token without exp: it would never expire', async () => {
    await expect(verify(await token((j) => j.setIssuedAt(now)))).rejects.toThrow(/exp/);
  });

  it('refuses a token issued in the future (iat after now)', async () => {
    await expect(verify(await token((j) => j.setIssuedAt(now + 3600).setExpirationTime(now + 7200)))).rejects.toThrow(/iat/);
  });

  it('refuses a token naming another key, or none', async () => {
    await expect(verify(await token((j) => j.setExpirationTime(now + 600), 'another-key'))).rejects.toThrow(/kid/);
    await expect(verify(await token((j) => j.setExpirationTime(now + 600), ''))).rejects.toThrow(/kid/);
  });
});
