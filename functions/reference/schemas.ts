// Request and response schemas of the reference routes: the calendar, and configuration — one document schema per
// configuration name, each built on first use.
import * as z from 'zod/mini';
import { CHAIN_ROLES, CONFIG_NAMES, GATE_STAGES, INDUSTRIES, ROLES, SITE_MODES, STAGES, TECH_LEVELS } from '#kernel/domain/codes.ts';
import { cny, isoDate, lazy, schema, storable, text, line, warnings, yearString, dayView, instantView } from '#kernel/http/schemas.ts';
import { LADDER_TASKS } from './domain/config.ts';


export const CalendarBody = /* @__PURE__ */ schema(() => z.strictObject({
  holidays: z.array(isoDate()).check(z.maxLength(366)),
  workdays: z.array(isoDate()).check(z.maxLength(366)),
}));



const deptRef = () => z.enum([...ROLES, 'track_dept']);
const label = () => z.strictObject({ zh: line(100), en: line(200) });

const MatrixDoc = () => z.strictObject({
  tasks: z
    .array(
      z.strictObject({
        code: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,49}$/, 'snake_case code')),
        stage: z.enum(STAGES),
        name: label(),
        lead: deptRef(),
        cooperating: z.array(deptRef()),
        handler: text(100),
        standard: text(500),
        limitWd: z.nullable(z.int().check(z.gte(1), z.lte(500))),
        siteModes: z.array(z.enum(SITE_MODES)).check(z.minLength(1)),
        after: z.array(z.string()),
        requiredForGate: z.boolean(),
        recurringEveryWd: z.optional(z.int().check(z.gte(1), z.lte(250))),
      }),
    )
    .check(z.minLength(1), z.maxLength(200)),
  gates: z
    .array(
      z.strictObject({
        stage: z.enum(STAGES),
        name: label(),
        approvers: z.array(deptRef()).check(z.minLength(1)),
        meetingRequired: z.boolean(),
        limitWd: z.int().check(z.gte(1), z.lte(250)),
      }),
    )
    .check(z.maxLength(STAGES.length)),
});

const EscalationDoc = () => z.strictObject({
  rungs: z
    .array(
      z.strictObject({
        level: z.int().check(z.gte(1), z.lte(5)),
        code: z.enum(['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING']),
        name: label(),
        responseWd: z.int().check(z.gte(1), z.lte(250)),
        owner: z.enum(ROLES),
      }),
    )
    .check(z.minLength(1), z.maxLength(5)),
  departmentNoticeThreshold: z.int().check(z.gte(1), z.lte(100)),
  departmentNoticeWindowWd: z.int().check(z.gte(1), z.lte(250)),
  graceWd: z.optional(z.int().check(z.gte(0), z.lte(60))),
  ladderTasks: z.optional(z.enum(LADDER_TASKS)),
  assessmentDepartments: z.optional(z.array(z.enum(ROLES.filter((r) => r !== 'enterprise') as [string, ...string[]])).check(z.minLength(1), z.maxLength(12))),
});

const LightsDoc = () => z.strictObject({ yellowBeforeWd: z.int().check(z.gte(0), z.lte(60)) });

const ClassificationDoc = () => z.strictObject({
  majorMinCny: cny(),
  standardMinCny: cny(),
  priorityUpgrade: z.strictObject({
    enabled: z.boolean(),
    industries: z.array(z.enum(INDUSTRIES)),
    techLevels: z.array(z.enum(TECH_LEVELS)),
    chainRoles: z.array(z.enum(CHAIN_ROLES)),
  }),
});

const RecurringDoc = () => z.strictObject({
  stalledAfterWd: z.int().check(z.gte(1), z.lte(250)),
  producingTargetShare: z.number().check(z.gt(0), z.lte(2), storable()),
  segmentMaxDays: z.int().check(z.gte(1), z.lte(360)),
  segmentMaxWakeUps: z.int().check(z.gte(1), z.lte(160)),
});

const LimitsDoc = () => z.strictObject({
  deficiencyWindowWd: z.int().check(z.gte(1), z.lte(250)),
  openItemsPerProject: z.int().check(z.gte(1), z.lte(1000)),
});

const InventoryDoc = () => {
  const kind = () => z.strictObject({ owners: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(ROLES.length)), refresh: z.enum(['yearly', 'quarterly']) });
  const unitKind = () => z.enum(['parcels', 'facilities']);
  return z.strictObject({
    kinds: z.strictObject({ parcels: kind(), facilities: kind(), energy: kind(), environment: kind(), utilities: kind() }),
    readers: z.optional(z.array(z.enum(ROLES).check(z.refine((r) => r !== 'enterprise', 'an enterprise reads its own project, not the inventories'))).check(z.maxLength(ROLES.length))),
    remindBeforeWd: z.int().check(z.gte(0), z.lte(60)),
    taskLinks: z.array(z.strictObject({ task: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,49}$/, 'snake_case task code')), kind: unitKind(), effect: z.enum(['link', 'transferred', 'leased']) })).check(z.maxLength(50)),
    // A need is asked at a stage's gate 转段: PRODUCING has none (a need there would never be asked).
    gateNeeds: z.array(z.strictObject({ stage: z.enum(GATE_STAGES), siteMode: z.enum(SITE_MODES), kind: unitKind() })).check(z.maxLength(20)),
    reservationsPerProject: z.int().check(z.gte(1), z.lte(50)),
    reuseNoticeLimit: z.int().check(z.gte(0), z.lte(50)),
  });
};

