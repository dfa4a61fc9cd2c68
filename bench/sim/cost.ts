// The cost model of a simulated zone (issue 12): what the run measured (metering.ts), normalised per project-year,
// times the list prices of a price table (bench/aws-prices.json, or --prices) gives the monthly AWS bill of a zone of
// 1,000 or 10,000 projects, by service. Two kinds of cost: per project (every HTTP request, workflow step, stream
// consumer and the work of the daily jobs the projects cause: linear in the number of projects by construction — the
// growth runs measure whether the per-project-year counts stay flat), and per zone (a scheduled job fires as often
// whatever the zone's size: the every-minute delivery job 43,800 times a month — its idle invocation, measured, priced
// at that frequency, the work it does beyond idle the projects'; a daily job ~30 times a month — its invocations the
// zone's, the time and reads it spends over the zone's projects the projects'). Pure: no I/O, unit-tested (test/unit/simulation-cost.test.ts).
import { FUNCTIONS } from '../../functions/catalog.ts';
import type { MeteringReport } from './metering.ts';

interface Amount {
  readonly value: number;
  readonly unit?: string;
  readonly source?: string;
  readonly check?: string;
}

interface Price {
  /** null: no source gave it (the table prices what it can and says which services it leaves out). */
  readonly value: number | null;
  readonly unit?: string;
  readonly source?: string;
  readonly check?: string;
}

export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  readonly pricesTaken: string;
  /** Each function's memory is not here: it is the catalog's, as deployed (configuredMemoryMb). */
  readonly deployed: { readonly lambdaArchitecture: string; readonly logRetentionMonths: number };
  readonly prices: {
    readonly stepFunctionsStandardPerTransition: Price;
    readonly lambdaPerRequest: Price;
    readonly lambdaArmPerGbSecond: Price;
    readonly dynamodbOnDemandPerReadUnit: Price;
    readonly dynamodbOnDemandPerWriteUnit: Price;
    readonly dynamodbStoragePerGbMonth: Price;
    readonly apiGatewayHttpPerRequest: Price;
    readonly cloudwatchLogsIngestionPerGb: Price;
    readonly cloudwatchLogsStoragePerGbMonth: Price;
    readonly schedulerPerInvocation: Price;
  };
  readonly assumptions: {
    readonly lambdaPlatformLogBytesPerInvocation: Amount;
    readonly apiAccessLogBytesPerRequest: Amount;
    readonly stepFunctionsLogBytesPerHistoryEvent: Amount;
    readonly stepFunctionsEventsWithPayloadShare: Amount;
    readonly dynamodbStorageYearsPerProject: Amount;
  };
}

const PRICE_KEYS = ['stepFunctionsStandardPerTransition', 'lambdaPerRequest', 'lambdaArmPerGbSecond', 'dynamodbOnDemandPerReadUnit', 'dynamodbOnDemandPerWriteUnit', 'dynamodbStoragePerGbMonth', 'apiGatewayHttpPerRequest', 'cloudwatchLogsIngestionPerGb', 'cloudwatchLogsStoragePerGbMonth', 'schedulerPerInvocation'] as const satisfies readonly (keyof PriceTable['prices'])[];
const ASSUMPTION_KEYS = ['lambdaPlatformLogBytesPerInvocation', 'apiAccessLogBytesPerRequest', 'stepFunctionsLogBytesPerHistoryEvent', 'stepFunctionsEventsWithPayloadShare', 'dynamodbStorageYearsPerProject'] as const satisfies readonly (keyof PriceTable['assumptions'])[];
// Every price and assumption of the type is checked: a key added to PriceTable and not here fails to compile.
type Unchecked = Exclude<keyof PriceTable['prices'], (typeof PRICE_KEYS)[number]> | Exclude<keyof PriceTable['assumptions'], (typeof ASSUMPTION_KEYS)[number]>;
export const EVERY_PRICE_CHECKED: [Unchecked] extends [never] ? true : Unchecked = true;

/**
 * What is wrong with a price table read from a file (`--prices`), each as `path: why`; empty when it can price a run.
 * Checked before a run starts: a table found wanting after an hour's simulation would lose the run's figures.
 */
