// The park tally 园区统计: the key each project and each open task puts in the keys-only `byTally` index of the projects
// table, and reading it back. One partition for the zone, sorted by park: a park's entries are one key range (the JSON
// prefix of its name, exact whatever the name holds), the zone's the whole partition, and the parks are found in the
// keys themselves (the zone keeps no list of parks). What the report counts is all in the key. Pure.
import { LIGHTS, ROLES, STAGES, STATUSES, type Light, type Role, type Stage, type Status } from './codes.ts';

/** The partition value every entry of the tally index carries. */
export const TALLY_PARTITION = 'ZONE';

export interface ProjectTally {
  readonly kind: 'project';
  readonly park: string;
  readonly status: Status;
  readonly stage: Stage;
  readonly light: Light;
  /** The escalation rung (0: not on the ladder). */
  readonly level: number;
}

export interface TaskTally {
  readonly kind: 'task';
  readonly park: string;
  readonly dueDate: string;
  readonly lead: Role;
}

export type TallyEntry = ProjectTally | TaskTally;

/** A project's entry: `["<park>","P","<status>","<stage>","<light>",<level>]`. */
export function projectTallyKey(p: { readonly park: string; readonly status: Status; readonly stage: Stage; readonly light: Light; readonly escalation: { readonly level: number } }): string {
  return JSON.stringify([p.park, 'P', p.status, p.stage, p.light, p.escalation.level]);
}

/** An open, started, timed task's entry: `["<park>","T","<dueDate>","<lead>"]` (in due-date order within the park). */
export function taskTallyKey(t: { readonly park: string; readonly dueDate: string; readonly lead: Role }): string {
  return JSON.stringify([t.park, 'T', t.dueDate, t.lead]);
}

/** What every entry of one park begins with (a name holding `"` or `,` is escaped by JSON, so no other park shares it). */
export const parkTallyPrefix = (park: string): string => `${JSON.stringify([park]).slice(0, -1)},`;

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => (list as readonly unknown[]).includes(v);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An entry read back from its key; undefined for a key this version does not write (never counted). */
export function readTallyKey(key: string): TallyEntry | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    // Not JSON: not a key of ours.
  }
  if (!Array.isArray(parts)) return undefined;
  const [park, kind, a, b, c, d] = parts as unknown[];
  if (typeof park !== 'string') return undefined;
  if (kind === 'P' && parts.length === 6 && isOneOf(STATUSES, a) && isOneOf(STAGES, b) && isOneOf(LIGHTS, c) && Number.isInteger(d) && (d as number) >= 0) {
    return { kind: 'project', park, status: a, stage: b, light: c, level: d as number };
  }
  if (kind === 'T' && parts.length === 4 && typeof a === 'string' && DATE.test(a) && isOneOf(ROLES, b)) return { kind: 'task', park, dueDate: a, lead: b };
  return undefined;
}
