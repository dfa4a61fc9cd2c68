// Moving a running project onto another published responsibility matrix 责任矩阵 (ops, after a version published by
// mistake and corrected): the project follows it for the stages it has not entered yet — each stage is entered on the
// version the project follows at that moment (steps/enter-stage.ts). The stage it is in keeps the tasks and time limits
// it was entered with (its entry records that version); its gate takes the new version's approvers only while no one
// has decided its current round, and the next round a rejection begins takes them then. Only forward: a correction is
// always published as a new version (a version is never rewritten), so a project never goes back to rules older than
// the ones it follows.
import { STAGES, type Role, type Stage } from '#kernel/domain/codes.ts';
import { Conflict } from '#kernel/domain/errors.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { assertActive, assertNoExitUnderway, type Project } from '#projects/domain/project.ts';
import type { Matrix, MatrixTask } from '#reference/domain/config.ts';
import { newGate, type Gate, type GateApproval } from './gate.ts';

/**
 * The project following matrix `version` from its next stage on. `published`: whether that version was published.
 * 409 for a project not running (naming `path.id`), or a version never published or not after the one it follows
 * (naming `version`).
 */
export function repinMatrix(project: Project, version: number, published: boolean): Project {
  const what = `Matrix version ${version} not taken`;
  assertActive(project, what);
  assertNoExitUnderway(project, what);
  if (!published) {
    throw new Conflict(`${what}: no matrix version ${version} was published (GET /config/matrix shows the version in force)`, [{ path: 'version', code: 'unknown_ref', message: `no matrix version ${version}` }]);
  }
  const follows = project.matrixVersion ?? 0;
  if (version <= follows) {
    throw new Conflict(`${what}: project ${project.id} follows version ${follows}; it moves only onto a later one (publish the matrix wanted again as a new version)`, [
      { path: 'version', code: 'out_of_range', message: `must be after ${follows}, the version the project follows` },
    ]);
  }
  return { ...project, matrixVersion: version };
}

/** The approvers `matrix` names for the gate of `gate.stage` (resolved for the project's track); null when it names no gate there. */
function versionApprovers(matrix: Pick<Matrix, 'gates'>, stage: Stage, project: Pick<Project, 'track'>): readonly Role[] | null {
  const def = matrix.gates.find((g) => g.stage === stage);
  return def ? newGate(def, project).requiredApprovals : null;
}

/** Two approver lists alike, in order (a gate's list is the matrix's order). */
export const sameList = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r, i) => b[i] === r);

/**
 * What a re-pin does to the current stage's gate — the answer's `gateApprovers` and the audit: the approvers before and
 * after, those the version moved to names, and why the gate keeps others. It takes the version's approvers while no one
 * has decided its current round (no approval or rejection of that round recorded) and it has not passed: a gate
 * waiting on a department the matrix named by mistake would never pass. A rejection ends its round, so the round it
 * begins, decided by no one yet, moves too (its rejection stands, recorded in the round it ended). Once anyone has
 * decided the round, the round's decisions were made on its approvers and stand: it keeps them (`keptBecause:
 * 'decided'`) — the next round a rejection begins takes the approvers of the version the project follows
 * (`nextRoundApprovers`), or the gate passes on those it has.
 */
export interface GateRepin {
  readonly stage: Stage;
  readonly round: number;
  readonly before: readonly Role[];
  readonly after: readonly Role[];
  /** The approvers the version moved to names for this gate; null when it names no gate for the stage. */
  readonly versionNames: readonly Role[] | null;
  readonly moved: boolean;
  /** Why the gate keeps approvers other than the version's: its round decided, the gate passed, or the version names none. */
  readonly keptBecause: 'decided' | 'passed' | 'not_named' | null;
  /** The current round's decisions, those it was kept for (empty when it moved). */
  readonly decisions: readonly { readonly role: Role; readonly decision: GateApproval['decision']; readonly at: string }[];
}

export function repinGate(gate: Gate, approvals: readonly GateApproval[], matrix: Pick<Matrix, 'gates'>, project: Pick<Project, 'track'>): GateRepin {
  const versionNames = versionApprovers(matrix, gate.stage, project);
  const decisions = approvals.filter((a) => a.round === gate.round).map(({ role, decision, at }) => ({ role, decision, at }));
  const differs = versionNames !== null && !sameList(versionNames, gate.requiredApprovals);
  const keptBecause = !differs ? (versionNames === null ? 'not_named' : null) : gate.passedAt ? 'passed' : decisions.length > 0 ? 'decided' : null;
  const moved = differs && keptBecause === null;
  return { stage: gate.stage, round: gate.round, before: gate.requiredApprovals, after: moved ? versionNames : gate.requiredApprovals, versionNames, moved, keptBecause, decisions };
}

