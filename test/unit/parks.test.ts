// The zone's parks 园区 (configuration `parks`): a write names one of them or is refused with the list; a list is
// published with each park once; a park leaves the list only once no live project or record names it.
import { describe, expect, it } from 'vitest';
import { PARKS as SIMULATED_PARKS } from '../../bench/sim/zone.ts';
import { INVENTORY_KINDS, isParkKind, PARK_KINDS } from '../../functions/inventory/domain/resource.ts';
import { factsSchema } from '../../functions/inventory/schemas.ts';
import { Conflict, ValidationFailed } from '../../functions/kernel/domain/errors.ts';
import { demoInventory } from '../../local/demo-inventory.ts';
import { PARK_HUITONG, PARK_KECHUANG } from '../support/events.ts';
import { projectRequest } from '../support/runtime.ts';
import { configErrors, DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import {
  assertParksDroppable,
  DEFAULT_PARKS_CONFIG,
  droppedParks,
  isConfiguredPark,
  parkNames,
  parksErrors,
  requireConfiguredPark,
  requireParkToReturn,
  type ParksConfig,
  type ParkUsage,
} from '../../functions/reference/domain/parks.ts';
import { errorOf } from '../support/assertions.ts';

const parks = (...names: string[]): ParksConfig => ({ parks: names.map((name) => ({ name })) });
const unused = (park: string): ParkUsage => ({ park, projects: [], resources: [{ kind: 'parcels', keys: [] }, { kind: 'facilities', keys: [] }, { kind: 'utilities', keys: [] }] });

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
    expect(e.errors).toEqual([{ path: 'park', code: 'unknown_ref', message: '汇通园 is not one of the zone\'s parks: 汇通产业园, 科创城, 智造港 (GET /config/parks; ops add a park with PUT /config/parks)' }]);
    expect(e.message).toMatch(/^park: 汇通园 is not one of the zone's parks: 汇通产业园, 科创城, 智造港/);
  });

  it('matches the name exactly: another park’s name inside it is not enough', () => {
    expect(isConfiguredPark(parks('汇通产业园'), '汇通产业园二期')).toBe(false);
    expect(isConfiguredPark(parks('汇通产业园二期'), '汇通产业园')).toBe(false);
  });

  it('names whatever path it is given (where the park sits in the body)', () => {
    expect(errorOf(() => requireConfiguredPark(parks('科创城'), '临港园', 'facts.park')).errors).toEqual([
      { path: 'facts.park', code: 'unknown_ref', message: expect.stringMatching(/^临港园 is not one of the zone's parks: 科创城 /) },
    ]);
  });
});

