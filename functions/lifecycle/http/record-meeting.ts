// POST /projects/{id}/gates/{stage}/meeting — the transition meeting 转段会议 record: date, attendees, decisions and
// follow-up items; each follow-up becomes a task with its owner and due date. One record per gate round, held between
// the start of the round and today; a correction is an amendment (POST …/meeting/amendments), never a second record.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig } from '#reference/store/reference.ts';
import { meetingRecorded, plannedCompletionOf } from '../domain/meeting.ts';
import * as routes from '../routes.ts';
import { getGate, insertMeeting, insertTask, listTasks, putGate } from '../store/tasks.ts';

export const handler = writeRoute(routes.recordMeeting, async (req) => {
  const limitsInForce = getConfig('limits');
  const stage = req.params.stage;
  let recorded: ReturnType<typeof meetingRecorded> | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now, [{ doc: limits }, gate, tasks]) => {
      const { plannedCompletionDate: _planned, ...input } = req.body;
      const planned = plannedCompletionOf(stage, req.body);
      recorded = meetingRecorded({ project, stage, gate, tasks, by: req.principal, input, now, today: shanghaiDate(now), limits });
      const { meeting, followUps } = recorded;
      return {
        project: planned === undefined ? project : { ...project, plannedCompletion: planned },
        action: 'gate.meeting_recorded',
        audit: { before: { meeting: gate!.meeting }, after: { meeting, followUps: followUps.map((t) => t.id), ...(planned ? { plannedCompletion: planned } : {}) } },
        writes: [insertMeeting(project.id, stage, meeting), putGate(project.id, { ...gate!, meeting }), ...followUps.map(insertTask)],
      };
    },
    (next) => json(201, { stage, meeting: recorded!.meeting, followUpTasks: recorded!.followUps.map((t) => t.id), plannedCompletion: next.plannedCompletion ?? null }, etag(next.version)),
    // Read with the project (one round trip): the limits once, the gate and the tasks every attempt.
    { alongside: () => Promise.all([limitsInForce, getGate(req.params.id, stage), listTasks(req.params.id)]) },
  );
});
