// GET /reports/ledger.csv and /reports/ledger.xlsx — the ledger 台账 as files: Chinese headers, BOM, 万元 and 亩, the
// filters and scope of GET /projects, and a long ledger in several files named by the Link header (every project
// exactly once). The workbook is opened with the same library and its cells checked.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { createProject, type Project } from '../../functions/projects/domain/project.ts';
import type { ExportFile } from '../../functions/reports/ledger-export.ts';
import { shanghaiDate } from '../../functions/kernel/domain/dates.ts';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, lambdaContext, projectBody, users, type User } from '../support/events.ts';

const store = isolatedStore('exports');
const { handler: csv } = await import('../../functions/reports/http/ledger-csv.ts');
const { handler: xlsx } = await import('../../functions/reports/http/ledger-xlsx.ts');
const { insertProject } = await import('../../functions/projects/store/projects.ts');
const { readLedger } = await import('../../functions/reports/ledger-export.ts');
const { withRequestGate } = await import('../../functions/kernel/runtime/write-gate.ts');
const { ddb, transact, transactGroups } = await import('../../functions/kernel/store/client.ts');

const both: User = { sub: 'seed', name: 'seed', roles: ['investment_dept', 'scitech_dept'] };
const projects: Project[] = [];

beforeAll(async () => {
  await store.createTables();
  const start = Date.parse('2026-03-02T01:00:00Z');
  for (let i = 0; i < 23; i++) {
    const park = i % 3 === 0 ? '科创城' : '汇通产业园';
    const name = i === 5 ? '=HYPERLINK("http://x","点我"),"引号"' : `导出测试项目${i}`;
    const base = createProject(projectBody({ name, park, industry: 'other', totalInvestmentCny: 123_456_789 + i, needs: { areaM2: 66_667 } }) as never, both, DEFAULT_CONFIG.classification, { id: `prj-export-${String(i).padStart(2, '0')}`, now: new Date(start + i * 60_000) });
    // Every fifth project follows responsibility matrix version 2 (the one to find after a mistaken publication).
    const p: Project = { ...base, matrixVersion: i % 5 === 0 ? 2 : 1, status: 'ACTIVE', light: i % 4 === 0 ? 'red' : i % 4 === 1 ? 'yellow' : 'green', tasksSummary: { open: 3, overdue: i % 4 === 0 ? 1 : 0, nextDue: '2026-04-01' } };
    await transact([...insertProject(p)]);
    projects.push(p);
  }
});
afterAll(() => store.destroy());

/**
 * Stores a project of `park` for each id, a second apart, as insertProject writes them — fifty to a transaction: a
 * seed, not what is read. One transaction each (and 30 at once) took 5–13 s for a thousand on a loaded machine.
 */
async function seedPark(ids: readonly string[], park: string, name: string): Promise<void> {
  const start = Date.parse('2026-03-02T01:00:00Z');
  await transactGroups(ids.map((id, i) => insertProject(createProject(projectBody({ name: `${name}${i}`, park, industry: 'other' }) as never, both, DEFAULT_CONFIG.classification, { id, now: new Date(start + i * 1000) }))));
}

const get = (handler: typeof csv, path: `/${string}`, query: Record<string, string>, as: User = users.supervisionOfficer) => call(handler, apiEvent(`GET ${path}`, { as, query }));

