// Content negotiation (kernel/http/negotiate.ts): Accept with q-values picks among what a route offers; nothing
// acceptable is a 406.
import { describe, expect, it } from 'vitest';
import { negotiate, NotAcceptable } from '../../functions/kernel/http/negotiate.ts';

const letter = ['application/json', 'text/html'] as const;

describe('negotiate', () => {
  it('takes the first offered without an Accept, or with */*', () => {
    expect(negotiate(undefined, letter)).toBe('application/json');
    expect(negotiate('', letter)).toBe('application/json');
    expect(negotiate('*/*', letter)).toBe('application/json');
  });
  it('follows q-values, not the mere mention of a type', () => {
    expect(negotiate('text/html', letter)).toBe('text/html');
    expect(negotiate('text/html;q=0.1, application/json', letter)).toBe('application/json');
    expect(negotiate('application/json;q=0.5, text/html', letter)).toBe('text/html');
    // A browser opening the letter: HTML first, everything else at 0.8.
    expect(negotiate('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', letter)).toBe('text/html');
    expect(negotiate('text/*', letter)).toBe('text/html');
    expect(negotiate('text/html;q=0, */*', letter)).toBe('application/json');
  });
  it('refuses (406) an Accept that takes nothing offered', () => {
    expect(() => negotiate('application/pdf', letter)).toThrow(NotAcceptable);
    expect(() => negotiate('application/json;q=0', ['application/json'])).toThrow(NotAcceptable);
    try {
      negotiate('image/png', letter);
    } catch (err) {
      expect((err as NotAcceptable).status).toBe(406);
    }
  });
});
