// The fact filters of an inventory list (GET /inventory/{kind}): which query parameters filter which kind, and the
// DynamoDB filter expression they make — applied to what the index reads. A filter another kind has no fact for is a
// 400 naming it.
import { ValidationFailed, type FieldError } from '#kernel/domain/errors.ts';
import type { InventoryKind } from './domain/resource.ts';
import type { ResourceFilters } from './store/resources.ts';

export type Query = Record<string, string | undefined>;

/** The fact filters each kind takes: query name → [attribute path, comparison, value parser]. */
const FACT_FILTERS: Record<string, { kinds: readonly InventoryKind[]; path: string; op: '=' | '>=' | '<='; value: (v: string) => unknown }> = {
  minAreaM2: { kinds: ['parcels', 'facilities'], path: 'facts.areaM2', op: '>=', value: Number },
  maxAreaM2: { kinds: ['parcels', 'facilities'], path: 'facts.areaM2', op: '<=', value: Number },
  use: { kinds: ['parcels'], path: 'facts.#use', op: '=', value: String },
  supply: { kinds: ['parcels'], path: 'facts.supply', op: '=', value: String },
  owner: { kinds: ['facilities'], path: 'facts.#owner', op: '=', value: String },
  minFloorLoadKnM2: { kinds: ['facilities'], path: 'facts.floorLoadKnM2', op: '>=', value: Number },
  minClearHeightM: { kinds: ['facilities'], path: 'facts.clearHeightM', op: '>=', value: Number },
  minPowerKva: { kinds: ['facilities'], path: 'facts.powerKva', op: '>=', value: Number },
  year: { kinds: ['energy', 'environment'], path: 'facts.#year', op: '=', value: Number },
  pollutant: { kinds: ['environment'], path: 'facts.pollutant', op: '=', value: String },
  utility: { kinds: ['utilities'], path: 'facts.utility', op: '=', value: String },
};
const RESERVED_WORDS: Record<string, string> = { '#use': 'use', '#owner': 'owner', '#year': 'year' };

export function factFilter(kind: InventoryKind, q: Query, stalePeriod: string): ResourceFilters['filter'] {
  const parts: string[] = [];
  const names: Record<string, string> = { '#facts': 'facts' };
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = Object.entries(FACT_FILTERS)
    .filter(([name, f]) => q[name] !== undefined && !f.kinds.includes(kind))
    .map(([name, f]) => ({ path: `query.${name}`, code: 'not_allowed' as const, message: `filters ${f.kinds.join(' and ')} only` }));
  if (q.ready !== undefined && kind !== 'parcels') errors.push({ path: 'query.ready', code: 'not_allowed', message: 'filters parcels only' });
  // A range that runs backwards finds nothing by construction: told, not answered with an empty list.
  if (q.minAreaM2 !== undefined && q.maxAreaM2 !== undefined && Number(q.minAreaM2) > Number(q.maxAreaM2)) {
    errors.push({ path: 'query.maxAreaM2', code: 'out_of_range', message: `must be at least minAreaM2 (${q.minAreaM2})` });
  }
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
  Object.entries(FACT_FILTERS).forEach(([name, f], i) => {
    const raw = q[name];
    if (raw === undefined) return;
    const path = f.path.replace(/^facts\./, '#facts.');
    for (const [alias, attr] of Object.entries(RESERVED_WORDS)) if (path.includes(alias)) names[alias] = attr;
    parts.push(`${path} ${f.op} :f${i}`);
    values[`:f${i}`] = f.value(raw);
  });
  if (q.ready !== undefined) {
    const items = ['relicSurvey', 'landApproval', 'clearanceList', 'infrastructure'];
    values[':null'] = null;
    const done = items.map((item) => `(attribute_exists(#facts.readiness.${item}) AND #facts.readiness.${item} <> :null)`).join(' AND ');
    parts.push(q.ready === 'true' ? `(${done})` : `NOT (${done})`);
  }
  if (q.stale !== undefined) {
    values[':period'] = stalePeriod;
    values[':retired'] = 'retired';
    names['#st'] = 'status';
    const stale = '(#st <> :retired AND (attribute_type(staleSince, :S) OR confirmedPeriod < :period))';
    values[':S'] = 'S';
    parts.push(q.stale === 'true' ? stale : `NOT ${stale}`);
  }
  if (!parts.length) return undefined;
  const expression = parts.join(' AND ');
  // DynamoDB refuses names or values an expression does not use.
  return { expression, names: Object.fromEntries(Object.entries(names).filter(([k]) => expression.includes(k))), values };
}

