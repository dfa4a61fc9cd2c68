// Workflow section of the bench: history events and payloads of the real ASL in the embedded runner, counted from the
// runner's event log — per segment and per full lifecycle (no escalations), again with every deadline 100× longer,
// and the worst case: one segment woken until its wake-up budget hands over to the next.
import { nextStage, type Stage } from '../functions/kernel/domain/codes.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { lifecycleHarness, until } from '../local/lifecycle-harness.ts';
import { estimatedAwsHistoryEvents, type ExecutionRecord } from '../local/workflow-runner.ts';
import { lifecycleApi } from '../test/support/lifecycle-api.ts';

export const TARGETS = { eventsPerSegment: 2_500, payloadBytes: 16 * 1024 };

export interface SegmentStats {
  readonly name: string;
  readonly runnerEvents: number;
  readonly stateTransitions: number;
  readonly estimatedAwsEvents: number;
  readonly maxPayloadBytes: number;
}

export interface LifecycleStats {
  readonly label: string;
  readonly segments: readonly SegmentStats[];
  readonly totalStateTransitions: number;
  readonly totalEstimatedAwsEvents: number;
  readonly maxPayloadBytes: number;
}

export interface WorkflowSection {
  readonly lifecycle: LifecycleStats;
  readonly lifecycleDeadlines100x: LifecycleStats;
  readonly sameWith100xDeadlines: boolean;
  readonly worstSegment: SegmentStats & { readonly wakeUps: number };
  readonly targets: typeof TARGETS;
  readonly meetsTargets: boolean;
}

const stats = (e: ExecutionRecord): SegmentStats => ({
  name: e.name.slice(e.input.projectId.length + 1),
  runnerEvents: e.events,
  stateTransitions: e.stateTransitions,
  estimatedAwsEvents: estimatedAwsHistoryEvents(e),
  maxPayloadBytes: e.maxPayloadBytes,
});

