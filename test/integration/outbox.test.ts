// The transactional outbox: an API change commits the signal that wakes (or starts) its workflow in the same
// transaction, and wake-workflow delivers it from the outbox stream — at least once, retried from a failed record.
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectProblem } from '../support/assertions.ts';
import { isolatedStore } from '../support/env.ts';
import { apiEvent, call, projectBody, users } from '../support/events.ts';
import { registerFakeWorkflow } from '../support/workflow.ts';
import type { WaitRecord } from '../../functions/lifecycle/store/stage.ts';

const store = isolatedStore('outbox');
const workflow = registerFakeWorkflow();
const { handler: createProject } = await import('../../functions/projects/http/create-project.ts');
const { handler: decideAdmission } = await import('../../functions/projects/http/decide-admission.ts');
const { handler: updateProject } = await import('../../functions/projects/http/update-project.ts');
const { handler: wakeWorkflow } = await import('../../functions/lifecycle/stream/wake-workflow.ts');
const { ddb, transact } = await import('../../functions/kernel/store/client.ts');
const { getWait, putWait } = await import('../../functions/lifecycle/store/stage.ts');
const { TaskTokenRejected } = await import('../../functions/kernel/workflow/port.ts');
const { seedConfig } = await import('../support/config.ts');
const { StreamPoller } = await import('../../local/stream-poller.ts');

beforeAll(async () => {
  await store.createTables();
  await seedConfig(new Date());
});
beforeEach(async () => {
  // Each test starts from a drained stream and a clean fake.
  await store.deliverSignals();
  workflow.starts.length = 0;
  workflow.callbacks.length = 0;
  workflow.startFailure = undefined;
  workflow.callbackFailure = undefined;
});
afterAll(() => store.destroy());

async function admittedProject(): Promise<{ id: string; version: number }> {
  const created = await call<{ id: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000 }) }));
  const admitted = await call<{ id: string; version: number }>(
    decideAdmission,
    apiEvent('POST /projects/{id}/admission', { as: users.investmentOfficer, params: { id: created.body.id }, body: { decision: 'approve' } }),
  );
  expect(admitted.body).toMatchObject({ status: 'ACTIVE', workflow: { status: 'starting' } });
  return admitted.body;
}

const patch = (id: string, version: number, headers: Record<string, string> = {}) =>
  call(updateProject, apiEvent('PATCH /projects/{id}', { as: users.investmentOfficer, params: { id }, headers: { 'if-match': `"${version}"`, ...headers }, body: { name: `改名 ${version}` } }));

const signalsOf = async (projectId: string) => (await store.signals()).filter((s) => s.projectId === projectId);

const waitRecord = (token: string): WaitRecord => ({
  token,
  wait: { waitId: `w-${token}`, kind: 'deadline', stage: 'SIGNING', version: 1, timeoutSeconds: 3600, dueAt: new Date().toISOString() },
  executionName: 'test-execution',
  registeredAt: new Date().toISOString(),
});

/** A wake signal's stream image. */
const image = (projectId: string, reason: string) => Object.fromEntries(Object.entries({ kind: 'wake', projectId, reason }).map(([k, v]) => [k, { S: v }]));

/**
 * Runs a batch through wake-workflow with `afterSend` run after each accepted task success, as the real lifecycle
 * reviews and registers its next wait once woken (the fake's send restored after).
 */
async function deliverWith(records: ReturnType<typeof wakes>, afterSend: (token: string) => Promise<void>) {
  const send = workflow.sendTaskSuccess.bind(workflow);
  workflow.sendTaskSuccess = async (token, output) => {
    await send(token, output);
    await afterSend(token);
  };
  try {
    return await wakeWorkflow({ Records: records } as DynamoDBStreamEvent);
  } finally {
    workflow.sendTaskSuccess = send;
  }
}

/** A stream batch of wake signals ([project, reason] each), numbered 1, 2, … in order. */
const wakes = (...signals: [string, string][]) =>
  signals.map(([projectId, reason], i) => ({ eventName: 'INSERT' as const, dynamodb: { SequenceNumber: String(i + 1), NewImage: image(projectId, reason) } }));

/** The Lambda event the stream mapping would send for one signal image. */
function streamEvent(image: Record<string, string | number>, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBStreamEvent {
  const NewImage = Object.fromEntries(Object.entries(image).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }]));
  return { Records: [{ eventName, eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: '100', NewImage } }] };
}

