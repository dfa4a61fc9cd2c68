// Delivery section of the bench: notices routed to a group robot's queue and sent to a local receiver (local/receiver.ts,
// DingTalk-signed) through the product's routing and dispatcher on DynamoDB Local, with a backlog of 100 and of 1,000.
// What a notice costs must not grow with the backlog (a queue read from its head: target ratio ≤ 1.2 per notice), and
// every notice arrives once, in order.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { startReceiver } from '../local/receiver.ts';
import { bindLocalStore } from '../local/runtime.ts';

export const DELIVERY_TARGET_RATIO = 1.2;
const BACKLOGS = [100, 1_000] as const;

export interface DeliveryRow {
  readonly backlog: number;
  /** Inbox items routed to the channel's queue (routeNotification, as the stream consumer calls it), per second. */
  readonly routedPerSecond: number;
  /** Sent and committed by the dispatcher, per second (one channel: sends are sequential, in order). */
  readonly deliveredPerSecond: number;
  readonly msPerNotice: number;
  readonly heapDeltaMB: number;
}

export interface DeliverySection {
  readonly rows: readonly DeliveryRow[];
  /** ms per delivered notice at the largest backlog over the smallest. */
  readonly ratio: number;
  readonly target: number;
  readonly meetsTarget: boolean;
}

export async function measureDelivery(): Promise<DeliverySection> {
  const db = await startDynamoDbLocal({});
  const receiver = await startReceiver({ secret: 'SECbench' });
  try {
    process.env.ZONEFLOW_SECRETS_DIR = mkdtempSync(join(tmpdir(), 'zoneflow-bench-secrets-'));
    process.env.MAIL_DIR = mkdtempSync(join(tmpdir(), 'zoneflow-bench-mail-'));
    await bindLocalStore({ endpoint: db.endpoint, prefix: `bd${randomUUID().slice(0, 6)}` });
    const { transact } = await import('../functions/kernel/store/client.ts');
    const { noticeOps } = await import('../functions/notifications/notifier.ts');
    const { publishChannels, NO_CHANNELS } = await import('../functions/notifications/domain/channels.ts');
    const { secrets } = await import('../functions/notifications/secrets.ts');
    const { putChannelsVersion } = await import('../functions/notifications/store/channels.ts');
    const { queryInbox } = await import('../functions/notifications/store/inbox.ts');
    const { routeNotification } = await import('../functions/notifications/routing.ts');
    const { drainChannel } = await import('../functions/notifications/dispatch.ts');

    const store = secrets();
    const published = publishChannels(
      { robots: [{ id: 'bench', platform: 'dingtalk', url: `${receiver.url}/dingtalk?access_token=bench`, secret: 'SECbench', departments: ['resources_bureau'], rateLimit: { messages: 1000, seconds: 1 } }] },
      NO_CHANNELS,
      { extraHosts: ['127.0.0.1'] },
      (id) => store.newName(`channels/${id}`),
      new Date(),
    );
    for (const w of published.writes) await store.put(w.name, JSON.stringify(w.value));
    await transact([putChannelsVersion({ name: 'channels', version: 1, doc: published.doc, publishedAt: new Date().toISOString(), publishedBy: 'bench' })]);

    const rows: DeliveryRow[] = [];
    let serial = 0;
    for (const backlog of BACKLOGS) {
      const project = { id: `prj-bench-${backlog}`, name: '基准项目', park: '汇通产业园', investor: { enterpriseId: 'ent-b' } };
      const at = new Date();
      const notices = Array.from({ length: backlog }, (_, i) => ({ kind: 'task.overdue' as const, project, to: 'resources_bureau' as const, task: `任务${++serial}-${i}`, dueDate: '2026-11-30' }));
      for (let i = 0; i < notices.length; i += 25) await transact(noticeOps(notices.slice(i, i + 25), new Date(at.getTime() + i)));
      // The inbox items just written (newest first), oldest first as the stream hands them over.
      const items = [];
      let before: string | undefined;
      while (items.length < backlog) {
        const page = await queryInbox('DEPT#resources_bureau', 100, before);
        items.push(...page.items);
        before = page.items.at(-1)?.seq;
        if (!page.more) break;
      }
      const mine = items.slice(0, backlog).reverse();
      const heap0 = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      for (const n of mine) await routeNotification(n, published.doc, new Date());
      const routedMs = performance.now() - t0;
      const received0 = receiver.received.length;
      const t1 = performance.now();
      while (receiver.received.length - received0 < backlog) {
        const r = await drainChannel('bench', published.doc, 60_000);
        if (r.delivered === 0 && !r.busy) throw new Error(`delivery stalled at ${receiver.received.length - received0} of ${backlog}`);
      }
      const deliveredMs = performance.now() - t1;
      const got = receiver.received.slice(received0).map((r) => r.notification);
      if (new Set(got).size !== backlog || got.join() !== mine.map((n) => n.id).join()) throw new Error('notices doubled, lost or out of order');
      rows.push({
        backlog,
        routedPerSecond: Math.round((backlog / routedMs) * 1000),
        deliveredPerSecond: Math.round((backlog / deliveredMs) * 1000),
        msPerNotice: Math.round((deliveredMs / backlog) * 100) / 100,
        heapDeltaMB: Math.round(((process.memoryUsage().heapUsed - heap0) / 2 ** 20) * 10) / 10,
      });
    }
    const ratio = Math.round((rows[1]!.msPerNotice / rows[0]!.msPerNotice) * 100) / 100;
    return { rows, ratio, target: DELIVERY_TARGET_RATIO, meetsTarget: ratio <= DELIVERY_TARGET_RATIO };
  } finally {
    await receiver.close();
    await db.stop();
  }
}

export function formatDelivery(s: DeliverySection): string {
  const lines = [
    'delivery: notices routed to one DingTalk robot queue and sent to the local receiver (signed, in order, once each)',
    '  backlog | routed/s | delivered/s | ms/notice | heap Δ MB',
    ...s.rows.map((r) => `  ${String(r.backlog).padStart(7)} | ${String(r.routedPerSecond).padStart(8)} | ${String(r.deliveredPerSecond).padStart(11)} | ${String(r.msPerNotice).padStart(9)} | ${String(r.heapDeltaMB).padStart(9)}`),
    `  ms per notice, backlog ${s.rows.at(-1)!.backlog} over ${s.rows[0]!.backlog}: ${s.ratio} (target ≤ ${s.target}: ${s.meetsTarget ? 'met' : 'MISSED'})`,
  ];
  return lines.join('\n');
}