/** Parses our CSV (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) cell += c;
    else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the ledger as CSV', () => {
  it('has a BOM, Chinese headers, 万元 and 亩, and comes in files of `limit` rows, each project once', async () => {
    const seen: string[] = [];
    let query: Record<string, string> = { limit: '10', status: 'ACTIVE' };
    let files = 0;
    for (;;) {
      const reply = await get(csv, '/reports/ledger.csv', query);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.contentType).toBe('text/csv; charset=utf-8');
      expect(reply.headers['content-disposition']).toMatch(/^attachment; filename="ledger-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
      expect(reply.text.startsWith('\uFEFF项目编号,项目名称,投资主体,园区,')).toBe(true);
      const rows = parseCsv(reply.text.slice(1));
      expect(rows[0]).toContain('总投资（万元）');
      seen.push(...rows.slice(1).map((r) => r[0]!));
      files += 1;
      const next = reply.headers['x-next-cursor'];
      if (!next) {
        expect(reply.headers.link).toBeUndefined();
        break;
      }
      expect(reply.headers.link).toMatch(/^<\/reports\/ledger\.csv\?[^>]*cursor=[^>]+>; rel="next"$/);
      const link = new URLSearchParams(reply.headers.link!.slice(reply.headers.link!.indexOf('?') + 1, reply.headers.link!.indexOf('>')));
      expect(Object.fromEntries(link)).toEqual({ limit: '10', status: 'ACTIVE', cursor: next });
      query = { ...query, cursor: next };
    }
    expect(files).toBe(3);
    expect(seen.sort()).toEqual(projects.map((p) => p.id).sort());

    const all = parseCsv((await get(csv, '/reports/ledger.csv', {})).text.slice(1));
    const header = all[0]!;
    const row = (id: string) => Object.fromEntries(header.map((h, i) => [h, all.find((r) => r[0] === id)![i]]));
    expect(row('prj-export-04')).toMatchObject({ 园区: '汇通产业园', 项目类别: '一般项目', '总投资（万元）': '12345.68', 亮灯: '红灯', 逾期事项: '1', 状态: '推进中', '用地需求（亩）': '100', 所处阶段: '招商签约' });
    // In the words the console uses for the same codes (条线 产业项目, not 赛道 产业).
    expect(row('prj-export-04')).toMatchObject({ 条线: '产业项目', 产业: '其他' });
    // A name that would run as a formula in Excel is text, quotes and commas intact.
    expect(row('prj-export-05').项目名称).toBe('\'=HYPERLINK("http://x","点我"),"引号"');
  });

  it('keeps a park center to its park, and refuses bad filters by name', async () => {
    const parkCenter = users.huitongParkCenter;
    const rows = parseCsv((await get(csv, '/reports/ledger.csv', {}, parkCenter)).text.slice(1)).slice(1);
    expect(rows).toHaveLength(projects.filter((p) => p.park === '汇通产业园').length);
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['汇通产业园']));
    expectProblem(await get(csv, '/reports/ledger.csv', { park: '科创城' }, parkCenter), 403);
    expectProblem(await get(csv, '/reports/ledger.csv', { limit: '5001' }), 400, ['query.limit']);
    expectProblem(await get(csv, '/reports/ledger.csv', { light: 'blue' }), 400, ['query.light']);
    expectProblem(await get(csv, '/reports/ledger.csv', { cursor: 'forged' }), 400, ['query.cursor']);
    expectProblem(await get(csv, '/reports/ledger.csv', {}, users.enterpriseA), 403);
  });
});

describe('the ledger of the projects following a matrix version (?matrixVersion, as GET /projects)', () => {
  const onV2 = () => projects.filter((p) => p.matrixVersion === 2).map((p) => p.id).sort();

  it('holds only the projects that follow it, file after file, for ops and the committee leader, as CSV and workbook', async () => {
    const seen: string[] = [];
    let query: Record<string, string> = { matrixVersion: '2', limit: '2' };
    for (;;) {
      const reply = await get(csv, '/reports/ledger.csv', query, users.opsEngineer);
      expect(reply.status, reply.text).toBe(200);
      seen.push(...parseCsv(reply.text.slice(1)).slice(1).map((r) => r[0]!));
      const next = reply.headers['x-next-cursor'];
      if (!next) break;
      expect(reply.headers.link).toContain('matrixVersion=2');
      query = { ...query, cursor: next };
    }
    expect(seen.sort()).toEqual(onV2());
    const leader = parseCsv((await get(csv, '/reports/ledger.csv', { matrixVersion: '2', status: 'ACTIVE' }, users.committeeLeader)).text.slice(1)).slice(1);
    expect(leader.map((r) => r[0]).sort()).toEqual(onV2());
    const book = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.opsEngineer, query: { matrixVersion: '2' } }), {} as never);
    expect(book.statusCode, book.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(book.body!, 'base64') as never);
    const ids: string[] = [];
    workbook.worksheets[0]!.eachRow((row, n) => n > 1 && ids.push(String(row.getCell(1).value)));
    expect(ids.sort()).toEqual(onV2());
  });

  it('refuses it to other callers (naming query.matrixVersion), a value that is no version, and a cursor of another version', async () => {
    expectProblem(await get(csv, '/reports/ledger.csv', { matrixVersion: '2' }), 403, ['query.matrixVersion']);
    expectProblem(await get(xlsx, '/reports/ledger.xlsx', { matrixVersion: '2' }, users.huitongParkCenter), 403, ['query.matrixVersion']);
    expectProblem(await get(csv, '/reports/ledger.csv', { matrixVersion: 'two' }, users.opsEngineer), 400, ['query.matrixVersion']);
    expectProblem(await get(csv, '/reports/ledger.csv', { matrixVersion: '0' }, users.opsEngineer), 400, ['query.matrixVersion']);
    const first = await get(csv, '/reports/ledger.csv', { matrixVersion: '2', limit: '1' }, users.opsEngineer);
    expect(first.headers['x-next-cursor']).toEqual(expect.any(String));
    expectProblem(await get(csv, '/reports/ledger.csv', { matrixVersion: '1', limit: '1', cursor: first.headers['x-next-cursor']! }, users.opsEngineer), 400, ['query.cursor']);
  });
});

describe('the ledger in English (?lang=en)', () => {
  it('has English headers and words and the park’s English name, the same rows and figures; without lang (or with lang=zh) it is the Chinese file as ever', async () => {
    const zh = await get(csv, '/reports/ledger.csv', { status: 'ACTIVE' });
    const asked = await get(csv, '/reports/ledger.csv', { status: 'ACTIVE', lang: 'zh' });
    expect(asked.text).toBe(zh.text);
    expect(asked.headers['content-disposition']).toBe(zh.headers['content-disposition']);
    expect(zh.text.startsWith('\uFEFF项目编号,项目名称,投资主体,园区,')).toBe(true);
    const en = await get(csv, '/reports/ledger.csv', { status: 'ACTIVE', lang: 'en' });
    expect(en.status, en.text).toBe(200);
    expect(en.contentType).toBe('text/csv; charset=utf-8');
    // Saved under an English name (no 台账- before it).
    expect(en.headers['content-disposition']).toMatch(/^attachment; filename="ledger-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''ledger-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(en.text.startsWith('\uFEFFProject ID,Project,Investor,Park,')).toBe(true);
    const all = parseCsv(en.text.slice(1));
    const header = all[0]!;
    // Nothing in Chinese but what people typed (the project's and the investor's names).
    expect(header.join(',')).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    const row = (id: string) => Object.fromEntries(header.map((h, i) => [h, all.find((r) => r[0] === id)![i]]));
    expect(row('prj-export-04')).toMatchObject({ Park: 'Huitong Industrial Park', Category: 'Standard', 'Total investment (CNY 10k)': '12345.68', Light: 'Red', 'Overdue tasks': '1', Status: 'Active', 'Site needed (mu)': '100', Stage: 'Signing', Track: 'Industrial', Industry: 'Other', Project: '导出测试项目4' });
    expect(row('prj-export-03').Park).toBe('Kechuang Sci-Tech City');
    for (const r of all.slice(1)) expect(r.slice(3, 19).join(','), r[0]).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
    // The same projects in the same order as the Chinese file.
    expect(all.slice(1).map((r) => r[0])).toEqual(parseCsv(zh.text.slice(1)).slice(1).map((r) => r[0]));
    // A long ledger's next file is English too: its link keeps lang=en.
    const first = await get(csv, '/reports/ledger.csv', { status: 'ACTIVE', lang: 'en', limit: '10' });
    expect(new URLSearchParams(first.headers.link!.slice(first.headers.link!.indexOf('?') + 1, first.headers.link!.indexOf('>'))).get('lang')).toBe('en');
    // A language it does not have is refused by name.
    expectProblem(await get(csv, '/reports/ledger.csv', { lang: 'fr' }), 400, ['query.lang']);
  });

  it('as a workbook: sheet Ledger, English headers, the light in words and coloured as in Chinese', async () => {
    const raw = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { light: 'red', lang: 'en' } }), {} as never);
    expect(raw.statusCode, raw.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(raw.body!, 'base64') as never);
    expect(book.getWorksheet('台账')).toBeUndefined();
    const sheet = book.getWorksheet('Ledger')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers[0]).toBe('Project ID');
    const col = (h: string) => headers.indexOf(h) + 1;
    expect(sheet.rowCount).toBe(1 + projects.filter((p) => p.light === 'red').length);
    const light = sheet.getRow(2).getCell(col('Light'));
    expect(light.value).toBe('Red');
    expect(light.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
    expect(typeof sheet.getRow(2).getCell(col('Total investment (CNY 10k)')).value).toBe('number');
    // Wide enough for its English header.
    expect(sheet.getColumn(col('Escalation next step due')).width).toBeGreaterThanOrEqual('Escalation next step due'.length);
  });
});

describe('the ledger as an Excel workbook', () => {
  it('is a real workbook: sheet 台账, header frozen, widths, numbers as numbers, lights coloured', async () => {
    const raw = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { light: 'red' } }), {} as never);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers?.['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(raw.isBase64Encoded).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(raw.body!, 'base64') as never);
    const sheet = book.getWorksheet('台账')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('项目编号');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBe(30);
    const red = projects.filter((p) => p.light === 'red');
    expect(sheet.rowCount).toBe(1 + red.length);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (h: string) => headers.indexOf(h) + 1;
    const first = sheet.getRow(2);
    expect(red.map((p) => p.id)).toContain(first.getCell(1).value);
    expect(typeof first.getCell(col('总投资（万元）')).value).toBe('number');
    expect(first.getCell(col('亮灯')).value).toBe('红灯');
    expect(first.getCell(col('亮灯')).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
    // Days are date cells (Excel sorts and filters them as dates), shown as written; a day not set stays empty.
    const shown = red.find((p) => p.id === first.getCell(1).value)!;
    const created = first.getCell(col('登记日期'));
    expect(created.value).toEqual(new Date(`${shanghaiDate(new Date(shown.createdAt))}T00:00:00.000Z`));
    expect(created.numFmt).toBe('yyyy-mm-dd');
    for (let r = 2; r <= sheet.rowCount; r++) {
      for (const h of ['最近到期', '督办下一步期限', '计划竣工', '登记日期']) {
        const v = sheet.getRow(r).getCell(col(h)).value;
        expect(v === null || v instanceof Date, `${h} in row ${r}: ${String(v)}`).toBe(true);
      }
    }
    expect(sheet.getRows(2, sheet.rowCount - 1)!.some((row) => row.getCell(col('最近到期')).value instanceof Date)).toBe(true);
  });

  it('shows whole numbers without a dangling decimal point: counts as integers, 万元 and 亩 with two decimals', async () => {
    // Excel (and LibreOffice) show a format whose decimals are all optional (`#,##0.##`) as "120,000." and "3." for whole
    // numbers — most amounts, and every count, of the ledger.
    const raw = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { light: 'red' } }), {} as never);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(raw.body!, 'base64') as never);
    const sheet = book.getWorksheet('台账')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (h: string) => sheet.getRow(2).getCell(headers.indexOf(h) + 1);
    expect(cell('未办结事项').value).toBe(3);
    expect(cell('未办结事项').numFmt).toBe('#,##0');
    expect(cell('逾期事项').numFmt).toBe('#,##0');
    expect(typeof cell('总投资（万元）').value).toBe('number');
    expect(cell('总投资（万元）').numFmt).toBe('#,##0.00');
    expect(cell('用地需求（亩）').value).toBe(100);
    expect(cell('用地需求（亩）').numFmt).toBe('#,##0.00');
    for (let c = 1; c <= headers.length; c++) expect(String(sheet.getRow(2).getCell(c).numFmt ?? ''), String(headers[c - 1])).not.toMatch(/\.#+$/);
  });

  it('stays a workbook Excel opens when a stored name holds what XML cannot carry (U+FFFF, an unpaired surrogate, a control)', async () => {
    const base = createProject(projectBody({ name: '坏名称', park: 'XML园', industry: 'other' }) as never, both, DEFAULT_CONFIG.classification, { id: 'prj-export-xml', now: new Date('2026-03-02T01:00:00Z') });
    await transact([...insertProject({ ...base, name: '坏\uffff名\ud800称\u0001🚗', status: 'ACTIVE' })]);
    const raw = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { park: 'XML园' } }), {} as never);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(raw.body!, 'base64') as never);
    const sheet = book.getWorksheet('台账')!;
    expect(sheet.getRow(2).getCell(2).value).toBe('坏名称🚗');
  });

  it('shows a name holding `_xHHHH_` as written (a workbook decodes that as an escaped character: `_x0041_` would read A)', async () => {
    const names = ['项目_x0041_', 'HT_x2024_二期', '_x005F_x000D_'];
    for (const [i, name] of names.entries()) {
      const base = createProject(projectBody({ name, park: '转义园', industry: 'other' }) as never, both, DEFAULT_CONFIG.classification, { id: `prj-export-esc-${i}`, now: new Date(Date.parse('2026-03-02T01:00:00Z') + i * 60_000) });
      await transact([...insertProject({ ...base, status: 'ACTIVE' })]);
    }
    const raw = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { park: '转义园' } }), {} as never);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(raw.body!, 'base64') as never);
    const sheet = book.getWorksheet('台账')!;
    const shown = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => r.getCell(2).value);
    expect(shown.sort()).toEqual([...names].sort());
  });
});

describe('a long export from a slow store', () => {
  it('ends its file early, with the next file’s link, rather than run out of time (a 503 under many writes)', async () => {
    const ids = Array.from({ length: 510 }, (_, i) => `prj-export-slow-${String(i).padStart(3, '0')}`);
    await seedPark(ids, '慢园', '慢库项目');
    // Each index query slowed to half the request's time (4 s left, less the answer's 1 s reserve: 3 s), so the second
    // read page would take the file past it. The first page's own reading gets the other half: a loaded machine's query
    // of 500 rows (with 1.2 s in all it ran out of time in CI alone: a 503 with nothing read) still ends in time.
    const name = `slow-query-${Math.random()}`;
    ddb.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') await new Promise((r) => setTimeout(r, 1_500));
      return next(args);
    }, { step: 'initialize', name });
    let first;
    try {
      first = await csv(apiEvent('GET /reports/ledger.csv', { as: users.committeeLeader, query: { park: '慢园' } }), { ...lambdaContext(), getRemainingTimeInMillis: () => 4_000 });
    } finally {
      ddb.middlewareStack.remove(name);
    }
    expect(first.statusCode, first.body).toBe(200);
    const next = first.headers?.['x-next-cursor'] as string | undefined;
    expect(next).toBeTruthy();
    const rows = parseCsv(first.body!.slice(1)).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(ids.length);
    // The next file goes on where it stopped: every project once.
    const rest = parseCsv((await get(csv, '/reports/ledger.csv', { park: '慢园', cursor: next! }, users.committeeLeader)).text.slice(1)).slice(1);
    expect([...rows, ...rest].map((r) => r[0]).sort()).toEqual(ids);
  });
});

describe('a long workbook on a slow machine', () => {
  it('ends its file early when making the workbook would take it past its time (a 503 after 8.1 s)', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `prj-export-busy-${String(i).padStart(4, '0')}`);
    await seedPark(ids, '忙园', '忙机项目');
    // A busy machine: each row takes 1 ms more to add to the sheet and 5 ms more to write into the workbook, so the
    // 1,000 rows would take over 6 s to make — with their reading, past the request's 7 s (8 s left, less the answer's
    // reserve), though the reading ended well within half of it.
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const sheets = Object.getPrototypeOf(new ExcelJS.Workbook().addWorksheet('x')) as ExcelJS.Worksheet;
    const addRow = sheets.addRow;
    const slowAdd = vi.spyOn(sheets, 'addRow').mockImplementation(function (this: ExcelJS.Worksheet, ...args: Parameters<typeof addRow>) {
      busy(1);
      return addRow.apply(this, args);
    });
    const xlsxOf = Object.getOwnPropertyDescriptor(ExcelJS.Workbook.prototype, 'xlsx')!.get!;
    const slowWrite = vi.spyOn(ExcelJS.Workbook.prototype, 'xlsx', 'get').mockImplementation(function (this: ExcelJS.Workbook) {
      const inner = xlsxOf.call(this) as ExcelJS.Xlsx;
      const rows = this.worksheets.reduce((n, s) => n + s.rowCount, 0);
      return Object.assign(Object.create(inner) as ExcelJS.Xlsx, {
        writeBuffer: async (...args: Parameters<ExcelJS.Xlsx['writeBuffer']>) => {
          busy(5 * rows);
          return inner.writeBuffer(...args);
        },
      });
    });
    let first;
    try {
      first = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { park: '忙园' } }), { ...lambdaContext(), getRemainingTimeInMillis: () => 8_000 });
    } finally {
      slowAdd.mockRestore();
      slowWrite.mockRestore();
    }
    expect(first.statusCode, first.body).toBe(200);
    const next = first.headers?.['x-next-cursor'] as string | undefined;
    expect(next).toBeTruthy();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(first.body!, 'base64') as never);
    const names = book.getWorksheet('台账')!.getSheetValues().slice(2).map((r) => (r as unknown[])[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(ids.length);
    // The next file goes on where it stopped: every project once.
    const rest = await xlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { park: '忙园', cursor: next! } }), {} as never);
    const restBook = new ExcelJS.Workbook();
    await restBook.xlsx.load(Buffer.from(rest.body!, 'base64') as never);
    const restNames = restBook.getWorksheet('台账')!.getSheetValues().slice(2).map((r) => (r as unknown[])[1]);
    expect([...names, ...restNames].sort()).toEqual(ids);
  });
});

describe('files made at once in one process', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `prj-export-many-${String(i).padStart(4, '0')}`);
  beforeAll(async () => {
    await seedPark(ids, '同园', '同时项目');
  });
  // A file of known pace: 0.45 ms a row to add, 4 ms a row to make on the process's one thread, which its estimate (9
  // times the adding, half again) covers.
  const busy = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };
  const paced = (): ExportFile<string[]> => {
    const rows: string[] = [];
    return {
      finishPerAdd: 9,
      add(page) {
        busy(0.45 * page.length);
        rows.push(...page.map((p) => p.id));
      },
      finish: async () => {
        // Written a part at a time, letting the process do other work between (exceljs writes its zip as a stream).
        for (let done = 0; done < rows.length; done += 50) {
          busy(4 * Math.min(50, rows.length - done));
          await new Promise((resolve) => setImmediate(resolve));
        }
        return rows;
      },
    };
  };
  /** `n` files of the park at once, each with 16 s: what each answered, or that it ran out of time (a 503 on the route). */
  const atOnce = (n: number, query: Record<string, string>) =>
    Promise.all(
      Array.from({ length: n }, () =>
        withRequestGate(16_000, () => readLedger(users.committeeLeader, { park: '同园', ...query }, 'paced', paced()), () => new Error('out of time: nothing answered')).then(
          (file) => ({ file }),
          (error: unknown) => ({ error }),
        ),
      ),
    );
  type Answer = Awaited<ReturnType<typeof atOnce>>[number];
  const answered = (files: readonly Answer[]) => files.map((answer) => ('error' in answer ? String(answer.error) : 'answered'));
  const fileOf = (answer: Answer) => (answer as { file: Awaited<ReturnType<typeof readLedger<string[]>>> }).file;

  it('each end early, with the next file’s link, when their making shares the thread (six workbooks at once on npm start: a 503 each after 9 s)', async () => {
    // One file of the 1,000 rows is made in about 5 s, within its 16 s, and that is what each of four estimates alone.
    // But the local runtime answers every request in one process, so four are made one after another on its one
    // thread: 16 s of making, past their time.
    const files = await atOnce(4, {});
    // Every one answered within its time…
    expect(answered(files)).toEqual(['answered', 'answered', 'answered', 'answered']);
    for (const answer of files) {
      // … each made as its share of the thread allows: fewer rows, and where the next file starts.
      const first = fileOf(answer);
      expect(first.nextCursor).toBeTruthy();
      expect(first.rows).toBeGreaterThan(0);
      expect(first.rows).toBeLessThan(ids.length);
      // The next file goes on where it stopped: every project once.
      const rest = await readLedger(users.committeeLeader, { park: '同园', cursor: first.nextCursor! }, 'paced', paced());
      expect([...first.file, ...rest.file].sort()).toEqual(ids);
    }
  });

  it('each end early too when each would be one page read (ten 500-row workbooks at once on npm start: a 503 each)', async () => {
    // A file of 500 rows is one page read, after which nothing is decided: alone it is made in about 2 s, but eight at
    // once take 16 s of making on the one thread. Read in smaller pages while others are made, each is decided early.
    const files = await atOnce(8, { limit: '500' });
    expect(answered(files)).toEqual(Array.from({ length: 8 }, () => 'answered'));
    // The 500 newest, file by file: a first file ended early (the last ones made may be whole: by then the thread was
    // theirs), the next (of the rest of the 500) where it stopped.
    const newest = [...ids].reverse().slice(0, 500).sort();
    expect(files.filter((answer) => fileOf(answer).rows < 500).length).toBeGreaterThan(0);
    for (const answer of files) {
      const first = fileOf(answer);
      expect(first.rows).toBeGreaterThan(0);
      expect(first.nextCursor).toBeTruthy();
      const rest = first.rows < 500 ? (await readLedger(users.committeeLeader, { park: '同园', limit: String(500 - first.rows), cursor: first.nextCursor! }, 'paced', paced())).file : [];
      expect([...first.file, ...rest].sort()).toEqual(newest);
    }
  });
});