export function priceTableErrors(t: unknown): string[] {
  const errors: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const amount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (!obj(t)) return ['the file is not a JSON object'];
  for (const key of ['region', 'currency', 'pricesTaken'] as const) if (typeof t[key] !== 'string' || !t[key]) errors.push(`${key}: missing (a non-empty string)`);
  const deployed = obj(t.deployed) ? t.deployed : {};
  if (!obj(t.deployed)) errors.push('deployed: missing');
  if (!amount(deployed.logRetentionMonths)) errors.push('deployed.logRetentionMonths: must be a number ≥ 0');
  // Priced at each function's configured memory (the catalog's): a figure here would be believed and not used.
  if ('lambdaMemoryMb' in deployed) errors.push("deployed.lambdaMemoryMb: no longer read — each function is priced at its own configured memory (functions/kernel/memory.ts, the declarations' memoryMb): remove it");
  for (const [group, keys] of [['prices', PRICE_KEYS], ['assumptions', ASSUMPTION_KEYS]] as const) {
    const table = obj(t[group]) ? t[group] : undefined;
    if (!table) {
      errors.push(`${group}: missing`);
      continue;
    }
    for (const key of keys) {
      const price = table[key];
      if (!obj(price)) errors.push(`${group}.${key}: missing (an object { "value": number, … })`);
      // A price no source gave is null — never a 0, which would read as free — and its `check` must say so.
      else if (group === 'prices' && price.value === null) {
        if (typeof price.check !== 'string' || !/not found/i.test(price.check)) errors.push(`${group}.${key}.check: a price left null must say it was not found`);
      } else if (!amount(price.value)) errors.push(`${group}.${key}.value: must be a number ≥ 0${group === 'prices' ? ', or null when no source gave it' : ''}`);
    }
  }
  return errors;
}

/** Billable quantities: per project-year, or per zone and month. */
export interface Counts {
  stateTransitions: number;
  historyEvents: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  apiRequests: number;
  readUnits: number;
  writeUnits: number;
  /** Bytes CloudWatch Logs ingests: handler lines, Lambda platform lines, API access lines, Step Functions events. */
  logBytes: number;
  schedulerInvocations: number;
}

export type Service = 'stepFunctions' | 'lambda' | 'dynamodb' | 'apiGateway' | 'cloudwatchLogs' | 'scheduler';
export const SERVICES: readonly Service[] = ['stepFunctions', 'lambda', 'dynamodb', 'apiGateway', 'cloudwatchLogs', 'scheduler'];
export type ByService = Record<Service, number>;

export interface CostReport {
  readonly region: string;
  readonly currency: string;
  readonly pricesTaken: string;
  readonly projectYears: number;
  /** Per project-year: the measured counts, and DynamoDB bytes stored per project-year of records. */
  readonly perProjectYear: { readonly counts: Counts; readonly storageBytes: number; readonly cost: ByService; readonly total: number };
  /** Per zone and month, whatever its size: the every-minute job's idle invocations. */
  readonly zoneMonthly: { readonly counts: Counts; readonly cost: ByService; readonly total: number };
  /** The monthly bill of a steady zone of N projects: N/12 project-years a month plus the zone's own. */
  readonly monthly: readonly { readonly projects: number; readonly cost: ByService; readonly total: number }[];
  readonly notes: readonly string[];
  /** The table's prices no source gave (null): their part of the bill is left out, so every total is a lower bound. */
  readonly unpriced: readonly string[];
  /** The services some of whose prices are unpriced: their figures, and every total, are at least what is shown. */
  readonly incomplete: readonly Service[];
}

/** Which service each price bills. */
const SERVICE_OF: Record<(typeof PRICE_KEYS)[number], Service> = {
  stepFunctionsStandardPerTransition: 'stepFunctions',
  lambdaPerRequest: 'lambda',
  lambdaArmPerGbSecond: 'lambda',
  dynamodbOnDemandPerReadUnit: 'dynamodb',
  dynamodbOnDemandPerWriteUnit: 'dynamodb',
  dynamodbStoragePerGbMonth: 'dynamodb',
  apiGatewayHttpPerRequest: 'apiGateway',
  cloudwatchLogsIngestionPerGb: 'cloudwatchLogs',
  cloudwatchLogsStoragePerGbMonth: 'cloudwatchLogs',
  schedulerPerInvocation: 'scheduler',
};

