// Path parameter schemas, apart from the body schemas: a read handler builds only what it parses (zod schemas cost
// cold-start time to construct; measured ~6 ms for the project bodies).
import * as z from 'zod/mini';
import { STAGES } from '#domain/codes.ts';

export const ProjectIdParams = z.strictObject({ id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')) });
export const TaskParams = z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  taskId: z.string().check(z.regex(/^[A-Z]+\.[a-z0-9_.-]{1,80}$/, 'not a task id')),
});
export const GateParams = z.strictObject({
  id: z.string().check(z.regex(/^prj-[a-z0-9-]{1,40}$/, 'not a project id')),
  stage: z.enum(STAGES),
});
export const YearParams = z.strictObject({ year: z.string().check(z.regex(/^(19|20|21)\d{2}$/, 'must be a four-digit year')) });
export const ConfigNameParams = z.strictObject({ name: z.enum(['matrix', 'escalation', 'lights', 'classification', 'recurring']) });