describe('the first workbook of a cold process', () => {
  it('is whole when the whole fits: the rows a process adds first, run on cold code, are not taken as the machine’s pace (ended after 500 of 4,000)', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `prj-export-cold-${String(i).padStart(4, '0')}`);
    await seedPark(ids, '冷园', '冷启项目');
    // A cold process: the first 300 rows it adds to any sheet take 3 ms each (code not yet compiled), those after it
    // take what they take. The route's module is loaded afresh, as a Lambda's cold start loads it.
    const sheets = Object.getPrototypeOf(new ExcelJS.Workbook().addWorksheet('x')) as ExcelJS.Worksheet;
    const addRow = sheets.addRow;
    let cold = 300;
    const coldAdd = vi.spyOn(sheets, 'addRow').mockImplementation(function (this: ExcelJS.Worksheet, ...args: Parameters<typeof addRow>) {
      if (cold-- > 0) {
        const until = performance.now() + 3;
        while (performance.now() < until);
      }
      return addRow.apply(this, args);
    });
    let first;
    try {
      vi.resetModules();
      const { handler: coldXlsx } = await import('../../functions/reports/http/ledger-xlsx.ts');
      first = await coldXlsx(apiEvent('GET /reports/ledger.xlsx', { as: users.committeeLeader, query: { park: '冷园' } }), { ...lambdaContext(), getRemainingTimeInMillis: () => 8_000 });
    } finally {
      coldAdd.mockRestore();
    }
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers?.['x-next-cursor']).toBeUndefined();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(first.body!, 'base64') as never);
    expect(book.getWorksheet('台账')!.rowCount).toBe(1 + ids.length);
  });
});

