// Infra specification: the synthesized Zoneflow stack checked against the catalogs (functions, tables, ASL) and cdk-nag.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { projectionOf, TABLES, type TableDef } from '../../functions/kernel/store/tables.ts';
import { ROUTES, FUNCTIONS, gatewayMethods, type Access } from '../../functions/catalog.ts';
import { ROLES } from '../../functions/kernel/domain/codes.ts';
import { createZoneflowApp } from '../../infra/zoneflow-app.ts';
import type { ZoneflowStack } from '../../infra/zoneflow-stack.ts';
import type { App } from 'aws-cdk-lib';
import { flatten, mergedTemplate, stackTemplates, type StackTemplate } from './templates.ts';
import { moduleOf } from '../../infra/constructs/module-stack.ts';
import { filterMatches } from '../support/log-filter.ts';
import { Conflict } from '../../functions/kernel/domain/errors.ts';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties: Json;
  DeletionPolicy?: string;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

// What the brief grants per access level, written here independently of infra/ so a wrong grant fails.
const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const APPEND = ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem'];
const ITEM_WRITE = ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

function expectedGrant(access: Access, def: TableDef): { table: string[]; index: string[] } {
  const reads = access === 'W' ? [] : READ;
  const writes = access === 'R' ? [] : access === 'W' || def.appendOnly ? APPEND : ITEM_WRITE;
  return { table: [...new Set([...reads, ...writes])].sort(), index: [...reads].sort() };
}

// Actions that only support Resource "*" (X-Ray, Logs vended delivery, task-token callbacks).
const STAR_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'states:SendTaskSuccess',
  'dynamodb:ListStreams',
]);

// Reading a table's stream (the event source mapping's rights), checked apart from item access.
const STREAM_ACTIONS = new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);

const ENV = { account: '123456789012', region: 'ap-southeast-1' };
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };

let outdir: string;
let app: App;
let stack: ZoneflowStack;
/** The stack's template and its nested stacks'. */
let templates: StackTemplate;
/** Every template merged into one (templates.ts): assertions over the whole application, wherever a resource sits. */
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'zoneflow-cdk-'));
  ({ app, stack } = createZoneflowApp({ context: { ...cdkJson.context, mailFrom: 'noreply@zone.example.cn', robotHostsAllowed: 'gw.zone.example.cn' }, outdir, env: ENV }));
  // One synth (it bundles every function); cdk-nag runs inside it and throws on any unacknowledged finding.
  templates = stackTemplates(stack);
  template = Template.fromJSON(mergedTemplate(templates));
  resources = template.toJSON().Resources as Record<string, Resource>;
  // One synth bundles ~70 functions with esbuild: about a minute alone, three on a busy shared 2-core machine (a CI run
  // with other work beside it hit 180 s); the bound only stops a hang.
}, 480_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const actions = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const resourceList = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** CDK's bucket-deployment function (the console's files): the one Lambda that is not a catalog function. */
function consoleDeploymentFunction(): string {
  const found = ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith('CustomCDKBucketDeployment'));
  expect(found).toHaveLength(1);
  return found[0]![0];
}

