// What the daily digest 每日提醒 tells, pinned: a zone of 200 projects in four parks (bench/digest.ts's generator: open
// tasks of every department red, due today, yellow and later, some undated or not started; letters awaiting replies,
// some past their date, and answered ones) with two departments' channels limited to parks, run on one working day.
// Every digest written — recipient, key, title, body, English — must equal the recorded file
// (daily-digest-content.json, recorded from the job as it was before its reads and writes were made cheaper): a change
// to how the job reads or writes that changes what any department is told, or who is told, fails here. A second run
// that day writes nothing and leaves every digest as it was, and two runs at once write each digest once.
// UPDATE_DIGEST_CONTENT=1 records the file again (only for a change meant to alter the digest's content).
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';

const store = isolatedStore('digest-content');
const { DIGEST_DAY, DIGEST_PARKS, digestsWritten, loadDigestZone } = await import('../../bench/digest.ts');
const { ensureReferenceData } = await import('../../functions/reference/store/bootstrap.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');
const { putChannelsVersion } = await import('../../functions/notifications/store/channels.ts');
const { NO_CHANNELS } = await import('../../functions/notifications/domain/channels.ts');
const { handler } = await import('../../functions/supervision/steps/daily-digest.ts');
const { ddb } = await import('../../functions/kernel/store/client.ts');

/** The DynamoDB calls the job makes, by command, and the most of each command in flight at once. */
const seen = { calls: new Map<string, number>(), inFlight: new Map<string, number>(), most: new Map<string, number>(), projectsRead: [] as string[] };
ddb.middlewareStack.add(
  (next, context) => async (args) => {
    const command = String(context.commandName);
    seen.calls.set(command, (seen.calls.get(command) ?? 0) + 1);
    if (command === 'BatchGetItemCommand') {
      for (const { Keys } of Object.values((args.input as { RequestItems: Record<string, { Keys: { pk: string }[] }> }).RequestItems)) seen.projectsRead.push(...Keys.map((k) => k.pk));
    }
    seen.inFlight.set(command, (seen.inFlight.get(command) ?? 0) + 1);
    seen.most.set(command, Math.max(seen.most.get(command) ?? 0, seen.inFlight.get(command)!));
    try {
      return await next(args);
    } finally {
      seen.inFlight.set(command, seen.inFlight.get(command)! - 1);
    }
  },
  { step: 'initialize', name: 'digestCalls' },
);
const watch = () => {
  seen.calls.clear();
  seen.most.clear();
  seen.projectsRead.length = 0;
};

const RECORDED = new URL('./daily-digest-content.json', import.meta.url);
const PROJECTS = 200;

beforeAll(async () => {
  await store.createTables();
  await ensureReferenceData(new Date(`${DIGEST_DAY}T00:00:00Z`));
  await loadDigestZone(0, PROJECTS);
  // The resources bureau's list of 汇通 and the construction department's list of 科创城 and 临港园: per-park digests.
  const limited = (id: string, role: 'resources_bureau' | 'construction_dept', parks: string[]) => ({ id, to: [`${id}@zone.example.cn`], departments: [role], parks, kinds: ['digest.daily'], rateLimits: [] });
  await transact([
    putChannelsVersion({
      name: 'channels',
      version: 1,
      doc: { ...NO_CHANNELS, email: [limited('land-ht', 'resources_bureau', [DIGEST_PARKS[0]]), limited('build-kc-lg', 'construction_dept', [DIGEST_PARKS[1], DIGEST_PARKS[2]])] },
      publishedAt: `${DIGEST_DAY}T00:00:00.000Z`,
      publishedBy: 'test',
    } as never),
  ]);
}, 120_000);
afterAll(() => store.destroy());

describe('what the daily digest tells', () => {
  it('writes, for a zone of 200 projects, exactly the digests recorded: the same departments, keys and wording', async () => {
    watch();
    const report = await handler({ at: `${DIGEST_DAY}T08:30:00+08:00` });
    const written = Object.fromEntries(seen.calls);
    const together = seen.most.get('PutItemCommand');
    const projectsRead = [...seen.projectsRead];
    const { items } = await digestsWritten();
    if (process.env.UPDATE_DIGEST_CONTENT === '1') await writeFile(RECORDED, `${JSON.stringify({ report, digests: items }, null, 1)}\n`);
    const recorded = JSON.parse(await readFile(RECORDED, 'utf8')) as { report: unknown; digests: unknown[] };

    expect(report).toEqual(recorded.report);
    expect(items).toHaveLength(recorded.digests.length);
    expect(items).toEqual(recorded.digests);
    // Whole digests of departments and park centers, and the per-park ones, are all there.
    expect(items.some((n) => String(n.recipient).startsWith('DEPT#park_center#'))).toBe(true);
    expect(items.filter((n) => n.recipient === `DEPT#resources_bureau#${DIGEST_PARKS[0]}` || n.recipient === `DEPT#construction_dept#${DIGEST_PARKS[1]}`)).toHaveLength(2);
    // Each digest a conditional put of its own (no transaction: it is one item, and a transactional write costs twice
    // the units), all of them sent side by side: one round trip, however many departments are told.
    expect(written.TransactWriteItemsCommand).toBeUndefined();
    expect(written.PutItemCommand).toBe(items.length);
    expect(together).toBe(items.length);
    // The names of the projects the digests list and the parks of the letters the per-park digests sort: each project
    // read once (0.5 read units an item however little of it is asked for).
    expect(projectsRead.length).toBeGreaterThan(100);
    expect(projectsRead).toHaveLength(new Set(projectsRead).size);
  });

  it('writes nothing when it runs again that day: every digest stays as it was', async () => {
    const before = await digestsWritten();
    watch();
    const again = await handler({ at: `${DIGEST_DAY}T10:00:00+08:00` });
    // Each refused by its condition, one call each, nothing retried.
    expect(seen.calls.get('PutItemCommand')).toBe(before.items.length);

    expect(again).toMatchObject({ toTell: before.items.length, sent: 0 });
    expect((await digestsWritten()).fingerprint).toBe(before.fingerprint);
  });

  it('reads no more than the calendar on a day off or before the digest’s hour', async () => {
    for (const at of ['2026-10-17T08:30:00+08:00', '2026-10-14T07:00:00+08:00']) {
      watch();
      const report = await handler({ at });
      expect(report.skipped).toBeDefined();
      // The calendar's stamp (its years kept by the warm function): not the lights, the channels or the ledger.
      expect(Object.fromEntries(seen.calls)).toEqual({ GetItemCommand: 1 });
    }
  });

  it('writes each digest once when two runs of the next working day go at once', async () => {
    const [a, b] = await Promise.all([handler({ at: '2026-10-13T08:30:00+08:00' }), handler({ at: '2026-10-13T08:30:05+08:00' })]);

    expect(a.toTell).toBe(b.toTell);
    expect(a.sent + b.sent).toBe(a.toTell);
    const ofDay = (await digestsWritten()).items.filter((n) => String(n.seq).startsWith('2026-10-13T00:30:00.000Z#'));
    expect(ofDay).toHaveLength(a.toTell);
  });
});
