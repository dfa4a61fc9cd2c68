// Admission 准入: each required department (and the committee leader for a major project) decides once; a rejection
// rejects the project, the last approval makes it ACTIVE and starts its lifecycle.
import type { Status } from '#kernel/domain/codes.ts';
import { Forbidden } from '#kernel/domain/errors.ts';
import { hasRole, type Principal } from '#kernel/domain/principal.ts';
import { projectStateConflict, type Project } from './project.ts';

/**
 * Records one admission decision. A rejection by any required decider rejects the project; once every required
 * decider approved, the project becomes ACTIVE (`started: true`; see `startLifecycle`).
 */
export function decideAdmission(
  project: Project,
  by: Principal,
  decision: { decision: 'approve' | 'reject'; reason?: string },
  now: Date,
): { project: Project; started: boolean } {
  if (project.status !== 'PENDING_ADMISSION') {
    throw projectStateConflict(`Admission of ${project.id} is already decided (status ${project.status})`, `is ${project.status}`);
  }
  const pending = project.admission.required.filter((r) => !project.admission.decisions.some((d) => d.role === r));
  const role = pending.find((r) => hasRole(by, r));
  if (!role) {
    const decided = project.admission.required.some((r) => hasRole(by, r));
    if (decided) throw projectStateConflict(`Your department already decided the admission of ${project.id}`, `${project.admission.required.filter((r) => hasRole(by, r)).join(', ')} decided`);
    throw new Forbidden(`Admission of this project is decided by: ${project.admission.required.join(', ')}`);
  }
  // Each department's decision is its own person's: one who holds two deciding roles decides for one of them only.
  const own = project.admission.decisions.find((d) => d.by === by.sub);
  if (own) throw projectStateConflict(`You decided the admission of ${project.id} for ${own.role} already: ${role} is decided by another person`, `you decided for ${own.role}`);
  const at = now.toISOString();
  const decisions = [...project.admission.decisions, { role, by: by.sub, decision: decision.decision, reason: decision.reason, at }];
  const approvedAll = project.admission.required.every((r) => decisions.some((d) => d.role === r && d.decision === 'approve'));
  const status: Status = decision.decision === 'reject' ? 'REJECTED' : approvedAll ? 'ACTIVE' : 'PENDING_ADMISSION';
  return {
    project: { ...project, admission: { ...project.admission, decisions }, status },
    started: status === 'ACTIVE',
  };
}

/**
 * An admitted project's lifecycle begins: it records the responsibility matrix version in force (its tasks come from
 * that version for its whole life) and its first execution segment, `starting` until the workflow runs it.
 */
export function startLifecycle(project: Project, matrixVersion: number, now: Date, name: (segment: number) => string): Project {
  return { ...project, matrixVersion, workflow: { segment: 1, executionName: name(1), startedAt: now.toISOString(), status: 'starting' } };
}
