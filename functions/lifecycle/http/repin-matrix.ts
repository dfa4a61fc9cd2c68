// POST /projects/{id}/matrix — ops move a running project onto another published responsibility matrix (one published
// by mistake, then corrected): from the next stage it enters on, its tasks, time limits and gates come from that version.
// The stage it is in keeps what it was entered with. If-Match required (the project's version read); audited with the
// version before and after and the note.
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProject } from '#projects/present.ts';
import { readConfigVersion } from '#reference/store/reference.ts';
import { repinMatrix } from '../domain/matrix-pin.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.repinMatrix, async (req) => {
  req.requireIfMatch();
  return changeProject(
    req,
    req.params.id,
    (current, _now, target) => ({
      project: repinMatrix(current, req.body.version, target !== undefined),
      action: 'matrix.repinned',
      audit: { after: { note: req.body.note } },
    }),
    async (next, _change, shown) => json(200, presentProject(await shown()), etag(next.version)),
    { alongside: () => readConfigVersion('matrix', req.body.version) },
  );
});
