// Shared expectations on problem+json answers (RFC 9457), as api.md requires for every error.
import { expect } from 'vitest';
import { FIELD_ERROR_CODES } from '../../functions/kernel/domain/errors.ts';
import type { Problem, Reply } from './events.ts';

/**
 * Asserts an RFC 9457 problem with `status`, every field error with a path, a message and one of the stable codes, and
 * (when given) that its errors name exactly these field paths.
 */
export function expectProblem(reply: Reply, status: number, paths?: readonly string[]): Problem {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.contentType).toMatch(/^application\/problem\+json/);
  const problem = reply.body as unknown as Problem;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  expect(reply.text).not.toMatch(/\bat .+\.ts:\d+/); // never a stack trace
  for (const e of problem.errors ?? []) expect(e).toEqual({ path: expect.any(String), code: expect.toBeOneOf([...FIELD_ERROR_CODES]), message: expect.any(String) });
  if (paths) expect((problem.errors ?? []).map((e) => e.path)).toEqual(paths);
  return problem;
}

/** The error `f` throws (a domain refusal, read for its class, message and field errors); fails when it throws none. */
export function errorOf(f: () => unknown): Error & { errors?: unknown } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
