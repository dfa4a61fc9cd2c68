// Path parameter schemas, apart from the body schemas; like every schema module, each schema is built only in the
// bundles that use it (see `schema` in common.ts).
import * as z from 'zod/mini';
import { schema } from './schemas.ts';
import { CONFIG_NAMES, STAGES } from '#kernel/domain/codes.ts';

export const ProjectIdParams = /* @__PURE__ */ schema(() => z.strictObject({ id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')) }));
export const TaskParams = /* @__PURE__ */ schema(() => z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  taskId: z.string().check(z.regex(/^[A-Z]+\.[a-z0-9_.-]{1,80}$/, 'not a task id')),
}));
export const GateParams = /* @__PURE__ */ schema(() => z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  stage: z.enum(STAGES),
}));
export const YearParams = /* @__PURE__ */ schema(() => z.strictObject({ year: z.string().check(z.regex(/^(19|20|21)\d{2}$/, 'must be a four-digit year')) }));
export const ConfigNameParams = /* @__PURE__ */ schema(() => z.strictObject({ name: z.enum(CONFIG_NAMES) }));