/** The statements of the console deployment's role (infra/constructs/console.ts). */
function consoleDeploymentStatements(): Statement[] {
  const role = (resources[consoleDeploymentFunction()]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(role))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/**
 * The lines a state machine's step puts in its log group, by the product's own logging code on Lambda's JSON log format
 * (infra deploys every function so): a bug (`failed`), and an error its machine retries (`retried`: a refusal by name,
 * a transient fault). Each console call is wrapped as Lambda's Node.js runtime records it, its lone argument kept as
 * `message` (test/unit/log.test.ts).
 */
async function stepLines(): Promise<{ failed: string[]; retried: string[] }> {
  vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
  vi.resetModules();
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const { workflowStep } = await import('../../functions/kernel/runtime/faults.ts');
    const input = { projectId: 'prj-1', executionName: 'prj-1-SIGNING-1' };
    const throwing = (err: Error) => workflowStep(() => Promise.reject(err))(input).catch(() => undefined);
    await throwing(new TypeError("Cannot read properties of undefined (reading 'stage')"));
    await throwing(new Conflict('The gate is decided already'));
    await throwing(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const record = (level: string) => (args: unknown[]) => JSON.stringify({ timestamp: '2026-12-01T02:00:00.000Z', level, requestId: 'r-1', message: args[0] });
    return { failed: error.mock.calls.map(record('ERROR')), retried: warn.mock.calls.map(record('WARN')) };
  } finally {
    error.mockRestore();
    warn.mockRestore();
    vi.unstubAllEnvs();
    vi.resetModules();
  }
}

function logicalId(type: string, property: string, value: unknown): string {
  const found = ofType(type).filter(([, resource]) => resource.Properties[property] === value);
  expect(found, `${type} with ${property}=${String(value)}`).toHaveLength(1);
  return (found[0] as [string, Resource])[0];
}

const functionId = (name: string): string => logicalId('AWS::Lambda::Function', 'FunctionName', `${stack.stackName}-${name}`);
const tableId = (id: string): string => logicalId('AWS::DynamoDB::GlobalTable', 'TableName', `${stack.stackName}-${id}`);
const fnProps = (name: string): Json => (resources[functionId(name)] as Resource).Properties;
const env = (name: string): Json =>
  ((fnProps(name).Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Json;

/** Every statement attached to a function's role: inline policies and the AWS::IAM::Policy resources naming it. */
function roleStatements(name: string): Statement[] {
  const roleRef = (fnProps(name).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = resources[roleRef] as Resource;
  const inline = ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleRef))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

/** Every IAM statement in the template: roles' inline policies and policy resources. */
function allStatements(): Statement[] {
  return Object.values(resources).flatMap((resource) => {
    if (resource.Type === 'AWS::IAM::Policy') {
      return (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    }
    if (resource.Type === 'AWS::IAM::Role') {
      return ((resource.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      );
    }
    return [];
  });
}

/** A DynamoDB resource as [table logical id, index name or undefined]; anything else is unexpected. */
function dynamoTarget(resource: unknown): [string, string | undefined] {
  const getAtt = (value: unknown): string | undefined => {
    const att = (value as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'];
    return att && att[1] === 'Arn' ? att[0] : undefined;
  };
  const table = getAtt(resource);
  if (table) return [table, undefined];
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  if (join && join[0] === '' && join[1].length === 2) {
    const [arn, suffix] = join[1];
    const joined = getAtt(arn);
    const index = typeof suffix === 'string' ? /^\/index\/([A-Za-z0-9_.-]+)$/.exec(suffix)?.[1] : undefined;
    if (joined && index) return [joined, index];
  }
  throw new Error(`unexpected DynamoDB resource ${JSON.stringify(resource)}`);
}

/** Actions granted per table and per index, keyed by table logical id. */
function dynamoGrants(statements: Statement[]): Map<string, { table: Set<string>; indexes: Map<string, Set<string>> }> {
  const grants = new Map<string, { table: Set<string>; indexes: Map<string, Set<string>> }>();
  for (const statement of statements) {
    const dynamo = actions(statement).filter((action) => action.startsWith('dynamodb:') && !STREAM_ACTIONS.has(action));
    if (statement.Effect !== 'Allow' || dynamo.length === 0) continue;
    for (const resource of resourceList(statement)) {
      const [table, index] = dynamoTarget(resource);
      const grant = grants.get(table) ?? { table: new Set<string>(), indexes: new Map<string, Set<string>>() };
      grants.set(table, grant);
      const target = index === undefined ? grant.table : grant.indexes.get(index) ?? new Set<string>();
      if (index !== undefined) grant.indexes.set(index, target);
      dynamo.forEach((action) => target.add(action));
    }
  }
  return grants;
}

describe('tables follow functions/kernel/store/tables.ts', () => {
  it.each(TABLES.map((def) => [def.id, def] as const))('%s has its key schema, indexes and protections', (_id, def) => {
    const table = resources[tableId(def.id)] as Resource;
    const keySchema = [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    expect(table.Properties.KeySchema).toEqual(keySchema);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const [replica] = table.Properties.Replicas as Json[];
    expect(replica?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(replica?.DeletionProtectionEnabled).toBe(true);

    const keyTypes = [def.partitionKey, def.sortKey, ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]
      .filter((key) => key !== undefined)
      .map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
    expect(table.Properties.AttributeDefinitions).toEqual(expect.arrayContaining(keyTypes));

    const indexes = ((table.Properties.GlobalSecondaryIndexes ?? []) as Json[]).map((gsi) => ({
      name: gsi.IndexName,
      keys: gsi.KeySchema,
      projection: gsi.Projection,
    }));
    expect(indexes).toEqual(
      def.indexes.map((index) => ({
        name: index.name,
        keys: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        projection: {
          ProjectionType: projectionOf(index).type,
          ...(projectionOf(index).nonKeyAttributes ? { NonKeyAttributes: projectionOf(index).nonKeyAttributes } : {}),
        },
      })),
    );

    expect(table.Properties.TimeToLiveSpecification).toEqual(
      def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined,
    );
    expect(table.Properties.StreamSpecification).toEqual(def.stream ? { StreamViewType: def.stream } : undefined);
  });

  it('expires idempotency records through TTL', () => {
    const idempotency = TABLES.find((def) => def.id === 'idempotency');
    expect(idempotency?.ttlAttribute).toBeDefined();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: `${stack.stackName}-idempotency`,
      TimeToLiveSpecification: { AttributeName: idempotency?.ttlAttribute, Enabled: true },
    });
  });
});

describe('functions follow functions/catalog.ts', () => {
  it('creates exactly one Lambda per catalog entry, and besides them only CDK’s deployment of the console files', () => {
    const catalog = new Set(FUNCTIONS.map((f) => functionId(f.name)));
    expect(catalog.size).toBe(FUNCTIONS.length);
    expect(ofType('AWS::Lambda::Function').filter(([id]) => !catalog.has(id)).map(([id]) => id)).toEqual([consoleDeploymentFunction()]);
  });

  it.each(FUNCTIONS.map((spec) => [spec.name, spec] as const))('%s runs on nodejs22.x arm64 with house defaults', (name, spec) => {
    const props = fnProps(name);
    expect(props.Runtime).toBe('nodejs22.x');
    expect(props.Architectures).toEqual(['arm64']);
    // Its catalog memory: measured, with a margin (functions/kernel/memory.ts, bench memory section).
    expect(props.MemorySize).toBe(spec.memoryMb);
    expect(props.Timeout).toBe(spec.onDeploy ? 900 : spec.schedule ? 300 : spec.aslPlaceholder || spec.consumes ? 30 : 10);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
    expect(props.Handler).toBe('index.handler');
    expect(env(name)).not.toHaveProperty('NODE_OPTIONS');
    // The configuration in force kept 30 s by a warm function (functions/reference/store/reference.ts).
    expect(env(name).REFERENCE_CACHE_SECONDS).toBe('30');
    // A DynamoDB request unanswered for 2 s is abandoned and retried (functions/kernel/store/client.ts).
    expect(env(name).DYNAMODB_REQUEST_TIMEOUT_MS).toBe('2000');
    // A park named in the last 5 s is not dropped (functions/reference/store/park-names.ts: GSIs settle).
    expect(env(name).PARK_SETTLE_MS).toBe('5000');
  });

  it.each(FUNCTIONS.map((spec) => [spec.name, spec] as const))('%s gets exactly the table access the catalog gives it', (name, spec) => {
    const grants = dynamoGrants(roleStatements(name));
    const expectedTables = new Set<string>();
    for (const def of TABLES) {
      const access = spec.tables[def.id];
      const id = tableId(def.id);
      if (!access) {
        expect(grants.has(id), `${name} must not touch ${def.id}`).toBe(false);
        expect(env(name)).not.toHaveProperty(def.envVar);
        continue;
      }
      expectedTables.add(id);
      const expected = expectedGrant(access, def);
      const grant = grants.get(id);
      expect([...(grant?.table ?? [])].sort(), `${name} on ${def.id} (${access})`).toEqual(expected.table);
      for (const index of def.indexes) {
        expect([...(grant?.indexes.get(index.name) ?? [])].sort(), `${name} on ${def.id}/${index.name}`).toEqual(
          expected.index,
        );
      }
      expect([...(grant?.indexes.keys() ?? [])].every((index) => def.indexes.some((i) => i.name === index))).toBe(true);
      expect(env(name)[def.envVar]).toEqual({ Ref: id });
    }
    expect([...grants.keys()].sort()).toEqual([...expectedTables].sort());
  });

  it('lets list-projects query the ledger but never write it', () => {
    const grants = dynamoGrants(roleStatements('list-projects')).get(tableId('projects'));
    expect(grants?.table.has('dynamodb:Query')).toBe(true);
    expect(grants?.table.has('dynamodb:PutItem')).toBe(false);
    expect(grants?.table.has('dynamodb:UpdateItem')).toBe(false);
  });

  it('never lets anyone update or delete audit records (append-only tables)', () => {
    const appendOnly = TABLES.filter((def) => def.appendOnly).map((def) => tableId(def.id));
    expect(appendOnly.length).toBeGreaterThan(0);
    const grants = dynamoGrants(allStatements());
    for (const id of appendOnly) {
      const grant = grants.get(id);
      const granted = [...(grant?.table ?? []), ...[...(grant?.indexes.values() ?? [])].flatMap((set) => [...set])];
      expect(granted).not.toContain('dynamodb:UpdateItem');
      expect(granted).not.toContain('dynamodb:DeleteItem');
      expect(granted).not.toContain('dynamodb:BatchWriteItem');
    }
  });

  it('has no Scan and no wildcard action in any policy', () => {
    for (const statement of allStatements()) {
      for (const action of actions(statement)) {
        expect(action).not.toBe('dynamodb:Scan');
        expect(action).not.toMatch(/^(dynamodb:)?\*$/);
        expect(action.endsWith(':*'), action).toBe(false);
      }
    }
  });

  it('uses Resource "*" only for actions that support nothing narrower (and CDK’s CloudFront invalidation of the console)', () => {
    const deployment = consoleDeploymentStatements();
    expect(deployment.filter((st) => resourceList(st).includes('*')).flatMap(actions).sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
    for (const statement of allStatements().filter((st) => !deployment.some((d) => JSON.stringify(d) === JSON.stringify(st)))) {
      if (resourceList(statement).includes('*')) {
        expect(actions(statement).filter((action) => !STAR_ONLY_ACTIONS.has(action))).toEqual([]);
      }
    }
  });

  it('writes logs only to the function’s own log group, without the managed basic execution role', () => {
    for (const spec of FUNCTIONS) {
      const logGroup = (fnProps(spec.name).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logStatements = roleStatements(spec.name).filter((s) => actions(s).some((a) => a.startsWith('logs:')));
      expect(logStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        },
      ]);
    }
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('names each function’s log group as Lambda would, /aws/lambda/<function name>, for the operator to find it', () => {
    for (const spec of FUNCTIONS) {
      const logGroup = resources[(fnProps(spec.name).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref] as Resource;
      expect(fnProps(spec.name).FunctionName).toMatch(new RegExp(`^Zoneflow(-[a-z0-9]+)?-${spec.name}$`));
      expect(logGroup.Properties.LogGroupName).toBe(`/aws/lambda/${fnProps(spec.name).FunctionName as string}`);
    }
  });
});

describe.each([
  ['lifecycle', 'ProjectLifecycle', 'project-lifecycle.asl.json'],
  ['exit', 'ProjectExit', 'project-exit.asl.json'],
] as const)('the %s state machine', (id, suffix, file) => {
  const tasks = FUNCTIONS.filter((spec) => spec.aslPlaceholder && spec.machine === id);
  const machine = (): Json => {
    const found = ofType('AWS::StepFunctions::StateMachine').filter(([, r]) => r.Properties.StateMachineName && JSON.stringify(r.Properties.StateMachineName).includes(`-${suffix}`));
    expect(found).toHaveLength(1);
    return (found[0] as [string, Resource])[1].Properties;
  };

  it('is a Standard machine with full logging and X-Ray', () => {
    expect(ofType('AWS::StepFunctions::StateMachine')).toHaveLength(2);
    expect(machine()).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('is the ASL file verbatim, each placeholder bound to its catalog function', () => {
    const asl = readFileSync(new URL(`../../statemachines/${file}`, import.meta.url), 'utf8');
    expect(machine().DefinitionString).toBe(asl);
    const substitutions = machine().DefinitionSubstitutions as Json;
    expect(tasks.length).toBeGreaterThan(0);
    expect(Object.keys(substitutions).sort()).toEqual(tasks.map((spec) => spec.aslPlaceholder).sort());
    for (const spec of tasks) {
      expect(asl).toContain(`\${${spec.aslPlaceholder}}`);
      expect(substitutions[spec.aslPlaceholder as string]).toEqual({ 'Fn::GetAtt': [functionId(spec.name), 'Arn'] });
    }
  });

  it('may invoke exactly its workflow functions', () => {
    const roleRef = (machine().RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleRef))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => actions(statement).includes('lambda:InvokeFunction'))
      .flatMap(resourceList);
    expect(invoked).toEqual(
      expect.arrayContaining(tasks.map((spec) => ({ 'Fn::GetAtt': [functionId(spec.name), 'Arn'] }))),
    );
    expect(invoked).toHaveLength(tasks.length);
  });
});

describe('workflow rights', () => {
  it.each(FUNCTIONS.map((spec) => [spec.name, spec] as const))('%s has the workflow rights of its catalog entry', (name, spec) => {
    const rights = spec.workflow ?? [];
    const granted = roleStatements(name).flatMap(actions).filter((action) => action.startsWith('states:'));
    const expected = [
      ...(rights.includes('start') ? ['states:StartExecution', 'states:DescribeExecution'] : []),
      ...(rights.includes('describe') ? ['states:DescribeStateMachine'] : []),
      ...(rights.includes('observe') ? ['states:DescribeExecution'] : []),
      // A wait is only ever ended with success (functions/kernel/workflow/sfn.ts sends nothing else).
      ...(rights.includes('callback') ? ['states:SendTaskSuccess'] : []),
      ...(rights.includes('exit') ? ['states:StartExecution', 'states:DescribeExecution', 'states:RedriveExecution'] : []),
    ];
    // Statements with the same actions may be merged (one StartExecution over both machines): compare the action sets.
    expect([...new Set(granted)].sort()).toEqual([...new Set(expected)].sort());
    if (rights.some((r) => r !== 'exit')) {
      const arn = JSON.stringify(env(name).STATE_MACHINE_ARN);
      expect(arn).toContain(`:stateMachine:${stack.stackName}-ProjectLifecycle`);
    } else {
      expect(env(name)).not.toHaveProperty('STATE_MACHINE_ARN');
    }
    if (rights.includes('exit')) expect(JSON.stringify(env(name).EXIT_STATE_MACHINE_ARN)).toContain(`:stateMachine:${stack.stackName}-ProjectExit`);
    else expect(env(name)).not.toHaveProperty('EXIT_STATE_MACHINE_ARN');
  });

  it('records failed exit executions: a rule on the exit machine status changes targets the failure recorder', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    const recorder = FUNCTIONS.filter((f) => f.failureOf === 'exit');
    expect(recorder).toHaveLength(1);
    const rule = rules.find((r) => JSON.stringify(r.EventPattern).includes('Step Functions Execution Status Change'));
    expect(rule).toBeDefined();
    expect(rule!.EventPattern).toMatchObject({ source: ['aws.states'], detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] } });
    expect(JSON.stringify((rule!.EventPattern as Json).detail)).toContain(`${stack.stackName}-ProjectExit`);
    expect(JSON.stringify(rule!.Targets)).toContain(functionId(recorder[0]!.name));
    expect(JSON.stringify(rule!.Targets)).toContain('DeadLetterConfig');
  });
});

describe('the outbox stream', () => {
  const consumers = FUNCTIONS.filter((spec) => spec.consumes);
  const mappings = () => ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);

  it('feeds exactly the catalog functions that consume a stream, one mapping each', () => {
    expect(consumers.map((spec) => spec.name)).toEqual(['wake-workflow', 'route-notifications']);
    expect(mappings().map((m) => (m.FunctionName as { Ref: string }).Ref).sort()).toEqual(
      consumers.map((spec) => functionId(spec.name)).sort(),
    );
  });

  it.each([
    ['outbox', 'wake-workflow'],
    ['inbox', 'route-notifications'],
  ])('the %s stream: only new items, retried from the failed record, what never succeeds parked in an encrypted queue', (table, fn) => {
    const mapping = mappings().find((m) => (m.FunctionName as { Ref: string }).Ref === functionId(fn));
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId(table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      MaximumRetryAttempts: 10,
    });
    const queueArn = (mapping?.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } }).OnFailure.Destination;
    const queue = resources[queueArn['Fn::GetAtt'][0]] as Resource;
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it.each(FUNCTIONS.map((spec) => [spec.name, spec] as const))('%s reads a stream only if it consumes one, and only that one', (name, spec) => {
    const streamStatements = roleStatements(name).filter((s) => actions(s).some((a) => STREAM_ACTIONS.has(a)));
    if (!spec.consumes) {
      expect(streamStatements).toEqual([]);
      return;
    }
    const scoped = streamStatements.filter((s) => !resourceList(s).includes('*'));
    expect(scoped.flatMap(actions).sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
    expect(scoped.flatMap(resourceList)).toEqual([{ 'Fn::GetAtt': [tableId(spec.consumes), 'StreamArn'] }]);
  });

  it('leaves Step Functions to wake-workflow: no HTTP function may start or call back a workflow (reading one is allowed)', () => {
    for (const spec of FUNCTIONS.filter((f) => f.routes.length > 0)) {
      const granted = roleStatements(spec.name).flatMap(actions).filter((a) => a.startsWith('states:') && a !== 'states:DescribeStateMachine' && a !== 'states:DescribeExecution');
      expect(granted, spec.name).toEqual([]);
    }
  });
});

describe('the HTTP API', () => {
  // A GET route has a HEAD route beside it, to the same function, with the same authorization.
  const routes = FUNCTIONS.flatMap((spec) => spec.routes.flatMap((route) => gatewayMethods(route).map((method) => ({ ...route, method, fn: spec.name }))));

  it('has one route per catalog route and a HEAD route beside each GET, public or JWT as declared, integrated with its function', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /projects', 'HEAD /projects', 'HEAD /health']));
    expect(routes.map((r) => `${r.method} ${r.path}`)).not.toContain('HEAD /projects/{id}/admission');
    const created = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
    expect(created.map((route) => route.RouteKey).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const [authorizerId] = ofType('AWS::ApiGatewayV2::Authorizer').map(([id]) => id);
    for (const route of routes) {
      const props = created.find((r) => r.RouteKey === `${route.method} ${route.path}`) as Json;
      if (route.auth === 'jwt') {
        expect(props).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
      }
      const target = JSON.stringify(props.Target);
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] as string;
      expect((resources[integrationId] as Resource).Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [functionId(route.fn), 'Arn'],
      });
    }
  });

  it('verifies Cognito JWTs for the portal client and the console client', () => {
    const pool = logicalId('AWS::Cognito::UserPool', 'UserPoolName', stack.stackName);
    const portal = logicalId('AWS::Cognito::UserPoolClient', 'ClientName', 'portal');
    const console = logicalId('AWS::Cognito::UserPoolClient', 'ClientName', 'console');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: portal }, { Ref: console }],
        Issuer: {
          'Fn::Join': ['', Match.arrayWith([`https://cognito-idp.${ENV.region}.`, { Ref: pool }])],
        },
      },
    });
  });

  it('logs every request as JSON and throttles the stage', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0] as [string, Resource];
    expect(stage.Properties.StageName).toBe('$default');
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format) as Json;
    expect(Object.keys(format)).toEqual(
      expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status', 'latency', 'integrationError']),
    );
    // The function's own request id: the top-level `requestId` of its Lambda log records. A function that timed out or
    // crashed wrote no line with the API's request id (and answered no problem body): this is how ops find its records.
    expect(format.integrationRequestId).toBe('$context.integration.requestId');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: expect.any(Number),
      ThrottlingBurstLimit: expect.any(Number),
    });
  });

  it('gives every public route its own, lower throttle, keyed by its route', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0] as [string, Resource];
    const perRoute = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const publicRoutes = ROUTES.filter((r) => r.auth === 'public').flatMap((r) => gatewayMethods(r).map((method) => `${method} ${r.path}`));
    expect(Object.keys(perRoute).sort()).toEqual(publicRoutes.sort());
    expect(publicRoutes).toEqual(expect.arrayContaining(['GET /health', 'HEAD /health', 'GET /openapi.json', 'GET /calendar/{year}', 'HEAD /calendar/{year}']));
    const stageLimits = stage.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    for (const key of publicRoutes) {
      expect(perRoute[key]!.ThrottlingRateLimit, key).toBeLessThan(stageLimits.ThrottlingRateLimit);
      expect(perRoute[key]!.ThrottlingBurstLimit, key).toBeLessThan(stageLimits.ThrottlingBurstLimit);
    }
  });

  it('loads the reference data on every deploy: a custom resource backed by the bootstrap function, re-run when the seed changes', () => {
    const resources = ofType('Custom::ZoneflowReferenceData');
    expect(resources).toHaveLength(1);
    const props = (resources[0] as [string, Resource])[1].Properties;
    expect(props.seed).toMatch(/^[0-9a-f]{16}$/);
    // Changes with every synthesis, so CloudFormation runs it on every deploy (it only calls on a property change).
    expect(Date.parse(String(props.deployedAt))).not.toBeNaN();
    expect(JSON.stringify(props.ServiceToken)).toContain('bootstrapreference');
    // After every function of the deploy.
    const [, resource] = resources[0] as [string, Resource & { DependsOn?: string[] }];
    const functionIds = FUNCTIONS.map((f) => functionId(f.name));
    expect(resource.DependsOn).toEqual(expect.arrayContaining(functionIds));
  });

  it('runs the bootstrap after every other resource of the stack: a deploy that fails anywhere else rolls back (the functions back on the old code) before a back-fill can be marked', () => {
    const root = templates.template.Resources;
    const [id, resource] = Object.entries(root).find(([, r]) => r.Type === 'Custom::ZoneflowReferenceData')!;
    const dependsOn = new Set([resource.DependsOn ?? []].flat());
    const others = Object.entries(root).filter(([other, r]) => other !== id && r.Type !== 'AWS::CDK::Metadata').map(([other]) => other);
    expect(others.filter((other) => !dependsOn.has(other))).toEqual([]);
  });

  it('gives the old code time to end before a back-fill is marked done: the settle is the longest timeout of the other functions and a minute, and the bootstrap outlasts it and two passes', () => {
    const [, resource] = ofType('Custom::ZoneflowReferenceData')[0] as [string, Resource];
    const timeouts = FUNCTIONS.filter((f) => !f.onDeploy).map((f) => Number(fnProps(f.name).Timeout));
    const settle = Math.max(...timeouts) + 60;
    expect(Number(resource.Properties.oldCodeSettleSeconds)).toBe(settle);
    const bootstrap = FUNCTIONS.find((f) => f.onDeploy)!;
    // The first pass, the wait, the later pass (60 s budgets each) and the answer to CloudFormation.
    expect(Number(fnProps(bootstrap.name).Timeout)).toBeGreaterThanOrEqual(settle + 2 * 60 + 30);
  });

  it('alarms when a lifecycle could not start (no execution fails then)', () => {
    // On Lambda's JSON log format the product's record is the runtime's `message` (functions/kernel/runtime/log.ts).
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message.message = "lifecycle start failed" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'LifecycleStartFailed', MetricNamespace: `Zoneflow/${stack.stackName}` })],
    });
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms.some((a) => a.MetricName === 'LifecycleStartFailed')).toBe(true);
    // Nor when a decided exit could not start.
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: Match.stringLikeRegexp('exit start failed'), MetricTransformations: [Match.objectLike({ MetricName: 'ExitStartFailed' })] });
    expect(alarms.some((a) => a.MetricName === 'ExitStartFailed' && String(a.AlarmName).endsWith('-ExitStartFailed'))).toBe(true);
  });

  it('pages for a state machine step\'s error only when it is a real failure: its `workflow step failed` lines, not the Lambda errors its machine retries', async () => {
    const steps = FUNCTIONS.filter((f) => f.aslPlaceholder !== undefined).map((f) => f.name);
    expect(steps).toEqual(expect.arrayContaining(['enter-stage', 'evaluate-stage', 'register-wait', 'start-segment', 'record-failure', 'exit-step']));
    const filters = ofType('AWS::Logs::MetricFilter')
      .map(([, f]) => f.Properties)
      .filter((f) => (f.MetricTransformations as { MetricName: string }[]).some((m) => m.MetricName.startsWith('WorkflowStepFailed-')));
    expect(filters).toHaveLength(steps.length);
    // Each filter counts the line a step's failure really puts in its log group, and not the lines of an error its
    // machine retries (those are warnings): matched as CloudWatch Logs matches a JSON pattern (test/support/log-filter.ts).
    const lines = await stepLines();
    expect(lines.failed).toHaveLength(1);
    expect(lines.retried).toHaveLength(2);
    for (const f of filters) {
      expect(filterMatches(String(f.FilterPattern), lines.failed[0]!), String(f.FilterPattern)).toBe(true);
      for (const retried of lines.retried) expect(filterMatches(String(f.FilterPattern), retried), retried).toBe(false);
    }
    for (const name of steps) {
      // Each step function's own log group (its logical id: `enterstageLogs…`).
      const filter = filters.find((f) => JSON.stringify(f.LogGroupName).includes(`/${name.replace(/-/g, '')}Logs`));
      expect(filter, name).toBeDefined();
      expect(filter!.MetricTransformations).toEqual([expect.objectContaining({ MetricName: `WorkflowStepFailed-${name}`, MetricNamespace: `Zoneflow/${stack.stackName}`, MetricValue: '1' })]);
    }
    // The FunctionErrorsN alarms: every other function by its Lambda errors, each step by its filter's metric instead.
    const counted = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => /-FunctionErrors\d+$/.test(String(a.AlarmName)))
      .flatMap((a) => (a.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])));
    expect(counted.filter((m) => m === 'Errors')).toHaveLength(FUNCTIONS.length - steps.length);
    expect(counted.filter((m) => m.startsWith('WorkflowStepFailed-')).sort()).toEqual(steps.map((name) => `WorkflowStepFailed-${name}`).sort());
    const withSteps = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).filter((a) => String(a.AlarmDescription).includes('"workflow step failed"'));
    expect(withSteps.length).toBeGreaterThan(0);
    for (const a of withSteps) expect(String(a.AlarmDescription)).toContain('an error the machine retries pages nobody');
  });

  it('admits the console’s origin by CORS, and no other unless configured', () => {
    const cdn = ofType('AWS::CloudFront::Distribution')[0]![0];
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [cdn, 'DomainName'] }]] }] }),
    });
    // The console reads the version, where a record is, how many projects a calendar change sets recomputing, whether
    // a configuration or a calendar year sent was the one in force, and where the next ledger file is.
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ ExposeHeaders: ['etag', 'location', 'retry-after', 'link', 'x-calendar-unchanged', 'x-config-unchanged', 'x-next-cursor', 'x-projects-recomputing'] }) });
  });
});

