// Daily digest section of the bench: what one run of the daily-digest job 每日提醒 costs in DynamoDB — calls, round
// trips (calls that waited on one another), read and write units as the simulation's meter counts them (bench/sim/
// meter.ts on the product's client: ReturnConsumedCapacity as DynamoDB Local answers it, transactional writes priced
// as AWS bills them) — for a zone of 100 and of 1,000 projects with open tasks of every department (red, due today,
// yellow and later), letters awaiting replies and answered ones. The first run of a day writes the digests; a second
// run that day (a retried schedule) writes none. Each size's digests are fingerprinted (recipient, id, wording), so a
// change to the job can show it tells every department the same thing at a lower cost.
import { createHash, randomUUID } from 'node:crypto';
import type { Role } from '../functions/kernel/domain/codes.ts';
import type { Task } from '../functions/lifecycle/domain/task.ts';
import type { Project } from '../functions/projects/domain/project.ts';
import type { Letter } from '../functions/supervision/domain/letter.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { bindLocalStore } from '../local/runtime.ts';
import { batchPut } from './batch-put.ts';

export const DIGEST_SIZES = [100, 1_000] as const;
/** The zone's parks: the same at every size, so the departments told are the same and only the projects grow. */
export const DIGEST_PARKS = ['汇通产业园', '科创城', '临港园', '综保区'] as const;
/** The working day measured (a Monday) and the one before it (the warm-up run's). */
export const DIGEST_DAY = '2026-10-12';
const WARM_UP_DAY = '2026-10-09';
/** A Saturday: nothing is sent. */
const DAY_OFF = '2026-10-17';

/** The departments that lead tasks here (the enterprise's own work is never in a department's digest). */
const LEADS: readonly Role[] = ['investment_dept', 'resources_bureau', 'park_center', 'construction_dept', 'approval_office', 'eco_bureau', 'enterprise', 'committee_leader', 'scitech_dept', 'soe'];
/** Who letters are addressed to (a park center: the project's park's). */
const ADDRESSEES: readonly Role[] = ['resources_bureau', 'construction_dept', 'park_center', 'investment_dept', 'eco_bureau'];

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Project i of the zone: most active, some exited, completed or awaiting admission; parks in turn. */
export function digestProject(i: number): Project {
  const status = i % 13 === 0 ? 'EXITED' : i % 13 === 1 ? 'PENDING_ADMISSION' : i % 13 === 2 ? 'COMPLETED' : 'ACTIVE';
  const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
  return {
    id: `prj-dg-${String(i).padStart(5, '0')}`,
    name: `每日提醒测试项目${i}`,
    investor: { name: `企业${i % 97}`, enterpriseId: `ent-${i % 97}` },
    track: 'industrial',
    industry: 'other',
    attractionMode: 'chain',
    totalInvestmentCny: 50_000_000 + (i % 40) * 50_000_000,
    techLevel: 'advanced',
    chainRole: 'extend',
    park: DIGEST_PARKS[i % DIGEST_PARKS.length]!,
    siteMode: i % 3 === 0 ? 'lease' : 'land',
    category: 'standard',
    categoryReason: '总投资……',
    dedicatedTeam: null,
    stage: status === 'COMPLETED' ? 'PRODUCING' : (['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'] as const)[Math.floor(i / 3) % 5]!,
    status,
    light: i % 9 === 0 ? 'red' : i % 9 < 3 ? 'yellow' : 'green',
    escalation: { level: 0, name: 'NONE', since: null },
    admission: { required: ['investment_dept'], decisions: [] },
    matrixVersion: 1,
    workflow: { segment: 1, executionName: 'x', startedAt: createdAt, status: 'running' },
    tasksSummary: { open: 3, overdue: 1, nextDue: DIGEST_DAY },
    version: 3,
    createdAt,
    createdBy: 'bench',
    updatedAt: createdAt,
  } as Project;
}

/**
 * The tasks of an active project: three open ones of departments in turn, due from 25 days before the measured day to
 * 35 after it (red, due today, yellow, later), one of them now and then with no due date or not started yet; and two
 * done ones (in no department's list).
 */
