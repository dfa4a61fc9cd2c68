// Content negotiation: the client's Accept with its q-values (RFC 9110 §12.5.1), not a substring test — `text/html;q=0.1,
// application/json` asks for JSON, and `Accept: application/pdf` alone for nothing this route has (406). Every route is
// checked by the pipeline against the types it declares (`offeredTypes`); the few that answer in more than one (a
// letter's printable page, a report as CSV) choose with `negotiate`, and a report's `?format=` names its type outright.
import type { RouteDeclaration } from '#kernel/declarations.ts';
import { DomainError } from '#kernel/domain/errors.ts';

interface Range {
  readonly type: string;
  readonly q: number;
  readonly specificity: number;
}

function ranges(accept: string): Range[] {
  return accept
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [media = '', ...params] = part.split(';').map((p) => p.trim());
      const qParam = params.find((p) => /^q=/i.test(p));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      const type = media.toLowerCase();
      return { type, q: Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0, specificity: type === '*/*' ? 0 : type.endsWith('/*') ? 1 : 2 };
    });
}

/** The q the client gives `type`: from its most specific matching range (0 when none matches). */
function qualityOf(type: string, all: readonly Range[]): number {
  const matching = all.filter((r) => r.type === type || r.type === '*/*' || (r.type.endsWith('/*') && type.startsWith(r.type.slice(0, -1))));
  if (matching.length === 0) return 0;
  return matching.sort((a, b) => b.specificity - a.specificity)[0]!.q;
}

export class NotAcceptable extends DomainError {
  constructor(offered: readonly string[]) {
    super(406, 'https://zoneflow.dev/problems/not-acceptable', 'Not acceptable', `This resource is available as ${offered.join(' or ')}; send an Accept that takes one of them`);
  }
}

/**
 * The offered type the client prefers (ties: the order offered, the first being the route's default); no Accept, or
 * an empty one, takes the first. None acceptable: 406.
 */
export function negotiate(accept: string | undefined, offered: readonly [string, ...string[]]): string {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const all = ranges(accept);
  let best: { type: string; q: number } | undefined;
  for (const type of offered) {
    const q = qualityOf(type, all);
    if (q > 0 && (!best || q > best.q)) best = { type, q };
  }
  if (!best) throw new NotAcceptable(offered);
  return best.type;
}

/** The types a route answers in, its default first: its file type, or JSON and the others it declares. */
export const offeredTypes = (decl: Pick<RouteDeclaration, 'produces' | 'alsoProduces'>): readonly [string, ...string[]] =>
  decl.produces ? [decl.produces] : ['application/json', ...(decl.alsoProduces ?? [])];

/** What `?format=` names, on every route that answers in JSON and CSV (the same rule as `Accept: text/csv`). */
export const FORMAT_TYPES = { json: 'application/json', csv: 'text/csv' } as const;

/** The type a JSON-or-CSV answer is given in: `?format=` when sent (it wins over Accept), else the Accept weighed. */
export function answerType(accept: string | undefined, format: keyof typeof FORMAT_TYPES | undefined, offered: readonly [string, ...string[]]): string {
  return format === undefined ? negotiate(accept, offered) : FORMAT_TYPES[format];
}
