// The console in English names what the API names in English (an exploratory test's findings, kept): a task by its
// nameEn in the 办结 button's name and the confirmation line after it, a park by its nameEn in the zone's audit — not
// the Chinese name beside English words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { bootRuntime, devToken, stopRuntime, type Runtime } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zoneflow-english-'));
const env = { ...process.env, ZONEFLOW_DATA_DIR: dataDir, PORT: '0', ZONEFLOW_QUIET: '1' };

let rt: Runtime;
let browser: BrowserContext;

async function api<T = Record<string, unknown>>(method: string, path: string, role: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${rt.base}${path}`, { method, headers: { authorization: `Bearer ${devToken(env, role)}` } });
  return { status: res.status, json: (await res.json()) as T };
}

/** A page signed in as a dev role, in English. */
async function openInEnglish(role: string, hash: string): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(`localStorage.setItem('zoneflow.lang', 'en')`);
  await page.goto(`${rt.base}/console/?role=${role}${hash}`);
  await page.locator('main').waitFor();
  return page;
}

beforeAll(async () => {
  rt = await bootRuntime(env, ['--fresh']);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (rt?.proc.exitCode === null) await stopRuntime(rt);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the console in English', () => {
  it('a task is completed by its English name: the button says which, and so does the confirmation line', async () => {
    const ledger = await api<{ items: { id: string; name: string }[] }>('GET', '/projects?limit=100', 'committee_leader');
    const id = ledger.json.items.find((p) => p.name === '示例新能源汽车零部件项目')!.id;
    const page = await openInEnglish('investment_dept', `#/projects/${id}`);
    const row = page.locator('[data-task="SIGNING.pre_site_selection"]');
    await expect.poll(() => row.locator('th').textContent()).toBe('Pre-site selection');
    const button = row.getByRole('button');
    expect(await button.getAttribute('aria-label')).toBe('Complete: Pre-site selection');
    await button.click();
    const form = page.locator('[data-task-form="SIGNING.pre_site_selection"] form');
    expect(await form.getAttribute('aria-label')).toBe('Complete: Pre-site selection');
    await form.locator('input[name=note]').fill('Site proposal confirmed by the park');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.getByTestId('saved').textContent()).toBe('✓ Saved: Complete: Pre-site selection');
    await page.close();
  });

  it('the audit names an inventory record’s park by its English name', async () => {
    const page = await openInEnglish('supervision_office', '#/reports');
    // The demo's utilities in 汇通产业园 (Huitong Industrial Park), added at the first start.
    const subjects = page.locator('table tbody tr td:last-child');
    await expect.poll(async () => (await subjects.allTextContents()).filter((s) => s.startsWith('Utilities')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await subjects.allTextContents()).filter((s) => s.startsWith('Utilities'))).toContain('Utilities Huitong Industrial Park Water');
    expect((await subjects.allTextContents()).join(' ')).not.toContain('汇通产业园');
    await page.close();
  });
});
