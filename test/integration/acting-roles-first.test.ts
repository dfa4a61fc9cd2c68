// Who may act is answered before what was sent: on the routes whose actors the configuration names (a letter's
// issuers, the interviewer, the joint assessment's departments, the compliance checkers, an inventory kind's owners),
// a role that may not act is refused 403 whatever its body — empty, malformed or wrong — as the routes gated by a fixed
// role list are (route.ts: the role gate before the body); a role that reads no inventory, whatever query it sent.
// Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, users, type RouteKey, type User } from '../support/events.ts';

const store = isolatedStore('acting-first');
const { handler: sendLetter } = await import('../../functions/supervision/http/send-letter.ts');
const { handler: recordInterview } = await import('../../functions/supervision/http/record-interview.ts');
const { handler: recordAssessment } = await import('../../functions/supervision/http/record-assessment.ts');
const { handler: recordComplianceCheck } = await import('../../functions/supervision/http/record-compliance-check.ts');
const { handler: createResource } = await import('../../functions/inventory/http/create-resource.ts');
const { handler: updateResource } = await import('../../functions/inventory/http/update-resource.ts');
const { handler: confirmResource } = await import('../../functions/inventory/http/confirm-resource.ts');
const { handler: inventorySummary } = await import('../../functions/inventory/http/inventory-summary.ts');
const { handler: listInventory } = await import('../../functions/inventory/http/list-inventory.ts');
const { handler: getResource } = await import('../../functions/inventory/http/get-resource.ts');

beforeAll(() => store.createTables());
afterAll(() => store.destroy());

type Handler = Parameters<typeof call>[0];
const project = { id: 'prj-none' };
const routes: [RouteKey, Handler, Record<string, string>, User][] = [
  ['POST /projects/{id}/letters', sendLetter, project, users.opsEngineer],
  ['POST /projects/{id}/interviews', recordInterview, project, users.ecoOfficer],
  ['POST /projects/{id}/assessments', recordAssessment, project, users.opsEngineer],
  ['POST /projects/{id}/compliance-checks', recordComplianceCheck, project, users.soeOfficer],
  ['POST /inventory/{kind}', createResource, { kind: 'parcels' }, users.opsEngineer],
  ['PATCH /inventory/{kind}/{id}', updateResource, { kind: 'parcels', id: 'par-none' }, users.opsEngineer],
  ['POST /inventory/{kind}/{id}/confirm', confirmResource, { kind: 'parcels', id: 'par-none' }, users.opsEngineer],
];
const bodies: [string, unknown][] = [
  ['no body', undefined],
  ['an empty object', {}],
  ['an unknown field', { nonsense: 1 }],
  ['malformed JSON', '{"heldOn": '],
];

describe('a role that may not act is told so before its body is read', () => {
  for (const [routeKey, handler, params, as] of routes) {
    for (const [what, body] of bodies) {
      it(`${routeKey} as ${as.roles[0]} with ${what}: 403`, async () => {
        const before = await store.snapshot();
        const reply = await call(handler, apiEvent(routeKey, { as, params, body, headers: { 'if-match': '"1"' } }));
        expectProblem(reply, 403);
        expect(await store.snapshot()).toEqual(before);
      });
    }
  }

  // A read is the same: a role that reads no inventory (or not the kind) is told so whatever query it sent.
  for (const [routeKey, handler, params] of [
    ['GET /inventory', inventorySummary, {}],
    ['GET /inventory/{kind}', listInventory, { kind: 'parcels' }],
    ['GET /inventory/{kind}/{id}', getResource, { kind: 'parcels', id: 'par-none' }],
  ] as [RouteKey, Handler, Record<string, string>][]) {
    it(`${routeKey} as ops with an unknown query parameter: 403`, async () => {
      expectProblem(await call(handler, apiEvent(routeKey, { as: users.opsEngineer, params, query: { nonsense: '1' } })), 403);
    });
  }

  it('a role that may act still gets the 400 naming the field', async () => {
    const reply = await call(recordInterview, apiEvent('POST /projects/{id}/interviews', { as: users.committeeLeader, params: project, body: {} }));
    expect(expectProblem(reply, 400).errors?.map((e) => e.path)).toContain('heldOn');
  });
});