/** The prices a table leaves null, and the services they belong to. */
export function unpricedOf(t: PriceTable): { unpriced: string[]; incomplete: Service[] } {
  const unpriced = PRICE_KEYS.filter((k) => t.prices[k].value === null);
  return { unpriced, incomplete: SERVICES.filter((s) => unpriced.some((k) => SERVICE_OF[k] === s)) };
}

const GB = 1024 ** 3;
const zero = (): Counts => ({ stateTransitions: 0, historyEvents: 0, lambdaInvocations: 0, lambdaGbSeconds: 0, apiRequests: 0, readUnits: 0, writeUnits: 0, logBytes: 0, schedulerInvocations: 0 });

/** A function's memory as the stack deploys it (MB): the catalog's. A name the catalog does not know cannot be priced. */
export function configuredMemoryMb(name: string): number {
  const spec = FUNCTIONS.find((f) => f.name === name);
  if (!spec) throw new Error(`no function ${name} in the catalog: its memory, and so its GB-seconds, are not known`);
  return spec.memoryMb;
}

/** Per project-year and per-zone-month quantities from one run's metering, each function at its configured memory. */
export function billableCounts(m: MeteringReport, t: PriceTable, memoryMbOf: (name: string) => number = configuredMemoryMb): { perProjectYear: Counts; storageBytesPerProjectYear: number; zoneMonthly: Counts } {
  const a = t.assumptions;
  const total = zero();
  const zone = zero();
  const idle = new Map(m.schedules.filter((s) => s.idle).map((s) => [s.name, s]));
  for (const [name, f] of Object.entries(m.lambda.functions)) {
    const gb = memoryMbOf(name) / 1024;
    const fixed = idle.get(name);
    if (fixed?.idle) {
      // On the fast clock this job fires far less often than every minute: its idle runs are the zone's, priced at AWS
      // frequency below; what it did beyond them (delivering the projects' notices) is the projects' work.
      const n = f.invocations;
      total.lambdaGbSeconds += (Math.max(0, f.durationMs - n * fixed.idle.ms) / 1000) * gb;
      total.readUnits -= n * fixed.idle.readUnits;
      total.writeUnits -= n * fixed.idle.writeUnits;
      total.logBytes += Math.max(0, f.logBytes - n * fixed.idle.logBytes);
      zone.lambdaInvocations += fixed.firingsPerMonth;
      zone.schedulerInvocations += fixed.firingsPerMonth;
      zone.lambdaGbSeconds += fixed.firingsPerMonth * (fixed.idle.ms / 1000) * gb;
      zone.readUnits += fixed.firingsPerMonth * fixed.idle.readUnits;
      zone.writeUnits += fixed.firingsPerMonth * fixed.idle.writeUnits;
      zone.logBytes += fixed.firingsPerMonth * (fixed.idle.logBytes + a.lambdaPlatformLogBytesPerInvocation.value);
      continue;
    }
    const daily = m.schedules.find((s) => s.name === name && s.atAwsFrequency);
    if (daily) {
      // Fired once a business day on the fast clock as on AWS: a zone of any size has as many firings (requests,
      // scheduler invocations, platform log lines); their time, reads, writes and log lines grow with its projects.
      total.lambdaGbSeconds += (f.durationMs / 1000) * gb;
      total.logBytes += f.logBytes;
      zone.lambdaInvocations += daily.firingsPerMonth;
      zone.schedulerInvocations += daily.firingsPerMonth;
      zone.logBytes += daily.firingsPerMonth * a.lambdaPlatformLogBytesPerInvocation.value;
      continue;
    }
    total.lambdaInvocations += f.invocations;
    total.lambdaGbSeconds += (f.durationMs / 1000) * gb;
    total.logBytes += f.logBytes + f.invocations * a.lambdaPlatformLogBytesPerInvocation.value;
    if (f.kind === 'http') total.apiRequests += f.invocations;
    if (f.kind === 'schedule') total.schedulerInvocations += f.invocations;
  }
  total.readUnits += m.dynamodb.readUnits;
  total.writeUnits += m.dynamodb.writeUnits + m.dynamodb.refusedWriteUnits;
  total.logBytes += total.apiRequests * a.apiAccessLogBytesPerRequest.value;
  total.stateTransitions = m.stepFunctions.stateTransitions;
  total.historyEvents = m.stepFunctions.historyEvents;
  total.logBytes += m.stepFunctions.historyEvents * (a.stepFunctionsLogBytesPerHistoryEvent.value + a.stepFunctionsEventsWithPayloadShare.value * m.stepFunctions.meanMaxPayloadBytes);
  const years = m.projects.projectYears;
  const perProjectYear = zero();
  for (const k of Object.keys(total) as (keyof Counts)[]) perProjectYear[k] = years > 0 ? Math.max(0, total[k]) / years : 0;
  return { perProjectYear, storageBytesPerProjectYear: years > 0 ? m.dynamodb.storageBytes / years : 0, zoneMonthly: zone };
}

