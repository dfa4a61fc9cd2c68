// The HTTP edge: claims from the authorizer, validation messages naming the field, opaque cursors.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { principalFromClaims } from '../../functions/http/claims.ts';
import { decodeCursor, encodeCursor } from '../../functions/http/cursor.ts';
import { CreateProjectBody } from '../../functions/http/schemas/project.ts';
import { fieldErrors } from '../../functions/http/validation.ts';
import { Unauthorized, ValidationFailed } from '../../functions/domain/errors.ts';

describe('claims from the JWT authorizer', () => {
  it('reads Cognito groups passed as "[a b]" and custom attributes', () => {
    const p = principalFromClaims({ sub: 'u1', 'cognito:groups': '[park_center ops]', 'custom:park': '汇通产业园', 'cognito:username': 'li' });
    expect(p).toMatchObject({ sub: 'u1', name: 'li', roles: ['park_center', 'ops'], park: '汇通产业园' });
  });
  it('drops role names that are not zoneflow roles', () => {
    expect(principalFromClaims({ sub: 'u1', roles: '[admin ops]' }).roles).toEqual(['ops']);
  });
  it('refuses a request with no verified claims', () => {
    expect(() => principalFromClaims(undefined)).toThrow(Unauthorized);
    expect(() => principalFromClaims({ name: 'no subject' })).toThrow(Unauthorized);
  });
});

describe('validation errors name the field', () => {
  const paths = (data: unknown) => {
    const r = CreateProjectBody.safeParse(data, { reportInput: true });
    return r.success ? [] : fieldErrors(r.error.issues);
  };
  it('unknown fields at any depth', () => {
    expect(paths({ extra: 1, investor: { name: 'a', enterpriseId: 'e', foo: 2 } })).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'unknown field' },
        { path: 'investor.foo', message: 'unknown field' },
      ]),
    );
  });
  it('wrong types and missing fields', () => {
    const errors = paths({ name: 'x', totalInvestmentCny: '12' });
    expect(errors).toContainEqual({ path: 'totalInvestmentCny', message: 'expected number' });
    expect(errors).toContainEqual({ path: 'track', message: 'is required' });
  });
  it('array items are addressed by index', () => {
    const r = z.strictObject({ a: z.array(z.int()) }).safeParse({ a: [1, "x"] }, { reportInput: true });
    expect(r.success ? [] : fieldErrors(r.error.issues)).toEqual([{ path: 'a[1]', message: 'expected number' }]);
  });
});

describe('pagination cursors', () => {
  it('round-trip for the list they were made for', () => {
    const c = encodeCursor('byStage', { pk: 'P', sk: 'S', gsiStage: 'SIGNING', gsiLedgerSk: 'x' });
    expect(decodeCursor('byStage', c!, ['pk', 'sk', 'gsiStage', 'gsiLedgerSk'])).toEqual({ pk: 'P', sk: 'S', gsiStage: 'SIGNING', gsiLedgerSk: 'x' });
  });
  it('are refused on another list, tampered, or with extra keys', () => {
    const c = encodeCursor('byStage', { pk: 'P', sk: 'S', gsiStage: 'SIGNING', gsiLedgerSk: 'x' })!;
    expect(() => decodeCursor('byPark', c, ['pk', 'sk', 'gsiPark', 'gsiLedgerSk'])).toThrow(ValidationFailed);
    expect(() => decodeCursor('byStage', 'not-a-cursor', ['pk'])).toThrow(ValidationFailed);
    const extra = Buffer.from(JSON.stringify({ i: 'byStage', k: { pk: 'P', evil: { S: 'x' } } })).toString('base64url');
    expect(() => decodeCursor('byStage', extra, ['pk', 'sk', 'gsiStage', 'gsiLedgerSk'])).toThrow(ValidationFailed);
  });
  it('is null at the end of a list', () => {
    expect(encodeCursor('byStage', undefined)).toBeNull();
  });
});
