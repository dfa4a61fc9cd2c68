// The module boundaries, as lint rules (part of `npm run lint`, so `npm test` fails on a violation):
// - a domain imports nothing outside the domains: no store, HTTP, runtime, workflow, AWS SDK, middy or zod;
// - a store does not import HTTP;
// - a handler (http/, steps/, stream/, deploy/) does not import the DynamoDB client: it goes through stores and the
//   unit of work;
// - the kernel imports no module (projects/, lifecycle/, …): modules build on the kernel, never the other way.
const domain = {
  files: ['functions/**/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '(^|/)(store|http|steps|stream|deploy|runtime|workflow)/|(^|/)(routes|schemas|notifier|change|catalog|declarations|unit-of-work)\\.ts$|(^|/)present[^/]*\\.ts$',
            message: 'The domain imports only the domain (pure rules, no I/O): put this behind a store or the unit of work.',
          },
          { regex: '^(@aws-sdk/|@middy/|zod($|/)|node:)', message: 'The domain imports no library with I/O or validation: it is pure TypeScript.' },
        ],
      },
    ],
  },
};

const store = {
  files: ['functions/**/store/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: '(^|/)http/|(^|/)(routes|schemas)\\.ts$|(^|/)present[^/]*\\.ts$|^@middy/', message: 'A store does not import HTTP code: it speaks domain types.' }] },
    ],
  },
};

const handlers = {
  files: ['functions/**/http/*.ts', 'functions/**/steps/*.ts', 'functions/**/stream/*.ts', 'functions/**/deploy/*.ts'],
  ignores: ['functions/kernel/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '(^#kernel|/kernel)/store/client\\.ts$|^@aws-sdk/(client-dynamodb|lib-dynamodb)$', message: 'A handler does not use the DynamoDB client: go through a store or the unit of work.' },
        ],
      },
    ],
  },
};

const kernel = {
  files: ['functions/kernel/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      // Any alias but #kernel is a module (projects, lifecycle, …, and the ones still to come); so is functions/ itself.
      { patterns: [{ regex: '^#(?!kernel/)|^(\\.\\./)+(catalog\\.ts|[a-z-]+/(domain|store|http|steps|stream|deploy)/)|(^|/)catalog\\.ts$', message: 'The kernel imports no module: modules build on the kernel.' }] },
    ],
  },
};

export const boundaries = [domain, store, handlers, kernel];