/** What `c` costs at the table's prices (logs: ingestion, plus the storage they occupy once retention is full). */
export function price(c: Counts, storageGbMonths: number, t: PriceTable): ByService {
  // An unpriced (null) price adds nothing: the report names it, and its totals are lower bounds.
  const p = Object.fromEntries(PRICE_KEYS.map((k) => [k, { value: t.prices[k].value ?? 0 }])) as Record<(typeof PRICE_KEYS)[number], { value: number }>;
  const logGb = c.logBytes / GB;
  return {
    stepFunctions: c.stateTransitions * p.stepFunctionsStandardPerTransition.value,
    lambda: c.lambdaInvocations * p.lambdaPerRequest.value + c.lambdaGbSeconds * p.lambdaArmPerGbSecond.value,
    dynamodb: c.readUnits * p.dynamodbOnDemandPerReadUnit.value + c.writeUnits * p.dynamodbOnDemandPerWriteUnit.value + storageGbMonths * p.dynamodbStoragePerGbMonth.value,
    apiGateway: c.apiRequests * p.apiGatewayHttpPerRequest.value,
    cloudwatchLogs: logGb * p.cloudwatchLogsIngestionPerGb.value + logGb * t.deployed.logRetentionMonths * p.cloudwatchLogsStoragePerGbMonth.value,
    scheduler: c.schedulerInvocations * p.schedulerPerInvocation.value,
  };
}

const sum = (b: ByService) => SERVICES.reduce((n, s) => n + b[s], 0);
const scale = (c: Counts, f: number): Counts => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v * f])) as unknown as Counts;
const add = (a: ByService, b: ByService): ByService => Object.fromEntries(SERVICES.map((s) => [s, a[s] + b[s]])) as ByService;

/** The cost report of a run: per project-year, per zone-month, and the monthly bill of zones of `sizes` projects. */
export function costOf(m: MeteringReport, t: PriceTable, sizes: readonly number[] = [1000, 10_000]): CostReport {
  const { perProjectYear, storageBytesPerProjectYear, zoneMonthly } = billableCounts(m, t);
  const storageYears = t.assumptions.dynamodbStorageYearsPerProject.value;
  // A project-year's records are stored for a year of months; the logs a project-year writes are priced with their
  // retention inside price() (ingestion per month × retention months held at steady state).
  const projectYearCost = price(perProjectYear, (storageBytesPerProjectYear / GB) * storageYears * 12, t);
  const zoneCost = price(zoneMonthly, 0, t);
  const monthly = sizes.map((n) => {
    const perMonth = price(scale(perProjectYear, n / 12), (storageBytesPerProjectYear * storageYears * n) / GB, t);
    const cost = add(perMonth, zoneCost);
    return { projects: n, cost, total: sum(cost) };
  });
  return {
    region: t.region,
    currency: t.currency,
    pricesTaken: t.pricesTaken,
    projectYears: m.projects.projectYears,
    perProjectYear: { counts: perProjectYear, storageBytes: storageBytesPerProjectYear, cost: projectYearCost, total: sum(projectYearCost) },
    zoneMonthly: { counts: zoneMonthly, cost: zoneCost, total: sum(zoneCost) },
    monthly,
    ...unpricedOf(t),
    notes: [
      'Linear in projects by construction: the growth runs (npm run simulate:growth) show whether the per-project-year counts stay flat across zone sizes.',
      'Lambda GB-seconds are handler durations on one shared local event loop (an upper bound of what Lambda would bill).',
      'No free tiers, no data transfer, no Cognito, KMS, X-Ray, alarms or dashboards (per zone, not per project).',
      `DynamoDB storage: ${storageYears} years of a project's records held per project (assumption); CloudWatch Logs stored raw for ${t.deployed.logRetentionMonths} months (an upper bound: AWS bills compressed bytes).`,
    ],
  };
}
