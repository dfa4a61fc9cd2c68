// Moving a running project onto another published responsibility matrix 责任矩阵 (ops, after a version published by
// mistake and corrected): the project follows it for the stages it has not entered yet — each stage is entered on the
// version the project follows at that moment (steps/enter-stage.ts). The stage it is in keeps the tasks and time limits
// it was entered with (its entry records that version); its gate takes the new version's approvers only while no one
// has decided it. Only forward: a correction is always published as a
// new version (a version is never rewritten), so a project never goes back to rules older than the ones it follows.
import type { Role } from '#kernel/domain/codes.ts';
import { Conflict } from '#kernel/domain/errors.ts';
import { assertActive, assertNoExitUnderway, type Project } from '#projects/domain/project.ts';
import type { Matrix } from '#reference/domain/config.ts';
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

/**
 * The approvers the current stage's gate waits for under the version moved to, when they differ and no one has decided
 * the gate yet (no approval or rejection of any round recorded, not passed): a gate waiting on a department the matrix
 * named by mistake would never pass. Undefined when the gate keeps its approvers — once anyone has decided, the round's
 * decisions were made on them and stand.
 */
export function movedGateApprovers(gate: Gate | undefined, approvals: readonly GateApproval[], matrix: Pick<Matrix, 'gates'>, project: Pick<Project, 'track'>): readonly Role[] | undefined {
  if (!gate || gate.passedAt || approvals.length > 0) return undefined;
  const def = matrix.gates.find((g) => g.stage === gate.stage);
  if (!def) return undefined;
  const approvers = newGate(def, project).requiredApprovals;
  const same = approvers.length === gate.requiredApprovals.length && approvers.every((r, i) => gate.requiredApprovals[i] === r);
  return same ? undefined : approvers;
}
