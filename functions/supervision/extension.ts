// An extension 延期 as a change of the project, the same whether the committee leader grants it on its own
// (POST /projects/{id}/extension) or decides `extend` at exit pending (POST /projects/{id}/exit): not while an exit is
// under way; a new date on a working day; the ladder back to 0 until the new date; a planned completion before it moved
// to it; supervision told.
// A rung the midnight review owed and had not raised yet (it fell behind its clock) is recorded first, as owed.
import { addYears, shanghaiDate } from '#kernel/domain/dates.ts';
import { Conflict } from '#kernel/domain/errors.ts';
import type { Principal } from '#kernel/domain/principal.ts';
import { ladderOwedBeforeDecision } from '#lifecycle/ladder-reset.ts';
import type { ProjectChange } from '#projects/change.ts';
import { assertNoExitUnderway, type Project } from '#projects/domain/project.ts';
import { loadCalendar } from '#reference/store/reference.ts';
import { assertExtensionOnWorkingDay, extend, movedCompletion } from './domain/escalation.ts';

export async function extensionChange(project: Project, by: Principal, input: { readonly newDueDate: string; readonly reason: string }, now: Date, action: string): Promise<ProjectChange> {
  const today = shanghaiDate(now);
  const extension = (state: Project['escalation']) => extend({ state, by, newDueDate: input.newDueDate, reason: input.reason, today, projectStatus: project.status });
  // Refused (403, 409, 422) before anything more is read.
  assertNoExitUnderway(project, 'No extension');
  extension(project.escalation);
  const [calendar, owed] = await Promise.all([loadCalendar(), ladderOwedBeforeDecision(project, today, now)]);
  const current = owed?.state ?? project.escalation;
  // The same extension again (a resent request, ten at once): it would change nothing but the version and the record —
  // told so even when its date, granted before dates on rest days were refused, is one.
  if (current.level === 0 && current.extendedUntil === input.newDueDate) throw new Conflict(`The ladder of ${project.id} is extended to ${input.newDueDate} already: nothing to change`, [{ path: 'newDueDate', code: 'state', message: 'in force already' }]);
  // A new date on a rest day is refused (400).
  assertExtensionOnWorkingDay(input.newDueDate, calendar, 'newDueDate', addYears(today, 1));
  const { state, event } = extension(current);
  return {
    project: { ...project, escalation: state, plannedCompletion: movedCompletion(project, input.newDueDate) },
    action,
    // After an owed rung, the extension's `before` is the ladder as that rung left it.
    ...(owed ? { audit: { before: { escalation: owed.state }, after: event.after }, owed: owed.events } : { audit: { after: event.after } }),
    // People are told of the reset from the rung they knew of (an owed rung nobody heard of is not announced).
    // The enterprise is told its new date, whether or not it was on a rung.
    notices: [
      ...(project.escalation.level > 0 ? [{ kind: 'escalation.reset' as const, project, from: project.escalation.level, reason: `管委会批准延期至${input.newDueDate}：${input.reason}` }] : []),
      { kind: 'escalation.extended' as const, project, to: 'enterprise' as const, until: input.newDueDate, from: project.escalation.level, reason: input.reason },
    ],
  };
}
