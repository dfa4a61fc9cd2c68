// PUT /config/{name} — ops publish a new configuration version; projects keep the version they started with. The
// lights are the exception: a new version applies to running work too (every active project recomputes its yellow
// dates), as a year of the calendar does. A list of parks that leaves out a park still in use is refused (409). The
// document in force sent again publishes nothing (200 with it, x-config-unchanged).
import { lightsWarnings, matrixWarnings, publishConfig, publishedChange, type ConfigDocs, type ConfigName, type ConfigRefs, type LightsConfig, type Matrix } from '#reference/domain/config.ts';
import { assertParksDroppable, droppedParks, type ParksConfig } from '#reference/domain/parks.ts';
import { parkUsage } from '#reference/park-usage.ts';
import { assertNamingsSettled, parkNamings, parksPublishedOps } from '#reference/store/park-names.ts';
import { retrying } from '#kernel/unit-of-work.ts';
import { republishedBudgets } from '#inventory/budgets.ts';
import type { FundsConfig } from '#inventory/domain/fund.ts';
import { ValidationFailed } from '#kernel/domain/errors.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { signalOp } from '#kernel/store/outbox.ts';
import { activeProjectIds } from '#projects/store/ledger.ts';
import { forgetReferenceData, getConfig, publishedVersions, putConfigVersion } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { configSchema } from '#reference/schemas.ts';
import { parse } from '#kernel/http/validation.ts';
import { etag, json, withWarnings } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#reference/routes.ts';

export const handler = writeRoute(routes.putConfig, async (req) => {
  const name = req.params.name;
  if (req.body.doc === undefined) throw new ValidationFailed('doc is required', [{ path: 'doc', code: 'required', message: 'is required' }]);
  const doc = parse(configSchema(name), req.body.doc, 'doc') as ConfigDocs[typeof name];
  // A park dropped while a write named it (park-names.ts) is decided again, and then refused: the 409 names that write.
  return retrying(async () => {
    const [current, refs] = await Promise.all([getConfig(name, 'fresh'), configRefs(name)]);
    const next = publishConfig(name, doc, req.body.note, current, () => req.requireIfMatch(), req.principal.sub, clock.now(), refs);
    const change = publishedChange(current, next);
    // The document in force sent again (a deploy script, a second click): no new version, no audit, nothing recomputed,
    // and a note alone makes no version — the version in force answers, and says so. Its Idempotency-Key is kept as any
    // write's (the same key with another document is a 422, not a second meaning).
    if ((change.after.changed as string[]).length === 0) {
      return req.commit([], json(200, current, { ...etag(current.version), 'x-config-unchanged': 'true', ...(name === 'lights' ? { 'x-projects-recomputing': '0' } : {}) }));
    }
    // Each park left out: how many writes had named it, then what still uses it; the publication commits only if no write
    // named it in between.
    const dropped = name === 'parks' ? droppedParks(current.doc as ParksConfig, doc as ParksConfig) : [];
    const added = name === 'parks' ? droppedParks(doc as ParksConfig, current.doc as ParksConfig) : [];
    const namings = await Promise.all(dropped.map(parkNamings));
    assertParksDroppable(await Promise.all(dropped.map(parkUsage)));
    assertNamingsSettled(namings);
    const now = new Date(next.publishedAt);
    // The funds' budgets apply to the years still open, their stored buckets too (a budget below what is allocated: 409).
    const budgets = name === 'funds' ? await republishedBudgets(doc as FundsConfig, next.version, req.principal, now, req.requestId, current.doc as FundsConfig) : { writes: [], notes: [] };
    // A lights change recomputes every active project: how many is said in x-projects-recomputing (a courtesy count, no
    // refusal when it fails), in the answer a key keeps and replays.
    const [warnings, affected] = await Promise.all([
      name === 'lights'
        ? getConfig('matrix').then((m) => lightsWarnings(doc as LightsConfig, m.doc))
        : name === 'matrix'
          ? Promise.all([getConfig('letters', 'fresh'), getConfig('inventory', 'fresh')]).then(([l, i]) => matrixWarnings(doc as Matrix, l.doc, i.doc))
          : budgets.notes,
      name === 'lights' ? activeProjectIds().then((ids) => String(ids.length), () => 'unknown') : undefined,
    ]);
    const reply = await req.commit(
      [
        putConfigVersion(next),
        auditOp(`CONFIG#${name}`, 'config.published', req.principal, change, now, req.requestId),
        ...budgets.writes,
        ...(name === 'lights' ? [signalOp({ kind: 'lights', version: next.version }, req.requestId)] : []),
        // Every active project's ladder reviewed under the new setting (wake-workflow fans it out).
        ...(name === 'escalation' ? [signalOp({ kind: 'escalation', version: next.version }, req.requestId)] : []),
        ...parksPublishedOps(namings, added, next.version),
      ],
      json(200, withWarnings(next, warnings), { ...etag(next.version), ...(affected === undefined ? {} : { 'x-projects-recomputing': affected }) }),
    );
    forgetReferenceData();
    return reply;
  }, true, 3);
});

/**
 * What a document's checks read beyond it: the matrix's tasks in force (a 即时函告 rule and an inventory task link must
 * name one) and the series every published letters version numbered (a pattern never moves to another code).
 */
async function configRefs(name: ConfigName): Promise<ConfigRefs> {
  if (name === 'inventory') return { matrixTasks: new Set((await getConfig('matrix', 'fresh')).doc.tasks.map((t) => t.code)) };
  if (name !== 'letters') return {};
  const [matrix, versions] = await Promise.all([getConfig('matrix', 'fresh'), publishedVersions('letters')]);
  return {
    matrixTasks: new Set(matrix.doc.tasks.map((t) => t.code)),
    pastLetterSeries: versions.flatMap((v) => Object.entries(v.doc.series).map(([code, s]) => ({ code, pattern: s.pattern, version: v.version }))),
  };
}