describe('publishing the list of parks', () => {
  it('names a park listed twice at its second occurrence, under doc', () => {
    expect(parksErrors(parks('科创城', '汇通产业园', '科创城'))).toEqual([{ path: 'parks[2].name', code: 'duplicate', message: 'duplicate park 科创城' }]);
    expect(configErrors('parks', parks('科创城', '科创城'))).toEqual([{ path: 'doc.parks[1].name', code: 'duplicate', message: 'duplicate park 科创城' }]);
    expect(configErrors('parks', parks('科创城', '汇通产业园'))).toEqual([]);
  });

  it('refuses a name with a character that does not show, and a name that reads as one listed (full-width letters)', () => {
    const hidden = { path: 'parks[1].name', code: 'format', message: 'has a character that does not show (a zero-width or control character, or an unusual space)' };
    for (const name of ['汇通\u200b产业园', '汇通\u2060产业园', '汇通\u3000产业园', '汇通\t产业园', '汇通\u00ad产业园']) expect(parksErrors(parks('汇通产业园', name)), JSON.stringify(name)).toEqual([hidden]);
    expect(parksErrors(parks('A区', 'Ａ区'))).toEqual([{ path: 'parks[1].name', code: 'duplicate', message: 'duplicate park Ａ区' }]);
    expect(parksErrors(parks('汇通产业园', '汇通 二期'))).toEqual([]);
  });

  it('lets a name the list in force already holds stand (records carry it), and holds new names to the rules', () => {
    const stored = parks('汇通产业园', '汇通\u200b产业园', 'A区', 'Ａ区');
    // Adding a park to a list that holds such names is not refused for them…
    expect(parksErrors(parks('汇通产业园', '汇通\u200b产业园', 'A区', 'Ａ区', '临港园'), stored)).toEqual([]);
    // …but a name given twice still is, and a new name that hides a character or reads as a listed one is too.
    expect(parksErrors(parks('汇通产业园', '临港园', '临港园'), stored)).toEqual([{ path: 'parks[2].name', code: 'duplicate', message: 'duplicate park 临港园' }]);
    expect(parksErrors(parks('A区', 'Ａ区', '临港\u200b园'), stored)).toEqual([{ path: 'parks[2].name', code: 'format', message: 'has a character that does not show (a zero-width or control character, or an unusual space)' }]);
    expect(parksErrors(parks('科创城', 'ｋ区', 'k区'), stored)).toEqual([{ path: 'parks[2].name', code: 'duplicate', message: 'duplicate park k区' }]);
    expect(parksErrors(parks('A区', 'Ａ区'), parks('A区'))).toEqual([{ path: 'parks[1].name', code: 'duplicate', message: 'duplicate park Ａ区' }]);
    expect(configErrors('parks', parks('汇通\u200b产业园'), stored)).toEqual([]);
    expect(configErrors('parks', parks('汇通\u200b产业园'))).toHaveLength(1);
  });

  it('knows which parks a new list leaves out (a rename is one left out and one added)', () => {
    expect(droppedParks(parks('汇通产业园', '科创城', '智造港'), parks('汇通产业园', '智造港', '临港园'))).toEqual(['科创城']);
    expect(droppedParks(parks('汇通产业园'), parks('汇通产业园', '临港园'))).toEqual([]);
  });

  it('lets a park go that nothing live names', () => {
    expect(() => assertParksDroppable([])).not.toThrow();
    expect(() => assertParksDroppable([unused('智造港')])).not.toThrow();
  });

  it('refuses (409) to drop a park an active or pending project still names, naming the park and the projects', () => {
    const e = errorOf(() => assertParksDroppable([{ ...unused('科创城'), projects: ['prj-a'] }, unused('智造港')]));

    expect(e).toBeInstanceOf(Conflict);
    expect(e.errors).toEqual([{ path: 'doc.parks', code: 'state', message: '科创城 is still the park of 1 active or pending project (prj-a): keep it in the list until they are done or retired' }]);
    expect(e.message).toBe('科创城 is still the park of 1 active or pending project (prj-a): keep it in the list until they are done or retired');
  });

  it('refuses to drop a park an inventory record not retired still names (kind and code), and says both when both do', () => {
    const usage: ParkUsage = { park: '智造港', projects: ['prj-a', 'prj-b'], resources: [{ kind: 'parcels', keys: ['ZZ-1'] }, { kind: 'facilities', keys: [] }, { kind: 'utilities', keys: ['power', 'water'] }] };

    expect(errorOf(() => assertParksDroppable([usage])).errors).toEqual([
      { path: 'doc.parks', code: 'state', message: '智造港 is still the park of 2 active or pending projects (prj-a, prj-b) and 3 inventory records not retired (parcels ZZ-1, utilities power, utilities water): keep it in the list until they are done or retired' },
    ]);
    expect(errorOf(() => assertParksDroppable([{ ...unused('智造港'), resources: [{ kind: 'facilities', keys: ['F-1'] }] }])).errors).toEqual([
      { path: 'doc.parks', code: 'state', message: '智造港 is still the park of 1 inventory record not retired (facilities F-1): keep it in the list until they are done or retired' },
    ]);
  });

  it('names at most five of what uses a park, then an ellipsis; one error per park in use', () => {
    const ids = ['prj-1', 'prj-2', 'prj-3', 'prj-4', 'prj-5', 'prj-6'];
    const e = errorOf(() => assertParksDroppable([{ ...unused('科创城'), projects: ids }, { ...unused('智造港'), projects: ids.slice(0, 5) }]));

    expect((e.errors as { message: string }[]).map((x) => x.message)).toEqual([
      '科创城 is still the park of 6 active or pending projects (prj-1, prj-2, prj-3, prj-4, prj-5, …): keep it in the list until they are done or retired',
      '智造港 is still the park of 5 active or pending projects (prj-1, prj-2, prj-3, prj-4, prj-5): keep it in the list until they are done or retired',
    ]);
    expect(e.message).toContain('; 智造港 is still');
  });
});

describe('a retired record coming back', () => {
  it('comes back in one of the zone’s parks', () => {
    expect(() => requireParkToReturn(DEFAULT_PARKS_CONFIG, '智造港', 'status')).not.toThrow();
  });

  it('does not come back (409 on status) in a park that has left the list since it was retired', () => {
    const e = errorOf(() => requireParkToReturn(parks('汇通产业园', '科创城'), '智造港', 'status'));

    expect(e).toBeInstanceOf(Conflict);
    expect(e.errors).toEqual([{ path: 'status', code: 'state', message: '智造港 is no longer one of the zone\'s parks (汇通产业园, 科创城): a record retired there does not come back; add it again in one of them' }]);
  });
});
