// POST /projects/{id}/gates/{stage}/meeting/amendments — corrects the recorded transition meeting 转段会议 of the gate's
// current round (date, attendees, decisions; further follow-ups): the amendment is a record of its own with the before
// and after of each change, and the timeline shows them. The committee leader amends any record; a park center only
// one a park center recorded.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { meetingAmended } from '../domain/meeting.ts';
import { provisionalCreated } from '../domain/review.ts';
import * as routes from '../routes.ts';
import { amendedMeeting, insertMeetingAmendment, insertTask, listGates, listTasks, putGate } from '../store/tasks.ts';
import { summaryAfter } from '../summary.ts';

export const handler = writeRoute(routes.amendMeeting, async (req) => {
  const [{ doc: limits }, { doc: lights }, calendar] = await Promise.all([getConfig('limits'), getConfig('lights'), loadCalendar()]);
  const stage = req.params.stage;
  let amended: ReturnType<typeof meetingAmended> | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      const [tasks, gates] = await Promise.all([listTasks(project.id), listGates(project.id)]);
      const gate = gates.find((g) => g.stage === stage);
      amended = meetingAmended({ project, stage, gate, tasks, by: req.principal, input: req.body, now, today: shanghaiDate(now), limits, dates: { yellowBeforeWd: lights.yellowBeforeWd, calendar } });
      const { meeting, amendment, followUps, role } = amended;
      const side = (which: 'before' | 'after') => Object.fromEntries(Object.entries(amendment.changes).map(([k, v]) => [k, v[which]]));
      // New follow-ups: the project's light and task counts as they stand after them.
      const after = followUps.length ? await summaryAfter(project, [...tasks, ...followUps], gates.map((g) => (g.stage === stage ? { ...g, meeting } : g)), shanghaiDate(now)) : undefined;
      return {
        project: after ? { ...project, ...after } : project,
        action: 'gate.meeting_amended',
        audit: { before: side('before'), after: { ...side('after'), reason: amendment.reason, role, amendment: amendment.number, followUpTasks: followUps.map((t) => t.id) } },
        writes: [insertMeetingAmendment(project.id, stage, amendment), amendedMeeting(project.id, stage, meeting), putGate(project.id, { ...gate!, meeting }), ...followUps.map(insertTask)],
        // A follow-up it adds dated in a year with no calendar: ops told with it, as with the meeting.
        notices: provisionalCreated(project, [...tasks, ...gates], followUps),
      };
    },
    (next) => json(201, { stage, meeting: amended!.meeting, amendment: amended!.amendment, followUpTasks: amended!.followUps.map((t) => t.id) }, etag(next.version)),
  );
});
