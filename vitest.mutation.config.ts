// Vitest config for mutation testing (`npm run mutation`): the fast unit tests that reach the domain rules, without
// the ones that lint, bundle or synthesize (they test the build, not the rules, and would only slow every mutant).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/boundaries.test.ts', 'test/unit/bundles.test.ts', 'test/unit/declarations.test.ts', 'test/unit/asl.test.ts'],
    pool: 'forks',
  },
});
