// PUT /config/{name} — ops publish a new configuration version; projects keep the version they started with.
import { validateMatrix, type ConfigDocs, type ConfigName, type Matrix } from '#reference/domain/config.ts';
import { PreconditionFailed, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { getConfig, putConfigVersion } from '#reference/store/reference.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { configSchema } from '#reference/schemas.ts';
import { parse } from '#kernel/http/validation.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#reference/routes.ts';


function semanticErrors(name: ConfigName, doc: ConfigDocs[ConfigName]): FieldError[] {
  if (name === 'matrix') return validateMatrix(doc as Matrix).map((e) => ({ ...e, path: `doc.${e.path}` }));
  if (name === 'classification') {
    const c = doc as ConfigDocs['classification'];
    if (c.standardMinCny >= c.majorMinCny) return [{ path: 'doc.standardMinCny', message: 'must be below majorMinCny' }];
  }
  if (name === 'escalation') {
    const e = doc as ConfigDocs['escalation'];
    return e.rungs.flatMap((r, i) => (r.level === i + 1 ? [] : [{ path: `doc.rungs[${i}].level`, message: `must be ${i + 1}` }]));
  }
  return [];
}

export const handler = writeRoute(routes.putConfig, async (req) => {
  const name = req.params.name;
  if (req.body.doc === undefined) throw new ValidationFailed('doc is required', [{ path: 'doc', message: 'is required' }]);
  const doc = parse(configSchema(name), req.body.doc, 'doc') as ConfigDocs[typeof name];
  const errors = semanticErrors(name, doc);
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  const expected = req.requireIfMatch();
  const current = await getConfig(name);
  if (expected !== current.version) throw new PreconditionFailed(`${name} is at version ${current.version}, not ${expected}`);
  const now = clock.now();
  const next = { name, version: current.version + 1, doc, publishedAt: now.toISOString(), publishedBy: req.principal.sub, note: req.body.note };
  return req.commit(
    [
      putConfigVersion(next),
      auditOp(`CONFIG#${name}`, 'config.published', req.principal, { before: { version: current.version }, after: { version: next.version, note: next.note } }, now, req.requestId),
    ],
    json(200, next, etag(next.version)),
  );
});
