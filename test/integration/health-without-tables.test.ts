// GET /health while the tables do not exist (e.g. a deploy whose tables are not created yet): 503, never 200 or 500.
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';

// Deliberately no createTables(): this file's tables never exist.
const store = isolatedStore('notables');
registerFakeWorkflow();
const { handler: health } = await import('../../functions/platform/http/health.ts');

afterAll(() => store.destroy());

describe('the readiness probe before the tables exist', () => {
  it('answers 503 and says the tables are not ready', async () => {
    const reply = await call(health, apiEvent('GET /health'));

    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ status: 'unavailable', tables: false, workflow: true });
  });
});
