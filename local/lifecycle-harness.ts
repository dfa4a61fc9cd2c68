// Harness for the real ASL in the embedded runner (tests and bench): the local composition root (local/runtime.ts) on
// fresh tables of a shared DynamoDB Local, with a business clock of its own, and ACTIVE projects ready for their first
// segment.
import { composeLocalRuntime, logRuntimeError, type LocalRuntimeOptions } from './runtime.ts';

export async function lifecycleHarness(opts: { endpoint: string; clockStart: string; scale: number; instrument?: LocalRuntimeOptions['instrument'] }) {
  const prefix = `lc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const runtime = await composeLocalRuntime({
    endpoint: opts.endpoint,
    prefix,
    clock: { ZONEFLOW_CLOCK_START: opts.clockStart, ZONEFLOW_CLOCK_ANCHOR: String(Date.now()), ZONEFLOW_TIME_SCALE: String(opts.scale) },
    log: logRuntimeError,
    instrument: opts.instrument,
  });
  const { clock, workflow, pollers, injectFault, stop, settled, startSchedules, loadHandler } = runtime;
  const projects = await import('../functions/projects/store/projects.ts');
  const { transact } = await import('../functions/kernel/store/client.ts');
  const { createProject } = await import('../functions/projects/domain/project.ts');
  const { DEFAULT_CONFIG } = await import('../functions/reference/domain/config.ts');

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
    await transact([...projects.insertProject(project)]);
    return { project, executionName: name, input: { projectId: project.id, stage, segment: 1 } };
  }

  return { workflow, activeProject, clock, projects, pollers, stop, settled, injectFault, startSchedules, loadHandler };
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
