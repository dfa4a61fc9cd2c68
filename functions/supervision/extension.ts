// An extension 延期 as a change of the project, the same whether the committee leader grants it on its own
// (POST /projects/{id}/extension) or decides `extend` at exit pending (POST /projects/{id}/exit): not while an exit is
// under way; the ladder back to 0 until the new date; a planned completion before it moved to it; supervision told.
import type { Principal } from '#kernel/domain/principal.ts';
import type { ProjectChange } from '#projects/change.ts';
import type { Project } from '#projects/domain/project.ts';
import { extend, movedCompletion } from './domain/escalation.ts';
import { assertNotExiting } from './domain/exit.ts';

export function extensionChange(project: Project, by: Principal, input: { readonly newDueDate: string; readonly reason: string }, today: string, action: string): ProjectChange {
  assertNotExiting(project, 'No extension');
  const { state, event } = extend({ state: project.escalation, by, newDueDate: input.newDueDate, reason: input.reason, today, projectStatus: project.status });
  return {
    project: { ...project, escalation: state, plannedCompletion: movedCompletion(project, input.newDueDate) },
    action,
    audit: { after: event.after },
    notices: project.escalation.level > 0 ? [{ kind: 'escalation.reset', project, from: project.escalation.level, reason: `管委会批准延期至 ${input.newDueDate}：${input.reason}` }] : [],
  };
}
