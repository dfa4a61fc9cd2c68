// POST /projects/{id}/letters — a department issues a numbered formal letter 正式函件 about a project, to its
// enterprise or to a department (a park center: the project's park). The number is taken in the letter's own
// transaction (gapless per series and year); the addressee's inbox is told; the project's timeline records it. A letter
// with a reply window to a running project wakes its lifecycle.
import type { Role } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import type { Addressee, Letter } from '../domain/letter.ts';
import { issueLetters } from '../issue.ts';
import { presentLetter } from '../present.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.sendLetter, async (req) => {
  const [cfg, calendar] = await Promise.all([getConfig('letters'), loadCalendar()]);
  let letter: Letter | undefined;
  let today = '';
  return changeProject(
    req,
    req.params.id,
    async (project, now) => {
      today = shanghaiDate(now);
      const to: Addressee =
        req.body.to.kind === 'enterprise'
          ? { kind: 'enterprise', enterpriseId: project.investor.enterpriseId, name: project.investor.name }
          : { kind: 'department', role: req.body.to.role as Role, ...(req.body.to.role === 'park_center' ? { park: project.park } : {}) };
      const issued = await issueLetters({ project, inputs: [{ series: req.body.series, to, subject: req.body.subject, body: req.body.body }], cfg: cfg.doc, by: req.principal, now, today, calendar });
      letter = issued.letters[0]!;
      // The change is the issue itself: its event is this change's own (not issued.events besides).
      const record = { project, action: 'letter.issued', audit: { after: issued.events[0]!.after }, writes: issued.writes, notices: issued.notices };
      // A letter that asks for a reply is watched by the review: reminded the day after its reply window, and overdue
      // work for the escalation ladder. To a running lifecycle it is a change to review — the version moves (a touch:
      // no race with the project's other writers) and the lifecycle is woken, so the window's end becomes a deadline
      // of its wait; without, the review first saw the letter at its next timer, and the reminder could come days late.
      if (letter.replyBy !== null && project.status === 'ACTIVE') return { ...record, touch: { stage: project.stage, park: project.park } };
      // Otherwise a record of the project, not a change of it: its version (and clients' If-Match) stays.
      return { ...record, signal: null, recordOnly: true };
    },
    (next) => json(201, presentLetter(letter!, today), { ...etag(next.version), location: `/letters/${letter!.id}` }),
    // Letters issued at once contend for their series' counter: each round one wins, so allow as many rounds as issuers.
    { attempts: 40 },
  );
});