describe('users', () => {
  it('has one Cognito group per role code', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('admits no self sign-up, requires MFA and carries department, enterprise and park', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Schema: Match.arrayWith(
        ['department', 'enterprise', 'park'].map((name) =>
          Match.objectLike({ Name: name, AttributeDataType: 'String', Mutable: true }),
        ),
      ),
    });
  });

  it('does not let users rewrite the attributes that scope their access', () => {
    const client = (ofType('AWS::Cognito::UserPoolClient')[0] as [string, Resource])[1].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    expect(client.WriteAttributes).not.toEqual(expect.arrayContaining([expect.stringMatching(/^custom:/)]));
  });

  it('does not let users rewrite the name the timeline shows as the actor (writable: locale and time zone only), in any client', () => {
    const clients = ofType('AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties);
    expect(clients).toHaveLength(2);
    for (const client of clients) expect([...(client.WriteAttributes as string[])].sort(), String(client.ClientName)).toEqual(['locale', 'zoneinfo']);
  });
});

describe('observability', () => {
  it('alarms on failed, timed-out and aborted executions, on every function’s errors and throttles, and on API 5xx', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const metrics = alarms.map((alarm) => `${String(alarm.Namespace)}/${String(alarm.MetricName)}`);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expect(metrics).toContain(`AWS/States/${metric}`);
    }
    expect(metrics).toContain('AWS/ApiGateway/5xx');
    expect(metrics).toContain('AWS/Lambda/IteratorAge');
    expect(metrics).toContain('AWS/SQS/ApproximateNumberOfMessagesVisible');
    // Errors and throttles: metric-math alarms over at most ten functions each, every function in exactly one of each —
    // a state machine's step by its `workflow step failed` lines instead of its Lambda errors (the test above).
    for (const metric of ['Errors', 'Throttles']) {
      const covered = alarms
        .filter((alarm) => Array.isArray(alarm.Metrics))
        .flatMap((alarm) => (alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } } }[]).map((m) => m.MetricStat?.Metric))
        .filter((m) => m?.MetricName === metric)
        .map((m) => JSON.stringify(m!.Dimensions));
      for (const spec of FUNCTIONS) {
        const step = metric === 'Errors' && spec.aslPlaceholder !== undefined;
        expect(covered.filter((d) => d.includes(`"Ref":"${functionId(spec.name)}"`)), `${spec.name} ${metric}`).toHaveLength(step ? 0 : 1);
      }
    }
    for (const alarm of alarms.filter((a) => Array.isArray(a.Metrics))) expect((alarm.Metrics as unknown[]).length).toBeLessThanOrEqual(11);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  it.each(FUNCTIONS.filter((spec) => spec.schedule).map((spec) => [spec.name, spec] as const))('runs the scheduled job %s at its hour in Asia/Shanghai, retried, into an alarmed dead-letter queue', (name, spec) => {
    const schedules = ofType('AWS::Scheduler::Schedule').filter(([, s]) => s.Properties.Name === `${stack.stackName}-${name}`);
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties;
    expect(props).toMatchObject({ ScheduleExpression: `cron(${spec.schedule!.cron.minute} ${spec.schedule!.cron.hour} * * ? *)`, ScheduleExpressionTimezone: 'Asia/Shanghai' });
    const target = props.Target as { Arn: unknown; RetryPolicy: { MaximumRetryAttempts: number }; DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } } };
    expect(JSON.stringify(target.Arn)).toContain(functionId(name));
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties).filter((a) => a.AlarmName === `${stack.stackName}-${name}-FailedRuns`);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    // What the on-call does, as the job's runbook row says: a daily job is invoked again for the missed morning; the
    // every-minute sweep keeps its work in its table and its next run carries on (it takes no `at`).
    const description = JSON.stringify(alarms[0]!.AlarmDescription); // a join: it names the queue
    if (name === 'deliver-notifications') {
      expect(description).not.toContain('invoke it');
      expect(description).toContain('its next run carries on');
    } else {
      expect(description).toContain('invoke it with { \\"at\\"');
    }
  });

  it('notifies through a KMS-encrypted topic that only accepts TLS, and that this stack’s alarms may publish to', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          // The topic policy replaces SNS's default one: without this, every alarm action would be refused.
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() }, ArnLike: { 'aws:SourceArn': Match.anyValue() } } }),
        ]),
      },
    });
  });

  it('sends a scheduled job’s or the exit-failure rule’s run that threw to its alarmed queue (asynchronous invocations)', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    // deliver-notifications, daily-digest, refresh-inventory and exit-step: each on failure to an SQS queue.
    expect(configs).toHaveLength(4);
    for (const c of configs) expect(c).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
    // Each function's failures go to its own queue (named after it, and alarmed), not another job's.
    const named = configs.map((c) => {
      const fn = resources[(c.FunctionName as { Ref: string }).Ref]!.Properties.FunctionName as string;
      const queueId = (c.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } }).OnFailure.Destination['Fn::GetAtt'][0];
      expect(resources[queueId]!.Type).toBe('AWS::SQS::Queue');
      return { fn, queueId, queue: resources[queueId]!.Properties.QueueName as string };
    });
    expect(named.map(({ fn }) => fn).sort()).toEqual(['daily-digest', 'deliver-notifications', 'exit-step', 'refresh-inventory'].map((n) => `${stack.stackName}-${n}`));
    const alarmDimensions = ofType('AWS::CloudWatch::Alarm').map(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []));
    for (const { fn, queueId, queue } of named) {
      // `<stack>-<function>-failed`, as every failure queue is named (docs/deploy.md): the exit-failure rule's too.
      expect(queue, `${fn}'s failure queue`).toBe(`${fn}-failed`);
      // The queue's depth is alarmed (the alarm names the queue by its resource).
      expect(alarmDimensions.filter((d) => d.includes(`"${queueId}"`)), queue).toHaveLength(1);
    }
  });

  it('has a dashboard graph per alarm group of functions, the exit procedures and the failure queues', () => {
    const [dashboard] = ofType('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard![1].Properties.DashboardBody);
    const groups = Math.ceil(FUNCTIONS.length / 10);
    for (let n = 1; n <= groups; n++) expect(body).toContain(`FunctionErrors${n} / FunctionThrottles${n}: `);
    expect(body).not.toContain(`FunctionErrors${groups + 1} /`);
    expect(body).toContain('Exit procedures 退出程序');
    expect(body).toContain('Failed runs waiting in their queues');
    expect(body).toContain('Notifications to groups and e-mail: route-notifications delay (ms)');
    expect(body).toContain('Workflow signals: wake-workflow delay (ms)');
  });

  it('alarms when any table or index throttles reads or writes, each in one alarm, and graphs what each table consumes', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const tables = ofType('AWS::DynamoDB::GlobalTable').map(([id, t]) => ({ id, indexes: ((t.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((i) => i.IndexName) }));
    expect(tables.length).toBeGreaterThan(5);
    // DynamoDB publishes an index's throttle events under TableName and GlobalSecondaryIndexName only, never under the
    // table's TableName alone: a throttled Query on an index (every list is one) is seen only through its own metric.
    const expected = tables.flatMap((t) => [`${t.id}`, ...t.indexes.map((index) => `${t.id}/${index}`)]).sort();
    expect(expected.length).toBeGreaterThan(tables.length);
    for (const [name, metric] of [['TableReadThrottles', 'ReadThrottleEvents'], ['TableWriteThrottles', 'WriteThrottleEvents']] as const) {
      const group = alarms.filter((a) => new RegExp(`^${stack.stackName}-${name}\\d*$`).test(String(a.AlarmName)));
      expect(group.length, name).toBeGreaterThan(0);
      const covered: string[] = [];
      for (const alarm of group) {
        const stats = (alarm.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
        expect(stats.length).toBeLessThanOrEqual(10);
        expect(stats.every((m) => m.Namespace === 'AWS/DynamoDB' && m.MetricName === metric)).toBe(true);
        for (const m of stats) {
          // The table by a reference to its resource; an index by its name beside it.
          const table = /"Ref":"([^"]+)"/.exec(JSON.stringify(m.Dimensions.find((d) => d.Name === 'TableName')?.Value))?.[1];
          const index = m.Dimensions.find((d) => d.Name === 'GlobalSecondaryIndexName')?.Value;
          expect(m.Dimensions.map((d) => d.Name).sort()).toEqual(index === undefined ? ['TableName'] : ['GlobalSecondaryIndexName', 'TableName']);
          covered.push(index === undefined ? `${table}` : `${table}/${String(index)}`);
        }
        expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      }
      // Every table and every index exactly once.
      expect(covered.sort(), name).toEqual(expected);
    }
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    expect(body).toContain('DynamoDB reads: capacity units consumed, throttle events');
    expect(body).toContain('ConsumedWriteCapacityUnits');
  });

  /** An alarm's description as the operator reads it: one that names a queue is a join of text and the queue's name. */
  const descriptionText = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
    if (!join) throw new Error(`unexpected alarm description ${JSON.stringify(value)}`);
    return join[1].map((part) => (typeof part === 'string' ? part : '<queue name>')).join(join[0]);
  };

  it('gives every alarm a description that says what to do and names its row of docs/runbook.md, which has that row', () => {
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    // The first cell of each table row: the symptom, naming the alarms it is about.
    const symptoms = runbook.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split('|')[1]!);
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.length).toBeGreaterThan(30);
    for (const alarm of alarms) {
      const name = String(alarm.AlarmName);
      expect(name.startsWith(`${stack.stackName}-`), name).toBe(true);
      const short = name.slice(stack.stackName.length + 1);
      // A numbered group (FunctionErrors3, TableReadThrottles2) has one row for all its alarms (FunctionErrorsN).
      const row = /^(Function(Errors|Throttles)|Table(Read|Write)Throttles)\d+$/.test(short) ? short.replace(/\d+$/, 'N') : short;
      const description = descriptionText(alarm.AlarmDescription);
      expect(description, short).toContain(`Runbook: docs/runbook.md, row "Alarm \`${row}\`".`);
      expect(description.length, short).toBeLessThanOrEqual(1024);
      expect(symptoms.filter((cell) => cell.includes('Alarm') && cell.includes(`\`${row}\``)), `runbook row for ${row}`).toHaveLength(1);
    }
  });

  /** A reference in a template value as one word: `@<logical id>` (`Ref`) or `@<logical id>.<attribute>` (`Fn::GetAtt`). */
  const refWord = (value: unknown): string => {
    const node = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | null;
    if (typeof node?.Ref === 'string') return `@${node.Ref}`;
    if (Array.isArray(node?.['Fn::GetAtt'])) return `@${node['Fn::GetAtt'][0]}.${node['Fn::GetAtt'][1]}`;
    if (typeof value === 'string') return value;
    throw new Error(`unexpected reference ${JSON.stringify(value)}`);
  };

  interface Widget {
    readonly type: string;
    readonly height: number;
    readonly y: number;
    readonly properties: { title?: string; metrics?: unknown[][]; alarms?: string[]; sortBy?: string };
  }

  /** The dashboard's widgets, each reference in them as refWord writes it. */
  function dashboardWidgets(): Widget[] {
    const body = ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    const [separator, parts] = body['Fn::Join'];
    return (JSON.parse(parts.map((p) => (typeof p === 'string' ? p : refWord(p))).join(separator)) as { widgets: Widget[] }).widgets;
  }

  it('puts the alarms firing first in the dashboard\'s alarm widget, every alarm of the stack in it, in its row\'s full height', () => {
    const widgets = dashboardWidgets();
    const status = widgets.filter((w) => w.type === 'alarm');
    expect(status).toHaveLength(1);
    const alarmIds = ofType('AWS::CloudWatch::Alarm').map(([id]) => `@${id}.Arn`).sort();
    expect([...status[0]!.properties.alarms!].sort()).toEqual(alarmIds);
    // Forty-odd alarms in a half-width widget: in the order given, one firing below the fold looked like all green.
    expect(status[0]!.properties.sortBy).toBe('stateUpdatedTimestamp');
    // As tall as the graph beside it: the row is that high anyway.
    const beside = widgets.filter((w) => w !== status[0] && w.y === status[0]!.y);
    expect(beside.length).toBeGreaterThan(0);
    expect(status[0]!.height).toBe(Math.max(...beside.map((w) => w.height)));
  });

  it('reserves no function\'s concurrency, and the throttles alarm sends ops to the account\'s, graphed on the dashboard', () => {
    // The lifecycles wake together at the midnights their deadlines fall on: a reservation would cap evaluate-stage at
    // that burst, and a throttle the state machine still meets after its six retries (about a minute) fails the
    // execution. The API is throttled at its stage, so it cannot take the steps' share (docs/deploy.md).
    const reserved = ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.ReservedConcurrentExecutions !== undefined);
    expect(reserved.map(([id]) => id)).toEqual([]);
    // Nor a stream mapping's: one batch of a shard at a time (no ParallelizationFactor). So no alarm, nor the runbook,
    // may tell ops to raise a function's concurrency: there is none of its own to raise.
    expect(ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.ParallelizationFactor !== undefined)).toEqual([]);
    for (const [, a] of ofType('AWS::CloudWatch::Alarm')) expect(descriptionText(a.Properties.AlarmDescription), String(a.Properties.AlarmName)).not.toMatch(/(reserved|raise (its|the function's)) concurrency/i);
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    expect(runbook).not.toMatch(/(reserved|raise (its|the function's)) concurrency/i);
    const throttles = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).filter((a) => /-FunctionThrottles\d+$/.test(String(a.AlarmName)));
    expect(throttles.length).toBeGreaterThan(0);
    for (const a of throttles) {
      const description = String(a.AlarmDescription);
      // Not "raise its reserved concurrency": there is none to raise.
      expect(description).not.toMatch(/reserved concurrency/i);
      expect(description).toContain('Lambda concurrency');
      expect(description).toContain('Concurrent executions');
    }
    // The account's concurrency (every function of the region: Lambda publishes it without a dimension) beside the steps'.
    const graph = dashboardWidgets().filter((w) => w.properties.title?.startsWith('Lambda concurrency'));
    expect(graph).toHaveLength(1);
    const rows = graph[0]!.properties.metrics!.map((row) => row.filter((f) => typeof f === 'string'));
    expect(rows).toContainEqual(['AWS/Lambda', 'ConcurrentExecutions']);
    const steps = FUNCTIONS.filter((f) => f.aslPlaceholder !== undefined).map((f) => `@${functionId(f.name)}`);
    for (const step of steps) expect(rows, step).toContainEqual(['AWS/Lambda', 'ConcurrentExecutions', 'FunctionName', step]);
  });

  interface MetricUse {
    readonly where: string;
    readonly namespace: string;
    readonly name: string;
    /** Dimension name → its value, a reference as refWord writes it. */
    readonly dimensions: Record<string, string>;
  }

  /** Every metric the dashboard graphs and every alarm watches (a metric-math expression by each metric it sums). */
  function metricUses(): MetricUse[] {
    const uses: MetricUse[] = [];
    for (const widget of dashboardWidgets()) {
      for (const row of widget.properties.metrics ?? []) {
        const fields = row.filter((f): f is string => typeof f === 'string');
        if (fields.length === 0) continue; // a metric-math expression: its metrics are rows of their own
        expect(fields.length % 2, `${widget.properties.title}: ${JSON.stringify(row)}`).toBe(0);
        const dimensions = Object.fromEntries(Array.from({ length: fields.length / 2 - 1 }, (_, i) => [fields[2 + 2 * i]!, fields[3 + 2 * i]!]));
        uses.push({ where: `dashboard graph "${widget.properties.title}"`, namespace: fields[0]!, name: fields[1]!, dimensions });
      }
    }
    type Stat = { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
    const dims = (list: Stat['Dimensions']) => Object.fromEntries((list ?? []).map((d) => [d.Name, refWord(d.Value)]));
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      const a = alarm.Properties;
      const stats: Stat[] = a.MetricName
        ? [{ Namespace: a.Namespace as string, MetricName: a.MetricName as string, Dimensions: a.Dimensions as Stat['Dimensions'] }]
        : (a.Metrics as { MetricStat?: { Metric: Stat } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
      expect(stats.length, String(a.AlarmName)).toBeGreaterThan(0);
      for (const s of stats) uses.push({ where: `alarm ${String(a.AlarmName)}`, namespace: s.Namespace, name: s.MetricName, dimensions: dims(s.Dimensions) });
    }
    return uses;
  }

  it('graphs and alarms only on metrics something emits: an AWS metric of a resource of this stack, or a log line a function logs', () => {
    const uses = metricUses();
    expect(uses.length).toBeGreaterThan(300);
    /** The resource a dimension names, which must be of `type`. */
    const resourceOf = (use: MetricUse, dimension: string, type: string): string => {
      const id = /^@([^.]+)/.exec(use.dimensions[dimension] ?? '')?.[1];
      expect(id && resources[id]?.Type, `${use.where}: ${use.namespace}/${use.name} ${dimension}=${use.dimensions[dimension]}`).toBe(type);
      return id!;
    };
    const streamFed = new Set(ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => refWord(m.Properties.FunctionName)));
    const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    const customNamespace = `Zoneflow/${stack.stackName}`;
    for (const use of uses) {
      const what = `${use.where}: ${use.namespace}/${use.name} ${JSON.stringify(use.dimensions)}`;
      switch (use.namespace) {
        case 'AWS/Lambda': {
          // The account's concurrency in the region: Lambda publishes it without a dimension.
          if (use.name === 'ConcurrentExecutions' && Object.keys(use.dimensions).length === 0) break;
          expect(['Errors', 'Throttles', 'Duration', 'IteratorAge', 'ConcurrentExecutions'], what).toContain(use.name);
          const fn = resourceOf(use, 'FunctionName', 'AWS::Lambda::Function');
          // Lambda publishes a function's IteratorAge only for the records of an event source mapping it reads.
          if (use.name === 'IteratorAge') expect(streamFed.has(`@${fn}`), what).toBe(true);
          break;
        }
        case 'AWS/States':
          expect(use.name, what).toMatch(/^Executions(Started|Succeeded|Failed|TimedOut|Aborted)$/);
          resourceOf(use, 'StateMachineArn', 'AWS::StepFunctions::StateMachine');
          break;
        case 'AWS/SQS':
          expect(use.name, what).toBe('ApproximateNumberOfMessagesVisible');
          expect(use.dimensions.QueueName, what).toMatch(/\.QueueName$/);
          resourceOf(use, 'QueueName', 'AWS::SQS::Queue');
          break;
        case 'AWS/DynamoDB': {
          expect(use.name, what).toMatch(/^(Read|Write)ThrottleEvents$|^Consumed(Read|Write)CapacityUnits$/);
          const table = resourceOf(use, 'TableName', 'AWS::DynamoDB::GlobalTable');
          const index = use.dimensions.GlobalSecondaryIndexName;
          if (index !== undefined) {
            const indexes = ((resources[table]!.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((i) => i.IndexName);
            expect(indexes, what).toContain(index);
          }
          break;
        }
        case 'AWS/ApiGateway':
          expect(['4xx', '5xx', 'Latency'], what).toContain(use.name);
          resourceOf(use, 'ApiId', 'AWS::ApiGatewayV2::Api');
          expect(use.dimensions.Stage, what).toBe('$default');
          break;
        case customNamespace: {
          // A log-based metric: published by a metric filter, on the log group of a function whose code logs the line.
          const publishing = filters.filter((f) => (f.MetricTransformations as { MetricName: string; MetricNamespace: string }[]).some((t) => t.MetricName === use.name && t.MetricNamespace === customNamespace));
          expect(publishing.length, what).toBeGreaterThan(0);
          break;
        }
        default:
          throw new Error(`${what}: a namespace nothing in this stack publishes to`);
      }
    }
    // Every metric filter counts a line the function owning its log group really has in its deployed code.
    const bundleOf = (logGroup: string): string => {
      const fns = ofType('AWS::Lambda::Function').filter(([, f]) => refWord((f.Properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup ?? '') === logGroup);
      expect(fns, `the function logging to ${logGroup}`).toHaveLength(1);
      const key = (fns[0]![1].Properties.Code as { S3Key: string }).S3Key;
      return readFileSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    };
    expect(filters.length).toBeGreaterThan(10);
    for (const f of filters) {
      // One message, or several joined by `||` (`{ ($.message.message = "a") || ($.message.message = "b") }`).
      const pattern = String(f.FilterPattern);
      const single = /^\{ \$\.message\.message = "([^"*]+)" \}$/.exec(pattern)?.[1];
      const either = /^\{ \(\$\.message\.message = "[^"*]+"\)(?: \|\| \(\$\.message\.message = "[^"*]+"\))+ \}$/.test(pattern)
        ? [...pattern.matchAll(/\$\.message\.message = "([^"*]+)"/g)].map((m) => m[1]!)
        : undefined;
      const messages = single !== undefined ? [single] : either;
      expect(messages, pattern).toBeDefined();
      const logGroup = refWord(f.LogGroupName);
      // The whole message as a string literal: the filter's `=` compares the whole text, a longer line never matches it.
      const bundle = bundleOf(logGroup);
      for (const message of messages!) expect(['"', "'", '`'].some((q) => bundle.includes(`${q}${message}${q}`)), `${logGroup} logs "${message}"`).toBe(true);
      // And what the filter publishes is graphed or alarmed: a filter nobody looks at costs and tells no one.
      const published = (f.MetricTransformations as { MetricName: string }[])[0]!.MetricName;
      expect(uses.filter((u) => u.namespace === customNamespace && u.name === published).length, published).toBeGreaterThan(0);
    }
  });

  it('names in docs/runbook.md only alarms and queues the stack has, and each numbered group by its real count', () => {
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const symptoms = runbook.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split('|')[1]!);
    const alarms = new Set(ofType('AWS::CloudWatch::Alarm').map(([, a]) => String(a.Properties.AlarmName).slice(stack.stackName.length + 1)));
    const queues = new Set(ofType('AWS::SQS::Queue').map(([, q]) => String(q.Properties.QueueName)));
    const named: string[] = [];
    for (const cell of symptoms) {
      // `Alarm \`A\``, `Alarm \`A\` / \`B\``: the alarms a row is about.
      for (const m of cell.matchAll(/Alarm ((?:`[^`]+`(?:\s*\/\s*)?)+)/g)) named.push(...[...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!));
      // A numbered group spelled out, `FunctionErrors1`…`FunctionErrors8`: the last is the group's count.
      for (const m of cell.matchAll(/`([A-Za-z]+)1`…`\1(\d+)`/g)) {
        const count = [...alarms].filter((a) => new RegExp(`^${m[1]}\\d+$`).test(a)).length;
        expect(`${m[1]}1…${m[1]}${m[2]}`, 'the group as the runbook counts it').toBe(`${m[1]}1…${m[1]}${count}`);
      }
      // A failure queue named in a symptom, `<stack>-wake-workflow-failed`.
      for (const m of cell.matchAll(/`<stack>-([\w-]+-failed)`/g)) expect(queues, `runbook queue ${m[1]}`).toContain(`${stack.stackName}-${m[1]}`);
    }
    expect(named.length).toBeGreaterThan(20);
    for (const name of named) {
      // `FunctionErrorsN`: the row of every alarm of the group.
      if (/[a-z]N$/.test(name)) expect([...alarms].filter((a) => new RegExp(`^${name.slice(0, -1)}\\d+$`).test(a)).length, `runbook row for alarms ${name}`).toBeGreaterThan(0);
      else expect(alarms, `runbook row for alarm ${name}`).toContain(name);
    }
  });

  it('alarms when the delivery sweep could not work a channel queue (it logs and goes on, the function does not fail)', () => {
    const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties).filter((f) => String(f.FilterPattern).includes('could not work a channel queue'));
    expect(filters).toHaveLength(1);
    // The deliver-notifications function's own log group (its logical id: `delivernotificationsLogs…`).
    expect(JSON.stringify(filters[0]!.LogGroupName)).toMatch(/\/delivernotificationsLogs/);
    const source = readFileSync(new URL('../../functions/notifications/steps/deliver-notifications.ts', import.meta.url), 'utf8');
    // The filter counts the line the sweep really logs.
    expect(source).toContain(`log.error('could not work a channel queue; the next sweep tries again'`);
    expect(String(filters[0]!.FilterPattern)).toContain('"could not work a channel queue; the next sweep tries again"');
    const metric = (filters[0]!.MetricTransformations as { MetricName: string; MetricNamespace: string }[])[0]!;
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => a.AlarmName === `${stack.stackName}-DeliveryQueueErrors`);
    expect(alarm).toMatchObject({ MetricName: metric.MetricName, Namespace: metric.MetricNamespace, Threshold: 1 });
    expect(alarm!.AlarmActions).toHaveLength(1);
  });

  it('graphs the records a stream consumer refused, which Lambda does not count as errors, by the line each logs', async () => {
    // A consumer reports a record it could not handle back to the stream (ReportBatchItemFailures) and returns: no
    // Lambda error, so the consumer's errors line stays flat while the stream retries the record. Its own error line
    // is what the dashboard can show (the runbook's IteratorAge rows send ops there).
    const lines: Record<string, [string, string]> = {
      'wake-workflow': ['functions/lifecycle/stream/wake-workflow.ts', 'could not deliver a workflow signal; the stream retries it'],
      'route-notifications': ['functions/notifications/stream/route-notifications.ts', 'could not route a notification; the stream retries it'],
    };
    expect(Object.keys(lines).sort()).toEqual(FUNCTIONS.filter((f) => f.consumes).map((f) => f.name).sort());
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    vi.resetModules();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { log } = await import('../../functions/kernel/runtime/log.ts');
      for (const [name, [file, message]] of Object.entries(lines)) {
        expect(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'), file).toContain(`log.error('${message}'`);
        const filters = ofType('AWS::Logs::MetricFilter')
          .map(([, f]) => f.Properties)
          .filter((f) => JSON.stringify(f.LogGroupName).includes(`/${name.replace(/-/g, '')}Logs`));
        expect(filters.length, name).toBeGreaterThan(0);
        // The line as Lambda's JSON log format records it (the product's record under the runtime's `message`).
        error.mockClear();
        log.error(message, { sequence: '100' });
        const line = JSON.stringify({ timestamp: '2026-12-01T02:00:00.000Z', level: 'ERROR', requestId: 'r-1', message: error.mock.calls[0]![0] });
        const counting = filters.filter((f) => filterMatches(String(f.FilterPattern), line));
        expect(counting, name).toHaveLength(1);
        const metric = (counting[0]!.MetricTransformations as { MetricName: string; MetricNamespace: string }[])[0]!;
        expect(metric).toMatchObject({ MetricName: `StreamRecordsRefused-${name}`, MetricNamespace: `Zoneflow/${stack.stackName}` });
        expect(body).toContain(`StreamRecordsRefused-${name}`);
      }
    } finally {
      error.mockRestore();
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('alarms when a notice was sent and no answer came (counted delivered, never sent again: the group may not have it)', () => {
    // A webhook that takes the request and never answers (a hanging proxy) made every notice of its channel
    // "delivered" with `unconfirmed: true`, ten seconds each: nothing failed, nothing stayed pending, no alarm fired,
    // and the group got none of them. The dispatcher's warning is what can say so.
    const source = readFileSync(new URL('../../functions/notifications/dispatch.ts', import.meta.url), 'utf8');
    expect(source).toContain("log.warn('notification sent without an answer: not sent again'");
    const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties).filter((f) => String(f.FilterPattern).includes('"notification sent without an answer: not sent again"'));
    // Every function that delivers (the sweep and the route that sends at once) logs it.
    expect(filters).toHaveLength(ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties).filter((f) => String(f.FilterPattern).includes('notification delivery failed')).length);
    const metric = (filters[0]!.MetricTransformations as { MetricName: string; MetricNamespace: string }[])[0]!;
    expect(metric).toMatchObject({ MetricName: 'NotificationDeliveryUnconfirmed', MetricNamespace: `Zoneflow/${stack.stackName}` });
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => a.AlarmName === `${stack.stackName}-NotificationDeliveryUnconfirmed`);
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm!.AlarmActions).toHaveLength(1);
    // The one metric every delivering function's filter publishes, read once (not summed with itself).
    expect(alarm).toMatchObject({ Namespace: metric.MetricNamespace, MetricName: 'NotificationDeliveryUnconfirmed', Statistic: 'Sum' });
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    expect(body).toContain('NotificationDeliveryUnconfirmed');
  });

  it('graphs notification deliveries on the dashboard: failed for good, channel queue errors, the sweep', () => {
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    expect(body).toContain('Notification deliveries: failed for good, channel queues the sweep could not work');
    expect(body).toContain('NotificationDeliveryFailed');
    expect(body).toContain('DeliveryQueueErrors');
  });

  it('alarms when a letter counter was found behind the numbers issued or malformed (set back by hand, or restored): on every function whose code numbers letters', async () => {
    // The next letter skips past the numbers claimed and moves the counter on (supervision/store/letters.ts): nothing
    // fails, so the warnings it logs are all an operator could learn from that someone touched the counter.
    const source = readFileSync(new URL('../../functions/supervision/store/letters.ts', import.meta.url), 'utf8');
    const messages = [...source.matchAll(/log\.warn\('(letter counter [^']+)'/g)].map((m) => m[1]!);
    expect(messages).toHaveLength(2);
    const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties).filter((f) => (f.MetricTransformations as { MetricName: string }[]).some((m) => m.MetricName === 'LetterCounterTouched'));
    // The functions whose bundle can log those lines (what Lambda runs: the staged asset of each), each by its own filter.
    const assembly = app.synth().directory;
    const logging = FUNCTIONS.filter((spec) => {
      const key = String((fnProps(spec.name).Code as { S3Key: unknown }).S3Key);
      const hash = /^([0-9a-f]{64})\.zip$/.exec(key)?.[1];
      expect(hash, `${spec.name} code ${key}`).toBeDefined();
      const code = readFileSync(join(assembly, `asset.${hash}`, 'index.mjs'), 'utf8');
      return messages.some((m) => code.includes(m));
    }).map((spec) => spec.name);
    expect(logging).toEqual(expect.arrayContaining(['send-letter', 'exit-step']));
    const watched = FUNCTIONS.filter((spec) => filters.some((f) => JSON.stringify(f.LogGroupName).includes(`/${spec.name.replace(/-/g, '')}Logs`))).map((spec) => spec.name);
    expect(watched.sort()).toEqual([...logging].sort());
    expect(filters).toHaveLength(logging.length);
    // Each filter counts both lines as Lambda's JSON log format records them, and not another warning.
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    vi.resetModules();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { log } = await import('../../functions/kernel/runtime/log.ts');
      for (const message of [...messages, 'change still losing its race']) log.warn(message, { series: 'notice', year: 2026, seq: 1, highestClaimed: 3 });
      const lines = warn.mock.calls.map((args) => JSON.stringify({ timestamp: '2026-12-07T02:00:00.000Z', level: 'WARN', requestId: 'r-1', message: args[0] }));
      for (const f of filters) {
        expect(lines.map((line) => filterMatches(String(f.FilterPattern), line)), String(f.FilterPattern)).toEqual([true, true, false]);
        expect(f.MetricTransformations).toEqual([expect.objectContaining({ MetricName: 'LetterCounterTouched', MetricNamespace: `Zoneflow/${stack.stackName}`, MetricValue: '1' })]);
      }
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
      vi.resetModules();
    }
    // One metric (every filter publishes the same name, no dimension), alarmed at the first line.
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => a.AlarmName === `${stack.stackName}-LetterCounterTouched`);
    expect(alarm).toMatchObject({ Namespace: `Zoneflow/${stack.stackName}`, MetricName: 'LetterCounterTouched', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(alarm!.AlarmActions).toHaveLength(1);
    const body = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    expect(body).toContain('LetterCounterTouched');
  });

  it('sums no metric with itself: filters on several log groups that publish one metric name count each line once', () => {
    // A metric filter's metric has no dimension: two filters publishing NotificationDeliveryFailed (the sweep's log group
    // and the route that sends at once) feed one metric, and SUM over both references counted each failure twice.
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      const stats = ((alarm.Properties.Metrics ?? []) as { MetricStat?: { Metric: unknown } }[]).flatMap((m) => (m.MetricStat ? [JSON.stringify(m.MetricStat.Metric)] : []));
      expect(new Set(stats).size, String(alarm.Properties.AlarmName)).toBe(stats.length);
    }
  });

  it('counts a failed exit whatever else its period holds (SUM, not f + t + a)', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => String(a.AlarmName).endsWith('-ExitExecutionsFailed'));
    expect((alarm?.Metrics as { Expression?: string }[]).find((m) => m.Expression)?.Expression).toBe('SUM(METRICS())');
  });

  it('outputs what an operator needs after deploy', () => {
    expect(Object.keys(template.toJSON().Outputs as Json).sort()).toEqual(
      ['ApiUrl', 'ConsoleUrl', 'DashboardName', 'ExitStateMachineArn', 'StateMachineArn', 'UserPoolClientId', 'UserPoolId'].sort(),
    );
  });
});

describe('the resource budget', () => {
  // CloudFormation allows 500 resources, 1 MB of template, 200 parameters and 200 outputs per stack (a nested stack is a
  // stack of its own). Each route adds about seven resources, so every stack keeps a wide margin below those limits.
  const MAX_RESOURCES = 400;
  const MAX_TEMPLATE_BYTES = 700_000;
  const MAX_REFERENCES = 100;
  const all = (): StackTemplate[] => flatten(templates);
  /** The stack (its nested id, '' for the top-level one) a resource of the merged template lives in. */
  const stackOf = (logicalId: string): string => logicalId.slice(0, Math.max(0, logicalId.lastIndexOf('/')));

  it('puts each function in the nested stack of its module, the first folder of its entry', () => {
    const nested = all().filter((t) => t.nestedId !== undefined);
    const modules = [...new Set(FUNCTIONS.map(moduleOf))];
    expect(nested.map((t) => t.path).sort()).toEqual(modules.map((m) => `${stack.stackName}/Functions/${m}`).sort());
    for (const spec of FUNCTIONS) {
      const home = nested.find((t) => t.path.endsWith(`/Functions/${moduleOf(spec)}`))!;
      expect(stackOf(functionId(spec.name)), spec.name).toBe(home.nestedId);
    }
    // In the root stack: CDK's deployment of the console files only (its singleton lives at the stack's root).
    expect(ofType('AWS::Lambda::Function').filter(([id]) => stackOf(id) === '').map(([id]) => id)).toEqual([consoleDeploymentFunction()]);
  });

  it('keeps each route, its integration and its invoke permission in the stack of the function it calls', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    // A catalog route each, and a HEAD route beside each GET (with its own invoke permission).
    const gatewayRoutes = ROUTES.flatMap(gatewayMethods).length;
    expect(routes).toHaveLength(gatewayRoutes);
    for (const [routeId, route] of routes) {
      const integrationId = /"Ref":"([^"]+)"/.exec(JSON.stringify(route.Properties.Target))?.[1] as string;
      const fnId = ((resources[integrationId] as Resource).Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(stackOf(routeId), String(route.Properties.RouteKey)).toBe(stackOf(fnId));
      expect(stackOf(integrationId)).toBe(stackOf(fnId));
    }
    const apiPermissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(apiPermissions).toHaveLength(gatewayRoutes);
    for (const [id, permission] of apiPermissions) {
      const fnId = (permission.Properties.FunctionName as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(stackOf(id)).toBe(stackOf(fnId));
    }
  });

  it(`keeps every stack at most ${MAX_RESOURCES} resources and every template under ${MAX_TEMPLATE_BYTES / 1000} kB`, () => {
    const measured = all().map((t) => ({
      stack: t.path,
      resources: Object.keys(t.template.Resources).length,
      kB: Math.round(t.bytes / 1000),
      parameters: Object.keys(t.template.Parameters ?? {}).length,
      outputs: Object.keys(t.template.Outputs ?? {}).length,
    }));
    // The measure, for docs/design.md ("The stack's resource budget").
    console.info(`resource budget (limits: 500 resources, 1,000 kB, 200 parameters, 200 outputs per stack)\n${measured.map((m) => JSON.stringify(m)).join('\n')}`);
    for (const t of all()) {
      expect(Object.keys(t.template.Resources).length, t.path).toBeLessThanOrEqual(MAX_RESOURCES);
      expect(t.bytes, t.path).toBeLessThan(MAX_TEMPLATE_BYTES);
    }
    expect(templates.bytes).toBeLessThan(MAX_TEMPLATE_BYTES);
    // Everything the application deploys is still counted: the merged view holds every stack's resources.
    expect(Object.keys(resources)).toHaveLength(measured.reduce((sum, m) => sum + m.resources, 0));
  });

  it(`passes at most ${MAX_REFERENCES} references into or out of any nested stack (parameters, outputs)`, () => {
    for (const t of all()) {
      expect(Object.keys(t.template.Parameters ?? {}).length, `${t.path} parameters`).toBeLessThanOrEqual(MAX_REFERENCES);
      expect(Object.keys(t.template.Outputs ?? {}).length, `${t.path} outputs`).toBeLessThanOrEqual(MAX_REFERENCES);
    }
  });
});

describe('the console', () => {
  const cdn = () => ofType('AWS::CloudFront::Distribution')[0]!;
  const site = () => {
    const deployment = ofType('Custom::CDKBucketDeployment')[0]![1].Properties;
    return (deployment.DestinationBucketName as { Ref: string }).Ref;
  };

  it('keeps its files in a private bucket: every public access blocked, TLS only, versioned, access-logged', () => {
    expect(resources[site()]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'site/' },
    });
    expect(resources[site()]!.Properties.WebsiteConfiguration).toBeUndefined();
  });

  it('does not hold up a stack deletion: the bucket is kept, and each deploy\'s replaced files expire', () => {
    // CloudFormation deletes no bucket that has objects in it, and the deployment leaves its files (and versioning every
    // earlier deploy's) behind: a bucket to delete with the stack stopped `cdk destroy` at DELETE_FAILED.
    const deployment = ofType('Custom::CDKBucketDeployment')[0]![1].Properties;
    expect(deployment.RetainOnDelete).not.toBe(false);
    expect(resources[site()]!.DeletionPolicy).toBe('Retain');
    const rules = (resources[site()]!.Properties.LifecycleConfiguration as { Rules: { Status: string; NoncurrentVersionExpiration?: { NoncurrentDays: number } }[] } | undefined)?.Rules ?? [];
    const days = rules.filter((r) => r.Status === 'Enabled').map((r) => r.NoncurrentVersionExpiration?.NoncurrentDays).filter((d) => d !== undefined);
    expect(days).toHaveLength(1);
    expect(days[0]).toBeGreaterThanOrEqual(7);
  });

  it('lets only its CloudFront distribution read the bucket, through origin access control', () => {
    const [cdnId, distribution] = cdn();
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => (p.Properties.Bucket as { Ref: string }).Ref === site())![1].Properties;
    const allows = (policy.PolicyDocument as { Statement: (Statement & { Principal: unknown; Condition?: Json })[] }).Statement.filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    // The distribution's own ARN, and nothing else, in the condition.
    expect(Object.keys(allows[0]!.Condition!)).toEqual(['StringEquals']);
    expect(JSON.stringify(allows[0]!.Condition)).toContain(`:distribution/",{"Ref":"${cdnId}"}`);
    const config = distribution.Properties.DistributionConfig as Json & { Origins: Json[] };
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0]).toMatchObject({ OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } });
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] }, Logging: { Prefix: 'cdn/' } });
  });

  it('sends security headers: a CSP that allows the API and the hosted UI only, no framing', () => {
    const policy = ofType('AWS::CloudFront::ResponseHeadersPolicy')[0]![1].Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Json & { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } };
    const csp = JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('.execute-api.');
    expect(csp).toContain('.amazoncognito.com');
    expect(policy.SecurityHeadersConfig).toMatchObject({ FrameOptions: { FrameOption: 'DENY' } });
  });

  it('signs in through the hosted UI: a code + PKCE client without secret, called back on the distribution only', () => {
    const [cdnId] = cdn();
    const client = ofType('AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties.ClientName === 'console')![1].Properties;
    const back = [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [cdnId, 'DomainName'] }, '/']] }];
    expect(client).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: false, CallbackURLs: back, LogoutURLs: back, SupportedIdentityProviders: ['COGNITO'] });
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid']));
    expect(client.ExplicitAuthFlows).toBeUndefined();
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('uploads the bundle built at synth with a config.json naming the API, the hosted UI and the client, then invalidates the CDN', () => {
    const deployment = ofType('Custom::CDKBucketDeployment')[0]![1].Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    expect(deployment.DistributionPaths).toEqual(['/*']);
    const markers = JSON.stringify(deployment.SourceMarkers);
    const console = logicalId('AWS::Cognito::UserPoolClient', 'ClientName', 'console');
    for (const ref of [console, ofType('AWS::Cognito::UserPoolDomain')[0]![0], ofType('AWS::ApiGatewayV2::Api')[0]![0]]) expect(markers).toContain(ref);
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AWS Solutions finding', () => {
    // cdk-nag 3 is a policy-validation plugin: findings are not Annotations but a validation report (and a
    // failed synth). Re-run the pack on the synthesized tree to name them if there are any.
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});

