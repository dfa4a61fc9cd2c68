// End to end: the first `npm start` of a store stopped by Ctrl-C while the demo's stalled project lives its month
// (local/replay-ladder.ts), then plain `npm start`s. The second carries the month on (the same project, not made
// again, on the escalation ladder) and is stopped while it makes the rest of the demo; the third makes what is left and
// removes the marker.
// Before the demo's marker (local/demo-seeding.ts) the second start skipped the replay — the store had a project — and
// the stalled project stayed where the Ctrl-C left it; only `--fresh` made the demo whole again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { LADDER_DEMO } from '../../local/ladder-demo.ts';
import { bootRuntime, devToken, root, startCommand, stopRuntime, type Runtime } from '../support/runtime.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-e2e-stopped-'));
let rt: Runtime | undefined;
afterAll(async () => {
  if (rt?.proc.exitCode === null) await stopRuntime(rt);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a first start stopped while the demo month is lived', () => {
  it('is carried on by the next plain start: the same stalled project on the ladder, the rest of the demo made once', async () => {
    // DynamoDB Local on a port of the test's own: the first start is watched there (it prints nothing before it listens).
    // The month lived in 12 s (6 by default): the Ctrl-C lands well inside it.
    const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', DYNAMODB_PORT: String(await freePort()), ZONEFLOW_QUIET: '1', ZONEFLOW_REPLAY_SECONDS: '12' };
    const first = spawn(...startCommand('--fresh'), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    first.stdout.on('data', (d: Buffer) => (out += d.toString()));
    first.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));

    // The stalled project made (its creation audited), a business day or two of its month lived: Ctrl-C.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(`http://127.0.0.1:${env.DYNAMODB_PORT}`)));
    let stalledId: string | undefined;
    for (const deadline = Date.now() + 90_000; !stalledId && Date.now() < deadline && first.exitCode === null; ) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        const page = await db.send(new ScanCommand({ TableName: 'zoneflow-audit', FilterExpression: '#a = :a', ExpressionAttributeNames: { '#a': 'action' }, ExpressionAttributeValues: { ':a': 'project.created' } }));
        stalledId = (page.Items?.find((e) => e.subjectName === LADDER_DEMO.body.name)?.subject as string | undefined)?.slice('PROJECT#'.length);
      } catch {
        // DynamoDB Local or its tables not there yet.
      }
    }
    db.destroy();
    expect(stalledId, out).toBeTruthy();
    await new Promise((r) => setTimeout(r, 1_000));
    process.kill(-first.pid!, 'SIGINT');
    const stopped = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running 30 s after Ctrl-C'), 30_000))]);
    expect(stopped, out).not.toBe('still running 30 s after Ctrl-C');
    // Stopped before the month was lived and before the API opened.
    expect(out).not.toContain('zoneflow listening');
    expect(out).not.toContain('was left alone for a month');

    // The second start carries the month on, and is stopped too — by a Ctrl-C while it seeds the rest of the demo through
    // its API (the first demo inventory record written): a quiet stop, not the seed's calls failing with a stack trace
    // and exit code 1 as the server closed under them.
    const second = spawn(...startCommand(), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let secondOut = '';
    second.stdout.on('data', (d: Buffer) => (secondOut += d.toString()));
    second.stderr.on('data', (d: Buffer) => (secondOut += d.toString()));
    const secondExited = new Promise<number | null>((resolve) => second.once('exit', resolve));
    const db2 = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(`http://127.0.0.1:${env.DYNAMODB_PORT}`)));
    let seeding = false;
    for (const deadline = Date.now() + 120_000; !seeding && Date.now() < deadline && second.exitCode === null; ) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        const page = await db2.send(new ScanCommand({ TableName: 'zoneflow-audit', FilterExpression: '#a = :a', ExpressionAttributeNames: { '#a': 'action' }, ExpressionAttributeValues: { ':a': 'inventory.created' }, Select: 'COUNT' }));
        seeding = (page.Count ?? 0) > 0;
      } catch {
        // DynamoDB Local not there yet.
      }
    }
    db2.destroy();
    expect(seeding, secondOut).toBe(true);
    process.kill(-second.pid!, 'SIGINT');
    const secondCode = await Promise.race([secondExited, new Promise((r) => setTimeout(() => r('still running 30 s after Ctrl-C'), 30_000))]);
    expect(secondCode, secondOut).toBe(0);
    expect(secondOut).not.toMatch(/fetch failed|TypeError|\n\s+at /);
    expect(secondOut).not.toContain('zoneflow listening');

    rt = await bootRuntime(env, []);
    const leader = devToken(env, 'committee_leader');
    const api = async (path: string) => {
      const res = await fetch(`${rt!.base}${path}`, { headers: { authorization: `Bearer ${leader}` } });
      return (await res.json()) as Record<string, unknown>;
    };
    expect(rt.output()).toMatch(new RegExp(`demo: project ${stalledId} was left alone for a month and is on the escalation ladder at L[1-9]`));
    const projects = (await api('/projects?limit=100')).items as { id: string; name: string }[];
    // Every project of the demo (the stalled one and three), each once: the stalled one is the one the first start made.
    expect(projects).toHaveLength(4);
    expect(new Set(projects.map((p) => p.name)).size).toBe(4);
    expect(projects.find((p) => p.name === LADDER_DEMO.body.name)?.id).toBe(stalledId);
    const stalled = (await api(`/projects/${stalledId}`)) as { light: string; escalation: { level: number } };
    expect(stalled.light).toBe('red');
    expect(stalled.escalation.level).toBeGreaterThanOrEqual(1);
    // Its life told once, in business order, nothing after this start's "now".
    const now = Date.parse((await api('/health')).now as string);
    const events = (await api(`/projects/${stalledId}/timeline?limit=100`)).items as { at: string; action: string }[];
    expect(events.filter((e) => e.action === 'project.created')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'admission.approve')).toHaveLength(1);
    expect(events.some((e) => e.action === 'escalation.raised')).toBe(true);
    for (const e of events) expect(Date.parse(e.at), `${e.action} at ${e.at}`).toBeLessThanOrEqual(now);
    expect(existsSync(join(dataDir, 'demo-seeding.json'))).toBe(false);

    // A restart of a finished demo seeds and replays nothing: the marker is gone (above), and local-runtime.test's restart
    // shows what a start over a finished demo does.
  }, 300_000);
});