const FundsDoc = () => z.strictObject({
  buckets: z
    .array(z.strictObject({ code: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'snake_case code')), name: label(), budgetCny: cny() }))
    .check(z.minLength(1), z.maxLength(20)),
  yearsAhead: z.optional(z.int().check(z.gte(0), z.lte(50))),
});

/** The most series config/letters may hold. */
export const MAX_LETTER_SERIES = 30;

const LettersDoc = () => z.strictObject({
  series: z.record(
    z.string().check(z.regex(/^[a-z][a-z0-9_]{1,29}$/, 'snake_case series code')),
    z.strictObject({
      // A letter number 文号 is one line of visible text (headed on the printed letter, a ledger cell, a group message):
      // no line break, control or bidirectional override character, no spaces around it (trimmed).
      pattern: line(60).check(z.minLength(3), z.refine((p) => p.includes('{n}'), 'must contain {n}')),
      from: z.enum(ROLES),
      replyWd: z.int().check(z.gte(0), z.lte(60)),
      manual: z.optional(z.boolean()),
    }),
  )
    // A zone numbers its letters in a handful of series; each new one is checked against every other and every pattern
    // published before (sharedNumber): 700 series in a 64 KB body took most of a second of the PUT.
    .check(z.refine((series) => Object.keys(series).length <= MAX_LETTER_SERIES, `at most ${MAX_LETTER_SERIES} series`))
    .register(z.globalRegistry, { maxProperties: MAX_LETTER_SERIES }),
  instantNotices: z.array(z.strictObject({ task: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,49}$/, 'snake_case task code')), series: z.string(), to: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(5)) })).check(z.maxLength(20)),
});

/** The zone's parks: at least one, each named once (configErrors), as a project's or a record's `park` is written. */
const ParksDoc = () => z.strictObject({
  parks: z.array(z.strictObject({ name: line(100), nameEn: z.optional(line(200)) })).check(z.minLength(1), z.maxLength(100)),
});

const BUILDERS = {
  matrix: MatrixDoc,
  escalation: EscalationDoc,
  lights: LightsDoc,
  classification: ClassificationDoc,
  recurring: RecurringDoc,
  limits: LimitsDoc,
  inventory: InventoryDoc,
  funds: FundsDoc,
  letters: LettersDoc,
  parks: ParksDoc,
} as const;

type ConfigSchemaName = keyof typeof BUILDERS;
const built: { [N in ConfigSchemaName]?: ReturnType<(typeof BUILDERS)[N]> } = {};

/**
 * The document schema of one configuration, built the first time a request names it: PUT /config/{name} validates
 * one of five documents per request, so an instance builds only the ones it is asked for (the matrix alone is the
 * largest schema of the API).
 */
export function configSchema<N extends ConfigSchemaName>(name: N): ReturnType<(typeof BUILDERS)[N]> {
  return (built[name] ??= BUILDERS[name]() as never) as ReturnType<(typeof BUILDERS)[N]>;
}

export const YearParams = /* @__PURE__ */ schema(() => z.strictObject({ year: yearString('must be a year from 2000 to 2099 (the dates the product keeps)') }));
export const ConfigNameParams = /* @__PURE__ */ schema(() => z.strictObject({ name: z.enum(CONFIG_NAMES) }));
/** GET /config/{name}?version=N: a published version (0: the built-in default). */
export const ConfigQuery = /* @__PURE__ */ schema(() => z.strictObject({ version: z.optional(z.string().check(z.regex(/^(0|[1-9][0-9]{0,8})$/, 'a version number: 0, 1, 2, …'))) }));
/** PUT /config/{name}: the document is checked against its name's schema by the handler (configSchema). */
export const ConfigBody = /* @__PURE__ */ schema(() => z.strictObject({ doc: z.unknown(), note: z.optional(z.string().check(z.maxLength(1000))) }));

/** A calendar year: its rest days and make-up working days, where they came from (`source`: the seed's package, or ops), and when and by whom it was last loaded. */
export const calendarView = /* @__PURE__ */ lazy(() =>
  z.looseObject({ year: z.int(), holidays: z.array(dayView()), workdays: z.array(dayView()), version: z.int(), source: z.string(), updatedAt: instantView(), updatedBy: z.string() }),
);
/** PUT /calendar/{year}'s answer: the year as stored, and `warnings` when it cannot be the State Council's notice. */
export const calendarPutView = /* @__PURE__ */ lazy(() => z.extend(calendarView(), { warnings: warnings() }));
/** A configuration document as the API description shows it: one of the documents, each titled with its name. */
const anyConfigDoc = () => {
  const builders: Readonly<Record<string, () => z.ZodMiniType>> = BUILDERS;
  const docs = CONFIG_NAMES.map((name) => builders[name]!().register(z.globalRegistry, { title: name, description: `PUT /config/${name}` }));
  return z.union(docs as [z.ZodMiniType, ...z.ZodMiniType[]]);
};
export const configBodyView = /* @__PURE__ */ lazy(() => z.strictObject({ doc: anyConfigDoc(), note: z.optional(z.string().check(z.maxLength(1000))) }));
/** A configuration version; `note`: what its publisher wrote about it, when they did. */
export const configView = /* @__PURE__ */ lazy(() =>
  z.looseObject({ name: z.enum(CONFIG_NAMES), version: z.int(), doc: anyConfigDoc(), publishedAt: instantView(), publishedBy: z.string(), note: z.optional(z.string()) }),
);
/** PUT /config/{name}'s answer: the version published, and `warnings` when it moved something the caller may not mean. */
export const configPutView = /* @__PURE__ */ lazy(() => z.extend(configView(), { warnings: warnings() }));