describe('notification channels', () => {
  const channelActions = (name: string) =>
    roleStatements(name)
      .filter((s) => actions(s).some((a) => a.startsWith('ssm:') || a.startsWith('ses:')))
      .map((s) => ({ actions: actions(s).sort(), resources: resourceList(s).map((r) => JSON.stringify(r)) }));
  const parameters = (r: string) => r.includes(':parameter/zoneflow/Zoneflow/channels/*');

  it('lets only the channel functions near the secret store: configure writes, delivery reads, under the stack prefix', () => {
    for (const spec of FUNCTIONS) {
      const granted = channelActions(spec.name);
      if (!spec.channels) {
        expect(granted, spec.name).toEqual([]);
        continue;
      }
      const ssm = granted.filter((g) => g.actions.some((a) => a.startsWith('ssm:')));
      expect(ssm.flatMap((g) => g.actions).sort(), spec.name).toEqual(
        spec.channels === 'configure' ? ['ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:PutParameter'] : ['ssm:GetParameter'],
      );
      expect(ssm.flatMap((g) => g.resources).every(parameters), spec.name).toBe(true);
      expect(env(spec.name).SECRETS_PREFIX).toBe('/zoneflow/Zoneflow');
    }
    expect(FUNCTIONS.filter((f) => f.channels).map((f) => f.name).sort()).toEqual(['deliver-notifications', 'put-channels', 'route-notifications']);
  });

  it('sends e-mail from the mailFrom identity only, and only from the delivering functions', () => {
    for (const name of ['route-notifications', 'deliver-notifications']) {
      const ses = channelActions(name).filter((g) => g.actions.includes('ses:SendEmail'));
      expect(ses.flatMap((g) => g.resources).sort(), name).toEqual([
        expect.stringContaining(':identity/noreply@zone.example.cn'),
        expect.stringContaining(':identity/zone.example.cn'),
      ].sort(() => 0));
      expect(env(name).MAIL_FROM).toBe('noreply@zone.example.cn');
    }
    expect(channelActions('put-channels').some((g) => g.actions.includes('ses:SendEmail'))).toBe(false);
  });

  it('gives the function that publishes robots the extra webhook hosts of -c robotHostsAllowed, and no other function', () => {
    expect(env('put-channels').ROBOT_HOSTS_ALLOWED).toBe('gw.zone.example.cn');
    expect(FUNCTIONS.filter((f) => f.name !== 'put-channels' && env(f.name).ROBOT_HOSTS_ALLOWED !== undefined)).toEqual([]);
  });

  it('sweeps the queues every minute and alarms on a notification that failed for good', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules.find((s) => String(s.Name).endsWith('-deliver-notifications'))).toMatchObject({ ScheduleExpression: 'cron(* * * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
    const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties).filter((f) => String(f.FilterPattern).includes('notification delivery failed'));
    expect(filters).toHaveLength(2);
    const alarm = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => String(a.AlarmName).endsWith('NotificationDeliveryFailed'));
    expect(alarm?.AlarmDescription).toMatch(/GET \/deliveries/);
    // Notices routing gave up on: the alarm says how to send them (the route that takes their window).
    const parked = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties).find((a) => String(a.AlarmName).endsWith('-route-notifications-FailedRecords'));
    expect(JSON.stringify(parked?.AlarmDescription)).toContain('POST /deliveries/route');
  });
});
