// How every Lambda is bundled: plain esbuild options shared by the CDK functions and the cold-start benchmark.
import type { BuildOptions } from 'esbuild';

/**
 * Bundle the AWS SDK into each function instead of using the copy in the Lambda runtime: measured
 * faster cold starts (one tree-shaken, minified file beats resolving the runtime's full SDK), and the
 * SDK version is the one the tests ran against. Flip here, and only here, to use the runtime's SDK.
 */
export const BUNDLE_AWS_SDK = true;

/** ESM output still meets CommonJS dependencies that call require(); give them one. */
export const ESM_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/**
 * The esbuild options of a function bundle (entry point and output path are added by the caller).
 * The source map is an external file without a sourceMappingURL comment and without
 * NODE_OPTIONS=--enable-source-maps (that flag costs init time): keep it for symbolicating stack
 * traces offline, where the sources come from the repository, hence no sourcesContent.
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  external: BUNDLE_AWS_SDK ? [] : ['@aws-sdk/*', '@smithy/*'],
  outExtension: { '.js': '.mjs' },
  // A handler's bundle carries no response schema (see ZONEFLOW_DOCS in functions/kernel/declarations.ts).
  define: { ZONEFLOW_DOCS: 'false' },
} satisfies BuildOptions;

/** The esbuild options of one catalog function: the function that serves the API description keeps response schemas. */
export function esbuildOptionsFor(fn: { readonly docs?: boolean }) {
  return { ...ESBUILD_OPTIONS, define: { ZONEFLOW_DOCS: fn.docs ? 'true' : 'false' } };
}
