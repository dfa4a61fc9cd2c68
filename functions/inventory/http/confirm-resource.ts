// POST /inventory/{kind}/{id}/confirm — an owner confirms a record is still as stated 季度更新: it is current for this
// period and no longer stale. If-Match optional (a confirmation of what the owner read).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { getConfig } from '#reference/store/reference.ts';
import { keepsKind } from '../acting.ts';
import { changeResource } from '../change.ts';
import { confirmResource, holdersSeen, parkOf, requireMaintainer } from '../domain/resource.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';

export const handler = writeRoute(routes.confirmResource, async (req) => {
  const { kind, id } = req.params;
  const cfg = (await getConfig('inventory')).doc;
  let today = '';
  return changeResource(
    req,
    kind,
    id,
    'inventory.confirmed',
    (current) => requireMaintainer(req.principal, kind, parkOf(current), cfg, 'path.id'),
    (current, now) => {
      today = shanghaiDate(now);
      return confirmResource(current, req.principal, { now, today, cfg });
    },
    (next, history, historyCursor) => json(200, { ...presentResource(next, today, cfg, history, holdersSeen(req.principal, next, cfg)), historyCursor }, etag(next.version)),
  );
}, keepsKind);
