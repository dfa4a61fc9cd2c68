// The product's log lines as the alarms' metric filters read them. Locally a line is one JSON string; on Lambda with
// the JSON log format the runtime wraps each console call in its own record, keeping a lone argument as `message` —
// a string (the whole line) no filter can look into, an object it can. So there the record goes as an object, at its
// level, and infra's filters read `$.message.message` (infra/constructs/observability.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** A console call as Lambda's Node.js runtime records it on the JSON format: its argument kept as `message`. */
const asLambdaRecords = (level: string, calls: unknown[][]) => calls.map((args) => JSON.parse(JSON.stringify({ timestamp: 't', level, requestId: 'r', message: args[0] })) as { level: string; message: unknown });

describe('log lines', () => {
  it('on Lambda’s JSON format: an object at its level, whose message the alarms’ filters find at $.message.message', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { log } = await import('../../functions/kernel/runtime/log.ts');
    log.error('lifecycle start failed', { projectId: 'prj-1', err: new TypeError('boom') });
    log.warn('slow', { ms: 3 });
    const [record] = asLambdaRecords('ERROR', error.mock.calls);
    expect(record!.message).toMatchObject({ level: 'error', message: 'lifecycle start failed', projectId: 'prj-1', err: { name: 'TypeError', message: 'boom' } });
    // A warning is a WARN record, not an ERROR one.
    expect(warn.mock.calls).toHaveLength(1);
    expect(asLambdaRecords('WARN', warn.mock.calls)[0]!.message).toMatchObject({ level: 'warn', message: 'slow', ms: 3 });
    expect(error.mock.calls).toHaveLength(1);
  });

  it('elsewhere (the local runtime, tests): one JSON line, errors and warnings on stderr', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', '');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { log } = await import('../../functions/kernel/runtime/log.ts');
    log.warn('slow', { ms: 3 });
    log.info('fine');
    expect(typeof error.mock.calls[0]![0]).toBe('string');
    expect(JSON.parse(error.mock.calls[0]![0] as string)).toMatchObject({ level: 'warn', message: 'slow', ms: 3 });
    expect(JSON.parse(info.mock.calls[0]![0] as string)).toMatchObject({ level: 'info', message: 'fine' });
  });
});
