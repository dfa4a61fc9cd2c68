// The inventory module's routes and scheduled job: resource inventories 要素保障, reservations, matching and the
// pre-work fund. One declaration each (path, roles, schemas, tables, handler), read by route(), the catalog, OpenAPI,
// CDK, the local server and the bench.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute, declareTask } from '#kernel/declarations.ts';
import { PageQuery } from '#kernel/http/schemas.ts';
import { PROJECT_CHANGE } from '#projects/routes.ts';
import { ProjectIdParams } from '#projects/schemas.ts';
import { FUND_READERS } from './domain/fund.ts';
import * as S from './schemas.ts';

// Grant sets as named constants (a spread inside a declaration would keep it in every bundle that imports this file).
/** An owner's new record: the record, its natural key, its audit history, the count of writes naming its park. */
const RECORD_WRITE = { inventory: 'RW', audit: 'W', idempotency: 'RW', reference: 'RW' } as const;
/** A confirmation of a record: its history read to answer with it. */
const RECORD_EDIT = { inventory: 'RW', audit: 'RW', idempotency: 'RW', reference: 'R' } as const;
/** An edit of a record: as a confirmation, and the count of writes naming the park it moves to or comes back in. */
const RECORD_PATCH = { ...RECORD_EDIT, reference: 'RW' } as const;
/** A reservation or allocation: the project's unit of work and the inventory item it draws on, in one transaction. */
const HOLDING_WRITE = { ...PROJECT_CHANGE, inventory: 'RW', idempotency: 'RW', reference: 'R' } as const;
/** A release tells the projects in 招商签约 that could use what it frees: it reads the ledger (inventory/reuse.ts). */
const RELEASE_WRITE = { ...HOLDING_WRITE, ledger: 'RW' } as const;
/** Spending and releasing an allocation read no configuration. */
const FUND_WRITE = { ...PROJECT_CHANGE, inventory: 'RW', idempotency: 'RW' } as const;

export const inventorySummary = /* @__PURE__ */ declareRoute({
  name: 'inventory-summary',
  entry: 'inventory/http/inventory-summary.ts',
  description: 'Inventory 要素清单 at a glance: per kind, records available, reserved and stale',
  method: 'GET',
  path: '/inventory',
  summary: 'Inventory summary',
  auth: STAFF_ROLES,
  response: ZONEFLOW_DOCS ? S.inventorySummary : undefined,
  tables: { inventory: 'R', reference: 'R' },
});

export const listInventory = /* @__PURE__ */ declareRoute({
  name: 'list-inventory',
  entry: 'inventory/http/list-inventory.ts',
  description: 'A kind of inventory, paged and filtered by park, status, staleness and facts',
  method: 'GET',
  path: '/inventory/{kind}',
  summary: 'List an inventory',
  auth: STAFF_ROLES,
  params: S.KindParams,
  query: S.InventoryQuery,
  response: ZONEFLOW_DOCS ? S.resourcePage : undefined,
  tables: { inventory: 'R', reference: 'R' },
});

export const createResource = /* @__PURE__ */ declareRoute({
  name: 'create-resource',
  entry: 'inventory/http/create-resource.ts',
  description: 'Adds a record to an inventory (its owners: configuration inventory.kinds)',
  method: 'POST',
  path: '/inventory/{kind}',
  summary: 'Add an inventory record',
  etag: true,
  location: 'The new record: /inventory/{kind}/{id}',
  auth: STAFF_ROLES,
  params: S.KindParams,
  body: S.ResourceBody,
  response: ZONEFLOW_DOCS ? S.resourceView : undefined,
  status: 201,
  idempotent: true,
  tables: RECORD_WRITE,
});

export const getResource = /* @__PURE__ */ declareRoute({
  name: 'get-resource',
  entry: 'inventory/http/get-resource.ts',
  description: 'One inventory record with its history',
  method: 'GET',
  path: '/inventory/{kind}/{id}',
  summary: 'Get an inventory record',
  auth: STAFF_ROLES,
  params: S.ResourceParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.resourceView : undefined,
  etag: true,
  tables: { inventory: 'R', audit: 'R', reference: 'R' },
});

