// A stage's tasks are dated from when the stage began — its admission, the gate before it passed 转段 — not from when the
// lifecycle's "Enter stage" step gets to write them: a crash and restart (seen live: six projects admitted together,
// npm start killed with kill -9 and started again on a fast clock, two of them entered two business days late), or a
// step retried after an outage, ran the step days of business time later and moved every due date of the stage with it.
// Here the real step runs late against the real tables: on Monday 2026-09-21, for a stage that began the week before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEnv } from '../support/lifecycle-env.ts';
import { entryOf } from '../../functions/catalog.ts';
import type { Project } from '../../functions/projects/domain/project.ts';
import type { Stage } from '../../functions/kernel/domain/codes.ts';

let env: Awaited<ReturnType<typeof lifecycleEnv>>;
beforeAll(async () => {
  // Real time from Monday 09:00: the step runs on the 21st.
  env = await lifecycleEnv({ clockStart: '2026-09-21T09:00:00+08:00', scale: 1 });
});
afterAll(() => env?.stop());

/** An active project in `stage`, its first segment recorded, as admission (or the gate's pass) leaves it. */
async function projectIn(stage: Stage, over: (p: Project) => Project): Promise<Project> {
  const { createProject } = await import('../../functions/projects/domain/project.ts');
  const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
  const { insertProject } = await import('../../functions/projects/store/projects.ts');
  const { transact } = await import('../../functions/kernel/store/client.ts');
  const now = env.clock.now();
  const base = createProject(
    { name: '入段日期项目', investor: { name: '测试公司', enterpriseId: 'ent-t' }, track: 'industrial', industry: 'nev', attractionMode: 'chain', totalInvestmentCny: 300_000_000, techLevel: 'advanced', chainRole: 'extend', park: '汇通产业园', siteMode: 'land' },
    { sub: 'dev', name: 'dev', roles: ['investment_dept'] },
    DEFAULT_CONFIG.classification,
    { id: `prj-t${Math.random().toString(36).slice(2, 10)}`, now },
  );
  const project = over({ ...base, stage, status: 'ACTIVE', workflow: { segment: 1, executionName: `${base.id}-${stage}-1`, startedAt: now.toISOString(), status: 'starting' } });
  await transact([...insertProject(project)]);
  return project;
}

async function enterLate(project: Project) {
  const { handler } = (await import(`../../${entryOf('enter-stage')}`)) as { handler: (e: unknown, c: unknown) => Promise<{ entered: boolean }> };
  expect(await handler({ projectId: project.id, stage: project.stage, segment: 1, executionName: project.workflow!.executionName }, {})).toMatchObject({ entered: true });
  const { listTasks } = await import('../../functions/lifecycle/store/tasks.ts');
  const { getStageEntry } = await import('../../functions/lifecycle/store/stage.ts');
  return { tasks: (await listTasks(project.id)).filter((t) => t.stage === project.stage), entry: (await getStageEntry(project.id, project.stage))! };
}

describe('a stage entered days after it began', () => {
  it('SIGNING: its tasks start on the day the admission was decided, not the day the step ran', async () => {
    // Admitted Wednesday 16 September; the step runs Monday 21st.
    const project = await projectIn('SIGNING', (p) => ({ ...p, admission: { required: ['investment_dept'], decisions: [{ role: 'investment_dept', by: 'u-1', decision: 'approve', at: '2026-09-16T02:00:00.000Z' }] } }));
    const { tasks, entry } = await enterLate(project);
    const first = tasks.find((t) => t.code === 'pre_site_selection')!;
    // 5 working days from Wednesday 16th, the day not counted: 17, 18, Sunday 20th (worked, 调休), 21, 22.
    expect(first).toMatchObject({ startedDate: '2026-09-16', dueDate: '2026-09-22' });
    expect(entry).toMatchObject({ enteredDate: '2026-09-16', beganAt: '2026-09-16T02:00:00.000Z' });
    // When the entry was written stays true: the 21st.
    expect(entry.enteredAt.startsWith('2026-09-21T')).toBe(true);
  });

  it('LANDING: its tasks start on the day the gate passed; one yellow by now is lit at entry', async () => {
    const { newGate } = await import('../../functions/lifecycle/domain/gate.ts');
    const { DEFAULT_MATRIX } = await import('../../functions/reference/domain/config.ts');
    const { putGate } = await import('../../functions/lifecycle/store/tasks.ts');
    const { transact } = await import('../../functions/kernel/store/client.ts');
    const project = await projectIn('LANDING', (p) => p);
    // The SIGNING gate passed on Thursday 17 September at 15:00.
    await transact([putGate(project.id, { ...newGate(DEFAULT_MATRIX.gates[0]!, project), open: false, passedAt: '2026-09-17T07:00:00.000Z' })]);
    const { tasks, entry } = await enterLate(project);
    expect(entry.enteredDate).toBe('2026-09-17');
    // 组建服务专班, 3 working days from Thursday 17th: 18, Sunday 20th (worked, 调休), 21 — due today, yellow.
    expect(tasks.find((t) => t.code === 'service_team')).toMatchObject({ startedDate: '2026-09-17', dueDate: '2026-09-21', light: 'yellow' });
    // 土地出让, 30 working days from the 17th across the holidays.
    expect(tasks.find((t) => t.code === 'land_transfer')?.startedDate).toBe('2026-09-17');
  });
});