export function digestTasks(p: Project, i: number): Task[] {
  if (p.status !== 'ACTIVE') return [];
  const task = (k: number, status: 'open' | 'done'): Task => {
    const offset = ((i * 7 + k * 13) % 61) - 25;
    const undated = status === 'open' && (i + k) % 17 === 0;
    const unstarted = status === 'open' && (i + k) % 23 === 0;
    const lead = LEADS[(i * 3 + k) % LEADS.length]!;
    return {
      id: `${p.stage}.t${k}`, projectId: p.id, stage: p.stage, code: `t${k}`, kind: 'matrix', name: { zh: `事项${k}-${i % 11}`, en: `Task ${k}-${i % 11}` }, lead, cooperating: [], handler: '', standard: '', limitWd: 10, after: [],
      requiredForGate: true, status, startedDate: unstarted ? null : '2026-08-03', dueDate: undated || unstarted ? null : addDays(DIGEST_DAY, offset), yellowDate: null, light: 'green', calendarProvisional: false, matrixVersion: 1,
      park: p.park, enterpriseId: p.investor.enterpriseId,
    } as Task;
  };
  return [task(0, 'open'), task(1, 'open'), task(2, 'open'), task(3, 'done'), task(4, 'done')];
}

/** Every 6th project has a letter awaiting a department's reply (some past their reply date), every 10th an answered one. */
export function digestLetters(p: Project, i: number): Letter[] {
  const letter = (n: number, role: Role, ack: boolean): Letter => {
    const seq = i * 2 + n + 1;
    const issuedOn = addDays(DIGEST_DAY, -((i * 5 + n) % 20) - 1);
    return {
      id: `ltr-dg-${String(i).padStart(5, '0')}-${n}`, number: `晋综开督函〔2026〕${seq}号`, series: 'urging', year: 2026, seq, projectId: p.id, projectName: p.name, from: 'supervision_office',
      to: role === 'park_center' ? { kind: 'department', role, park: p.park } : { kind: 'department', role }, subject: '关于加快办理的函', body: '请说明办理进度。',
      issuedAt: `${issuedOn}T02:00:00.000Z`, issuedBy: 'bench', issuedOn, replyBy: i % 4 === 0 ? null : addDays(issuedOn, 7), replyWd: 5,
      ack: ack ? { by: 'bench', byName: '测试', at: `${DIGEST_DAY}T00:00:00.000Z`, reply: '已办。' } : null,
    } as Letter;
  };
  return [...(i % 6 === 0 ? [letter(0, ADDRESSEES[(i / 6) % ADDRESSEES.length]!, false)] : []), ...(i % 10 === 0 ? [letter(1, ADDRESSEES[(i / 10) % ADDRESSEES.length]!, true)] : [])];
}

/** Writes projects [from, to) of the zone: project items, ledger entries, tasks (BatchWriteItem) and letters (their transactions). */
export async function loadDigestZone(from: number, to: number): Promise<void> {
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { toItem } = await import('../functions/projects/store/projects.ts');
  const { ledgerItem } = await import('../functions/projects/store/ledger-entry.ts');
  const { insertTask } = await import('../functions/lifecycle/store/tasks.ts');
  const { insertLetter } = await import('../functions/supervision/store/letters.ts');
  const projects = process.env.TABLE_PROJECTS!;
  const items: [string, Record<string, unknown>][] = [];
  const letters: Letter[] = [];
  for (let i = from; i < to; i++) {
    const p = digestProject(i);
    items.push([projects, toItem(p)], [process.env.TABLE_LEDGER!, ledgerItem(p)], ...digestTasks(p, i).map((t): [string, Record<string, unknown>] => [projects, insertTask(t).item.Put!.Item!]));
    letters.push(...digestLetters(p, i));
  }
  await batchPut(items);
  for (let l = 0; l < letters.length; l += 8) await Promise.all(letters.slice(l, l + 8).map((letter) => transact(insertLetter(letter))));
}

/** Every digest written so far (recipient, id, seq, kind, wording), in key order, and their fingerprint. */
export async function digestsWritten(): Promise<{ items: Record<string, unknown>[]; fingerprint: string }> {
  const { ddb } = await import('../functions/kernel/store/client.ts');
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new ScanCommand({ TableName: process.env.TABLE_INBOX!, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const n of out.Items ?? []) if (n.kind === 'digest.daily') items.push({ recipient: n.recipient, seq: n.seq, id: n.id, kind: n.kind, title: n.title, body: n.body, en: n.en, createdAt: n.createdAt });
    start = out.LastEvaluatedKey;
  } while (start);
  items.sort((a, b) => `${String(a.recipient)}\u0000${String(a.seq)}`.localeCompare(`${String(b.recipient)}\u0000${String(b.seq)}`));
  return { items, fingerprint: createHash('sha256').update(JSON.stringify(items)).digest('hex').slice(0, 16) };
}

