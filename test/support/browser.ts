// Real Chromium for the browser tests: Debian's package and a CJK font (installed here when missing: CI machines start without it),
// driven by playwright-core, which never downloads a browser of its own. The flags keep Chromium off the network it
// would otherwise call at start (this machine's closed network refuses those connections).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { prng } from '../../bench/sim/zone.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chinese text needs a CJK font, or the screenshots show empty boxes. */
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/** Installs Debian's chromium and the CJK font when they are not there (apt-get; the test runs as root in CI). */
export function ensureChromium(): void {
  const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(existsSync(CJK_FONT) ? [] : ['fonts-noto-cjk'])];
  if (!missing.length) return;
  const run = (args: string[]) => {
    const r = spawnSync(args[0]!, args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status}): the browser tests need Debian's chromium at ${CHROMIUM}`);
  };
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  run([...sudo, 'apt-get', 'update']);
  run([...sudo, 'apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
}

/** Chromium on a fresh profile directory (playwright passes it as --user-data-dir), at an office screen's 1366×768. */
export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'zoneflow-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
  });
}

/**
 * A slow link for the browser suite, opt-in: with `ZONEFLOW_BROWSER_LATENCY_MS=N` every API request the console sends
 * (a fetch or XHR — not the page's own files: the bundle, its styles) waits a random 0..N ms before it goes out, each its
 * own wait, so answers come back in another order than they were asked (a user on a slow link: a project's reading after
 * its timeline's, an older filter's list after the newer one's). The waits are drawn from `ZONEFLOW_BROWSER_LATENCY_SEED`
 * (printed; the order the pages ask in still varies run to run). Routed on the context: every page of it, `openAs`'s and
 * `browser.newPage()`'s; a test's own `page.route` comes first — one that answers or `continue()`s skips the wait, one
 * that `fallback()`s gets it. Unset or 0 (CI): nothing is routed, the timing is as it was.
 */
export async function slowLink(context: BrowserContext, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const max = Number(env.ZONEFLOW_BROWSER_LATENCY_MS ?? 0);
  if (!Number.isFinite(max) || max <= 0) return;
  const seed = Number(env.ZONEFLOW_BROWSER_LATENCY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`slow link: API requests wait 0..${max} ms (ZONEFLOW_BROWSER_LATENCY_SEED=${seed})`);
  const next = prng(seed);
  await context.route(
    (url) => !url.pathname.startsWith('/console/') || url.pathname.startsWith('/console/dev-token'),
    async (route) => {
      const type = route.request().resourceType();
      if (type === 'fetch' || type === 'xhr') await new Promise((r) => setTimeout(r, Math.floor(next() * (max + 1))));
      // The page may have closed while the request waited: nothing is left to send it for.
      await route.fallback().catch(() => undefined);
    },
  );
}
