// The zone's parks 园区 (configuration `parks`): a write names one of them or is refused with the list; a list is
// published with each park once.
import { describe, expect, it } from 'vitest';
import { PARKS as SIMULATED_PARKS } from '../../bench/sim/zone.ts';
import { INVENTORY_KINDS, isParkKind, PARK_KINDS } from '../../functions/inventory/domain/resource.ts';
import { factsSchema } from '../../functions/inventory/schemas.ts';
import { ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import { demoInventory } from '../../local/demo-inventory.ts';
import { PARK_HUITONG, PARK_KECHUANG } from '../support/events.ts';
import { projectRequest } from '../support/runtime.ts';
import { configErrors, DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import {
  DEFAULT_PARKS_CONFIG,
  isConfiguredPark,
  parkNames,
  parksErrors,
  requireConfiguredPark,
  type ParksConfig,
} from '../../functions/reference/domain/parks.ts';

const errorOf = (f: () => unknown): Error & { errors?: unknown } => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

const parks = (...names: string[]): ParksConfig => ({ parks: names.map((name) => ({ name })) });

describe('the zone’s parks by default', () => {
  it('are the parks the demo, the tests and the simulator use, with their English names', () => {
    expect(parkNames(DEFAULT_PARKS_CONFIG)).toEqual(['汇通产业园', '科创城', '智造港']);
    expect(DEFAULT_PARKS_CONFIG.parks[0]).toEqual({ name: '汇通产业园', nameEn: 'Huitong Industrial Park' });
    expect(DEFAULT_CONFIG.parks).toBe(DEFAULT_PARKS_CONFIG);
    expect(parksErrors(DEFAULT_PARKS_CONFIG)).toEqual([]);
  });
});

describe('what names a park by default', () => {
  it('the demo inventory, the simulated zone and the tests’ projects are in the zone’s parks', () => {
    const named = [
      ...demoInventory('2026-11-30').flatMap((i) => ('park' in i.body ? [i.body.park as string] : [])),
      ...SIMULATED_PARKS,
      PARK_HUITONG,
      PARK_KECHUANG,
      projectRequest('e2e').park,
    ];
    expect(named.filter((park) => !isConfiguredPark(DEFAULT_PARKS_CONFIG, park))).toEqual([]);
  });

  it('parcels, facilities and utilities belong to a park (their records carry one); the quotas are zone-wide', () => {
    expect(PARK_KINDS).toEqual(['parcels', 'facilities', 'utilities']);
    for (const kind of INVENTORY_KINDS) expect('park' in factsSchema(kind).shape, kind).toBe(isParkKind(kind));
  });
});

describe('a write that names a park', () => {
  it('passes when the park is one of the zone’s', () => {
    expect(isConfiguredPark(DEFAULT_PARKS_CONFIG, '科创城')).toBe(true);
    expect(() => requireConfiguredPark(DEFAULT_PARKS_CONFIG, '汇通产业园', 'park')).not.toThrow();
  });

  it('is refused (400) on the field it names, with the zone’s parks listed, when the park is a typo (汇通园)', () => {
    const e = errorOf(() => requireConfiguredPark(DEFAULT_PARKS_CONFIG, '汇通园', 'park'));

    expect(e).toBeInstanceOf(ValidationFailed);
    expect(e.errors).toEqual([{ path: 'park', message: '汇通园 is not one of the zone\'s parks: 汇通产业园, 科创城, 智造港 (GET /config/parks; ops add a park with PUT /config/parks)' }]);
    expect(e.message).toMatch(/^park: 汇通园 is not one of the zone's parks: 汇通产业园, 科创城, 智造港/);
  });

  it('matches the name exactly: another park’s name inside it is not enough', () => {
    expect(isConfiguredPark(parks('汇通产业园'), '汇通产业园二期')).toBe(false);
    expect(isConfiguredPark(parks('汇通产业园二期'), '汇通产业园')).toBe(false);
  });

  it('names whatever path it is given (where the park sits in the body)', () => {
    expect(errorOf(() => requireConfiguredPark(parks('科创城'), '临港园', 'facts.park')).errors).toEqual([
      { path: 'facts.park', message: expect.stringMatching(/^临港园 is not one of the zone's parks: 科创城 /) },
    ]);
  });
});

describe('publishing the list of parks', () => {
  it('names a park listed twice at its second occurrence, under doc', () => {
    expect(parksErrors(parks('科创城', '汇通产业园', '科创城'))).toEqual([{ path: 'parks[2].name', message: 'duplicate park 科创城' }]);
    expect(configErrors('parks', parks('科创城', '科创城'))).toEqual([{ path: 'doc.parks[1].name', message: 'duplicate park 科创城' }]);
    expect(configErrors('parks', parks('科创城', '汇通产业园'))).toEqual([]);
  });
});
