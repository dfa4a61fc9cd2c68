// Table definitions: the single source for the CDK data construct and the local runtime's CreateTable calls.
// Pure data (no SDK import) so infra, local and handlers can all read it.

export type KeyType = 'S' | 'N';

export interface KeyDef {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDef {
  readonly name: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  /**
   * What the index copies of each item: every attribute (the default); only the keys (an index that is counted, not
   * read); or the keys and the named attributes (an index that is filtered, its items read after by key).
   */
  readonly projection?: 'ALL' | 'KEYS_ONLY' | { readonly include: readonly string[] };
}

export interface TableDef {
  /** Logical id: the CDK construct id and the suffix of the physical name. */
  readonly id: TableId;
  /** Environment variable a function reads the physical table name from. */
  readonly envVar: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly indexes: readonly IndexDef[];
  readonly ttlAttribute?: string;
  /** Append-only tables: functions may only PutItem (no update/delete) — enforced by IAM. */
  readonly appendOnly?: boolean;
  /** A DynamoDB stream carrying each new item's image (NEW_IMAGE), consumed by the function the catalog names. */
  readonly stream?: 'NEW_IMAGE';
  readonly purpose: string;
}

export type TableId = 'projects' | 'ledger' | 'audit' | 'reference' | 'idempotency' | 'inventory' | 'inbox' | 'outbox' | 'delivery';

const S = (name: string): KeyDef => ({ name, type: 'S' });

/**
 * Facets of the ledger 台账 (GET /projects filters). `matrixVersion`: the responsibility matrix version a project follows
 * (a number, kept as its decimal string; none before admission).
 */
export const LEDGER_FACETS = ['stage', 'status', 'park', 'track', 'category', 'light', 'enterprise', 'workflow', 'escalation', 'matrixVersion'] as const;
export type LedgerFacet = (typeof LEDGER_FACETS)[number];

export interface LedgerIndex {
  readonly name: string;
  /** The index's partition key attribute: the values of `facets`, in order (JSON for two or more). */
  readonly attribute: string;
  readonly facets: readonly LedgerFacet[];
  /**
   * What the index copies of a project besides the keys (INCLUDE; none: KEYS_ONLY): the attributes of every facet a
   * page it serves may filter by, so a filter reads the index alone and the page's projects are read after by key. A
   * project write then touches the index only when one of them changes, not on every version, and an entry is a few
   * hundred bytes, not the project. Written out, not derived: DynamoDB cannot change an index's projection in place, so
   * a change to the list of indexes must not silently change another's (test/unit/tables.test.ts checks that every
   * combination of filters finds what it filters by, and DynamoDB's limit of 100 such attributes a table).
   */
  readonly include: readonly string[];
}

/**
 * The ledger's indexes: each serves one combination of facets from its key, newest project first (`gsiLedgerSk` =
 * createdAt#id). The pairs are the combinations users filter by every day — a park center's own park by stage, status
 * or light, and a stage's red projects — so those pages read exactly what they show. `workflow` is sparse: only
 * projects whose lifecycle failed carry it (ops' list of lifecycles to resume).
 */
export const LEDGER_INDEXES: readonly LedgerIndex[] = [
  { name: 'byParkStage', attribute: 'gsiParkStage', facets: ['park', 'stage'], include: ['status', 'track', 'category', 'light', 'gsiEnterprise', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byParkStatus', attribute: 'gsiParkStatus', facets: ['park', 'status'], include: ['track', 'category', 'light', 'gsiEnterprise', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byParkLight', attribute: 'gsiParkLight', facets: ['park', 'light'], include: ['track', 'category', 'gsiEnterprise', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byStageLight', attribute: 'gsiStageLight', facets: ['stage', 'light'], include: ['status', 'track', 'category', 'gsiEnterprise', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byEnterprise', attribute: 'gsiEnterprise', facets: ['enterprise'], include: ['stage', 'status', 'park', 'track', 'category', 'light', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byPark', attribute: 'gsiPark', facets: ['park'], include: ['track', 'category', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byWorkflow', attribute: 'gsiWorkflow', facets: ['workflow'], include: ['stage', 'status', 'track', 'category', 'light', 'gsiEscalation'] },
  // Sparse: only projects on the escalation ladder (level ≥ 1) carry it — the supervision office's working list.
  { name: 'byEscalation', attribute: 'gsiEscalation', facets: ['escalation'], include: ['stage', 'status', 'track', 'category', 'light'] },
  // The projects following one matrix version (sparse: none before admission) — ops' list when a version published by
  // mistake must be undone (POST /projects/{id}/matrix, project by project). It projects every other facet, so any
  // combination with it is served here and filtered: the indexes before it project no gsiMatrix, and DynamoDB cannot
  // add an attribute to an index's projection in place.
  { name: 'byMatrix', attribute: 'gsiMatrix', facets: ['matrixVersion'], include: ['stage', 'status', 'park', 'track', 'category', 'light', 'gsiEnterprise', 'gsiWorkflow', 'gsiEscalation'] },
  { name: 'byLight', attribute: 'gsiLight', facets: ['light'], include: ['status', 'track', 'category'] },
  { name: 'byCategory', attribute: 'gsiCategory', facets: ['category'], include: ['stage', 'status', 'track'] },
  { name: 'byStage', attribute: 'gsiStage', facets: ['stage'], include: ['status', 'track'] },
  { name: 'byTrack', attribute: 'gsiTrack', facets: ['track'], include: ['status'] },
  { name: 'byStatus', attribute: 'gsiStatus', facets: ['status'], include: [] },
  // The whole ledger (every project, newest first): one partition is fine at a zone's scale (thousands). It carries the
  // parks and enterprises `ledgerNames` lists.
  { name: 'byLedger', attribute: 'gsiLedger', facets: [], include: ['park', 'gsiEnterprise'] },
];

/** The attribute of a project item a ledger filter compares (facets kept under another name: their index's key). */
export function facetAttribute(f: LedgerFacet): string {
  return f === 'enterprise' ? 'gsiEnterprise' : f === 'workflow' ? 'gsiWorkflow' : f === 'escalation' ? 'gsiEscalation' : f === 'matrixVersion' ? 'gsiMatrix' : f;
}

/**
 * The index serving the most of the given facets from its key (the first such in LEDGER_INDEXES) among those that
 * project the rest, which filter.
 */
export function planLedger(filters: Partial<Record<LedgerFacet, string>>): { index: LedgerIndex; rest: LedgerFacet[] } {
  const given = LEDGER_FACETS.filter((f) => filters[f] !== undefined);
  const usable = LEDGER_INDEXES.filter((i) => i.facets.every((f) => given.includes(f)) && given.every((f) => i.facets.includes(f) || i.include.includes(facetAttribute(f))));
  const index = usable.reduce((best, i) => (i.facets.length > best.facets.length ? i : best));
  return { index, rest: given.filter((f) => !index.facets.includes(f)) };
}

/** An index projecting these attributes besides the keys (none: the keys alone). */
const included = (attributes: readonly string[]): IndexDef['projection'] => (attributes.length ? { include: attributes } : 'KEYS_ONLY');

/** An index's projection as DynamoDB's CreateTable and CloudFormation name it. */
export function projectionOf(index: IndexDef): { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; nonKeyAttributes?: readonly string[] } {
  const p = index.projection ?? 'ALL';
  return typeof p === 'string' ? { type: p } : { type: 'INCLUDE', nonKeyAttributes: p.include };
}

/** The partition value of a ledger index for these facet values (undefined when one is missing: sparse). */
export function ledgerKey(index: LedgerIndex, values: Partial<Record<LedgerFacet, string>>): string | undefined {
  if (index.facets.length === 0) return 'ALL';
  const parts = index.facets.map((f) => values[f]);
  if (parts.some((v) => v === undefined)) return undefined;
  return parts.length === 1 ? parts[0] : JSON.stringify(parts);
}

export const TABLES: readonly TableDef[] = [
  {
    id: 'projects',
    envVar: 'TABLE_PROJECTS',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    purpose:
      'Project aggregate: project item, tasks, gates, meetings, obligations, service team, workflow wait tokens, letters ' +
      '(its ledger entry, with the list indexes, is in the ledger table).',
    indexes: [
      // Open tasks of a department, soonest due first (sparse: only open tasks carry a lead key); and, in partitions of
      // their own (`DEPT#park_center#<park>`, never a lead key), a park center's department records by date.
      { name: 'byLead', partitionKey: S('gsiLead'), sortKey: S('gsiDue') },
      // Open tasks whose due date was computed without a loaded calendar (sparse), recomputed when ops load the year.
      { name: 'byProvisional', partitionKey: S('gsiProvisional'), sortKey: S('gsiDue') },
      // Open tasks of a department zone-wide (gsiDept = the lead role, park centers of every park together; sparse: no
      // enterprise tasks), keys only: the department report counts them (open, and overdue by the due date in gsiDue).
      { name: 'byDepartment', partitionKey: S('gsiDept'), sortKey: S('gsiDue'), projection: 'KEYS_ONLY' },
      // The park tally 园区统计 (kernel/domain/tally.ts): every project (park, status, stage, light, rung) and every open,
      // started, timed task (park, due date, lead) as a key in one zone partition sorted by park, keys only — GET
      // /reports/parks counts a park's key range (or the zone's) without reading a project item.
      { name: 'byTally', partitionKey: S('gsiTally'), sortKey: S('gsiTallySk'), projection: 'KEYS_ONLY' },
      // Letters awaiting their addressee's reply (sparse: only unacknowledged letters carry gsiAddressee = the addressee's
      // inbox, e.g. DEPT#resources_bureau), oldest first: the daily digest's 待复函 per department.
      { name: 'byAddressee', partitionKey: S('gsiAddressee'), sortKey: S('gsiIssued') },
    ],
  },
  {
    id: 'ledger',
    envVar: 'TABLE_LEDGER',
    partitionKey: S('pk'),
    purpose:
      'The ledger 台账: one entry per project (pk = PROJECT#<id>) holding its facets (stage, status, park, track, ' +
      'category, light, enterprise, failed lifecycle, escalation rung) and the keys of the ledger\'s list indexes; ' +
      'written with the project in the same transaction, and only when a facet changes.',
    // Apart from the projects table so that a project or task write there does not carry fourteen indexes: DynamoDB
    // allows 20 a table, and DynamoDB Local maintains every index of a table on every write to it, inside the one
    // transaction it runs at a time (bench/emulator-transactions.ts; docs/design.md, "The ledger has its own table").
    indexes: LEDGER_INDEXES.map((i): IndexDef => ({ name: i.name, partitionKey: S(i.attribute), sortKey: S('gsiLedgerSk'), projection: included(i.include) })),
  },
  {
    id: 'audit',
    envVar: 'TABLE_AUDIT',
    partitionKey: S('subject'),
    sortKey: S('seq'),
    appendOnly: true,
    purpose: 'Audit log 全程可溯: one item per change, written in the same transaction as the change.',
    indexes: [
      { name: 'byActor', partitionKey: S('actor'), sortKey: S('seq') },
      // The zone's events month by month (gsiMonth = YYYY-MM of the event, UTC), for GET /audit without an actor.
      { name: 'byMonth', partitionKey: S('gsiMonth'), sortKey: S('seq') },
    ],
  },
  {
    id: 'reference',
    envVar: 'TABLE_REFERENCE',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    purpose: 'Working-day calendar per year, versioned configuration (matrix, escalation, lights, classification), parks.',
    indexes: [],
  },
  {
    id: 'idempotency',
    envVar: 'TABLE_IDEMPOTENCY',
    partitionKey: S('key'),
    ttlAttribute: 'expiresAt',
    purpose: 'Idempotency-Key records: request hash and first response, expiring after 24 h.',
    indexes: [],
  },
  {
    id: 'inventory',
    envVar: 'TABLE_INVENTORY',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    purpose: 'Resource inventories 要素保障 (parcels, facilities, quotas, utilities) and pre-work fund buckets; reservations and allocations are items of their project.',
    indexes: [
      // A kind's records in one park (gsiPark = <kind>#<park>).
      { name: 'byPark', partitionKey: S('gsiPark'), sortKey: S('gsiKindId') },
      // A kind's records with one status (gsiStatus = <kind>#<status>): the available parcels matching ranks.
      { name: 'byStatus', partitionKey: S('gsiStatus'), sortKey: S('gsiKindId') },
    ],
  },
  {
    id: 'inbox',
    envVar: 'TABLE_INBOX',
    partitionKey: S('recipient'),
    sortKey: S('seq'),
    ttlAttribute: 'expiresAt',
    // Each new notification reaches route-notifications, which queues it for the channels routing names (group
    // robots, e-mail): the inbox item is the delivery's outbox record, written in the change's own transaction.
    stream: 'NEW_IMAGE',
    purpose:
      'Notifications per inbox (department, a park\'s service center, enterprise, user or ops) with their delivery ' +
      'status per channel; its stream feeds route-notifications.',
    indexes: [
      // Unread notices per inbox (sparse: only an unread notice carries gsiUnread = its recipient; marking it read removes
      // it in the same conditional write), keys only: GET /me/notifications counts an inbox's unread notices from it
      // without reading one, and no notice's write touches any item but its own.
      { name: 'byUnread', partitionKey: S('gsiUnread'), sortKey: S('seq'), projection: 'KEYS_ONLY' },
    ],
  },
  {
    id: 'delivery',
    envVar: 'TABLE_DELIVERY',
    partitionKey: S('channel'),
    sortKey: S('sk'),
    ttlAttribute: 'expiresAt',
    purpose:
      'Notification delivery per channel (a group robot, an e-mail list): the queue of notifications to send in order ' +
      '(JOB#…), the channel\'s state (STATE: lease, sends of the last rate window), and the deliveries that failed for ' +
      'good (partition FAILED, kept for ops).',
    indexes: [
      // Every channel that ever had a notification queued (its STATE item carries gsiChannels): the sweep's list.
      { name: 'byChannels', partitionKey: S('gsiChannels'), sortKey: S('channel'), projection: 'KEYS_ONLY' },
    ],
  },
  {
    id: 'outbox',
    envVar: 'TABLE_OUTBOX',
    partitionKey: S('id'),
    ttlAttribute: 'expiresAt',
    stream: 'NEW_IMAGE',
    purpose:
      'Workflow signals (wake a waiting lifecycle, start one, a calendar year loaded), written in the same transaction as ' +
      'the change that causes them; its stream feeds wake-workflow, so no committed change can miss its workflow.',
    indexes: [],
  },
];
