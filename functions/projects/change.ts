// The unit of work of the project aggregate (the project and its tasks, gates, meetings and records): load (visible to
// the caller, at the version it pinned) → the domain decides → version bump → audit event → notices → outbox signal →
// idempotency record (HTTP) — committed together, retried by the one policy in kernel/unit-of-work.ts. Every change of
// a project, by a user or by the workflow, goes through here.
import { assertCanRead, type Principal } from '#kernel/domain/principal.ts';
import { Forbidden, NotFound } from '#kernel/domain/errors.ts';
import { diff, type AuditRecord } from '#kernel/domain/values.ts';
import type { ApiResult } from '#kernel/http/route.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { transactGroups, type WriteOp } from '#kernel/store/client.ts';
import { signalOp, type Signal } from '#kernel/store/outbox.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { bump, retrying } from '#kernel/unit-of-work.ts';
import { noticeOps } from '#notifications/notifier.ts';
import { withoutReleasedMeanwhile } from '#inventory/released-meanwhile.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { assertVersion, type Project } from './domain/project.ts';
import { loadProject, projectAtVersion, projectSubject, replaceProject, touchProject, type TouchGuard } from './store/projects.ts';

/** What the domain decided a change is. */
export interface ProjectChange {
  /** The project after the decision, as the domain returns it: the unit of work bumps its version. */
  readonly project: Project;
  /** The audit action (`task.completed`, `gate.approve`, …). */
  readonly action: string;
  /** Audit details beside the project's own before/after (merged into them). */
  readonly audit?: { readonly before?: Record<string, unknown>; readonly after?: Record<string, unknown> };
  /** Other items of the aggregate, written in the same transaction (tasks, gate, approvals, meeting records…). */
  readonly writes?: readonly WriteOp[];
  /** Further audit events of the change (a stage passed, a gate overdue), beside its own before/after. */
  readonly events?: readonly AuditRecord[];
  /**
   * Audit events the change records before its own: what was owed before it happened (the rung a late midnight review
   * had not raised yet, before an extension resets the ladder), so the timeline reads in the order things were due.
   */
  readonly owed?: readonly AuditRecord[];
  /**
   * Bounded atomic groups written before the project's own transaction (each all-or-nothing; packed ≤ 100 items a
   * transaction): for write sets users can grow, such as the lights of a day on which 150 obligations fall due.
   */
  readonly groups?: readonly ChangeGroup[];
  /**
   * Records only: the project itself is not written and its version does not move — the audit event, notices and
   * writes of something that happened without changing it (a late failure of an execution it has moved on from).
   */
  readonly recordOnly?: boolean;
  /**
   * The change leaves the project's own fields as they were read (`project` must be the very object `decide` was given)
   * and writes only records beside it, each under its own condition (an approval, with the gate counted): the project
   * is not replaced on the version read but has its version moved on by one while it still meets the guard: active at
   * this stage in this park, holding the same reservations when given (touchProject). Another change of the project in
   * between then does not refuse this one. Only for a change whose every precondition is in those conditions, and never
   * when the caller pinned a version with If-Match.
   */
  readonly touch?: TouchGuard;
  /** What the change tells people: written in the transaction that carries the change. */
  readonly notices?: readonly Notice[];
  /** The workflow signal: by default an API change wakes the project's lifecycle; `null` for none. */
  readonly signal?: Signal | null;
}

/** Items that commit together or not at all, with what they record and tell (one task's light and its notices). */
export interface ChangeGroup {
  readonly writes: readonly WriteOp[];
  readonly events?: readonly AuditRecord[];
  readonly notices?: readonly Notice[];
}

interface WriteRequestLike {
  readonly principal: Principal;
  readonly ifMatch: number | undefined;
  readonly requestId: string;
  commit(ops: readonly WriteOp[], response: ApiResult): Promise<ApiResult>;
  commitGroups(groups: readonly (readonly WriteOp[])[], ops: readonly WriteOp[], response: ApiResult, guard: WriteOp): Promise<ApiResult>;
}

