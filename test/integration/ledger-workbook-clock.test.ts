// The Excel ledger's document properties are dated on the business clock, by what the file holds: Excel's 创建时间 and
// 修改时间 tell the same moment, the last change of the projects in it (the business day's start when it has none) —
// never a file "modified" before it was made, and never the instant it happened to be written, so the same ledger is
// the same file whenever it is made: HEAD /reports/ledger.xlsx answers the GET's Content-Length (dated by the instant,
// the two differed by a byte now and then, a second apart).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import type { ApiEvent } from '../../functions/kernel/http/route.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';

const store = isolatedStore('workbook-clock');
// Fast enough that a few milliseconds apart are seconds apart on the business clock.
Object.assign(process.env, { ZONEFLOW_CLOCK_START: '2027-01-22T01:00:00Z', ZONEFLOW_TIME_SCALE: '2000' });
const { ledgerWorkbook, handler } = await import('../../functions/reports/http/ledger-xlsx.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { transact } = await import('../../functions/kernel/store/client.ts');

const seed = { sub: 'seed', name: 'seed', roles: ['investment_dept' as const] };
const project = (i: number, updatedAt: string): Project => ({
  ...createProject(projectBody({ name: `时钟项目${i}` }) as never, seed, DEFAULT_CONFIG.classification, { id: `prj-clock-${i}`, now: new Date('2027-01-04T02:00:00Z') }),
  status: 'ACTIVE',
  updatedAt,
});
const rows = [project(1, '2027-01-10T03:04:05.678Z'), project(2, '2027-01-20T08:09:10.111Z'), project(3, '2027-01-12T00:00:00.000Z')];

/** A few real milliseconds: seconds of the business clock at this scale. */
const later = () => new Promise((r) => setTimeout(r, 5));

const made = async (projects: readonly Project[]) => {
  const file = ledgerWorkbook();
  file.add(projects);
  const bytes = await file.finish();
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  return { bytes, created: book.created.toISOString(), modified: book.modified.toISOString() };
};

describe('the workbook’s dates', () => {
  it('are the last change of the projects in it, made and modified the same instant', async () => {
    const book = await made(rows);
    expect(book.created).toBe('2027-01-20T08:09:10.000Z');
    expect(book.modified).toBe(book.created);
  });

  it('are the business day’s start (Shanghai) for a file with no project', async () => {
    const book = await made([]);
    expect(book.created).toBe('2027-01-21T16:00:00.000Z');
    expect(book.modified).toBe(book.created);
  });

  it('do not move with the instant the file is made: the same rows, the same dates and length', async () => {
    const first = await made(rows);
    await later();
    const second = await made(rows);
    expect(second.created).toBe(first.created);
    expect(second.bytes.byteLength).toBe(first.bytes.byteLength);
  });
});

describe('HEAD /reports/ledger.xlsx', () => {
  beforeAll(async () => {
    await store.createTables();
    for (const p of rows) await transact([...insertProject(p)]);
  });
  afterAll(() => store.destroy());

  it('answers the GET’s headers, Content-Length included, seconds of the business clock later', async () => {
    const event = (method: string) => {
      const e = apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader }) as ApiEvent;
      return { ...e, requestContext: { ...e.requestContext, http: { ...e.requestContext.http, method } } } as ApiEvent;
    };
    const get = await call(handler, event('GET'));
    expect(get.status).toBe(200);
    const length = String(Buffer.from(get.text, 'base64').byteLength);
    for (let i = 0; i < 3; i++) {
      await later();
      const head = await call(handler, event('HEAD'));
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(length);
      expect(head.headers['content-disposition']).toBe(get.headers['content-disposition']);
    }
  });
});
