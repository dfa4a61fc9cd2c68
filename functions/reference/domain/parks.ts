// The zone's parks 园区: the configuration document `parks` lists them, and a write that names a park (a project, an
// inventory record) must name one of them — a typo such as 汇通园 would start a park no service center serves and split
// the ledger's per-park view. Records stored before keep their park; reads of any park keep answering.
import { Conflict, ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';

export interface Park {
  /** The park's name as projects, inventory records and park-center users (their `park` claim) carry it. */
  readonly name: string;
  readonly nameEn?: string;
}

export interface ParksConfig {
  readonly parks: readonly Park[];
}

// Stryker disable all: the zone's parks are data (the demo seed, the tests and the simulator use them), not rules.
export const DEFAULT_PARKS_CONFIG: ParksConfig = {
  parks: [
    { name: '汇通产业园', nameEn: 'Huitong Industrial Park' },
    { name: '科创城', nameEn: 'Kechuang Sci-Tech City' },
    { name: '智造港', nameEn: 'Zhizao Smart Manufacturing Port' },
  ],
};
// Stryker restore all

export const parkNames = (cfg: ParksConfig): string[] => cfg.parks.map((p) => p.name);

export const isConfiguredPark = (cfg: ParksConfig, park: string): boolean => cfg.parks.some((p) => p.name === park);

/**
 * A park named by a write must be one of the zone's parks: 400 on `path` (the field as the request sent it) listing
 * them, so the caller can correct a typo without asking anyone.
 */
export function requireConfiguredPark(cfg: ParksConfig, park: string, path: string): void {
  if (isConfiguredPark(cfg, park)) return;
  const message = `${park} is not one of the zone's parks: ${parkNames(cfg).join(', ')} (GET /config/parks; ops add a park with PUT /config/parks)`;
  throw notListed(new ValidationFailed(`${path}: ${message}`, [{ path, code: 'unknown_ref', message }]));
}

const NOT_LISTED = Symbol('park not listed');
const notListed = <E extends Error>(err: E): E => Object.assign(err, { [NOT_LISTED]: true });
/** A refusal because the list of parks read does not have the park (a newer list may): requireConfiguredPark's or requireParkToReturn's. */
export const isParkNotListed = (err: unknown): boolean => typeof err === 'object' && err !== null && NOT_LISTED in err;

/**
 * A retired record comes back (`available`) only in one of the zone's parks: its park may have left the list since (a
 * park leaves once nothing live names it). 409 on `path`; nothing changes.
 */
export function requireParkToReturn(cfg: ParksConfig, park: string, path: string): void {
  if (isConfiguredPark(cfg, park)) return;
  const message = `${park} is no longer one of the zone's parks (${parkNames(cfg).join(', ')}): a record retired there does not come back; add it again in one of them`;
  throw notListed(new Conflict(message, [{ path, code: 'state', message }]));
}

/**
 * Checks of a parks document the schema cannot express: each park named once (paths under the document). A name the
 * document in force (`current`) already lists passes as it is — records and users carry it, and refusing it would
 * refuse every later list until the park is emptied —; these rules hold for names new to the list.
 */
export function parksErrors(cfg: ParksConfig, current: ParksConfig = { parks: [] }): FieldError[] {
  const listed = (name: string) => isConfiguredPark(current, name);
  return cfg.parks.flatMap((p, i): FieldError[] => {
    // A park's name is a key every project, record and park center is matched on: a character nobody sees (a
    // zero-width space, a control) or a space other than the plain one would make a second park that reads the same.
    if (HIDDEN.test(p.name) && !listed(p.name)) return [{ path: `parks[${i}].name`, code: 'format', message: 'has a character that does not show (a zero-width or control character, or an unusual space)' }];
    // Two listed names that already read the same stay (both are in use); a name given twice never does.
    const earlier = cfg.parks.slice(0, i).find((o) => sameName(o.name, p.name) && !(o.name !== p.name && listed(o.name) && listed(p.name)));
    return earlier ? [{ path: `parks[${i}].name`, code: 'duplicate', message: `duplicate park ${p.name}` }] : [];
  });
}

/** Invisible (format, control) characters and any white space but the ASCII space. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\s/u;
/** Two park names the way a reader sees them (width forms aside). */
const sameName = (a: string, b: string) => a.normalize('NFKC') === b.normalize('NFKC');

/** The parks of the document in force that a new one leaves out. */
export const droppedParks = (current: ParksConfig, next: ParksConfig): string[] => parkNames(current).filter((name) => !isConfiguredPark(next, name));

/** What still names a park: ACTIVE or PENDING_ADMISSION projects, and inventory records not retired. */
export interface ParkUsage {
  readonly park: string;
  /** The projects' ids. */
  readonly projects: readonly string[];
  /** Records per kind, each by its code (a utility by its utility). */
  readonly resources: readonly { readonly kind: string; readonly keys: readonly string[] }[];
}

const SHOWN = 5;
const some = (keys: readonly string[]) => (keys.length > SHOWN ? `${keys.slice(0, SHOWN).join(', ')}, …` : keys.join(', '));

/**
 * A park leaves the list only once nothing live names it: a project that is active or pending admission (its park
 * does not change: the park center serving it would lose it), an inventory record not retired (retire or re-create
 * it first). 409 naming each park still in use and what uses it; nothing published.
 */
export function assertParksDroppable(usage: readonly ParkUsage[]): void {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const errors = usage.flatMap((u): FieldError[] => {
    const records = u.resources.flatMap((r) => r.keys.map((key) => `${r.kind} ${key}`));
    if (u.projects.length === 0 && records.length === 0) return [];
    const what = [
      ...(u.projects.length ? [`${plural(u.projects.length, 'active or pending project')} (${some(u.projects)})`] : []),
      ...(records.length ? [`${plural(records.length, 'inventory record')} not retired (${some(records)})`] : []),
    ];
    return [{ path: 'doc.parks', code: 'state', message: `${u.park} is still the park of ${what.join(' and ')}: keep it in the list until they are done or retired` }];
  });
  if (errors.length) throw new Conflict(errors.map((e) => e.message).join('; '), errors);
}
