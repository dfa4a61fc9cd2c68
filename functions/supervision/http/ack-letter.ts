// POST /letters/{id}/ack — the addressee (the enterprise, or the department; a park center of the project's park)
// acknowledges a letter with its reply, once. On the project's timeline, and told to the issuing department's inbox
// (letter.answered: the supervision office learns the enterprise answered its urging letter, and the channels route it
// as any notice). A letter with a reply window wakes the project's lifecycle.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { NotFound } from '#kernel/domain/errors.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { acknowledge, addresseeName, type Letter } from '../domain/letter.ts';
import { letterOnProject } from '../issue.ts';
import { reviewLetters } from '../notices.ts';
import { presentLetter } from '../present.ts';
import * as routes from '../routes.ts';
import { getLetter, letterProject, putAcknowledged } from '../store/letters.ts';
import { ladderResetAtChange } from '#lifecycle/ladder-reset.ts';
import { letterWatchedByLadder } from '#lifecycle/domain/review.ts';

export const handler = writeRoute(routes.acknowledgeLetter, async (req) => {
  const projectId = await letterProject(req.params.id);
  if (!projectId) throw new NotFound(`No letter ${req.params.id}`);
  let acked: Letter | undefined;
  let today = '';
  return changeProject(
    req,
    projectId,
    async (project, now, letter) => {
      today = shanghaiDate(now);
      acked = acknowledge(letter, req.params.id, req.principal, req.body.reply, now);
      // A letter that asks for a reply is watched by the review (its reply window is overdue work for the escalation
      // ladder): a ladder it held resets with the answer, today; the answer also wakes the lifecycle to review the rest.
      const watched = acked.replyBy !== null;
      // Its reply window can have owed a rung only if the ladder watches it (an enterprise's letter, not an urging one):
      // for another the change reads nothing at level 0 (no ladder configuration, calendar or letters).
      const reset = watched ? await ladderResetAtChange({ project, today, now, answered: acked, before: { closedDue: reviewLetters(project, [acked]).some(letterWatchedByLadder) ? acked.replyBy : undefined } }) : undefined;
      const audit = { after: { letter: acked.id, number: acked.number, reply: req.body.reply } };
      // The department that issued it reads the answer in its inbox (for a park center: the project's park's).
      const answered: Notice = { kind: 'letter.answered', project, inbox: roleInbox(acked.from, project), number: acked.number, addressee: addresseeName(acked.to), reply: req.body.reply };
      if (reset) return { project: reset.project, action: 'letter.acknowledged', audit, writes: [putAcknowledged(acked)], events: reset.events, notices: [answered, ...(reset.notices ?? [])] };
      // A watched answer wakes a running lifecycle (before the version moved with it, the ladder's reset came days late).
      return { project, action: 'letter.acknowledged', audit, writes: [putAcknowledged(acked)], notices: [answered], ...letterOnProject(project, watched) };
    },
    (next) => json(200, presentLetter(acked!, today), etag(next.version)),
    // The letter is read with the project (one round trip), on every attempt. Someone who may not read its project is
    // told the letter does not exist, as GET /letters/{id} tells them: its id must not name the project.
    { alongside: () => getLetter(projectId, req.params.id), notFound: () => new NotFound(`No letter ${req.params.id}`) },
  );
});
