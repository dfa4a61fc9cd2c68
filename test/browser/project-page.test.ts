// The project page as an exploratory session used it (its findings, kept): read again after an action it shows what the
// action made and keeps showing it — the first progress report of a project under construction appears in 报送记录 and
// stays there through the page's later readings —; letters sent alike to several addressees are told apart by whom
// each is to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { bootRuntime, devToken, stopRuntime, type Runtime } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-project-page-'));
const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', ZONEFLOW_QUIET: '1' };

let rt: Runtime;
let browser: BrowserContext;

beforeAll(async () => {
  rt = await bootRuntime(env, ['--fresh']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (rt?.proc.exitCode === null) await stopRuntime(rt);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the project page', () => {
  it('the first progress report is listed under 报送记录 and stays listed (the page’s later readings do not empty the list)', async () => {
    const res = await fetch(`${rt.base}/projects?limit=100`, { headers: { authorization: `Bearer ${devToken(env, 'committee_leader')}` } });
    const id = ((await res.json()) as { items: { id: string; name: string }[] }).items.find((p) => p.name === '示例新能源汽车零部件项目')!.id;
    const page = await browser.newPage();
    // The demo has no project under construction: this one is shown there, with no report until one is sent (the API's
    // answers to the report and its list stand in for a project that has reached construction).
    const report = { constructionPct: 30, equipmentPct: 10, reportedOn: '2026-12-07', reportedAt: '2026-12-07T02:00:00.000Z' };
    let sent = false;
    await page.route(`**/projects/${id}`, async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const real = (await (await route.fetch()).json()) as Record<string, unknown>;
      return route.fulfill({ json: { ...real, stage: 'CONSTRUCTION', status: 'ACTIVE', progress: sent ? report : null } });
    });
    await page.route(`**/projects/${id}/progress?*`, (route) => route.fulfill({ json: { items: sent ? [report] : [], nextCursor: null } }));
    await page.route(`**/projects/${id}/progress`, (route) => {
      sent = true;
      return route.fulfill({ json: { id } });
    });
    await page.addInitScript(`localStorage.setItem('zoneflow.lang', 'zh')`);
    await page.goto(`${rt.base}/console/?role=park_center#/projects/${id}`);
    const form = page.getByRole('form', { name: '报送进度' });
    await form.getByLabel('土建进度 %').fill('30');
    await form.getByLabel('设备进度 %').fill('10');
    await form.getByRole('button', { name: '报送进度' }).click();
    await expect.poll(() => page.getByTestId('progress-now').textContent()).toContain('土建进度 30%');
    const history = page.getByTestId('progress-history');
    await expect.poll(() => history.locator('summary').textContent().catch(() => null)).toBe('报送记录（1）');
    // The page reads itself again 0.8, 2 and 4 s after an action (the workflow's reaction): the list is still there.
    await page.waitForTimeout(5_000);
    expect(await history.count()).toBe(1);
    expect(await history.locator('tbody tr').first().textContent()).toBe('2026-12-0730%10%');
    await page.close();
  });

  it('each letter says whom it is to: the same 函告 sent to two departments are two lines told apart', async () => {
    const leader = { authorization: `Bearer ${devToken(env, 'committee_leader')}`, 'content-type': 'application/json' };
    const ledger = (await (await fetch(`${rt.base}/projects?limit=100`, { headers: leader })).json()) as { items: { id: string; name: string }[] };
    const id = ledger.items.find((p) => p.name === '示例智能装备制造项目')!.id;
    const sent: { id: string; toName: string }[] = [];
    for (const role of ['resources_bureau', 'eco_bureau']) {
      const res = await fetch(`${rt.base}/projects/${id}/letters`, { method: 'POST', headers: leader, body: JSON.stringify({ series: 'notice', to: { kind: 'department', role }, subject: '关于项目用地手续的函', body: '请协同办理。' }) });
      expect(res.status).toBe(201);
      sent.push((await res.json()) as { id: string; toName: string });
    }
    const page = await browser.newPage();
    await page.addInitScript(`localStorage.setItem('zoneflow.lang', 'zh')`);
    await page.goto(`${rt.base}/console/?role=committee_leader#/projects/${id}`);
    for (const letter of sent) {
      const to = page.locator(`[data-letter="${letter.id}"] [data-testid=letter-to]`);
      await expect.poll(() => to.textContent().catch(() => null)).toBe(`收函单位：${letter.toName}`);
    }
    expect(sent[0]!.toName).not.toBe(sent[1]!.toName);
    await page.close();
  });

  it('a task’s 容缺 obligations are listed in their order, 1 to 11 (not 1, 10, 11, 2, …)', async () => {
    const leader = { authorization: `Bearer ${devToken(env, 'committee_leader')}` };
    const ledger = (await (await fetch(`${rt.base}/projects?limit=100`, { headers: leader })).json()) as { items: { id: string; name: string }[] };
    const id = ledger.items.find((p) => p.name === '示例新能源汽车零部件项目')!.id;
    const today = ((await (await fetch(`${rt.base}/health`)).json()) as { today: string }).today;
    // Due a week on (a Shanghai date; a rest day moves to the next working day), within 容缺's 20 working days.
    const due = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    const deficiencies = Array.from({ length: 11 }, (_, i) => ({ document: `缺件${i + 1}`, dueDate: due }));
    const done = await fetch(`${rt.base}/projects/${id}/tasks/SIGNING.pre_site_selection/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${devToken(env, 'investment_dept')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: '容缺办理', deficiencies }),
    });
    expect(done.status, await done.clone().text()).toBe(200);
    const page = await browser.newPage();
    await page.addInitScript(`localStorage.setItem('zoneflow.lang', 'zh')`);
    await page.goto(`${rt.base}/console/?role=committee_leader#/projects/${id}`);
    const rows = page.locator('[data-task^="SIGNING.pre_site_selection"] th');
    await expect.poll(() => rows.count()).toBe(12);
    expect(await rows.allTextContents()).toEqual(['预选址', ...deficiencies.map((d) => `容缺补正：${d.document}`)]);
    await page.close();
  });
});
