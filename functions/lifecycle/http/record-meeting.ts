// POST /projects/{id}/gates/{stage}/meeting — the transition meeting 转段会议 record: date, attendees, decisions and
// follow-up items; each follow-up becomes a task with its owner and due date. One record per gate round, held between
// the start of the round and today; a correction is an amendment (POST …/meeting/amendments), never a second record.
// The meeting the gate last waited for (every approval in) passes it with the record (stage-pass.ts): `passedTo` —
// unless it is the last gate (达产) and work is still owed, its own follow-ups included (`heldFor`). One that leaves
// the gate waiting, with no plan or follow-up, is not refused by another change of the project meanwhile.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { meetingRecorded, plannedCompletionOf } from '../domain/meeting.ts';
import { provisionalCreated } from '../domain/review.ts';
import * as routes from '../routes.ts';
import { decisionReads, passAtDecision, type PassAtDecision } from '../stage-pass.ts';
import { gateDecided, insertMeeting, insertTask } from '../store/tasks.ts';
import { summaryAfter } from '../summary.ts';

export const handler = writeRoute(routes.recordMeeting, async (req) => {
  const references = Promise.all([getConfig('limits'), loadCalendar(), getConfig('lights')]);
  const stage = req.params.stage;
  let recorded: ReturnType<typeof meetingRecorded> | undefined;
  let pass: PassAtDecision | undefined;
  /** The round complete but the last gate held: the work still owed (task ids) it waits for. */
  let heldFor: readonly string[] = [];
  return changeProject(
    req,
    req.params.id,
    async (project, now, [[{ doc: limits }, calendar, { doc: lights }], { gate, approvals, tasks, passing }]) => {
      const { plannedCompletionDate: _planned, ...input } = req.body;
      const planned = plannedCompletionOf(stage, req.body, project.plannedCompletion ?? null);
      recorded = meetingRecorded({ project, stage, gate, tasks, by: req.principal, input, now, today: shanghaiDate(now), limits, dates: { yellowBeforeWd: lights.yellowBeforeWd, calendar } });
      const { meeting, followUps } = recorded;
      const today = shanghaiDate(now);
      const withPlan = planned === undefined ? project : { ...project, plannedCompletion: planned };
      // The approvals all in, the meeting is what the gate waited for: it passes in this transaction, today.
      const outcome = await passAtDecision({ project: withPlan, stage, gate: { ...gate!, meeting }, approvals, tasks: [...tasks, ...followUps], now, today, calendar, reads: passing });
      pass = outcome.pass;
      // A meeting that leaves the gate waiting, sets no plan and no follow-up changes nothing of the project: it commits
      // under its own conditions (one record a round; the gate open in that round and, counted, still short of its last
      // decision; the project active at that stage in its park, no exit decided), as an approval that leaves the gate
      // waiting does (decide-gate.ts). Follow-ups are numbered on the stage's tasks as read, and a plan changes the
      // project: those take the project's version as read. Either way the meeting is set on the gate alone, counted.
      // The round complete with this meeting but its pass held for work still owed (the last gate, or the follow-ups
      // this very meeting set): counted as the round's last decision, on the project's version.
      const held = outcome.heldFor !== undefined;
      heldFor = outcome.heldFor ?? [];
      const touch = !pass && !held && planned === undefined && followUps.length === 0 && req.ifMatch === undefined;
      // Written without a pass (follow-ups, a plan, a held round): its light and task counts as they stand after.
      const after = pass || touch ? undefined : await summaryAfter(withPlan, [...tasks, ...followUps], [{ ...gate!, meeting }], today, approvals);
      return {
        ...(touch ? { touch: { stage, park: project.park, closedByExit: true } } : {}),
        project: pass?.project ?? (after ? { ...withPlan, ...after } : withPlan),
        action: 'gate.meeting_recorded',
        audit: { before: { meeting: gate!.meeting }, after: { meeting, followUps: followUps.map((t) => t.id), ...(planned ? { plannedCompletion: planned } : {}), ...(heldFor.length ? { heldFor } : {}) } },
        writes: [insertMeeting(project.id, stage, meeting), ...followUps.map(insertTask), ...(pass?.writes ?? [gateDecided(project.id, gate!, approvals, meeting, held)])],
        events: pass?.events ?? [],
        // A follow-up dated in a year with no calendar: ops told with the meeting (the review tells only of dates that turn provisional).
        notices: [...(pass?.notices ?? []), ...provisionalCreated(project, [...tasks, gate!], followUps)],
      };
    },
    (next) => json(201, { stage, meeting: recorded!.meeting, followUpTasks: recorded!.followUps.map((t) => t.id), plannedCompletion: next.plannedCompletion ?? null, passedTo: pass?.to ?? null, heldFor }, etag(next.version)),
    // Read with the project (one round trip): the configuration once; the gate, its approvals, the tasks and what a pass
    // reads, in one query of the project's partition (stage-pass.ts), every attempt.
    { alongside: () => Promise.all([references, decisionReads(req.params.id, stage)]) },
  );
});