/**
 * The project a change applies to: visible to the caller (else 404) and the caller allowed to make it (`authorize`,
 * else 403). Its version against the one the caller pinned is checked by changeProject, after who may decide.
 */
async function loadForChange(id: string, principal: Principal, authorize?: (project: Project) => void): Promise<Project> {
  const project = await loadProject(id);
  assertCanRead(principal, project);
  authorize?.(project);
  return project;
}

function operations(current: Project, change: ProjectChange, by: Principal, now: Date, requestId?: string, defaultSignal?: Signal): { next: Project; ops: WriteOp[] } {
  // What it owed first, then the change's own event, then its further events in the order the domain gave them (one
  // instant: ordered by id).
  const owed = change.owed ?? [];
  const record = (events: readonly AuditRecord[] | undefined, from: number) => (events ?? []).map((e, i) => auditOp(subject, e.action, by, e, now, requestId, from + i));
  if (change.touch && (change.project !== current || change.recordOnly)) throw new Error(`${change.action}: a touch leaves the project as read, and moves its version`);
  // After a touch: the version this change made, unless another change came between (then a stale ETag, which If-Match
  // turns into a 412, never into a write on a state the caller did not see).
  const next = change.recordOnly ? current : bump(change.project, current, now);
  const subject = projectSubject(next);
  const d = diff(current, next);
  const signal = change.signal === undefined ? defaultSignal : change.signal;
  // A wake-up needs the version to move: a lifecycle between its review and its wait finds no wait to wake, and only
  // register-wait's version check tells it something changed — a record-only change with a wake-up would be lost there.
  if (change.recordOnly && signal?.kind === 'wake') throw new Error(`${change.action}: a record-only change leaves the version, so it cannot wake the lifecycle (touch the project instead)`);
  const own = change.recordOnly ? [] : change.touch ? [touchProject(current.id, change.touch, now)] : replaceProject(next, current);
  return {
    next,
    ops: [
      ...own,
      ...record(owed, 0),
      auditOp(subject, change.action, by, { before: { ...d.before, ...change.audit?.before }, after: { ...d.after, ...change.audit?.after } }, now, requestId, owed.length),
      ...record(change.events, owed.length + 1),
      ...(change.writes ?? []),
      ...noticeOps(change.notices ?? [], now),
      ...(signal ? [signalOp(signal, requestId)] : []),
    ],
  };
}

/** The bounded groups of a change as write sets, each with its own audit events and notices. */
function groupOps(project: Pick<Project, 'id' | 'name'>, change: ProjectChange, by: Principal, now: Date): WriteOp[][] {
  return (change.groups ?? []).map((g) => [
    ...g.writes,
    ...(g.events ?? []).map((e, i) => auditOp(projectSubject(project), e.action, by, e, now, undefined, (change.owed?.length ?? 0) + i + 1)),
    ...noticeOps(g.notices ?? [], now),
  ]);
}

/**
 * A user's change of a project: `decide` gets the current project and returns the change (or throws the domain's
 * refusal); `respond` makes the answer from the project as committed. A change that lost a race is decided again on
 * the new state (not when the caller pinned If-Match and the project moved). An answer that shows the project asks
 * `shown()` for it as every answer shows it: without the holdings a half-done release of everything gave back already
 * (read before the commit, once an attempt, and only while such a release can be under way). An answer that does not
 * show it (a reservation, a letter) does not ask, and reads nothing. `attempts`: more for a change many issue at
 * once on one counter (letter numbers). `alongside`: what the decision reads besides the project that does not depend on
 * it (the project's tasks, its gate, the configuration in force), read at the same time as the project on every attempt
 * and handed to `decide`: one round trip instead of two. Nothing of it is shown before the caller's right to read the
 * project is checked. `notFound`: the 404 when the project is missing or not the caller's to read.
 */