describe('the light filter of the export', () => {
  it('lists under ?light=green the active projects only: one pending admission has no light yet (its 亮灯 cell is empty), so it is not among them', async () => {
    const now = new Date('2026-03-03T01:00:00Z');
    const pending = createProject(projectBody({ name: '待准入导出项目', park: '灯园', industry: 'other' }) as never, both, DEFAULT_CONFIG.classification, { id: 'prj-export-light-pending', now });
    const active: Project = { ...createProject(projectBody({ name: '在建导出项目', park: '灯园', industry: 'other' }) as never, both, DEFAULT_CONFIG.classification, { id: 'prj-export-light-active', now }), status: 'ACTIVE', light: 'green' };
    expect(pending).toMatchObject({ status: 'PENDING_ADMISSION', light: 'green' });
    await transact([...insertProject(pending)]);
    await transact([...insertProject(active)]);

    const green = await get(csv, '/reports/ledger.csv', { park: '灯园', light: 'green' });
    expect(green.status, green.text).toBe(200);
    const [header, ...rows] = parseCsv(green.text.replace(/^\uFEFF/, ''));
    const id = header!.indexOf('项目编号');
    const light = header!.indexOf('亮灯');
    expect(rows.map((r) => r[id])).toEqual(['prj-export-light-active']);
    expect(rows[0]![light]).toBe('绿灯');
    // The pending project is still on the ledger, without a light.
    const all = await get(csv, '/reports/ledger.csv', { park: '灯园', status: 'PENDING_ADMISSION' });
    const [h2, ...pendingRows] = parseCsv(all.text.replace(/^\uFEFF/, ''));
    expect(pendingRows.map((r) => [r[h2!.indexOf('项目编号')], r[h2!.indexOf('亮灯')]])).toEqual([['prj-export-light-pending', '']]);
  });
});
