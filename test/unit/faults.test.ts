// Which failures of a workflow step the state machine retries: transient AWS faults leave the step as TransientFault;
// domain races keep their names (retried by name); a bug keeps its name and reaches "Record failure".
import { describe, expect, it, vi } from 'vitest';
import { isTransient, mayHaveApplied, TransientFault, workflowStep } from '../../functions/kernel/runtime/faults.ts';
import { Conflict, NotFound, PreconditionFailed } from '../../functions/kernel/domain/errors.ts';
import { ConcurrentChange } from '../../functions/kernel/store/client.ts';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('transient faults', () => {
  it.each([
    ['DynamoDB throttling', named('ProvisionedThroughputExceededException')],
    ['a DynamoDB server error', named('InternalServerError')],
    ['an HTTP 503 from any service', named('SomethingNew', { $metadata: { httpStatusCode: 503 } })],
    ['an HTTP 429', named('SlowDown', { $metadata: { httpStatusCode: 429 } })],
    ['what the SDK marks retryable', named('Whatever', { $retryable: { throttling: true } })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s is transient', (_, err) => {
    expect(isTransient(err)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('x is not a function')],
    ['a validation error from DynamoDB', named('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['a domain conflict', new Conflict('already decided')],
    ['nothing at all', undefined],
  ])('%s is not', (_, err) => {
    expect(isTransient(err)).toBe(false);
  });
});

describe('workflowStep', () => {
  it('raises a transient fault as TransientFault, keeping the original name and message', async () => {
    const step = workflowStep(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    const err = await step({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientFault);
    expect((err as Error).name).toBe('TransientFault');
    expect((err as Error).message).toBe('ThrottlingException: Rate exceeded');
  });

  it('a race the step kept losing tells ops what to do — redrive, or mend the record it names — not to retry a request no one sent', async () => {
    const { retrying } = await import('../../functions/kernel/unit-of-work.ts');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const step = workflowStep(async () => retrying(async () => Promise.reject(new ConcurrentChange('letter number exit 2027 taken')), false, 2));
      const err = await step({ projectId: 'prj-1', executionName: 'prj-1-EXIT-1', step: 'letter' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientFault);
      const message = (err as Error).message;
      expect(message).toMatch(/^Contended: /);
      expect(message).toContain('letter number exit 2027 taken');
      expect(message).toMatch(/redrive/);
      expect(message).not.toMatch(/Retry the request/i);
    } finally {
      warn.mockRestore();
    }
  });

  it('lets a bug and a domain error through under their own names', async () => {
    await expect(workflowStep(async () => Promise.reject(new TypeError('boom')))({})).rejects.toMatchObject({ name: 'TypeError' });
    await expect(workflowStep(async () => Promise.reject(new Conflict('raced')))({})).rejects.toMatchObject({ name: 'Conflict' });
    expect(await workflowStep(async (n: number) => n + 1)(1)).toBe(2);
  });

  it('logs a step that throws with its project and execution name, for ops to find it in the step function\'s log group', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = (line: unknown) => void lines.push(JSON.parse(String(line)) as Record<string, unknown>);
    const error = vi.spyOn(console, 'error').mockImplementation(capture);
    const input = { projectId: 'prj-1', stage: 'SIGNING', segment: 2, executionName: 'prj-1-SIGNING-2' };
    try {
      await workflowStep(async () => Promise.reject(new TypeError('boom')))(input).catch(() => undefined);
      await workflowStep(async () => Promise.reject(named('ThrottlingException')))({ projectId: 'prj-2', executionName: 'prj-2-EXIT-1', step: 'letter' }).catch(() => undefined);
      await workflowStep(async (n: number) => n + 1)(1);
    } finally {
      error.mockRestore();
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'workflow step failed', projectId: 'prj-1', executionName: 'prj-1-SIGNING-2', err: expect.objectContaining({ name: 'TypeError', message: 'boom' }) }),
      expect.objectContaining({ level: 'warn', message: 'workflow step met a transient fault; the state machine retries it', projectId: 'prj-2', executionName: 'prj-2-EXIT-1', step: 'letter' }),
    ]);
  });

  it('logs a domain error the state machine retries by name as a warning, with its project and execution name: only real failures are errors', async () => {
    const lines: Record<string, unknown>[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line)) as Record<string, unknown>));
    const input = { projectId: 'prj-3', executionName: 'prj-3-BUILDING-1' };
    try {
      for (const err of [new Conflict('raced'), new PreconditionFailed('moved'), new ConcurrentChange('task moved'), new NotFound('no gate')]) {
        await expect(workflowStep(async () => Promise.reject(err))(input)).rejects.toBe(err);
      }
    } finally {
      error.mockRestore();
    }
    const retried = { level: 'warn', message: 'workflow step refused; the state machine retries it', projectId: 'prj-3', executionName: 'prj-3-BUILDING-1' };
    expect(lines).toEqual([
      expect.objectContaining({ ...retried, err: expect.objectContaining({ name: 'Conflict', message: 'raced' }) }),
      expect.objectContaining({ ...retried, err: expect.objectContaining({ name: 'PreconditionFailed' }) }),
      expect.objectContaining({ ...retried, err: expect.objectContaining({ name: 'ConcurrentChange' }) }),
      // Not retried (statemachines/*.asl.json): it goes to "Record failure", a real failure.
      expect.objectContaining({ level: 'error', message: 'workflow step failed', projectId: 'prj-3', executionName: 'prj-3-BUILDING-1', err: expect.objectContaining({ name: 'NotFound' }) }),
    ]);
  });
});

describe('mayHaveApplied', () => {
  const fault = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });
  it.each([
    ['a server fault (DynamoDB: the transaction may or may not have succeeded)', fault('InternalServerError', { $metadata: { httpStatusCode: 500 } }), true],
    ['a transaction with the same token still in progress', fault('TransactionInProgressException', { $metadata: { httpStatusCode: 400 } }), true],
    ['a request timed out after it was sent', fault('TimeoutError'), true],
    ['a connection reset', fault('Error', { code: 'ECONNRESET' }), true],
    ['throttled', fault('ThrottlingException', { $metadata: { httpStatusCode: 400 } }), false],
    ['over the provisioned throughput', fault('ProvisionedThroughputExceededException', { $metadata: { httpStatusCode: 400 } }), false],
    ['a transaction conflict (cancelled)', fault('TransactionConflictException', { $metadata: { httpStatusCode: 400 } }), false],
    ['a connection refused (never sent)', fault('Error', { code: 'ECONNREFUSED' }), false],
    ['a cancelled transaction (a condition failed)', fault('TransactionCanceledException', { $metadata: { httpStatusCode: 400 } }), false],
    ['a failed condition', fault('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }), false],
    ['a validation error', fault('ValidationException', { $metadata: { httpStatusCode: 400 } }), false],
  ])('%s: %s', (_what, err, unknown) => {
    expect(mayHaveApplied(err)).toBe(unknown);
  });
});
