// GET /inventory/{kind}/{id} — one record with its history (its audit events, oldest first, paged by `cursor`).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { etag, json, route } from '#kernel/http/route.ts';
import { AUDIT_KEY_NAMES, listAudit } from '#kernel/store/audit.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { getConfig } from '#reference/store/reference.ts';
import { readsKind } from '../acting.ts';
import { HISTORY_PAGE, historyScope, resourceSubject } from '../change.ts';
import { presentResource } from '../present.ts';
import * as routes from '../routes.ts';
import { loadResource } from '../store/resources.ts';
import { holdersSeen } from '../domain/resource.ts';

export const handler = route(routes.getResource, async (req) => {
  const { kind, id } = req.params;
  const cfg = await getConfig('inventory');
  const record = await loadResource(kind, id);
  const scope = historyScope(id, req.principal.sub);
  const position = await openCursor(scope, req.query.cursor);
  const page = await listAudit(resourceSubject(id), req.query.limit ? Number(req.query.limit) : HISTORY_PAGE, position === undefined ? undefined : asStartKey(position, AUDIT_KEY_NAMES));
  return json(200, { ...presentResource(record, shanghaiDate(clock.now()), cfg.doc, page.items, holdersSeen(req.principal, record, cfg.doc)), historyCursor: await sealCursor(scope, page.lastKey) }, etag(record.version));
}, readsKind);