describe('signals are committed with the change', () => {
  it('writes one wake signal with an accepted change, and none with a refused one', async () => {
    const project = await admittedProject();

    expect((await patch(project.id, project.version)).status).toBe(200);
    expect((await patch(project.id, project.version)).status).toBe(412);

    const wakes = (await signalsOf(project.id)).filter((s) => s.kind === 'wake');
    expect(wakes).toEqual([expect.objectContaining({ kind: 'wake', projectId: project.id, reason: 'project.updated', requestId: expect.any(String) })]);
  });

  it('writes no second signal for an idempotent replay', async () => {
    const project = await admittedProject();
    const headers = { 'idempotency-key': `patch-${project.id}` };

    const first = await patch(project.id, project.version, headers);
    const replay = await patch(project.id, project.version, headers);

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
    expect((await signalsOf(project.id)).filter((s) => s.kind === 'wake')).toHaveLength(1);
  });
});

describe('wake-workflow delivers them', () => {
  it('consumes the stored wait and sends task success once, however often the signal is delivered', async () => {
    const project = await admittedProject();
    await transact([putWait(project.id, waitRecord('token-1'))]);

    await patch(project.id, project.version);
    await store.deliverSignals();
    const event = streamEvent({ kind: 'wake', projectId: project.id, reason: 'replayed' });
    expect(await wakeWorkflow(event)).toEqual({ batchItemFailures: [] });

    expect(workflow.callbacks).toEqual([{ token: 'token-1', output: { reason: 'project.updated' } }]);
    expect(await getWait(project.id)).toBeUndefined();
  });

  it('reports a failed callback back to the stream, with the wait left for the retry', async () => {
    const project = await admittedProject();
    await transact([putWait(project.id, waitRecord('token-2'))]);
    workflow.callbackFailure = new Error('ThrottlingException');

    const reply = await wakeWorkflow(streamEvent({ kind: 'wake', projectId: project.id, reason: 'test' }));

    expect(reply).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expect((await getWait(project.id))?.token).toBe('token-2');
  });

  it('delivers a batch up to a failed signal, reports that record, and never a later signal of its project before it', async () => {
    const [a, b, c] = [await admittedProject(), await admittedProject(), await admittedProject()];
    await transact([putWait(a.id, waitRecord('token-a1')), putWait(b.id, waitRecord('token-b')), putWait(c.id, waitRecord('token-c'))]);
    const send = workflow.sendTaskSuccess.bind(workflow);
    workflow.sendTaskSuccess = async (token, output) => {
      if (token === 'token-b') throw new Error('ThrottlingException');
      return send(token, output);
    };
    const records = wakes(
      [a.id, 'first'],
      [b.id, 'fails'],
      [b.id, 'after the failure, same project'],
      [c.id, 'after the failure, another project'],
    );
    const lines: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      expect(await wakeWorkflow({ Records: records } as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    } finally {
      workflow.sendTaskSuccess = send;
      errors.mockRestore();
    }
    // The stream, its retries spent, discards the batch from the failed record on (its failure record names only the
    // sequence range): the log line names the failed signal and every one behind it in the
    // stream, for ops to replay (another project's may have been delivered beside it: a replay is harmless).
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => String(l.message).startsWith('could not deliver a workflow signal'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      signal: { kind: 'wake', projectId: b.id, reason: 'fails' },
      sequence: '2',
      behind: [
        { kind: 'wake', projectId: b.id, reason: 'after the failure, same project' },
        { kind: 'wake', projectId: c.id, reason: 'after the failure, another project' },
      ],
    });
    // A's signal, before the failure, is delivered (the stream resumes after it); B's wait is left for the retry, and
    // B's second signal waits for it. C's, another project's, ran beside B's (projects go side by side): delivered now,
    // redelivered with the retry, when it finds its wait consumed and wakes nothing twice.
    expect(workflow.callbacks.filter((x) => x.token === 'token-a1')).toEqual([{ token: 'token-a1', output: { reason: 'first' } }]);
    expect(await getWait(a.id)).toBeUndefined();
    expect((await getWait(b.id))?.token).toBe('token-b');
    expect(workflow.callbacks.filter((x) => x.token === 'token-b')).toHaveLength(0);

    expect(await wakeWorkflow({ Records: records.slice(1) } as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });
    expect(workflow.callbacks.filter((x) => x.token === 'token-b')).toEqual([{ token: 'token-b', output: { reason: 'fails' } }]);
    expect(workflow.callbacks.filter((x) => x.token === 'token-c')).toEqual([{ token: 'token-c', output: { reason: 'after the failure, another project' } }]);
    expect(await getWait(b.id)).toBeUndefined();
    expect(await getWait(c.id)).toBeUndefined();
  });

  it('reports the earliest failed record of a batch when projects fail side by side, and delivers what came before it', async () => {
    const [a, b, c] = [await admittedProject(), await admittedProject(), await admittedProject()];
    await transact([putWait(a.id, waitRecord('token-h1')), putWait(b.id, waitRecord('token-i1')), putWait(c.id, waitRecord('token-j1'))]);
    const send = workflow.sendTaskSuccess.bind(workflow);
    workflow.sendTaskSuccess = async (token, output) => {
      // B's fails at once; A's after a pause, so the later record in stream order fails first.
      if (token === 'token-i1') throw new Error('ThrottlingException');
      if (token === 'token-j1') {
        await new Promise((r) => setTimeout(r, 30));
        throw new Error('ThrottlingException');
      }
      return send(token, output);
    };
    const records = wakes([a.id, 'before both'], [c.id, 'fails second, earlier in the stream'], [b.id, 'fails first'], [a.id, 'after both']);
    try {
      expect(await wakeWorkflow({ Records: records } as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    } finally {
      workflow.sendTaskSuccess = send;
    }
    expect(workflow.callbacks.map((x) => x.token)).toEqual(['token-h1']);
    expect((await getWait(b.id))?.token).toBe('token-i1');
    expect((await getWait(c.id))?.token).toBe('token-j1');
  });

  it('wakes projects side by side: a slow lifecycle does not hold up the others of its batch', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => admittedProject()));
    await transact(ids.map((p, i) => putWait(p.id, waitRecord(`token-k${i}`))));
    const order: string[] = [];
    let othersDone = () => {};
    const others = new Promise<void>((r) => (othersDone = r));
    const send = workflow.sendTaskSuccess.bind(workflow);
    workflow.sendTaskSuccess = async (token, output) => {
      // The first project's callback answers once the other three are delivered (or after 3 s, which one after another
      // would take: then it comes first and the test fails).
      if (token === 'token-k0') await Promise.race([others, new Promise((r) => setTimeout(r, 3_000))]);
      order.push(token);
      if (order.length === 3 && !order.includes('token-k0')) othersDone();
      return send(token, output);
    };
    try {
      const reply = await wakeWorkflow({ Records: wakes(...ids.map((p): [string, string] => [p.id, 'task.completed'])) } as DynamoDBStreamEvent);
      expect(reply).toEqual({ batchItemFailures: [] });
    } finally {
      workflow.sendTaskSuccess = send;
    }
    expect(order.at(-1)).toBe('token-k0');
    expect(order.slice(0, 3).sort()).toEqual(['token-k1', 'token-k2', 'token-k3']);
  });

  it('wakes a project once a batch: a later wake-up for it, nothing else for it between, is not delivered again', async () => {
    const [a, b] = [await admittedProject(), await admittedProject()];
    await transact([putWait(a.id, waitRecord('token-d1')), putWait(b.id, waitRecord('token-e1'))]);
    // As the real lifecycle does: woken, it reviews and registers its next wait (here at once, before the next record).
    let next = 1;
    const records = wakes(
      [a.id, 'gate.approve'],
      [b.id, 'task.completed'],
      [a.id, 'gate.approve'],
      [a.id, 'gate.approve'],
      // A calendar's wake-up is always delivered, and the wake-up after it too.
      [b.id, 'calendar.loaded'],
      [b.id, 'task.completed'],
    );
    const reply = await deliverWith(records, async (token) => {
      const project = token.startsWith('token-d') ? a.id : b.id;
      await transact([putWait(project, waitRecord(`${token.slice(0, 7)}${++next}`))]);
    });
    expect(reply).toEqual({ batchItemFailures: [] });
    const tokens = workflow.callbacks.map((x) => x.token);
    expect(tokens.filter((t) => t.startsWith('token-d'))).toEqual(['token-d1']);
    expect(tokens.filter((t) => t.startsWith('token-e'))).toHaveLength(3);
    // A's next wait stands: the one review its batch started saw all three approvals.
    expect((await getWait(a.id))?.token).toMatch(/^token-d\d+$/);
    expect((await getWait(a.id))?.token).not.toBe('token-d1');
  });

  it('delivers the next wake-up of a project whose lifecycle the first found between reviews (its token spent)', async () => {
    const c = await admittedProject();
    await transact([putWait(c.id, waitRecord('token-g1'))]);
    const send = workflow.sendTaskSuccess.bind(workflow);
    // The stored token was spent (its wait timed out): the lifecycle is reviewing, and registers its next wait while
    // the first wake-up is refused — as a review in flight would.
    workflow.sendTaskSuccess = async (token, output) => {
      if (token !== 'token-g1') return send(token, output);
      await transact([putWait(c.id, waitRecord('token-f1'))]);
      throw new TaskTokenRejected('TaskTimedOut');
    };
    try {
      const reply = await wakeWorkflow({ Records: wakes([c.id, 'letter.acknowledged'], [c.id, 'letter.acknowledged']) } as DynamoDBStreamEvent);
      expect(reply).toEqual({ batchItemFailures: [] });
    } finally {
      workflow.sendTaskSuccess = send;
    }
    expect(workflow.callbacks.map((x) => x.token)).toEqual(['token-f1']);
    expect(await getWait(c.id)).toBeUndefined();
  });

  it('delivers a signal whose first attempt failed when the stream retries it', async () => {
    const project = await admittedProject();
    await transact([putWait(project.id, waitRecord('token-3'))]);
    const send = workflow.sendTaskSuccess.bind(workflow);
    let attempts = 0;
    workflow.sendTaskSuccess = async (token, output) => {
      attempts += 1;
      if (attempts === 1) throw new Error('ThrottlingException');
      return send(token, output);
    };
    try {
      await patch(project.id, project.version);
      await store.deliverSignals();
    } finally {
      workflow.sendTaskSuccess = send;
    }

    expect(attempts).toBe(2);
    expect(workflow.callbacks.map((c) => c.token)).toEqual(['token-3']);
    expect(await getWait(project.id)).toBeUndefined();
  });

  it('starts the admitted lifecycle, and does nothing for a start signal once the project runs', async () => {
    const project = await admittedProject();
    await store.deliverSignals();
    expect(workflow.startsOf(project.id).map((s) => s.name)).toEqual([`${project.id}-SIGNING-1`]);

    await store.doc.send(
      new UpdateCommand({
        TableName: store.tables.TABLE_PROJECTS,
        Key: { pk: `PROJECT#${project.id}`, sk: 'PROJECT' },
        UpdateExpression: 'SET #w.#s = :running',
        ExpressionAttributeNames: { '#w': 'workflow', '#s': 'status' },
        ExpressionAttributeValues: { ':running': 'running' },
      }),
    );
    await wakeWorkflow(streamEvent({ kind: 'start', projectId: project.id, executionName: `${project.id}-SIGNING-1` }));

    expect(workflow.startsOf(project.id)).toHaveLength(1);
  });

  it('leaves a throttled start to the stream (retried), and records any other failure as start_failed', async () => {
    const project = await admittedProject();
    const event = streamEvent({ kind: 'start', projectId: project.id, executionName: `${project.id}-SIGNING-1` });
    workflow.startFailure = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

    expect(await wakeWorkflow(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expect(await store.storedProject(project.id)).toMatchObject({ workflow: { status: 'starting' } });

    workflow.startFailure = undefined;
    expect(await wakeWorkflow(event)).toEqual({ batchItemFailures: [] });
    expect(workflow.startsOf(project.id).map((s) => s.name)).toEqual([`${project.id}-SIGNING-1`, `${project.id}-SIGNING-1`]);
  });

  it('bumps the version of a project with no stored wait when a calendar load reaches it, so its workflow re-evaluates', async () => {
    const project = await admittedProject();
    await wakeWorkflow(streamEvent({ kind: 'wake', projectId: project.id, reason: 'calendar.loaded' }));

    expect(await store.storedProject(project.id)).toMatchObject({ version: project.version + 1 });
    expect((await store.audit(`PROJECT#${project.id}`)).map((e) => e.action)).toContain('workflow.recompute_requested');
  });

  /** A task of `projectId` due in 2027, counted on weekdays for want of that year's calendar. */
  const provisionalTask = async (projectId: string) => {
    const { insertTask } = await import('../../functions/lifecycle/store/tasks.ts');
    await transact([
      insertTask({
        id: 'SIGNING.probe', projectId, stage: 'SIGNING', code: 'probe', kind: 'matrix', name: { zh: '探针', en: 'probe' },
        lead: 'investment_dept', cooperating: [], handler: '', standard: '', limitWd: 5, after: [], requiredForGate: true,
        status: 'open', startedDate: '2026-12-28', dueDate: '2027-01-04', yellowDate: '2026-12-31', light: 'green', calendarProvisional: true,
        park: '汇通产业园', enterpriseId: 'ent-a', matrixVersion: 1,
      } as never),
    ]);
  };

  it('fans a calendar load out into one wake signal per project with provisional dates', async () => {
    const project = await admittedProject();
    await provisionalTask(project.id);

    await wakeWorkflow(streamEvent({ kind: 'calendar', year: 2027 }));

    expect((await signalsOf(project.id)).filter((s) => s.kind === 'wake' && s.reason === 'calendar.loaded')).toHaveLength(1);
  });

  it('wakes every active project and every project with provisional dates for a calendar or lights publication; for an escalation publication, the active ones only', async () => {
    const active = await admittedProject();
    // Not active (submitted, not admitted), with a date counted on weekdays.
    const submitted = await call<{ id: string; status: string }>(createProject, apiEvent('POST /projects', { as: users.investmentOfficer, body: projectBody({ totalInvestmentCny: 300_000_000 }) }));
    expect(submitted.body.status).not.toBe('ACTIVE');
    await provisionalTask(submitted.body.id);
    const woken = async (reason: string) => ({
      active: (await signalsOf(active.id)).filter((s) => s.kind === 'wake' && s.reason === reason).length,
      provisional: (await signalsOf(submitted.body.id)).filter((s) => s.kind === 'wake' && s.reason === reason).length,
    });

    await wakeWorkflow(streamEvent({ kind: 'calendar', year: 2027 }));
    await wakeWorkflow(streamEvent({ kind: 'lights', version: 5 }));
    await wakeWorkflow(streamEvent({ kind: 'escalation', version: 8 }));

    expect(await woken('calendar.loaded')).toEqual({ active: 1, provisional: 1 });
    expect(await woken('lights.changed')).toEqual({ active: 1, provisional: 1 });
    expect(await woken('escalation.changed')).toEqual({ active: 1, provisional: 0 });
  });

  it('fans an escalation publication out into one plain wake signal per active project: its ladder is reviewed under the new setting', async () => {
    const project = await admittedProject();

    await wakeWorkflow(streamEvent({ kind: 'escalation', version: 7 }));

    expect((await signalsOf(project.id)).filter((s) => s.kind === 'wake' && s.reason === 'escalation.changed')).toHaveLength(1);
    // Not a recompute: the project is not flagged nor its version moved (its dates do not follow the ladder's setting).
    await wakeWorkflow(streamEvent({ kind: 'wake', projectId: project.id, reason: 'escalation.changed' }));
    expect(await store.storedProject(project.id)).toMatchObject({ version: project.version });
  });

  it('ignores removals (TTL expiry) and records that are not signals', async () => {
    const project = await admittedProject();
    await transact([putWait(project.id, waitRecord('token-4'))]);

    expect(await wakeWorkflow(streamEvent({ kind: 'wake', projectId: project.id, reason: 'x' }, 'REMOVE'))).toEqual({ batchItemFailures: [] });
    expect(await wakeWorkflow(streamEvent({ kind: 'launch', projectId: project.id }))).toEqual({ batchItemFailures: [] });

    expect(workflow.callbacks).toEqual([]);
    expect((await getWait(project.id))?.token).toBe('token-4');
  });
});

const { handler: resume } = await import('../../functions/lifecycle/http/resume-workflow.ts');
const { handler: recordFailure } = await import('../../functions/lifecycle/steps/record-failure.ts');

describe('ops resume a lifecycle', () => {
  const resumeAs = (id: string, body: Record<string, unknown> = {}) => call<{ executionName: string; confirmsStopped: boolean }>(resume, apiEvent('POST /projects/{id}/workflow/resume', { as: users.opsEngineer, params: { id }, body }));

  async function runningProject() {
    const project = await admittedProject();
    await store.deliverSignals();
    expect(workflow.startsOf(project.id)).toHaveLength(1);
    const running = { ...(await store.storedProject(project.id))!, version: project.version + 1, workflow: { segment: 1, executionName: `${project.id}-SIGNING-1`, startedAt: new Date().toISOString(), status: 'running' } };
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await store.doc.send(new PutCommand({ TableName: store.tables.TABLE_PROJECTS, Item: running }));
    return project;
  }

  it('takes over a lifecycle whose record says running only when forced, and starts nothing while its execution still runs', async () => {
    const project = await runningProject();
    expectProblem(await resumeAs(project.id), 409, ['path.id']);

    // Step Functions says SIGNING-1 is running: the forced resume is refused at once, and nothing is recorded — the
    // project the path names is what is not in a state to resume (errors[], as the unforced refusal says).
    const refused = expectProblem(await resumeAs(project.id, { force: true, note: '执行已被手工停止' }), 409, ['path.id']);
    expect(refused.detail).toMatch(/SIGNING-1 is still running: nothing was resumed/);
    expect(refused.errors).toEqual([{ path: 'path.id', code: 'state', message: `${project.id}-SIGNING-1 still running` }]);
    expect(await store.storedProject(project.id)).toMatchObject({ workflow: { status: 'running', executionName: `${project.id}-SIGNING-1` } });

    // Stopped when ops resume, running again by the time the start is delivered (a stop and a start crossed):
    // wake-workflow checks again, the takeover is refused, told to ops, nothing started.
    workflow.statuses.set(`${project.id}-SIGNING-1`, 'ABORTED');
    const forced = await resumeAs(project.id, { force: true, note: '执行已被手工停止' });
    expect(forced.status, forced.text).toBe(202);
    expect(forced.body).toMatchObject({ executionName: `${project.id}-SIGNING-2`, confirmsStopped: true });
    workflow.statuses.set(`${project.id}-SIGNING-1`, 'RUNNING');
    await store.deliverSignals();
    expect(workflow.startsOf(project.id).map((s) => s.name)).toEqual([`${project.id}-SIGNING-1`]);
    expect(await store.storedProject(project.id)).toMatchObject({ workflow: { status: 'start_failed', lastError: expect.stringMatching(/SIGNING-1 is still running/) } });

    // Once it has stopped, the next resume starts the new segment.
    workflow.statuses.set(`${project.id}-SIGNING-1`, 'ABORTED');
    expect((await resumeAs(project.id)).status).toBe(202);
    await store.deliverSignals();
    expect(workflow.startsOf(project.id).map((s) => s.name)).toEqual([`${project.id}-SIGNING-1`, `${project.id}-SIGNING-3`]);
  });

  it('a late failure of an execution the project has moved on from does not mark the running one failed', async () => {
    const project = await runningProject();
    await recordFailure({ projectId: project.id, stage: 'SIGNING', segment: 0, executionName: `${project.id}-SIGNING-0`, failure: { Error: 'TypeError', Cause: 'late' } });
    expect(await store.storedProject(project.id)).toMatchObject({ workflow: { status: 'running', executionName: `${project.id}-SIGNING-1` } });
    expect((await store.audit(`PROJECT#${project.id}`)).map((e) => e.action)).toContain('workflow.failed_stale');
    // Its own execution failing does.
    await recordFailure({ projectId: project.id, stage: 'SIGNING', segment: 1, executionName: `${project.id}-SIGNING-1`, failure: { Error: 'TypeError', Cause: 'boom' } });
    expect(await store.storedProject(project.id)).toMatchObject({ workflow: { status: 'failed', lastError: 'TypeError: boom' } });
  });
});

describe('the local stream mapping (local/stream-poller.ts)', () => {
  const writeSignal = async (id: string) =>
    store.doc.send(new UpdateCommand({ TableName: store.tables.TABLE_OUTBOX, Key: { id }, UpdateExpression: 'SET kind = :k', ExpressionAttributeValues: { ':k': 'probe' } }));

  it('hands over new items only, retries from a failed record, and gives up on it after the last attempt', async () => {
    await store.deliverSignals();
    const seen: string[] = [];
    const poller = new StreamPoller({
      endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
      tableName: store.tables.TABLE_OUTBOX ?? '',
      maxAttempts: 3,
      log: () => undefined,
      handler: async (event) => {
        for (const record of event.Records) {
          const id = record.dynamodb?.NewImage?.id?.S ?? '';
          seen.push(`${record.eventName}:${id}`);
          if (id.startsWith('poison')) return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
        }
        return { batchItemFailures: [] };
      },
    });
    try {
      await poller.drain((await store.signals()).map((item) => ({ id: item.id }))); // everything before this test
      seen.length = 0;
      await writeSignal('ok-1');
      await writeSignal('poison-1');
      await writeSignal('ok-2');
      await store.doc.send(new DeleteCommand({ TableName: store.tables.TABLE_OUTBOX, Key: { id: 'ok-1' } }));

      await poller.drain(['ok-1', 'poison-1', 'ok-2'].map((id) => ({ id })));
    } finally {
      poller.stop();
    }

    // ok-1 once; poison-1 three times (each retry re-reads from it, so ok-2 after it too); then past it; no REMOVE.
    expect(seen.filter((s) => s === 'INSERT:ok-1')).toHaveLength(1);
    expect(seen.filter((s) => s === 'INSERT:poison-1')).toHaveLength(3);
    expect(seen.at(-1)).toBe('INSERT:ok-2');
    expect(seen.some((s) => s.startsWith('REMOVE'))).toBe(false);
  });

  /**
   * A poller of the outbox that passes over what it holds, with an idle poll longer than any test (only a reported
   * write, a failed delivery or a full batch makes it read again), recording the ids it is handed. `handle` may hold a
   * batch or fail a record.
   */
  const lazyPoller = (handle: (ids: string[]) => Promise<string | undefined> = async () => undefined) => {
    const seen: string[] = [];
    const poller = new StreamPoller({
      endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
      tableName: store.tables.TABLE_OUTBOX ?? '',
      skipExisting: true,
      idleMs: 60_000,
      log: () => undefined,
      handler: async (event) => {
        const ids = event.Records.map((r) => r.dynamodb?.NewImage?.id?.S ?? '');
        seen.push(...ids);
        const failed = await handle(ids);
        const record = event.Records.find((r) => r.dynamodb?.NewImage?.id?.S === failed);
        return { batchItemFailures: record ? [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] : [] };
      },
    });
    return { poller, seen };
  };

  it('reads at once when the watched client writes to its table, and waits for its idle poll otherwise', async () => {
    await store.deliverSignals();
    const { poller, seen } = lazyPoller();
    const { watchWrites } = await import('../../local/stream-poller.ts');
    // The product's client (the runtime watches it) and this test's.
    const watching = [watchWrites(ddb, [poller]), watchWrites(store.doc, [poller])];
    const unwatch = () => watching.forEach((stop) => stop());
    try {
      await poller.start();
      // The first poll after start has run: nothing is read again until a write is reported.
      await new Promise((r) => setTimeout(r, 200));
      await writeSignal('watched');
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['watched']);
      // A transaction naming the table (among others) is reported too.
      await transact([{ item: { Put: { TableName: store.tables.TABLE_OUTBOX!, Item: { id: 'in-a-transaction', kind: 'probe' } } } }]);
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['watched', 'in-a-transaction']);
      unwatch();
      await writeSignal('unwatched');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(seen).toEqual(['watched', 'in-a-transaction']);
      poller.kick();
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['watched', 'in-a-transaction', 'unwatched']);
    } finally {
      unwatch();
      poller.stop();
    }
  });

  it('reads once more after a poll during which a write was reported, whatever that poll read (records no write owed)', async () => {
    await store.deliverSignals();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { poller, seen } = lazyPoller(async (ids) => {
      if (ids.includes('unowed-1')) await held;
      return undefined;
    });
    const { watchWrites } = await import('../../local/stream-poller.ts');
    try {
      await poller.start();
      await new Promise((r) => setTimeout(r, 200));
      // Two records no watched write announced; one kick (as a write of one record would) reads both…
      await writeSignal('unowed-1');
      await writeSignal('unowed-2');
      poller.kick();
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['unowed-1', 'unowed-2']);
      // …and while that batch is being handed over, a watched write commits: it is read right after, not at the idle poll.
      const unwatch = watchWrites(store.doc, [poller]);
      await writeSignal('during');
      unwatch();
      release();
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['unowed-1', 'unowed-2', 'during']);
    } finally {
      release();
      poller.stop();
    }
  });

  it('reads a failed delivery again at once, not at the idle poll', async () => {
    await store.deliverSignals();
    let failures = 0;
    const { poller, seen } = lazyPoller(async (ids) => (ids.includes('fails-once') && failures++ === 0 ? 'fails-once' : undefined));
    try {
      await poller.start();
      await new Promise((r) => setTimeout(r, 200));
      await writeSignal('fails-once');
      poller.kick();
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toEqual(['fails-once', 'fails-once']);
    } finally {
      poller.stop();
    }
  });

  it('passes over what the stream already held when it started (npm start after a restart), and delivers what follows', async () => {
    await writeSignal('earlier-run');
    await store.deliverSignals(); // published and visible in the stream by now
    const seen: string[] = [];
    const poller = new StreamPoller({
      endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
      tableName: store.tables.TABLE_OUTBOX ?? '',
      skipExisting: true,
      log: () => undefined,
      handler: async (event) => {
        seen.push(...event.Records.map((r) => r.dynamodb?.NewImage?.id?.S ?? ''));
        return { batchItemFailures: [] };
      },
    });
    try {
      await poller.start();
      await writeSignal('this-run');
      await poller.drain([{ id: 'this-run' }]);
      // What the simulator's end-to-end check asks: the keys given that were never handed over (none, once delivered;
      // a key no record has stays missing when the time runs out).
      expect(await poller.undelivered([{ id: 'this-run' }], 1_000)).toEqual([]);
      expect(await poller.undelivered([{ id: 'this-run' }, { id: 'never-written' }], 300)).toEqual([{ id: 'never-written' }]);
      await expect(poller.drain([{ id: 'never-written' }], 300)).rejects.toThrow(/did not deliver 1 item/);
    } finally {
      poller.stop();
    }
    expect(seen).toEqual(['this-run']);
  });

  /**
   * A poller run twice over one checkpoint file, as two runs of `npm start` are (`skipExisting` as npm start sets it, or
   * not): the first delivers `delivered` and stops; `meanwhile` is written while none runs; the second delivers it and
   * not `delivered` again.
   */
  async function restartOver(skipExisting: boolean, delivered: string, meanwhile: string): Promise<void> {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'zoneflow-checkpoints-'));
    const checkpointFile = join(dir, 'stream-checkpoints.json');
    const seen: string[] = [];
    const poller = () =>
      new StreamPoller({
        endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
        tableName: store.tables.TABLE_OUTBOX ?? '',
        skipExisting,
        checkpointFile,
        log: () => undefined,
        handler: async (event) => {
          seen.push(...event.Records.map((r) => r.dynamodb?.NewImage?.id?.S ?? ''));
          return { batchItemFailures: [] };
        },
      });
    try {
      const first = poller();
      await first.start();
      await writeSignal(delivered);
      await first.drain([{ id: delivered }]);
      first.stop();
      expect(seen).toContain(delivered);
      await writeSignal(meanwhile);
      seen.length = 0;
      const second = poller();
      await second.start();
      try {
        await second.drain([{ id: meanwhile }]);
      } finally {
        second.stop();
      }
      expect(seen).toContain(meanwhile);
      expect(seen).not.toContain(delivered);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('keeps its position in a checkpoint file: a restart reads on after the last record delivered, not from the oldest', async () => {
    // Written while the poller was down: delivered by the next one; what the first delivered is not delivered again.
    await restartOver(false, 'before-restart', 'while-down');
  });

  it('delivers after a crash what the previous run committed and had not delivered, even when told to pass over old signals', async () => {
    // As `npm start` runs it (skipExisting, checkpoints kept): a signal committed (a calendar correction's recompute)
    // that the killed process never delivered comes after the restart.
    await restartOver(true, 'delivered-before-crash', 'committed-not-delivered');
  });
});