/** Deletes every digest written so far (the next size's runs write theirs anew). */
async function removeDigests(): Promise<void> {
  const { ddb } = await import('../functions/kernel/store/client.ts');
  const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
  for (const n of (await digestsWritten()).items) await ddb.send(new DeleteCommand({ TableName: process.env.TABLE_INBOX!, Key: { recipient: n.recipient, seq: n.seq } }));
}

/** Publishes the next version of the channels: two departments' lists limited to parks, or none. */
async function setChannels(limited: boolean): Promise<void> {
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { getChannels, putChannelsVersion } = await import('../functions/notifications/store/channels.ts');
  const { NO_CHANNELS } = await import('../functions/notifications/domain/channels.ts');
  const current = await getChannels();
  const list = (id: string, role: Role, parks: string[]) => ({ id, to: [`${id}@zone.example.cn`], departments: [role], parks, kinds: ['digest.daily'], rateLimits: [] });
  const email = limited ? [list('land-ht', 'resources_bureau', [DIGEST_PARKS[0]]), list('build-kc-lg', 'construction_dept', [DIGEST_PARKS[1], DIGEST_PARKS[2]])] : [];
  await transact([putChannelsVersion({ name: 'channels', version: current.version + 1, doc: { ...NO_CHANNELS, email }, publishedAt: new Date().toISOString(), publishedBy: 'bench' } as never)]);
  (await import('../functions/reference/store/reference.ts')).forgetReferenceData();
}

export interface DigestRun {
  readonly calls: number;
  readonly roundTrips: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** DynamoDB calls by command (QueryCommand, BatchGetItemCommand, TransactWriteItemsCommand…), and the read units of the reads. */
  readonly byCommand: Record<string, { calls: number; readUnits?: number }>;
  readonly ms: number;
  readonly departments: number;
  readonly toTell: number;
  readonly sent: number;
}

export interface DigestSize {
  readonly projects: number;
  readonly openTasks: number;
  readonly lettersAwaiting: number;
  readonly loadSeconds: number;
  /** The day's first run (writes the digests) and a second run that day (writes none). */
  readonly first: DigestRun;
  readonly again: DigestRun;
  /** A run on a Saturday (the schedule fires every day; the job sends nothing on a day off). */
  readonly dayOff: DigestRun;
  /** The day's first run with the resources bureau's channel limited to one park and the construction department's to two. */
  readonly perPark: DigestRun;
  /** Of the digests this size's first run wrote. */
  readonly digests: number;
  readonly fingerprint: string;
}

export interface DigestSection {
  readonly day: string;
  readonly parks: number;
  readonly sizes: readonly DigestSize[];
}

