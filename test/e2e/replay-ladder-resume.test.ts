// The demo's month (local/replay-ladder.ts) carried on a day or more after a start stopped it between two admission
// decisions: the Idempotency-Key of the decision already recorded has expired (24 h, real time), so sending it again is
// a 409, not a replay. The carried-on month reads the project's admission as it finds it and sends only the decisions
// still missing. Here the stopped start is made by hand: the project (a major one: two deciders) with its track
// department's decision recorded under no key the child knows, and the marker saying the month is pending.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoSeeding } from '../../local/demo-seeding.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { LADDER_DEMO } from '../../local/ladder-demo.ts';
import { bindLocalStore } from '../../local/runtime.ts';
import { apiEvent, call, users } from '../support/events.ts';
import { root } from '../support/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-replay-resume-'));
const files = { MAIL_DIR: join(dir, 'mail'), ZONEFLOW_SECRETS_DIR: join(dir, 'secrets') };
Object.assign(process.env, files);
const DAY = 86_400_000;
const until = new Date();
let db: DynamoDbLocal;
beforeAll(async () => {
  db = await startDynamoDbLocal({});
  await bindLocalStore({ endpoint: db.endpoint, clock: { ZONEFLOW_CLOCK_START: new Date(until.getTime() - 40 * DAY).toISOString(), ZONEFLOW_TIME_SCALE: '1' } });
});
afterAll(async () => {
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Project = { id: string; status: string; admission: { required: string[]; decisions: { role: string }[] } };

describe("the demo month carried on after its admission's keys expired", () => {
  it('sends only the decision still missing, and the project is admitted and lives its month', async () => {
    const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
    const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
    const { handler: getProject } = await import('../../functions/projects/http/get-project.ts');
    const created = await call<Project>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: { ...LADDER_DEMO.body, totalInvestmentCny: 2_000_000_000 } }));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    expect(created.body.admission.required).toEqual(['investment_dept', 'committee_leader']);
    const decided = await call<Project>(decideAdmission, apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id }, body: { decision: 'approve', reason: '符合园区产业定位' } }));
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.status).toBe('PENDING_ADMISSION');
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: id });

    const child = spawn(process.execPath, ['--import', 'tsx', 'local/replay-ladder.ts'], {
      cwd: root,
      env: { ...process.env, ...files, DYNAMODB_ENDPOINT: db.endpoint, ZONEFLOW_DATA_DIR: dir, ZONEFLOW_REPLAY_UNTIL: until.toISOString(), ZONEFLOW_REPLAY_SECONDS: '10', ZONEFLOW_REPLAY_LAST_TRY: '1', ZONEFLOW_CLOCK_START: '', ZONEFLOW_TIME_SCALE: '', ZONEFLOW_CLOCK_ANCHOR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(code, out).toBe(0);
    const line = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1) ?? '{}') as Record<string, unknown>;
    expect(line, out).toMatchObject({ projectId: id, carriedOn: true });

    const after = await call<Project>(getProject, apiEvent('GET /projects/{id}', { as: users.committeeLeader, params: { id } }));
    expect(after.body.status, out).toBe('ACTIVE');
    expect(after.body.admission.decisions.map((d) => d.role)).toEqual(['investment_dept', 'committee_leader']);
  }, 120_000);
});
