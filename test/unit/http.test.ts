// The HTTP edge: claims from the authorizer, validation messages naming the field, opaque cursors.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { principalFromClaims } from '../../functions/kernel/http/claims.ts';
import { randomBytes } from 'node:crypto';
import { asStartKey, seal, unseal } from '../../functions/kernel/http/cursor.ts';
import { CreateProjectBody } from '../../functions/projects/schemas.ts';
import { InventoryQuery } from '../../functions/inventory/schemas.ts';
import { fieldErrors, parse } from '../../functions/kernel/http/validation.ts';
import { isoDate, limit, pageSize } from '../../functions/kernel/http/schemas.ts';
import { Unauthorized, ValidationFailed } from '../../functions/kernel/domain/errors.ts';

describe('claims from the JWT authorizer', () => {
  it('reads Cognito groups passed as "[a b]" and custom attributes', () => {
    const p = principalFromClaims({ sub: 'u1', 'cognito:groups': '[park_center ops]', 'custom:park': '汇通产业园', 'cognito:username': 'li' });
    expect(p).toMatchObject({ sub: 'u1', name: 'li', roles: ['park_center', 'ops'], park: '汇通产业园' });
  });
  it('drops role names that are not zoneflow roles', () => {
    expect(principalFromClaims({ sub: 'u1', roles: '[admin ops]' }).roles).toEqual(['ops']);
  });
  it('takes ID tokens and refuses access tokens, which carry no name, park or enterprise', () => {
    expect(principalFromClaims({ sub: 'u1', token_use: 'id', 'cognito:groups': '[park_center]', 'custom:park': 'P' }).park).toBe('P');
    expect(() => principalFromClaims({ sub: 'u1', token_use: 'access', client_id: 'abc', 'cognito:groups': '[park_center]', scope: 'aws.cognito.signin.user.admin' })).toThrow(
      expect.objectContaining({ status: 401, message: 'Send the ID token, not an access token' }),
    );
    // Any other token_use (claims reach the handlers as text) is named as sent, not read as a kind of token.
    expect(() => principalFromClaims({ sub: 'u1', token_use: '5', roles: '[ops]' })).toThrow(expect.objectContaining({ status: 401, message: 'Send the ID token (token_use "id"); this one\'s token_use is "5"' }));
  });
  it('refuses an identity longer than the user pool keeps (128 characters): it would be a key too long for DynamoDB, a 500', () => {
    const long = 'x'.repeat(3000);
    for (const claims of [{ sub: long }, { sub: 'u1', 'custom:park': long }, { sub: 'u1', park: long }, { sub: 'u1', enterprise: long }, { sub: 'u1', 'custom:department': long }]) {
      expect(() => principalFromClaims({ 'cognito:groups': '[park_center enterprise]', ...claims }), Object.keys(claims).join()).toThrow(expect.objectContaining({ status: 401, message: expect.stringContaining('128') }));
    }
    const edge = 'x'.repeat(128);
    expect(principalFromClaims({ sub: edge, 'custom:park': edge, 'cognito:groups': '[park_center]' })).toMatchObject({ sub: edge, park: edge });
  });
  it('records a display name longer than 128 characters by its start (it keys nothing: the user is not refused)', () => {
    const name = `${'张'.repeat(126)}😀😀😀`;
    const p = principalFromClaims({ sub: 'u1', name, roles: '[ops]' });
    expect(Array.from(p.name)).toHaveLength(128);
    expect(p.name).toBe(`${'张'.repeat(126)}😀…`);
    expect(principalFromClaims({ sub: 'u1', name: 'x'.repeat(128) }).name).toBe('x'.repeat(128));
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
        { path: 'extra', code: 'unknown_field', message: 'unknown field' },
        { path: 'investor.foo', code: 'unknown_field', message: 'unknown field' },
      ]),
    );
  });
  it('wrong types and missing fields', () => {
    const errors = paths({ name: 'x', totalInvestmentCny: '12' });
    expect(errors).toContainEqual({ path: 'totalInvestmentCny', code: 'type', message: 'expected number' });
    expect(errors).toContainEqual({ path: 'track', code: 'required', message: 'is required' });
  });
  it('one bound per side for a number past several: the field’s own, the tightest', () => {
    expect(paths({ totalInvestmentCny: 1e308 }).filter((e) => e.path === 'totalInvestmentCny')).toEqual([{ path: 'totalInvestmentCny', code: 'too_big', message: 'must be ≤ 10000000000000' }]);
    expect(paths({ totalInvestmentCny: -1e308 }).filter((e) => e.path === 'totalInvestmentCny')).toEqual([{ path: 'totalInvestmentCny', code: 'too_small', message: 'must be > 0' }]);
    // Bounds of different fields, and a string's length, are each kept.
    const both = paths({ name: 'x'.repeat(201), totalInvestmentCny: 1e308, targets: { jobs: 1e308 } });
    expect(both.filter((e) => e.message.startsWith('must')).map((e) => e.path).sort()).toEqual(['name', 'targets.jobs', 'totalInvestmentCny']);
  });
  it('array items are addressed by index', () => {
    const r = z.strictObject({ a: z.array(z.int()) }).safeParse({ a: [1, "x"] }, { reportInput: true });
    expect(r.success ? [] : fieldErrors(r.error.issues)).toEqual([{ path: 'a[1]', code: 'type', message: 'expected number' }]);
  });
  it('says what is wrong with a page size and a date by their codes: out_of_range for 0 or 500, format for 12a or 2026-02-30', () => {
    const schema = z.strictObject({ limit, a: z.optional(isoDate()) });
    const errors = (data: unknown) => {
      const r = schema.safeParse(data, { reportInput: true });
      return r.success ? [] : fieldErrors(r.error.issues);
    };
    expect(errors({ limit: '0' })).toEqual([{ path: 'limit', code: 'out_of_range', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '500' })).toEqual([{ path: 'limit', code: 'out_of_range', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '12a' })).toEqual([{ path: 'limit', code: 'format', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '-1' })).toEqual([{ path: 'limit', code: 'out_of_range', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '1.5' })).toEqual([{ path: 'limit', code: 'format', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '10000000000000' })).toEqual([{ path: 'limit', code: 'out_of_range', message: 'must be an integer from 1 to 100' }]);
    expect(errors({ limit: '100' })).toEqual([]);
    expect(errors({ limit: '1' })).toEqual([]);
    expect(errors({ limit: '007' })).toEqual([]);
    expect(errors({ a: '2026-02-30' })).toEqual([{ path: 'a', code: 'format', message: 'must be a real YYYY-MM-DD date from 2000 to 2099' }]);
    expect(errors({ a: '26-02-28' })).toEqual([{ path: 'a', code: 'format', message: 'must be a real YYYY-MM-DD date from 2000 to 2099' }]);
    expect(errors({ a: '1999-12-31' })).toEqual([{ path: 'a', code: 'out_of_range', message: 'must be a real YYYY-MM-DD date from 2000 to 2099' }]);
    expect(errors({ a: '2026-02-28' })).toEqual([]);
    // The ledger export's file size: the same rule to 5,000.
    const exportSize = z.strictObject({ limit: z.optional(pageSize(5000)) });
    const sized = (limit: string) => {
      const r = exportSize.safeParse({ limit }, { reportInput: true });
      return r.success ? [] : fieldErrors(r.error.issues).map((e) => e.code);
    };
    expect([sized('5000'), sized('5001'), sized('0'), sized('5e3')]).toEqual([[], ['out_of_range'], ['out_of_range'], ['format']]);
  });
  it('one error per wrong field: an inventory filter that is not a number is told so once, not also "must be ≤ 100000000"', () => {
    const r = InventoryQuery.safeParse({ minAreaM2: 'abc', maxAreaM2: '1e9' }, { reportInput: true });
    expect(r.success ? [] : fieldErrors(r.error.issues, ['query'])).toEqual([
      { path: 'query.minAreaM2', code: 'format', message: 'a non-negative number' },
      { path: 'query.maxAreaM2', code: 'format', message: 'a non-negative number' },
    ]);
  });
  it('keeps each rule the body as a whole fails (one error per field is for fields)', () => {
    const schema = z.object({ a: z.optional(z.int()), b: z.optional(z.int()) }).check(
      z.refine((v) => v.a !== undefined, { message: 'send a' }),
      z.refine((v) => v.b !== undefined, { message: 'send b' }),
    );
    const r = schema.safeParse({}, { reportInput: true });
    expect((r.success ? [] : fieldErrors(r.error.issues, ['doc'])).map((e) => `${e.path} ${e.message}`)).toEqual(['doc send a', 'doc send b']);
  });
  it('counts items and characters in good English: 1 item, 2 items', () => {
    const schema = z.strictObject({ a: z.array(z.int()).check(z.minLength(1)), b: z.array(z.int()).check(z.maxLength(2)), c: z.string().check(z.minLength(1)), d: z.string().check(z.maxLength(3)) });
    const r = schema.safeParse({ a: [], b: [1, 2, 3], c: '', d: 'abcd' }, { reportInput: true });
    expect((r.success ? [] : fieldErrors(r.error.issues)).map((e) => `${e.path} ${e.message}`)).toEqual([
      'a must have at least 1 item',
      'b must have at most 2 items',
      'c must have at least 1 character',
      'd must have at most 3 characters',
    ]);
  });
  it('names at most 50 of a body\'s wrong fields and says how many more: 2,704 unknown keys (a 19 KB body) were answered with every one, twice, in 222 KB', () => {
    const body = Object.fromEntries(Array.from({ length: 2704 }, (_, i) => [`k${i}`, 0]));
    let thrown: unknown;
    try {
      parse(z.strictObject({ kind: z.optional(z.string()) }), body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationFailed);
    const err = thrown as ValidationFailed;
    expect(err.errors).toHaveLength(50);
    expect(err.errors?.[0]).toEqual({ path: 'k0', code: 'unknown_field', message: 'unknown field' });
    expect(err.errors?.[49]?.path).toBe('k49');
    expect(err.message).toMatch(/^k0: unknown field; .*k49: unknown field; and 2654 more fields are not valid \(the first 50 are listed\)$/);
    expect(err.message).not.toContain('k50:');
  });
  it('names every wrong field when there are 50 or fewer', () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 0]));
    let thrown: unknown;
    try {
      parse(z.strictObject({}), body);
    } catch (err) {
      thrown = err;
    }
    const err = thrown as ValidationFailed;
    expect(err.errors).toHaveLength(50);
    expect(err.message).not.toContain('more');
    expect(err.message.endsWith('k49: unknown field')).toBe(true);
  });
});

