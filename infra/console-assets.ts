// How the console (console/) is bundled: one set of esbuild options for the local server (local/console.ts, at every
// `npm start`) and the CDK deployment (constructs/console.ts, at synth, offline), so both serve the same files.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from './paths.ts';

export const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
/** The static files beside the bundle, copied as they are. */
export const CONSOLE_STATIC = ['index.html', 'styles.css'] as const;

/** A minified ES module for current evergreen browsers: Preact and htm are small enough that no split is needed. */
export const CONSOLE_BUILD = {
  entryPoints: [join(CONSOLE_DIR, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17', 'edge120'],
  sourcemap: 'linked',
  // The sources stay in the repository; the map only names them.
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
} satisfies BuildOptions;

/**
 * The console's Content-Security-Policy: its own files only, no inline script or style, no framing; it talks to the
 * origins in `connect` besides its own (on AWS the API and Cognito's token endpoint; locally the API is its own origin)
 * and posts forms to `formAction` besides. CloudFront sends it on AWS (constructs/console.ts) and the local server with
 * every console file, so the browser tests run the console under the policy it is deployed with.
 */
export function consoleCsp(connect: readonly string[] = [], formAction: readonly string[] = []): string {
  const more = (list: readonly string[]) => (list.length ? ` ${list.join(' ')}` : '');
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${more(connect)}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'${more(formAction)}`;
}

/** Bundles the console into `outdir` with its static files (the deployment's asset directory); answers `outdir`. */
export function stageConsole(outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  buildSync({ ...CONSOLE_BUILD, outfile: join(outdir, 'app.js') });
  for (const file of CONSOLE_STATIC) copyFileSync(join(CONSOLE_DIR, file), join(outdir, file));
  return outdir;
}
