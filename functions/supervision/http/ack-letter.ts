// POST /letters/{id}/ack — the addressee (the enterprise, or the department; a park center of the project's park)
// acknowledges a letter with its reply, once. On the project's timeline; the issuing department's inbox is not yet told
// (the notification channels issue routes replies). A letter with a reply window wakes the project's lifecycle.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { NotFound } from '#kernel/domain/errors.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { acknowledge, type Letter } from '../domain/letter.ts';
import { presentLetter } from '../present.ts';
import * as routes from '../routes.ts';
import { getLetter, letterProject, putAcknowledged } from '../store/letters.ts';

export const handler = writeRoute(routes.acknowledgeLetter, async (req) => {
  const projectId = await letterProject(req.params.id);
  if (!projectId) throw new NotFound(`No letter ${req.params.id}`);
  let acked: Letter | undefined;
  let today = '';
  return changeProject(
    req,
    projectId,
    async (project, now) => {
      today = shanghaiDate(now);
      acked = acknowledge(await getLetter(projectId, req.params.id), req.params.id, req.principal, req.body.reply, now);
      // A letter that asks for a reply is watched by the review (its reply window is overdue work for the escalation
      // ladder): its answer wakes the lifecycle, so a ladder it held resets now, not at the next deadline's wake-up.
      const watched = acked.replyBy !== null;
      return { project, action: 'letter.acknowledged', audit: { after: { letter: acked.id, number: acked.number, reply: req.body.reply } }, writes: [putAcknowledged(acked)], ...(watched ? {} : { signal: null }), recordOnly: true };
    },
    (next) => json(200, presentLetter(acked!, today), etag(next.version)),
  );
});