export const updateResource = /* @__PURE__ */ declareRoute({
  name: 'update-resource',
  entry: 'inventory/http/update-resource.ts',
  description: 'An owner edits a record (If-Match); confirms it for the period',
  method: 'PATCH',
  path: '/inventory/{kind}/{id}',
  summary: 'Edit an inventory record',
  auth: STAFF_ROLES,
  params: S.ResourceParams,
  body: S.PatchBody,
  response: ZONEFLOW_DOCS ? S.resourceView : undefined,
  idempotent: true,
  ifMatch: 'required',
  tables: RECORD_PATCH,
});

export const confirmResource = /* @__PURE__ */ declareRoute({
  name: 'confirm-resource',
  entry: 'inventory/http/confirm-resource.ts',
  description: 'An owner confirms a record is current 季度更新 (clears stale; once a day while nothing changes)',
  method: 'POST',
  path: '/inventory/{kind}/{id}/confirm',
  summary: 'Confirm an inventory record',
  auth: STAFF_ROLES,
  params: S.ResourceParams,
  body: S.ConfirmBody,
  response: ZONEFLOW_DOCS ? S.resourceView : undefined,
  idempotent: true,
  ifMatch: 'optional',
  tables: RECORD_EDIT,
});

export const listReservations = /* @__PURE__ */ declareRoute({
  name: 'list-reservations',
  entry: 'inventory/http/list-reservations.ts',
  description: "A project's reservations, released ones too",
  method: 'GET',
  path: '/projects/{id}/reservations',
  summary: 'Reservations of a project',
  etag: 'project',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.reservationList : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const getReservation = /* @__PURE__ */ declareRoute({
  name: 'get-reservation',
  entry: 'inventory/http/get-reservation.ts',
  description: "One reservation of a project (where a new reservation's Location points)",
  method: 'GET',
  path: '/projects/{id}/reservations/{rid}',
  summary: 'Get a reservation',
  etag: 'project',
  auth: STAFF_ROLES,
  params: S.ReservationParams,
  response: ZONEFLOW_DOCS ? S.reservationView : undefined,
  tables: { projects: 'R' },
});

export const reserveResource = /* @__PURE__ */ declareRoute({
  name: 'reserve-resource',
  entry: 'inventory/http/reserve-resource.ts',
  description: 'Reserves a parcel, facility or quota amount for a project, atomically; 409 when it would overbook',
  method: 'POST',
  path: '/projects/{id}/reservations',
  summary: 'Reserve a resource',
  location: 'The new reservation: /projects/{id}/reservations/{rid}',
  auth: ['park_center', 'resources_bureau'],
  params: ProjectIdParams,
  body: S.ReservationBody,
  response: ZONEFLOW_DOCS ? S.reservedView : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  etag: 'project',
  tables: HOLDING_WRITE,
});

export const releaseReservation = /* @__PURE__ */ declareRoute({
  name: 'release-reservation',
  entry: 'inventory/http/release-reservation.ts',
  description: 'Releases a reservation: the resource goes back to the inventory; fitting SIGNING projects are told',
  method: 'DELETE',
  path: '/projects/{id}/reservations/{rid}',
  summary: 'Release a reservation',
  auth: ['park_center', 'resources_bureau'],
  params: S.ReservationParams,
  query: S.ReleaseQuery,
  response: ZONEFLOW_DOCS ? S.reservationView : undefined,
  idempotent: true,
  ifMatch: 'optional',
  etag: 'project',
  tables: RELEASE_WRITE,
});

export const matchResources = /* @__PURE__ */ declareRoute({
  name: 'match-resources',
  entry: 'inventory/http/match-resources.ts',
  description: "Available facilities or parcels ranked against a project's needs, with reasons",
  method: 'GET',
  path: '/projects/{id}/matches',
  summary: 'Match resources to a project',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  query: S.MatchQuery,
  response: ZONEFLOW_DOCS ? S.matchList : undefined,
  // reference R: the inventory configuration's refresh periods (whether a candidate is confirmed for its period).
  tables: { projects: 'R', inventory: 'R', reference: 'R' },
});

export const getFunds = /* @__PURE__ */ declareRoute({
  name: 'get-funds',
  entry: 'inventory/http/get-funds.ts',
  description: "The pre-work fund's buckets of a year: budget, allocated, spent, remaining. An open year shows every configured bucket; a year not open only the accounts drawn on it (none: buckets [], totals 0)",
  method: 'GET',
  path: '/funds/{year}',
  summary: 'Pre-work fund of a year',
  auth: FUND_READERS,
  params: S.YearParams,
  response: ZONEFLOW_DOCS ? S.fundsView : undefined,
  tables: { inventory: 'R', reference: 'R' },
});

export const listAllocations = /* @__PURE__ */ declareRoute({
  name: 'list-allocations',
  entry: 'inventory/http/list-allocations.ts',
  description: "A project's fund allocations and their spending",
  method: 'GET',
  path: '/projects/{id}/fund-allocations',
  summary: 'Fund allocations of a project',
  etag: 'project',
  auth: STAFF_ROLES,
  params: ProjectIdParams,
  query: PageQuery,
  response: ZONEFLOW_DOCS ? S.allocationList : undefined,
  tables: { projects: 'R', reference: 'R' },
});

export const getAllocation = /* @__PURE__ */ declareRoute({
  name: 'get-allocation',
  entry: 'inventory/http/get-allocation.ts',
  description: "One fund allocation of a project with its spending (where a new allocation's Location points)",
  method: 'GET',
  path: '/projects/{id}/fund-allocations/{aid}',
  summary: 'Get a fund allocation',
  etag: 'project',
  auth: STAFF_ROLES,
  params: S.AllocationParams,
  response: ZONEFLOW_DOCS ? S.allocationView : undefined,
  tables: { projects: 'R' },
});

export const allocateFund = /* @__PURE__ */ declareRoute({
  name: 'allocate-fund',
  entry: 'inventory/http/allocate-fund.ts',
  description: 'Allocates pre-work fund to a project from a bucket config/funds lists; 409 over the bucket',
  method: 'POST',
  path: '/projects/{id}/fund-allocations',
  summary: 'Allocate pre-work fund',
  location: 'The new allocation: /projects/{id}/fund-allocations/{aid}',
  auth: ['ops', 'committee_leader'],
  params: ProjectIdParams,
  body: S.AllocationBody,
  response: ZONEFLOW_DOCS ? S.allocationView : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  etag: 'project',
  tables: HOLDING_WRITE,
});

export const recordSpending = /* @__PURE__ */ declareRoute({
  name: 'record-spending',
  entry: 'inventory/http/record-spending.ts',
  description: 'Records spending against a fund allocation',
  method: 'POST',
  path: '/projects/{id}/fund-allocations/{aid}/spending',
  summary: 'Record fund spending',
  location: 'The allocation the spending is recorded on: /projects/{id}/fund-allocations/{aid}',
  auth: ['ops', 'committee_leader'],
  params: S.AllocationParams,
  body: S.SpendingBody,
  response: ZONEFLOW_DOCS ? S.allocationView : undefined,
  status: 201,
  idempotent: true,
  ifMatch: 'optional',
  etag: 'project',
  tables: FUND_WRITE,
});

export const releaseAllocation = /* @__PURE__ */ declareRoute({
  name: 'release-allocation',
  entry: 'inventory/http/release-allocation.ts',
  description: "Releases a fund allocation: its unspent part goes back to the bucket",
  method: 'DELETE',
  path: '/projects/{id}/fund-allocations/{aid}',
  summary: 'Release a fund allocation',
  auth: ['ops', 'committee_leader'],
  params: S.AllocationParams,
  query: S.ReleaseQuery,
  response: ZONEFLOW_DOCS ? S.allocationView : undefined,
  idempotent: true,
  ifMatch: 'optional',
  etag: 'project',
  tables: FUND_WRITE,
});

export const refreshInventory = /* @__PURE__ */ declareTask({
  kind: 'schedule',
  name: 'refresh-inventory',
  entry: 'inventory/steps/refresh-inventory.ts',
  description: 'Daily refresh duty 季度更新、动态清零: reminds owners before a period ends, flags unconfirmed records stale',
  tables: { inventory: 'RW', audit: 'W', inbox: 'W', reference: 'R' },
  schedule: { cron: { minute: '0', hour: '7' }, timeZone: 'Asia/Shanghai' },
});

export const ROUTES = [
  inventorySummary,
  listInventory,
  createResource,
  getResource,
  updateResource,
  confirmResource,
  listReservations,
  getReservation,
  reserveResource,
  releaseReservation,
  matchResources,
  getFunds,
  listAllocations,
  getAllocation,
  allocateFund,
  recordSpending,
  releaseAllocation,
];
export const TASKS = [refreshInventory];