describe('pagination cursors', () => {
  const key = randomBytes(32);
  const scope = { list: 'ledger [["stage","SIGNING"]]', caller: 'u-leader' };
  const position = { pk: 'PROJECT#prj-1', sk: 'PROJECT', gsiStage: 'SIGNING', gsiLedgerSk: '2026-11-26T00:00:00Z#prj-1' };

  it('round-trip for the list and the caller they were made for', () => {
    expect(unseal(key, scope, seal(key, scope, position))).toEqual(position);
  });

  it('are opaque: the ids they hold cannot be read from them', () => {
    const cursor = seal(key, scope, position);
    expect(Buffer.from(cursor.slice(2), 'base64url').toString('latin1')).not.toContain('prj-1');
    expect(cursor).not.toContain('prj');
  });

  it('are refused for another list, another caller, another key, or when tampered with', () => {
    const cursor = seal(key, scope, position);
    expect(() => unseal(key, { ...scope, list: 'ledger [["stage","LANDING"]]' }, cursor)).toThrow(ValidationFailed);
    expect(() => unseal(key, { ...scope, caller: 'u-other' }, cursor)).toThrow(ValidationFailed);
    expect(() => unseal(randomBytes(32), scope, cursor)).toThrow(ValidationFailed);
    const flipped = cursor.slice(0, 20) + (cursor[20] === 'A' ? 'B' : 'A') + cursor.slice(21);
    expect(() => unseal(key, scope, flipped)).toThrow(ValidationFailed);
    for (const junk of ['', 'c1', 'not-a-cursor', 'c1!!!!', `c1${'A'.repeat(40)}`]) expect(() => unseal(key, scope, junk)).toThrow(ValidationFailed);
  });

  it('hold only start keys of the list\'s exact shape', () => {
    expect(asStartKey(position, ['pk', 'sk', 'gsiStage', 'gsiLedgerSk'])).toEqual(position);
    expect(() => asStartKey({ ...position, evil: 'x' }, ['pk', 'sk', 'gsiStage', 'gsiLedgerSk'])).toThrow(ValidationFailed);
    expect(() => asStartKey({ pk: 'P', sk: { S: 'x' } }, ['pk', 'sk'])).toThrow(ValidationFailed);
    expect(() => asStartKey(['pk'], ['pk'])).toThrow(ValidationFailed);
  });
});

