// Reading the ledger for an export: the caller's scope and filters (as GET /projects), up to `limit` rows a file
// (default and most 5,000), page after page of index queries — never a scan. A larger ledger comes in several files:
// the response's `Link: <…?cursor=…>; rel="next"` (and `X-Next-Cursor`) names the next one, so 20,000 projects export
// as four files well within Lambda's 6 MB response and its time limit. A file whose reading took half the request's
// time, or whose making would not end within it, ends there, with fewer rows and the next file's link.
import type { Principal } from '#kernel/domain/principal.ts';
import { asStartKey, openCursor, sealCursor } from '#kernel/http/cursor.ts';
import { attachment } from '#kernel/http/disposition.ts';
import type { Project } from '#projects/domain/project.ts';
import { assertMayFilterByMatrix, scopeLedger } from '#projects/domain/ledger-scope.ts';
import { planLedger } from '#kernel/store/tables.ts';
import { ledgerStartKeyNames, queryLedger } from '#projects/store/ledger.ts';
import { requestTimeLeft } from '#kernel/runtime/write-gate.ts';
import { getConfig } from '#reference/store/reference.ts';

export const EXPORT_ROWS = 5_000;
/** Projects read per index query while filling a file. */
const READ_PAGE = 500;

export interface ExportQuery {
  readonly stage?: string;
  readonly status?: string;
  readonly park?: string;
  readonly track?: string;
  readonly category?: string;
  readonly light?: string;
  readonly workflow?: string;
  readonly escalation?: string;
  /** The responsibility matrix version the projects follow (ops and the committee leader, as on GET /projects). */
  readonly matrixVersion?: string;
  readonly limit?: string;
  readonly cursor?: string;
  /** The file's language (the rows it holds are the same in both). */
  readonly lang?: 'zh' | 'en';
}

/**
 * A file made as its rows are read: `add` takes each page read, `finish` makes the file of all added. Finishing costs
 * about `finishPerAdd` times the adding of the same rows (the workbook's writing, the CSV's joining).
 */
export interface ExportFile<T> {
  readonly finishPerAdd: number;
  add(projects: readonly Project[]): void;
  finish(): Promise<T>;
}

/**
 * Exports being read or made in this process now. On Lambda a process answers one request at a time (always 1); the
 * local runtime answers every request in one process, where files made at once share its one thread — a workbook is
 * written after the others' writing as much as its own — so each estimate of the making counts them all.
 */
let exportsInProcess = 0;

/** What is kept back of the request's time beyond the making's estimate (the response's encoding, a GC pause). */
const SPARE_MS = 500;
/** The estimate of the making is taken half again: a machine may slow down between the adding and the finishing. */
const MAKING_SLACK = 1.5;

export async function readLedger<T>(principal: Principal, query: ExportQuery, format: string, file: ExportFile<T>): Promise<{ file: T; rows: number; nextCursor: string | null; filters: Record<string, string> }> {
  const { limit, cursor, lang: _lang, ...asked } = query;
  assertMayFilterByMatrix(principal, asked);
  const filters = scopeLedger(principal, asked) as Record<string, string>;
  const scope = { list: `ledger-export ${format} ${JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort())}`, caller: principal.sub };
  const position = await openCursor(scope, cursor);
  const keyNames = ledgerStartKeyNames(planLedger(filters as never).index);
  let startKey = position === undefined ? undefined : asStartKey(position, keyNames);
  const wanted = limit ? Number(limit) : EXPORT_ROWS;
  let rows = 0;
  // The reading may take at most half the request's time left, and the file is made as it is read: a store slow under
  // many writes (5,000 rows read with 24 writers at once took over 9 s locally: a 503) or a machine slow at making the
  // file (a 5,000-row workbook took 8.1 s in all once) ends the file early, with the next file's cursor where it
  // stopped, instead of running out of time with nothing. Another page is read only when its reading (as long as the
  // last page's) and the making of every row so far and of its own rows (as long as adding the rows took so far, and
  // `finishPerAdd` times that to finish, half again) still end within the request's time.
  // When files are made at once in one process (the local runtime), the making of each waits for the others' on the
  // one thread: the estimate is of all of them (six 1,711-row workbooks at once were each a 503 after 9 s).
  const started = Date.now();
  const left = requestTimeLeft();
  let addingMs = 0;
  exportsInProcess += 1;
  try {
    for (;;) {
      const readStart = Date.now();
      // Smaller pages while others are made: a file of one page is otherwise never decided (ten of 500 rows at once).
      const page = await queryLedger({ filters: filters as never, limit: Math.min(Math.ceil(READ_PAGE / exportsInProcess), wanted - rows), startKey });
      const readMs = Date.now() - readStart;
      const addStart = performance.now();
      file.add(page.items);
      addingMs += performance.now() - addStart;
      rows += page.items.length;
      startKey = page.lastKey;
      if (!startKey || rows >= wanted) break;
      if (left === undefined) continue;
      if (Date.now() - started >= left / 2) break;
      const perRow = rows > 0 ? addingMs / rows : 0;
      const next = Math.min(Math.ceil(READ_PAGE / exportsInProcess), wanted - rows);
      const making = (rows * perRow * file.finishPerAdd + next * perRow * (1 + file.finishPerAdd)) * MAKING_SLACK * exportsInProcess;
      if (Date.now() + readMs + making + SPARE_MS > started + left) break;
    }
    return { file: await file.finish(), rows, nextCursor: await sealCursor(scope, startKey), filters };
  } finally {
    exportsInProcess -= 1;
  }
}

/**
 * A park's English name for an English file (the zone's parks configuration, read only then); a Chinese file names
 * parks as recorded and reads nothing more.
 */
export async function parkNamesFor(lang: 'zh' | 'en' | undefined): Promise<((park: string) => string | undefined) | undefined> {
  if (lang !== 'en') return undefined;
  const parks = (await getConfig('parks')).doc.parks;
  return (park) => parks.find((x) => x.name === park)?.nameEn;
}

/**
 * The headers of an export file: its name (ASCII and UTF-8: 台账-… for a Chinese file), and where the next file of a
 * long ledger is (its link keeps the query, the language too).
 */
export function exportHeaders(args: { contentType: string; name: string; ext: string; path: string; query: Record<string, string | undefined>; nextCursor: string | null }): Record<string, string> {
  const file = `${args.name}.${args.ext}`;
  const headers: Record<string, string> = {
    'content-type': args.contentType,
    'content-disposition': attachment(file, args.query.lang === 'en' ? file : `台账-${file}`),
    'cache-control': 'no-store',
  };
  if (args.nextCursor) {
    const next = new URLSearchParams(Object.entries({ ...args.query, cursor: args.nextCursor }).filter((e): e is [string, string] => e[1] !== undefined));
    headers.link = `<${args.path}?${next.toString()}>; rel="next"`;
    headers['x-next-cursor'] = args.nextCursor;
  }
  return headers;
}
