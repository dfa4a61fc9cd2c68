// The test's own reading of CloudWatch Logs JSON filter patterns (test/support/log-filter.ts), on which the infra test
// decides whether an alarm's filter counts the product's real log lines.
import { describe, expect, it } from 'vitest';
import { filterMatches } from '../support/log-filter.ts';

const line = JSON.stringify({ timestamp: 't', level: 'ERROR', message: { level: 'error', message: 'workflow step failed', projectId: 'prj-1', err: { name: 'TypeError' } } });

describe('a JSON metric filter pattern', () => {
  it('matches a string field equal to the value, whole (not a part of it), quoted or bare', () => {
    expect(filterMatches('{ $.message.message = "workflow step failed" }', line)).toBe(true);
    expect(filterMatches('{ $.message.message = "workflow step" }', line)).toBe(false);
    expect(filterMatches('{ $.level = ERROR }', line)).toBe(true);
  });

  it('matches nothing where the field is missing or not a string: the lone line kept as a string, an object', () => {
    expect(filterMatches('{ $.message.message = "workflow step failed" }', JSON.stringify({ level: 'ERROR', message: JSON.stringify({ message: 'workflow step failed' }) }))).toBe(false);
    expect(filterMatches('{ $.message = "workflow step failed" }', line)).toBe(false);
    expect(filterMatches('{ $.message.nothing = "*" }', line)).toBe(false);
    expect(filterMatches('{ $.message.message = "workflow step failed" }', 'workflow step failed')).toBe(false);
  });

  it('reads * as any characters, and && and || with parentheses', () => {
    expect(filterMatches('{ $.message.message = "workflow*" }', line)).toBe(true);
    expect(filterMatches('{ $.message.message = "*step*" && $.level = "ERROR" }', line)).toBe(true);
    expect(filterMatches('{ ($.level = "WARN" || $.level = "ERROR") && $.message.projectId = "prj-2" }', line)).toBe(false);
    expect(filterMatches('{ $.level = "WARN" || $.message.projectId = "prj-1" }', line)).toBe(true);
  });

  it('refuses what it cannot read rather than answer', () => {
    expect(() => filterMatches('{ $.message.count > 1 }', line)).toThrow(/not supported/);
    expect(() => filterMatches('{ $.message.message != "x" }', line)).toThrow(/not supported/);
    expect(() => filterMatches('{ $.message.count = 1 }', line)).toThrow(/numeric/);
    expect(() => filterMatches('"workflow step failed"', line)).toThrow(/not a JSON pattern/);
    expect(() => filterMatches('{ $.level = "ERROR" && }', line)).toThrow(/ends too soon/);
  });
});