export async function measureDigest(): Promise<DigestSection> {
  const db = await startDynamoDbLocal({});
  try {
    const prefix = `bd${randomUUID().slice(0, 6)}`;
    await bindLocalStore({ endpoint: db.endpoint, prefix });
    const { ensureReferenceData } = await import('../functions/reference/store/bootstrap.ts');
    await ensureReferenceData(new Date(`${WARM_UP_DAY}T00:00:00Z`));
    const { ddb } = await import('../functions/kernel/store/client.ts');
    const { createMeter } = await import('./sim/meter.ts');
    const { meterTables } = await import('./sim/metering.ts');
    const { handler } = await import('../functions/supervision/steps/daily-digest.ts');
    const meter = createMeter({ tables: meterTables() });
    meter.attach(ddb as never);
    // Read units by command besides the meter's totals (its middleware asks every call for ReturnConsumedCapacity).
    const unitsByCommand = new Map<string, number>();
    ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
        const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
        const command = String(context.commandName);
        if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(command)) unitsByCommand.set(command, (unitsByCommand.get(command) ?? 0) + units);
        return out;
      },
      { step: 'initialize', priority: 'low', name: 'benchUnitsByCommand' },
    );
    const digest = meter.instrument('daily-digest', handler as never);
    const context = { awsRequestId: 'bench', functionName: 'daily-digest' };

    /** One metered run of the job at `at`: what it cost, from the meter's counters before and after. */
    const run = async (at: string): Promise<DigestRun> => {
      const usage = meter.usage.fn('daily-digest');
      const before = { ...usage };
      const commands = new Map([...meter.usage.commands].map(([c, t]) => [c, t.ms.length]));
      unitsByCommand.clear();
      meter.start();
      const t0 = performance.now();
      const report = (await digest({ at }, context)) as { departments: number; toTell: number; sent: number };
      const ms = Math.round(performance.now() - t0);
      meter.stop();
      const byCommand: DigestRun['byCommand'] = {};
      const round = (n: number) => Math.round(n * 10) / 10;
      for (const [c, t] of meter.usage.commands) if (t.ms.length > (commands.get(c) ?? 0)) byCommand[c] = { calls: t.ms.length - (commands.get(c) ?? 0), ...(unitsByCommand.has(c) ? { readUnits: round(unitsByCommand.get(c)!) } : {}) };
      return {
        calls: usage.dynamodbCalls - before.dynamodbCalls,
        roundTrips: usage.dynamodbRoundTrips - before.dynamodbRoundTrips,
        readUnits: round(usage.readUnits - before.readUnits),
        writeUnits: round(usage.writeUnits - before.writeUnits),
        byCommand,
        ms,
        departments: report.departments,
        toTell: report.toTell,
        sent: report.sent,
      };
    };

    const sizes: DigestSize[] = [];
    let loaded = 0;
    for (const projects of DIGEST_SIZES) {
      const started = performance.now();
      await loadDigestZone(loaded, projects);
      loaded = projects;
      const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
      // Every size on the same day, the digests of the size before removed; after a warm-up run the working day before
      // (a warm function's kept calendar and configuration, as on every morning but a cold one's).
      await removeDigests();
      await run(`${WARM_UP_DAY}T08:30:00+08:00`);
      const first = await run(`${DIGEST_DAY}T08:30:00+08:00`);
      const again = await run(`${DIGEST_DAY}T10:00:00+08:00`);
      const dayOff = await run(`${DAY_OFF}T08:30:00+08:00`);
      const ofDay = (await digestsWritten()).items.filter((n) => String(n.seq).startsWith(`${DIGEST_DAY}T00:30:00.000Z#`));
      // The same day again with two departments' channels limited to parks (a digest per park besides the whole one).
      await setChannels(true);
      await removeDigests();
      await run(`${WARM_UP_DAY}T08:30:00+08:00`);
      const perPark = await run(`${DIGEST_DAY}T08:30:00+08:00`);
      await setChannels(false);
      let openTasks = 0;
      let lettersAwaiting = 0;
      for (let i = 0; i < projects; i++) {
        const p = digestProject(i);
        openTasks += digestTasks(p, i).filter((t) => t.status === 'open' && t.startedDate !== null).length;
        lettersAwaiting += digestLetters(p, i).filter((l) => l.ack === null).length;
      }
      sizes.push({ projects, openTasks, lettersAwaiting, loadSeconds, first, again, dayOff, perPark, digests: ofDay.length, fingerprint: createHash('sha256').update(JSON.stringify(ofDay)).digest('hex').slice(0, 16) });
    }
    return { day: DIGEST_DAY, parks: DIGEST_PARKS.length, sizes };
  } finally {
    await db.stop();
  }
}

export function formatDigest(s: DigestSection): string {
  const lines = [`daily digest: ${s.parks} parks, runs on ${s.day}`];
  lines.push(`${'run'.padEnd(28)} ${'calls'.padStart(6)} ${'trips'.padStart(6)} ${'RCU'.padStart(7)} ${'WCU'.padStart(7)} ${'ms'.padStart(6)}  by command`);
  for (const z of s.sizes) {
    lines.push(`${z.projects} projects (${z.openTasks} open tasks, ${z.lettersAwaiting} letters awaiting; ${z.digests} digests, ${z.fingerprint}; loaded in ${z.loadSeconds} s)`);
    for (const [label, r] of [['  first run of the day', z.first], ['  again that day', z.again], ['  on a Saturday', z.dayOff], ['  with lists limited to parks', z.perPark]] as const) {
      const commands = Object.entries(r.byCommand).map(([c, n]) => `${c.replace(/Command$/, '')} ${n.calls}${n.readUnits === undefined ? '' : ` (${n.readUnits} RCU)`}`).join(', ');
      lines.push(`${label.padEnd(28)} ${String(r.calls).padStart(6)} ${String(r.roundTrips).padStart(6)} ${r.readUnits.toFixed(1).padStart(7)} ${r.writeUnits.toFixed(1).padStart(7)} ${String(r.ms).padStart(6)}  ${commands}`);
    }
  }
  return lines.join('\n');
}
