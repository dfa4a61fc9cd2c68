// The console with hostile and odd data (an exploratory test's findings, kept): markup, script URLs and right-to-left
// text sent through the API stay text on every page that shows them — nothing runs, nothing becomes an element —, and
// long names (a zone's park, an option in English) never widen a page on a phone: a select keeps to its box.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { bootRuntime, devToken, projectRequest, stopRuntime, type Runtime } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-hostile-'));
const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', ZONEFLOW_QUIET: '1' };

let rt: Runtime;
let browser: BrowserContext;
const tokens: Record<string, string> = {};
const token = (role: string) => (tokens[role] ??= devToken(env, role));

async function api<T = Record<string, unknown>>(method: string, path: string, role: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; etag: string | null }> {
  const res = await fetch(`${rt.base}${path}`, { method, headers: { authorization: `Bearer ${token(role)}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as T, etag: res.headers.get('etag') };
}

/** A page signed in as a dev role, in a language, at a width; a script run, a dialog or a page error is recorded. */
async function openAs(role: string, hash: string, opts: { lang?: 'zh' | 'en'; width?: number } = {}): Promise<{ page: Page; ran: string[] }> {
  const page = await browser.newPage();
  const ran: string[] = [];
  page.on('pageerror', (e) => ran.push(`error: ${e.message}`));
  page.on('dialog', (d) => {
    ran.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.setViewportSize({ width: opts.width ?? 1366, height: 844 });
  await page.addInitScript(`localStorage.setItem('zoneflow.lang', '${opts.lang ?? 'zh'}')`);
  await page.goto(`${rt.base}/console/?role=${role}${hash}`);
  await page.locator('main').waitFor();
  return { page, ran };
}

/** What hostile text would leave behind had it run or become markup. */
const traces = (page: Page) =>
  page.evaluate(`({ ran: window.__hostile ?? null, images: document.querySelectorAll('main img').length, scripts: document.querySelectorAll('main script').length, links: [...document.querySelectorAll('a[href]')].filter((a) => !/^(#|https?:|blob:)/.test(a.getAttribute('href'))).map((a) => a.getAttribute('href')) })`);

const MARKUP = `<script>window.__hostile='script'</script><img src=x onerror="window.__hostile='img'">`;

beforeAll(async () => {
  rt = await bootRuntime(env, ['--fresh']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (rt?.proc.exitCode === null) await stopRuntime(rt);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the console with hostile data', () => {
  it('markup and script URLs in a project, its investor, a letter and the notice of it stay text: nothing runs, nothing becomes an element', async () => {
    const created = await api<{ id: string }>('POST', '/projects', 'investment_dept', { ...projectRequest(`${MARKUP} 项目`, 'ent-h'), investor: { name: 'javascript:window.__hostile=1', enterpriseId: 'ent-h' } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id;
    expect((await api('POST', `/projects/${id}/admission`, 'investment_dept', { decision: 'approve', reason: MARKUP })).status).toBe(200);
    const letter = await api('POST', `/projects/${id}/letters`, 'supervision_office', { series: 'urging', to: { kind: 'enterprise' }, subject: MARKUP, body: `${MARKUP}\njavascript:window.__hostile=2` });
    expect(letter.status, JSON.stringify(letter.json)).toBe(201);
    const enterprise = devToken(env, 'enterprise', '--enterprise', 'ent-h');
    const pages: [string, string][] = [['committee_leader', '#/ledger'], ['committee_leader', `#/projects/${id}`], ['supervision_office', `#/projects/${id}`]];
    for (const [role, hash] of pages) {
      const { page, ran } = await openAs(role, hash);
      await expect.poll(() => page.getByText(MARKUP).count(), { message: `${role} ${hash}` }).toBeGreaterThan(0);
      expect(await traces(page), `${role} ${hash}`).toEqual({ ran: null, images: 0, scripts: 0, links: [] });
      expect(ran).toEqual([]);
      await page.close();
    }
    // The enterprise's inbox: the letter's notice names the subject as it was written.
    const page = await browser.newPage();
    await page.addInitScript(`sessionStorage.setItem('zoneflow.token', ${JSON.stringify(enterprise)})`);
    await page.goto(`${rt.base}/console/#/me`);
    await expect.poll(() => page.locator('.notices li').filter({ hasText: MARKUP }).count()).toBeGreaterThan(0);
    expect(await traces(page)).toEqual({ ran: null, images: 0, scripts: 0, links: [] });
    // Every notice's 标为已读 is the same name: each is described by its notice's title (a screen reader's list of
    // buttons told N times "标为已读" and not which).
    const described = await page.evaluate(`[...document.querySelectorAll('.notices li')].map((li) => { const b = li.querySelector('button'); const d = b && document.getElementById(b.getAttribute('aria-describedby') ?? ''); return [li.querySelector('strong').textContent, d ? d.textContent : null]; })`);
    expect((described as [string, string | null][]).length).toBeGreaterThan(0);
    for (const [title, description] of described as [string, string | null][]) expect(description).toBe(title);
    await page.close();
  });

  it('on a phone no select widens the page: a long park name in the zone’s parks (the ledger’s filter), a fund bucket said in English (the project page)', async () => {
    const read = await api<{ doc: { parks: { name: string; nameEn?: string }[] } }>('GET', '/config/parks', 'ops');
    const long = { name: `${'长名园区'.repeat(15)}`, nameEn: `${'Long Park Name '.repeat(6)}`.trim() };
    const put = await api('PUT', '/config/parks', 'ops', { doc: { ...read.json.doc, parks: [...read.json.doc.parks, long] } }, { 'if-match': read.etag! });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const ledger = await api<{ items: { id: string }[] }>('GET', '/projects?status=ACTIVE&limit=1', 'committee_leader');
    const id = ledger.json.items[0]!.id;
    const pages: [string, 'zh' | 'en', string][] = [['#/ledger', 'zh', '#flt-park'], ['#/ledger', 'en', '#flt-park'], [`#/projects/${id}`, 'en', 'select[name=bucket]']];
    for (const [hash, lang, select] of pages) {
      const { page } = await openAs('committee_leader', hash, { lang, width: 390 });
      await expect.poll(() => page.locator(`${select} option`).count(), { message: `${hash} ${lang}` }).toBeGreaterThan(1);
      await page.waitForTimeout(300);
      expect(await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]'), `${hash} ${lang}`).toEqual([390, 390]);
      // The long option is still there to choose, whole.
      if (select === '#flt-park') expect(await page.locator(`${select} option`).allTextContents()).toContain(lang === 'zh' ? long.name : long.nameEn);
      await page.close();
    }
  });

  it('a long unbroken name from the configuration (a task the gate waits for) wraps inside its panel: the project page does not scroll sideways', async () => {
    const read = await api<{ doc: { tasks: { code: string; name: { zh: string; en: string } }[] } }>('GET', '/config/matrix', 'ops');
    const zh = `${'X'.repeat(99)}挂`;
    const en = 'E'.repeat(100);
    const doc = { ...read.json.doc, tasks: read.json.doc.tasks.map((t) => (t.code === 'land_listing' ? { ...t, name: { zh, en } } : t)) };
    const put = await api('PUT', '/config/matrix', 'ops', { doc }, { 'if-match': read.etag! });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const created = await api<{ id: string }>('POST', '/projects', 'investment_dept', projectRequest('长任务名项目'));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect((await api('POST', `/projects/${created.json.id}/admission`, 'investment_dept', { decision: 'approve', reason: '同意' })).status).toBe(200);
    for (const lang of ['zh', 'en'] as const) {
      for (const width of [1366, 390]) {
        const { page } = await openAs('committee_leader', `#/projects/${created.json.id}`, { lang, width });
        const waits = page.locator('[data-testid=gate-waits]');
        await expect.poll(() => waits.textContent(), { message: `${lang} ${width}`, timeout: 20_000 }).toContain(lang === 'zh' ? zh : en);
        await page.waitForTimeout(300);
        expect(await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]'), `${lang} ${width}`).toEqual([width, width]);
        await page.close();
      }
    }
  });
});
