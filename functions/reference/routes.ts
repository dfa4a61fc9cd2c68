// The reference module's routes (calendar, configuration) and its deploy hook: one declaration each.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute, declareTask } from '#kernel/declarations.ts';
import * as R from './schemas.ts';

export const getCalendar = /* @__PURE__ */ declareRoute({
  name: 'get-calendar',
  entry: 'reference/http/get-calendar.ts',
  description: 'Working-day calendar of a year',
  method: 'GET',
  path: '/calendar/{year}',
  summary: 'Calendar of a year',
  auth: 'public',
  params: R.YearParams,
  response: ZONEFLOW_DOCS ? R.calendarView : undefined,
  etag: true,
  notModified: true,
  tables: { reference: 'R' },
});

export const putCalendar = /* @__PURE__ */ declareRoute({
  name: 'put-calendar',
  entry: 'reference/http/put-calendar.ts',
  description: 'Replaces the calendar of a year (ops); recomputes provisional due dates',
  method: 'PUT',
  path: '/calendar/{year}',
  summary: 'Load or edit the calendar of a year',
  auth: ['ops'],
  params: R.YearParams,
  body: R.CalendarBody,
  response: ZONEFLOW_DOCS ? R.calendarPutView : undefined,
  alsoStatus: { 201: 'Created: the first load of the year' },
  responseHeaders: {
    'x-projects-recomputing': 'How many active projects recompute their due dates on the calendar as loaded',
    'x-calendar-unchanged': 'true when the year sent is the one stored: nothing was stored (the version in force answers)',
  },
  idempotent: true,
  ifMatch: 'required',
  tables: { reference: 'RW', audit: 'W', idempotency: 'RW', projects: 'R', ledger: 'R', outbox: 'W' },
});

export const getConfig = /* @__PURE__ */ declareRoute({
  name: 'get-config',
  entry: 'reference/http/get-config.ts',
  description: 'Configuration in force (matrix, escalation, lights, classification, recurring, limits, inventory, funds, letters, parks); ?version=N an earlier published version, 0 the built-in default',
  method: 'GET',
  path: '/config/{name}',
  summary: 'Configuration in force, or a published version',
  auth: STAFF_ROLES,
  params: R.ConfigNameParams,
  query: R.ConfigQuery,
  response: ZONEFLOW_DOCS ? R.configView : undefined,
  etag: true,
  notModified: true,
  tables: { reference: 'R' },
});

export const putConfig = /* @__PURE__ */ declareRoute({
  name: 'put-config',
  entry: 'reference/http/put-config.ts',
  description: 'Publishes a new configuration version (ops)',
  method: 'PUT',
  path: '/config/{name}',
  summary: 'Publish a configuration version',
  auth: ['ops'],
  params: R.ConfigNameParams,
  body: R.ConfigBody,
  documentedBody: ZONEFLOW_DOCS ? R.configBodyView : undefined,
  response: ZONEFLOW_DOCS ? R.configPutView : undefined,
  responseHeaders: {
    'x-projects-recomputing': 'Publishing the lights only: how many active projects recompute their yellow dates',
    'x-config-unchanged': 'true when the document sent is the one in force: nothing was published (the version in force answers)',
  },
  idempotent: true,
  ifMatch: 'required',
  // ledger and inventory R: a list of parks that leaves one out is checked against what still names it (park-usage.ts),
  // and the lights' publication counts the active projects it makes recompute; projects R: the ledger's store module
  // names the projects table (as put-calendar's does); outbox W: the lights' signal; inventory W: the funds' budgets
  // applied to the open years' buckets (inventory/budgets.ts).
  tables: { reference: 'RW', audit: 'W', idempotency: 'RW', projects: 'R', ledger: 'R', inventory: 'RW', outbox: 'W' },
});

export const ROUTES = [getCalendar, putCalendar, getConfig, putConfig];

export const TASKS = [
  /* @__PURE__ */ declareTask({
    kind: 'deploy',
    name: 'bootstrap-reference',
    entry: 'reference/deploy/bootstrap-reference.ts',
    description: 'On every deploy: loads the calendar 2004–2026, configuration v1 and the cursor key where missing (never over ops)',
    // projects RW: re-keys park-center tasks stored before the department-task index was split per park, re-indexes
    // projects stored before a ledger index existed and letters stored before the addressee index existed; inbox RW: puts
    // unread notices stored before the unread index existed in it.
    tables: { reference: 'RW', audit: 'W', projects: 'RW', ledger: 'RW', inbox: 'RW' },
  }),
];
