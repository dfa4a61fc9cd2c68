// Workflow step "Deadline reached": a wait timed out. Yellow reminder → light yellow; due → light red, overdue event,
// the responsible departments notified, and the project handed to supervision (督办) with a review wait.
// The escalation ladder (urging letter → … → exit) plugs in at the 'review' rung.
import { addWorkingDays } from '#domain/calendar.ts';
import { TRACK_DEPARTMENT } from '#domain/codes.ts';
import { waitUntil, type Wait } from '#domain/lifecycle.ts';
import { SYSTEM_ACTOR } from '#adapters/dynamodb/audit.ts';
import { getStageEntry } from '#adapters/dynamodb/lifecycle.ts';
import { updateProject } from '#adapters/dynamodb/project-update.ts';
import { getConfig, loadCalendar } from '#adapters/dynamodb/reference.ts';
import { clock } from '#adapters/clock.ts';
import { notifyOp } from '#adapters/notifier.ts';
import { newWaitId, type StepInput } from '#adapters/workflow/step-input.ts';

export async function handler(input: StepInput): Promise<{ next: 'wait'; wait: Wait; stage: string }> {
  const wait = input.wait;
  if (!wait) throw new Error('handle-deadline needs the wait that timed out');
  const now = clock.now();
  const [entry, escalation, calendar] = await Promise.all([getStageEntry(input.projectId, input.stage), getConfig('escalation'), loadCalendar()]);
  const seconds = (at: Date) => clock.realSecondsUntil(at);
  const reviewWd = escalation.doc.rungs[0]?.responseWd ?? 5;

  const light = wait.kind === 'yellow' ? 'yellow' : 'red';
  const action = wait.kind === 'yellow' ? 'deadline.yellow' : wait.kind === 'due' ? 'deadline.overdue' : 'supervision.review_due';
  await updateProject(input.projectId, action, SYSTEM_ACTOR, now, (p) => {
    const owner = TRACK_DEPARTMENT[p.track];
    const title = wait.kind === 'yellow' ? '黄灯提醒' : wait.kind === 'due' ? '红灯：阶段逾期' : '督办复核到期';
    const body = `${p.name}（${p.id}）${input.stage} 阶段期限 ${entry?.dueDate ?? wait.dueDate}`;
    const recipients = wait.kind === 'review' ? ['DEPT#supervision_office', `DEPT#${owner}`] : [`DEPT#${owner}`, 'DEPT#park_center'];
    return {
      project: { ...p, light: p.light === 'red' ? 'red' : light },
      extra: recipients.map((recipient) => notifyOp({ recipient, kind: action, projectId: p.id, title, body }, now)),
    };
  });

  const next =
    wait.kind === 'yellow' && entry
      ? waitUntil('due', input.stage, entry.dueDate, entry.provisional, seconds, newWaitId(now))
      : (() => {
          const d = addWorkingDays(wait.dueDate, reviewWd, calendar);
          return waitUntil('review', input.stage, d.date, d.provisional, seconds, newWaitId(now));
        })();
  return { next: 'wait', wait: next, stage: input.stage };
}
