// Mutation testing of the domain (`npm run mutation`; not part of `npm test`): Stryker changes the rules one mutant at
// a time and the unit tests (vitest.mutation.config.ts) must notice. The score per file goes to
// bench/results/mutation.json and bench/results/mutation.html.
//
// Mutated: every domain file that holds logic. Not mutated, on purpose:
// - kernel/domain/codes.ts: code lists and their labels (stages, roles, tracks…) — data, no rules;
// - kernel/domain/errors.ts: error classes carrying an HTTP status and problem type — no rules;
// - the data tables inside reference/domain/config.ts (DEFAULT_MATRIX, DEFAULT_CONFIG, the department map) are
//   fenced with `// Stryker disable all` … `// Stryker restore all`; its validation (validateMatrix) is mutated.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['functions/**/domain/**/*.ts', '!functions/kernel/domain/codes.ts', '!functions/kernel/domain/errors.ts'],
  // Generated output is not copied into the sandbox (cdk.out alone is ~170 MB; other runs' sandboxes more).
  ignorePatterns: ['cdk.out', '.cache', '.zoneflow', '.stryker-tmp*', 'bench/results', 'coverage'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'bench/results/mutation.json' },
  htmlReporter: { fileName: 'bench/results/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
