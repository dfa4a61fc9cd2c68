// Vitest globalSetup of the browser project: Debian's Chromium and a CJK font, installed when missing, and the console
// bundle built (npm start builds it too; building here first reports a broken bundle before any runtime boots).
import { ensureChromium } from '../support/browser.ts';
import { buildConsole } from '../../local/console.ts';

export async function setup(): Promise<void> {
  ensureChromium();
  const bytes = await buildConsole();
  console.log(`console bundle: ${bytes} bytes`);
}