/**
 * The approvers of the round a rejection begins: those the version the project follows names for the gate (`matrix`,
 * that version), when it names a gate there — a project re-pinned while its gate's round was decided kept the
 * approvers it had; its next round follows the version. Otherwise the gate's own.
 */
export function nextRoundApprovers(gate: Gate, matrix: Pick<Matrix, 'gates'> | undefined, project: Pick<Project, 'track'>): readonly Role[] {
  const named = matrix ? versionApprovers(matrix, gate.stage, project) : null;
  return named && !sameList(named, gate.requiredApprovals) ? named : gate.requiredApprovals;
}

/**
 * Those told when a gate's approvers change (a re-pin, the next round on the version the project follows), as at the
 * gate's opening: only once it is open, only the departments it did not wait for before (`gate.open`, and — the gate
 * already past its due date, its approvers reminded the day it passed, which the review does once — `gate.overdue`, as
 * they were; its approvers move only while no one has decided its round, so all of them are pending); those it waited
 * for while open and no longer does, that it does not any more (`gate.open_withdrawn`: their gate.open notice is void).
 * `gate`: as it stands after; `before`: the approvers it waited for; `wasOpen`: whether those were told it awaited them.
 */
export function approversChangedNotices(args: { project: Project; gate: Gate; before: readonly Role[]; wasOpen: boolean; version: number }): Notice[] {
  const { project, gate, before } = args;
  const approvers = gate.requiredApprovals;
  const added = approvers.filter((r) => !before.includes(r));
  const removed = args.wasOpen ? before.filter((r) => !approvers.includes(r)) : [];
  const told = (to: Role) => ({ project, to, gate: gate.name.zh, gateEn: gate.name.en, stage: gate.stage });
  return [
    ...(gate.open
      ? added.flatMap((to): Notice[] => [
          { kind: 'gate.open', ...told(to), dueDate: gate.dueDate, ...(gate.calendarProvisional ? { dueProvisional: true } : {}) },
          ...(gate.overdueSince ? [{ kind: 'gate.overdue' as const, ...told(to), dueDate: gate.dueDate, pending: approvers }] : []),
        ])
      : []),
    ...removed.map((to): Notice => ({ kind: 'gate.open_withdrawn', ...told(to), version: args.version, approvers })),
  ];
}

/**
 * A stage the project has not entered yet whose rules differ between the version it follows and the one it would move
 * to (a re-pin's dry run): the tasks added, removed and changed (by code, with the fields that differ), and the gate's
 * approvers on each side (null: no gate there) when they differ.
 */
export interface StageToCome {
  readonly stage: Stage;
  readonly tasks: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly { readonly code: string; readonly fields: readonly string[] }[] };
  readonly gateApprovers: { readonly before: readonly Role[] | null; readonly after: readonly Role[] | null } | null;
}

const TASK_FIELDS = ['name', 'lead', 'cooperating', 'handler', 'standard', 'limitWd', 'siteModes', 'after', 'requiredForGate', 'recurringEveryWd'] as const satisfies readonly (keyof MatrixTask)[];

/** What moving from `from` to `to` changes for the stages after the one the project is in: only those that differ. */
export function stagesToCome(project: Pick<Project, 'stage' | 'track'>, from: Pick<Matrix, 'tasks' | 'gates'>, to: Pick<Matrix, 'tasks' | 'gates'>): StageToCome[] {
  return STAGES.slice(STAGES.indexOf(project.stage) + 1).flatMap((stage): StageToCome[] => {
    const before = new Map(from.tasks.filter((t) => t.stage === stage).map((t) => [t.code, t]));
    const after = new Map(to.tasks.filter((t) => t.stage === stage).map((t) => [t.code, t]));
    const changed = [...after.values()].flatMap((t) => {
      const was = before.get(t.code);
      const fields = was ? TASK_FIELDS.filter((f) => JSON.stringify(was[f] ?? null) !== JSON.stringify(t[f] ?? null)) : [];
      return fields.length ? [{ code: t.code, fields }] : [];
    });
    const tasks = { added: [...after.keys()].filter((c) => !before.has(c)), removed: [...before.keys()].filter((c) => !after.has(c)), changed };
    const gateBefore = versionApprovers(from, stage, project);
    const gateAfter = versionApprovers(to, stage, project);
    const gateMoved = gateBefore === null || gateAfter === null ? gateBefore !== gateAfter : !sameList(gateBefore, gateAfter);
    if (!tasks.added.length && !tasks.removed.length && !changed.length && !gateMoved) return [];
    return [{ stage, tasks, gateApprovers: gateMoved ? { before: gateBefore, after: gateAfter } : null }];
  });
}
