// Harness for the real ASL in the embedded runner (tests and bench): fresh tables in a DynamoDB Local, env set before
// any handler module loads, seeded configuration and calendar, and ACTIVE projects ready for their first segment.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTables, localClientConfig, LOCAL_AWS, tableEnv } from './dynamodb-local.ts';
import { entryOf } from '../functions/catalog.ts';

export async function lifecycleHarness(opts: { endpoint: string; clockStart: string; scale: number }) {
  const endpoint = opts.endpoint;
  const prefix = `lc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  Object.assign(process.env, {
    ...tableEnv(prefix),
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.secretAccessKey,
    ZONEFLOW_WORKFLOW: 'local',
    ZONEFLOW_CLOCK_START: opts.clockStart,
    ZONEFLOW_CLOCK_ANCHOR: String(Date.now()),
    ZONEFLOW_TIME_SCALE: String(opts.scale),
  });
  await createTables(new DynamoDBClient(localClientConfig(endpoint)), { prefix });

  const { installLongTimers } = await import('./long-timers.ts');
  installLongTimers();
  const { LocalWorkflow } = await import('./workflow-runner.ts');
  const { LOCAL_WORKFLOW } = await import('../functions/kernel/workflow/port.ts');
  const { ensureReferenceData } = await import('./seed.ts');
  const { clock } = await import('../functions/kernel/runtime/clock.ts');
  const projects = await import('../functions/projects/store/projects.ts');
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { createProject } = await import('../functions/projects/domain/project.ts');
  const { DEFAULT_CONFIG } = await import('../functions/reference/domain/config.ts');
  await ensureReferenceData(clock.now());

  /** Faults to inject into the next calls of a function, as Lambda would report them (tests of the state machine's retries). */
  const faults = new Map<string, { error: () => Error; remaining: number }>();
  const invoke = async (fn: string, payload: unknown) => {
    const fault = faults.get(fn);
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      throw fault.error();
    }
    const mod = (await import(`../${entryOf(fn)}`)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
    return mod.handler(payload, {});
  };
  /** The next `times` invocations of `fn` fail with `error()` before reaching the handler. */
  const injectFault = (fn: string, error: () => Error, times: number) => faults.set(fn, { error, remaining: times });
  const workflow = new LocalWorkflow(invoke, (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })));
  (globalThis as Record<symbol, unknown>)[LOCAL_WORKFLOW] = workflow;
  const { startStreamConsumers } = await import('./stream-poller.ts');
  const pollers = await startStreamConsumers(endpoint, invoke as never, (message, fields) =>
    console.error(JSON.stringify({ level: 'error', message, ...fields })),
  );

  /** An admitted project (ACTIVE, segment 1 recorded) as decide-admission leaves it. */
  async function activeProject(
    siteMode: 'land' | 'lease' = 'land',
    extra: { targets?: { outputValueCny?: number; taxCny?: number; jobs?: number } } = {},
    stage: 'SIGNING' | 'LANDING' | 'GROUNDBREAKING' | 'CONSTRUCTION' | 'OPERATION' = 'SIGNING',
  ) {
    const now = clock.now();
    const base = createProject(
      {
        name: '测试项目',
        investor: { name: '测试公司', enterpriseId: 'ent-t' },
        track: 'industrial',
        industry: 'nev',
        attractionMode: 'chain',
        totalInvestmentCny: 300_000_000,
        techLevel: 'advanced',
        chainRole: 'extend',
        park: '汇通产业园',
        siteMode,
        ...extra,
      },
      { sub: 'dev', name: 'dev', roles: ['investment_dept'] },
      DEFAULT_CONFIG.classification,
      { id: `prj-t${Math.random().toString(36).slice(2, 10)}`, now },
    );
    const name = `${base.id}-${stage}-1`;
    const project = { ...base, stage, status: 'ACTIVE' as const, workflow: { segment: 1, executionName: name, startedAt: now.toISOString(), status: 'starting' as const } };
    await transact([projects.insertProject(project)]);
    return { project, executionName: name, input: { projectId: project.id, stage, segment: 1 } };
  }

  /** Stops the runner's executions and the outbox pollers. */
  const stop = () => {
    workflow.stopAll();
    for (const p of pollers) p.stop();
  };
  return { workflow: workflow as InstanceType<typeof LocalWorkflow>, activeProject, clock, projects, pollers, stop, injectFault };
}

/** Polls `probe` until it yields a value. Generous by default: CI runs synth and the e2e runtime beside these tests. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 45_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