/** Runs in a process of its own (bench/section.ts): the handlers' modules bind their tables once per process. */
export async function measureWorkflow(): Promise<WorkflowSection> {
  const db = await startDynamoDbLocal({});
  try {
    const endpoint = db.endpoint;
    const h = await lifecycleHarness({ endpoint, clockStart: '2026-03-02T09:00:00+08:00', scale: 1 });
    const { getConfig, putConfigVersion } = await import('../functions/reference/store/reference.ts');
    const { transact } = await import('../functions/kernel/store/client.ts');
    const { getWait } = await import('../functions/lifecycle/store/stage.ts');
    const { nudgeWorkflow } = await import('../functions/lifecycle/nudge.ts');

    const runLifecycle = async (label: string): Promise<LifecycleStats> => {
      const { project, executionName, input } = await h.activeProject('land', { targets: { outputValueCny: 4_000, taxCny: 400, jobs: 50 } });
      await h.workflow.startExecution(executionName, input);
      const api = await lifecycleApi({ id: project.id, park: project.park, enterpriseId: project.investor.enterpriseId }, { settle: true });
      await until(() => getWait(project.id));
      await until(async () => ((await api.tasks()).length > 0 ? true : undefined));
      for (const stage of ['SIGNING', 'LANDING', 'GROUNDBREAKING', 'CONSTRUCTION', 'OPERATION'] as Stage[]) {
        if (stage === 'CONSTRUCTION') await api.progress(60, 30);
        if (stage === 'OPERATION') for (const q of ['2025Q2', '2025Q3', '2025Q4', '2026Q1']) await api.production(q, 1_000, 100, 60);
        await api.finishTasks(stage);
        await api.passGate(stage, '2026-03-02');
        await api.waitForStage(nextStage(stage)!);
      }
      const segments = await until(() => {
        const mine = [...h.workflow.executions.values()].filter((e) => e.name.startsWith(project.id));
        return mine.length === 5 && mine.every((e) => e.status === 'SUCCEEDED') ? mine : undefined;
      }, 30_000);
      const s = segments.map(stats);
      return {
        label,
        segments: s,
        totalStateTransitions: s.reduce((n, x) => n + x.stateTransitions, 0),
        totalEstimatedAwsEvents: s.reduce((n, x) => n + x.estimatedAwsEvents, 0),
        maxPayloadBytes: Math.max(...s.map((x) => x.maxPayloadBytes)),
      };
    };

    const lifecycle = await runLifecycle('default deadlines');
    const matrix = await getConfig('matrix');
    const x100 = {
      ...matrix.doc,
      tasks: matrix.doc.tasks.map((t) => ({ ...t, limitWd: t.limitWd === null ? null : t.limitWd * 100 })),
      gates: matrix.doc.gates.map((g) => ({ ...g, limitWd: g.limitWd * 100 })),
    };
    await transact([putConfigVersion({ name: 'matrix', version: matrix.version + 1, doc: x100, publishedAt: new Date().toISOString(), publishedBy: 'bench' })]);
    const lifecycleDeadlines100x = await runLifecycle('every deadline 100× longer');

    // Worst case: a segment woken again and again (each API change wakes it) until its budget hands over.
    const { project, executionName, input } = await h.activeProject('land');
    await h.workflow.startExecution(executionName, input);
    let wakeUps = 0;
    let last = '';
    while (!h.workflow.executions.has(`${project.id}-SIGNING-2`) && wakeUps < 1_000) {
      const wait = await until(async () => {
        const w = await getWait(project.id);
        return w && w.token !== last ? w : h.workflow.executions.has(`${project.id}-SIGNING-2`) ? { token: '' } : undefined;
      });
      if (!wait.token) break;
      last = wait.token;
      await nudgeWorkflow(project.id, 'bench');
      wakeUps += 1;
    }
    const first = await until(() => {
      const e = h.workflow.executions.get(executionName);
      return e?.status === 'SUCCEEDED' ? e : undefined;
    });
    const worstSegment = { ...stats(first), wakeUps };
    h.stop();

    const same =
      lifecycle.totalStateTransitions === lifecycleDeadlines100x.totalStateTransitions &&
      lifecycle.totalEstimatedAwsEvents === lifecycleDeadlines100x.totalEstimatedAwsEvents;
    const maxPayload = Math.max(lifecycle.maxPayloadBytes, lifecycleDeadlines100x.maxPayloadBytes, worstSegment.maxPayloadBytes);
    return {
      lifecycle,
      lifecycleDeadlines100x,
      sameWith100xDeadlines: same,
      worstSegment,
      targets: TARGETS,
      meetsTargets: worstSegment.estimatedAwsEvents <= TARGETS.eventsPerSegment && maxPayload <= TARGETS.payloadBytes,
    };
  } finally {
    await db.stop();
  }
}

export function formatWorkflow(w: WorkflowSection): string {
  const rows = (l: LifecycleStats) =>
    l.segments.map((s) => `  ${s.name.padEnd(18)} ${String(s.stateTransitions).padStart(6)} ${String(s.runnerEvents).padStart(8)} ${String(s.estimatedAwsEvents).padStart(10)} ${String(s.maxPayloadBytes).padStart(9)}`);
  const head = `  ${'segment'.padEnd(18)} ${'states'.padStart(6)} ${'runner ev'.padStart(8)} ${'AWS ev (est)'.padStart(10)} ${'payload B'.padStart(9)}`;
  const total = (l: LifecycleStats) => `  ${'total'.padEnd(18)} ${String(l.totalStateTransitions).padStart(6)} ${''.padStart(8)} ${String(l.totalEstimatedAwsEvents).padStart(10)} ${String(l.maxPayloadBytes).padStart(9)}`;
  return [
    `full lifecycle, ${w.lifecycle.label} (no escalations):`,
    head,
    ...rows(w.lifecycle),
    total(w.lifecycle),
    `full lifecycle, ${w.lifecycleDeadlines100x.label}:`,
    head,
    ...rows(w.lifecycleDeadlines100x),
    total(w.lifecycleDeadlines100x),
    `transitions and events unchanged with 100× deadlines: ${w.sameWith100xDeadlines ? 'yes' : 'NO'}`,
    `worst segment (woken ${w.worstSegment.wakeUps}× until its budget handed over): ${w.worstSegment.stateTransitions} states, ~${w.worstSegment.estimatedAwsEvents} AWS history events (target ≤ ${w.targets.eventsPerSegment}); largest state payload ${Math.max(w.lifecycle.maxPayloadBytes, w.worstSegment.maxPayloadBytes)} B (target ≤ ${w.targets.payloadBytes})`,
  ].join('\n');
}
