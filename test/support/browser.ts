// Real Chromium for the browser tests: Debian's package and a CJK font (installed here when missing: CI machines start without it),
// driven by playwright-core, which never downloads a browser of its own. The flags keep Chromium off the network it
// would otherwise call at start (this machine's closed network refuses those connections).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
