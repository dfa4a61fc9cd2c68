// The version rule of every aggregate (a project, a calendar year, a configuration): a committed change moves the
// version by exactly one from the version it was decided on, and stamps when it happened; a caller who pinned a
// version (If-Match) gets 412 when the aggregate is elsewhere. Stated once, here; the units of work apply it. One
// exception, on projects: a change that leaves the project's fields as read and writes only records beside it (a
// `touch`, projects/change.ts) moves the version by one from wherever it is when it commits.
import { PreconditionFailed } from './errors.ts';

export interface Versioned {
  readonly version: number;
  readonly updatedAt: string;
}

/** The version after a change decided on `current` (an aggregate with nothing stored yet is at version 0). */
export const nextVersion = (current: Pick<Versioned, 'version'> | undefined): number => (current?.version ?? 0) + 1;

/** The version-bump rule: the version read plus one, and the time of the change. */
export function bump<A extends Versioned>(next: A, current: Pick<Versioned, 'version'>, now: Date): A {
  return { ...next, version: nextVersion(current), updatedAt: now.toISOString() };
}

/** 412 when the caller pinned a version (If-Match) and `what` is at another. `current` 0: nothing stored yet. */
export function assertPinned(what: string, current: number, pinned: number | undefined): void {
  if (pinned !== undefined && pinned !== current) {
    throw new PreconditionFailed(current === 0 ? `${what} does not exist yet; send no If-Match (or "0")` : `${what} is at version ${current}, not ${pinned}`);
  }
}
