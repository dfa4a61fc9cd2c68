// A Ctrl-C of `npm start` while a rate-limited backlog is being mailed: the dispatcher stops after the mail it is on.
// Seen live (helper-158): an e-mail list at one message a second, a backlog of task notices, Ctrl-C — the dispatcher
// went on mailing past start.ts's 10 s wait until the store stopped under it, leaving the channel's lease held ("channels
// the previous run held, freed: 1" at the next start, 3 of 6 stops) and any mail written in that last instant
// uncommitted, so mailed again. The local runtime's stop() now asks a stop of the handlers it hosts
// (kernel/runtime/stop.ts): no new mail is begun, the one under way is committed, the lease given back.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, call, users } from '../support/events.ts';
import { lifecycleEnv, until } from '../support/lifecycle-env.ts';
import type { Notice } from '../../functions/notifications/domain/notices.ts';

const dir = mkdtempSync(join(tmpdir(), 'zf-stop-mail-'));
// Before the runtime binds the store: its mail and secrets here, not in a data directory.
Object.assign(process.env, { MAIL_DIR: join(dir, 'mail'), ZONEFLOW_SECRETS_DIR: join(dir, 'secrets') });
const mails = () => {
  try {
    return readdirSync(join(dir, 'mail'));
  } catch {
    return [];
  }
};
/** The notification a mail file carries (its name: `<ms>-<notification>-<unique>.eml`). */
const noticeOf = (file: string) => file.split('-')[1]!;

const CHANNEL = 'stop-mail';
const BACKLOG = 6;
let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

describe('stopping the local runtime while a channel backlog is mailed', () => {
  it('mails no notice after the stop but the one under way, commits it, frees the channel; the rest go once afterwards', async () => {
    const { handler: putChannels } = await import('../../functions/notifications/http/put-channels.ts');
    const { handler: listDeliveries } = await import('../../functions/notifications/http/list-deliveries.ts');
    const { drainChannel, DEFAULT_DEPS } = await import('../../functions/notifications/dispatch.ts');
    const { getChannels } = await import('../../functions/notifications/store/channels.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const { noticeOps } = await import('../../functions/notifications/notifier.ts');

    // One message a second: the backlog takes seconds to mail, one inline rate wait after another.
    const published = await call(putChannels, apiEvent('PUT /config/channels', {
      as: users.opsEngineer,
      headers: { 'if-match': '"0"' },
      body: { doc: { email: [{ id: CHANNEL, to: ['land@zone.example.cn'], departments: ['resources_bureau'], rateLimit: { messages: 1, seconds: 1 } }] }, note: 'test' },
    }));
    expect(published.status, published.text).toBe(200);
    const notices: Notice[] = Array.from({ length: BACKLOG }, (_, i) => ({
      kind: 'task.overdue',
      project: { id: `prj-stop-${i}`, name: `项目${i}`, park: '汇通产业园', investor: { enterpriseId: 'ent-a' } },
      to: 'resources_bureau',
      task: `任务${i}`,
      dueDate: '2026-09-18',
    }));
    // Written as the product writes notices: the runtime's inbox stream consumer routes them and works the channel.
    await transact(noticeOps(notices, new Date(env.clock.now().getTime() + 1_000)));

    // Two mailed, the third waiting on the rate: Ctrl-C.
    await until(() => mails().length >= 2 || undefined);
    env.stop();
    const atStop = mails().length;
    await env.settled();

    // Nothing begun after the stop; at most the mail under way at that instant finished.
    const mailed = mails();
    expect(mailed.length).toBeLessThanOrEqual(atStop + 1);
    expect(mailed.length).toBeLessThan(BACKLOG);
    // Every mail written has its "delivered" committed, and the channel is not left held.
    type Ops = { channels: { id: string; pending: number; leasedUntil: string | null }[] };
    const ops = await call<Ops>(listDeliveries, apiEvent('GET /deliveries', { as: users.opsEngineer }));
    expect(ops.body.channels.find((c) => c.id === CHANNEL)).toMatchObject({ pending: BACKLOG - mailed.length, leasedUntil: null });

    // The next start's dispatcher (no stop asked of it) mails the rest: every notice once.
    const config = (await getChannels()).doc;
    const next = { ...DEFAULT_DEPS, stopAsked: () => false, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
    for (let i = 0; i < 10 && mails().length < BACKLOG; i++) await drainChannel(CHANNEL, config, 10_000, next);
    const all = mails().map(noticeOf);
    expect(all).toHaveLength(BACKLOG);
    expect(new Set(all).size).toBe(BACKLOG);
  });
});
