// The local console's dev-token route answers only a page on this machine: a loopback peer and a localhost Host.
import { describe, expect, it } from 'vitest';
import { isLocalPage } from '../../local/console.ts';

const req = (remoteAddress: string, host?: string) => ({ socket: { remoteAddress }, headers: host === undefined ? {} : { host } }) as Parameters<typeof isLocalPage>[0];

describe('who may receive a dev token', () => {
  it('a page on localhost, over IPv4 or IPv6 loopback', () => {
    expect(isLocalPage(req('127.0.0.1', 'localhost:3000'))).toBe(true);
    expect(isLocalPage(req('::1', 'localhost:3000'))).toBe(true);
    expect(isLocalPage(req('::ffff:127.0.0.1', '127.0.0.1:3000'))).toBe(true);
    expect(isLocalPage(req('::1', '[::1]:3000'))).toBe(true);
  });

  it('not another machine, even naming localhost', () => {
    expect(isLocalPage(req('10.0.0.5', 'localhost:3000'))).toBe(false);
  });

  it('not a page of another site rebound to 127.0.0.1, nor a request without a Host', () => {
    expect(isLocalPage(req('127.0.0.1', 'attacker.example:3000'))).toBe(false);
    expect(isLocalPage(req('127.0.0.1', 'localhost.attacker.example'))).toBe(false);
    expect(isLocalPage(req('127.0.0.1'))).toBe(false);
  });
});
