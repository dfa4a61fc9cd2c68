// Request schemas (zod/mini: a third of classic zod's cold-start cost). The OpenAPI document is generated from these.
import * as z from 'zod/mini';
import {
  ATTRACTION_MODES,
  CATEGORIES,
  CHAIN_ROLES,
  INDUSTRIES,
  LIGHTS,
  ROLES,
  SITE_MODES,
  STAGES,
  STATUSES,
  TECH_LEVELS,
  TRACKS,
} from '#domain/codes.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const cny = () => z.int().check(z.gte(0), z.lte(10_000_000_000_000));
const positive = (max: number) => z.number().check(z.gt(0), z.lte(max));
const isoDate = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'));

export const Targets = z.strictObject({
  outputValueCny: z.optional(cny()),
  taxCny: z.optional(cny()),
  jobs: z.optional(z.int().check(z.gte(0), z.lte(1_000_000))),
  investmentIntensityCnyPerMu: z.optional(cny()),
});

export const Needs = z.strictObject({
  areaM2: z.optional(positive(100_000_000)),
  powerKva: z.optional(positive(10_000_000)),
  floorLoadKnM2: z.optional(positive(1_000)),
  clearHeightM: z.optional(positive(200)),
});

export const CreateProjectBody = z.strictObject({
  name: text(200),
  investor: z.strictObject({ name: text(200), enterpriseId: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')) }),
  track: z.enum(TRACKS),
  industry: z.enum(INDUSTRIES),
  attractionMode: z.enum(ATTRACTION_MODES),
  totalInvestmentCny: z.int().check(z.gt(0), z.lte(10_000_000_000_000)),
  techLevel: z.enum(TECH_LEVELS),
  chainRole: z.enum(CHAIN_ROLES),
  park: text(100),
  siteMode: z.enum(SITE_MODES),
  targets: z.optional(Targets),
  needs: z.optional(Needs),
});
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const PatchProjectBody = z.strictObject({
  name: z.optional(text(200)),
  investor: z.optional(z.strictObject({ name: text(200) })),
  industry: z.optional(z.enum(INDUSTRIES)),
  attractionMode: z.optional(z.enum(ATTRACTION_MODES)),
  techLevel: z.optional(z.enum(TECH_LEVELS)),
  chainRole: z.optional(z.enum(CHAIN_ROLES)),
  targets: z.optional(Targets),
  needs: z.optional(Needs),
});

export const AdmissionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: z.optional(text(2000)),
});

const limit = z.optional(z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, 'must be an integer from 1 to 100')));
const cursor = z.optional(z.string().check(z.maxLength(2048)));

export const LedgerQuery = z.strictObject({
  stage: z.optional(z.enum(STAGES)),
  status: z.optional(z.enum(STATUSES)),
  park: z.optional(text(100)),
  track: z.optional(z.enum(TRACKS)),
  category: z.optional(z.enum(CATEGORIES)),
  light: z.optional(z.enum(LIGHTS)),
  limit,
  cursor,
});

export const PageQuery = z.strictObject({ limit, cursor });

export const ProjectIdParams = z.strictObject({ id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')) });
export const YearParams = z.strictObject({ year: z.string().check(z.regex(/^(19|20|21)\d{2}$/, 'must be a four-digit year')) });
export const ConfigNameParams = z.strictObject({ name: z.enum(['matrix', 'escalation', 'lights', 'classification', 'recurring']) });

export const CalendarBody = z.strictObject({
  holidays: z.array(isoDate()).check(z.maxLength(366)),
  workdays: z.array(isoDate()).check(z.maxLength(366)),
});

const deptRef = z.enum([...ROLES, 'track_dept']);
const label = z.strictObject({ zh: text(100), en: text(200) });
const stage = z.enum(STAGES);

export const MatrixDoc = z.strictObject({
  tasks: z
    .array(
      z.strictObject({
        code: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,49}$/, 'snake_case code')),
        stage,
        name: label,
        lead: deptRef,
        cooperating: z.array(deptRef),
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
        stage,
        name: label,
        approvers: z.array(deptRef).check(z.minLength(1)),
        meetingRequired: z.boolean(),
        limitWd: z.int().check(z.gte(1), z.lte(250)),
      }),
    )
    .check(z.maxLength(STAGES.length)),
});

export const EscalationDoc = z.strictObject({
  rungs: z
    .array(
      z.strictObject({
        level: z.int().check(z.gte(1), z.lte(5)),
        code: z.enum(['URGING_LETTER', 'INTERVIEW', 'JOINT_ASSESSMENT', 'COMPLIANCE_CHECK', 'EXIT_PENDING']),
        name: label,
        responseWd: z.int().check(z.gte(1), z.lte(250)),
        owner: z.enum(ROLES),
      }),
    )
    .check(z.minLength(1), z.maxLength(5)),
  departmentNoticeThreshold: z.int().check(z.gte(1), z.lte(100)),
  departmentNoticeWindowWd: z.int().check(z.gte(1), z.lte(250)),
});

export const LightsDoc = z.strictObject({ yellowBeforeWd: z.int().check(z.gte(0), z.lte(60)) });

export const ClassificationDoc = z.strictObject({
  majorMinCny: cny(),
  standardMinCny: cny(),
  priorityUpgrade: z.strictObject({
    enabled: z.boolean(),
    industries: z.array(z.enum(INDUSTRIES)),
    techLevels: z.array(z.enum(TECH_LEVELS)),
    chainRoles: z.array(z.enum(CHAIN_ROLES)),
  }),
});

export const RecurringDoc = z.strictObject({
  progressMeetingEveryWd: z.int().check(z.gte(1), z.lte(250)),
  stalledAfterWd: z.int().check(z.gte(1), z.lte(250)),
  producingTargetShare: z.number().check(z.gt(0), z.lte(2)),
  segmentMaxDays: z.int().check(z.gte(1), z.lte(360)),
});

export const CONFIG_SCHEMAS = {
  matrix: MatrixDoc,
  escalation: EscalationDoc,
  lights: LightsDoc,
  classification: ClassificationDoc,
  recurring: RecurringDoc,
} as const;

/** PUT /config/{name} body: the new document and an optional note on why it changed. */
export const configBody = <S extends z.ZodMiniType>(doc: S) => z.strictObject({ doc, note: z.optional(text(1000)) });
