// The zone's parks 园区: the configuration document `parks` lists them, and a write that names a park (a project, an
// inventory record) must name one of them — a typo such as 汇通园 would start a park no service center serves and split
// the ledger's per-park view. Records stored before keep their park; reads of any park keep answering.
import { ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';

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
  throw new ValidationFailed(`${path}: ${message}`, [{ path, message }]);
}

/** Checks of a parks document the schema cannot express: each park named once (paths under the document). */
export function parksErrors(cfg: ParksConfig): FieldError[] {
  return cfg.parks.flatMap((p, i) => (cfg.parks.findIndex((o) => o.name === p.name) === i ? [] : [{ path: `parks[${i}].name`, message: `duplicate park ${p.name}` }]));
}
