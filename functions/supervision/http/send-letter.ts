// POST /projects/{id}/letters — a department issues a numbered formal letter 正式函件 about a project, to its
// enterprise or to a department (a park center: the project's park). The number is taken in the letter's own
// transaction (gapless per series and year); the addressee's inbox is told; the project's timeline records it. A letter
// with a reply window to a running project wakes its lifecycle.
import type { Role } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { requireRole } from '#kernel/domain/principal.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { handIssuers, type Addressee, type Letter } from '../domain/letter.ts';
import { issueLetters, letterOnProject } from '../issue.ts';
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
      return {
        project,
        action: 'letter.issued',
        // The change is the issue itself: its event is this change's own (not issued.events besides).
        audit: { after: issued.events[0]!.after },
        writes: issued.writes,
        notices: issued.notices,
        // One asking for a reply wakes a running lifecycle, so the window's end becomes a deadline of its wait.
        ...letterOnProject(project, letter.replyBy !== null),
      };
    },
    (next) => json(201, presentLetter(letter!, today), { ...etag(next.version), location: `/letters/${letter!.id}` }),
    // Letters issued at once contend for their series' counter: each round one wins, so allow as many rounds as issuers.
    { attempts: 40 },
  );
  // A role that issues no series by hand is told so before its letter is read (the series' own issuer after).
}, async (p) => requireRole(p, handIssuers((await getConfig('letters')).doc), 'Issuing a letter 正式函件'));
