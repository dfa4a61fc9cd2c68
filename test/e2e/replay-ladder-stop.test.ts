// The demo's month (local/replay-ladder.ts, the child `npm start` lives it in) stopped by a Ctrl-C while its notices
// are being mailed: it finishes the notice under way, records it and frees the channel before it exits — `npm start`
// stops the store only after it. It exited at once, cutting its dispatcher between a mail and its record (mailed again
// by the next start) and leaving the channel's lease held.
// A store whose month a first start left unlived, an e-mail list published meanwhile (a --no-seed start), carried on by
// `npm start -- --seed`: here the child is started on a fresh store with the list already published.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { bindLocalStore } from '../../local/runtime.ts';
import { apiEvent, call, users } from '../support/events.ts';
import { root } from '../support/runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-replay-stop-'));
const files = { MAIL_DIR: join(dir, 'mail'), ZONEFLOW_SECRETS_DIR: join(dir, 'secrets') };
Object.assign(process.env, files);
const mails = () => {
  try {
    return readdirSync(files.MAIL_DIR);
  } catch {
    return [];
  }
};
const DAY = 86_400_000;
const until = new Date();
let db: DynamoDbLocal;
beforeAll(async () => {
  db = await startDynamoDbLocal({});
  // Published before the month begins: a list carries the notices created since.
  await bindLocalStore({ endpoint: db.endpoint, clock: { ZONEFLOW_CLOCK_START: new Date(until.getTime() - 40 * DAY).toISOString(), ZONEFLOW_TIME_SCALE: '1' } });
});
afterAll(async () => {
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the demo month's child stopped while it mails a backlog", () => {
  it('mails nothing more after the stop, records what it mailed and frees the channel before it exits', async () => {
    const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
    const { handler: listDeliveries } = await import('../../functions/notifications/http/list-deliveries.ts');
    const everyone = ['committee_leader', 'investment_dept', 'scitech_dept', 'resources_bureau', 'eco_bureau', 'park_center', 'construction_dept', 'approval_office', 'soe', 'supervision_office', 'discipline_office', 'ops'];
    const published = await call(putChannels, apiEvent('PUT /config/channels', {
      as: users.opsEngineer,
      headers: { 'if-match': '"0"' },
      body: { doc: { email: [{ id: 'demo-mail', to: ['zone@zone.example.cn'], departments: everyone, rateLimit: { messages: 1, seconds: 1 } }] }, note: 'test' },
    }));
    expect(published.status, published.text).toBe(200);

    const child = spawn(process.execPath, ['--import', 'tsx', 'local/replay-ladder.ts'], {
      cwd: root,
      env: { ...process.env, ...files, DYNAMODB_ENDPOINT: db.endpoint, ZONEFLOW_DATA_DIR: dir, ZONEFLOW_REPLAY_UNTIL: until.toISOString(), ZONEFLOW_REPLAY_SECONDS: '20', ZONEFLOW_CLOCK_START: '', ZONEFLOW_TIME_SCALE: '', ZONEFLOW_CLOCK_ANCHOR: '' },
      // stdin a pipe this test holds, as npm start's (the child ends when it closes).
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    // Two notices mailed, more waiting on the list's rate: Ctrl-C.
    for (const deadline = Date.now() + 90_000; mails().length < 2 && child.exitCode === null && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(mails().length, out).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    expect(await exited, out).toBe(130);

    // Every mail written is recorded delivered, and the channel is free for the next start's dispatcher.
    type Ops = { channels: { id: string; pending: number; leasedUntil: string | null }[] };
    const ops = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
    const channel = ops.body.channels.find((c) => c.id === 'demo-mail');
    expect(channel, out).toMatchObject({ leasedUntil: null });
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ddb } = await import('../../functions/kernel/store/client.ts');
    const { tableEnv } = await import('../../local/dynamodb-local.ts');
    const inbox = (await ddb.send(new ScanCommand({ TableName: tableEnv().TABLE_INBOX, ConsistentRead: true }))).Items ?? [];
    const delivered = inbox.filter((n) => (n.delivery as Record<string, { status: string }> | undefined)?.['demo-mail']?.status === 'delivered');
    expect(delivered.length, out).toBe(mails().length);
    expect(channel!.pending, out).toBeGreaterThan(0);
    child.stdin.end();
  });
});