export function changeProject<L = undefined>(
  req: WriteRequestLike,
  projectId: string,
  decide: (project: Project, now: Date, alongside: L) => Promise<ProjectChange> | ProjectChange,
  respond: (next: Project, change: ProjectChange, shown: () => Promise<Project>) => ApiResult | Promise<ApiResult>,
  options: { readonly attempts?: number; readonly alongside?: () => Promise<L>; readonly notFound?: () => NotFound; readonly authorize?: (project: Project) => void } = {},
): Promise<ApiResult> {
  return retrying(async () => {
    const now = clock.now();
    const [loaded, extra] = await Promise.allSettled([loadForChange(projectId, req.principal, options.authorize), options.alongside ? options.alongside() : Promise.resolve(undefined as L)]);
    // The project's refusal (404, 403, 412) comes first: it says more than whatever the other reads met. `notFound`: the
    // 404 to give instead of the project's, when the caller named something else (a letter whose project it may not know).
    if (loaded.status === 'rejected') throw loaded.reason instanceof NotFound && options.notFound ? options.notFound() : loaded.reason;
    if (extra.status === 'rejected') throw extra.reason;
    const current = loaded.value;
    if (req.ifMatch !== undefined && req.ifMatch !== current.version) {
      // A stale If-Match is a 412 — but who may make the change comes first (the role a task's lead or a gate names is
      // the domain's to say): one who may not is told so (403), not where the project stands. So does a record of the
      // project the change names that does not exist (an allocation, a letter: 404) — re-reading the project would
      // not make it exist (RFC 9110 13.2.1: preconditions are for a request that would otherwise succeed). Nothing is
      // written here.
      await Promise.resolve()
        .then(() => decide(current, now, extra.value))
        .catch((err: unknown) => {
          if (err instanceof Forbidden || err instanceof NotFound) throw err;
        });
      assertVersion(current, req.ifMatch);
    }
    const change = await decide(current, now, extra.value);
    const { next, ops } = operations(current, change, req.principal, now, req.requestId, { kind: 'wake', projectId, reason: change.action });
    // The groups (a rejected project's holdings given back) commit with the project's own write when they fit, and any
    // before it only while the project is still at the version read: a change that loses its race to another (an
    // approval at the same moment) or dies before its own write gives nothing back.
    let read: Promise<Project> | undefined;
    const answer = await respond(next, change, () => (read ??= withoutReleasedMeanwhile(next)));
    if (change.groups?.length) return req.commitGroups(groupOps(current, change, req.principal, now), ops, answer, projectAtVersion(current));
    return req.commit(ops, answer);
  }, req.ifMatch !== undefined, options.attempts);
}

/**
 * A change the workflow (or another system actor) makes: `decide` returns the change, or undefined when there is
 * nothing to do. Bounded groups commit first, the project's own transaction last. Returns the project as it is after.
 * `alongside`, as for `changeProject`: what the decision reads besides the project, read at the same time as the
 * project on every attempt; returned as `read`, from the attempt that stood.
 */
export async function changeProjectAs<L = undefined>(
  actor: Principal,
  projectId: string,
  decide: (project: Project, now: Date, alongside: L) => Promise<ProjectChange | undefined> | ProjectChange | undefined,
  options: { readonly attempts?: number; readonly alongside?: () => Promise<L> } = {},
): Promise<{ project: Project; changed: boolean; read: L }> {
  return retrying(async () => {
    const now = clock.now();
    const [current, read] = await Promise.all([loadProject(projectId), options.alongside ? options.alongside() : Promise.resolve(undefined as L)]);
    const change = await decide(current, now, read);
    if (!change) return { project: current, changed: false, read };
    const { next, ops } = operations(current, change, actor, now, undefined, undefined);
    await transactGroups([...groupOps(current, change, actor, now), ops]);
    return { project: next, changed: true, read };
  }, false, options.attempts);
}
