// The local runtime's own error lines (local/runtime.ts `logRuntimeError`: a stream record given up, a scheduled job
// or a local execution failed) carry their time as every line the handlers log does: the runbook has ops read the local
// log by time. Every process that composes a runtime (npm start, the demo's month, the lifecycle harness) logs with it.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { logRuntimeError } from '../../local/runtime.ts';

describe('the local runtime\'s own error lines', () => {
  it('are one JSON line each on stderr, with level, message, time and the fields given', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const before = Date.now();
    try {
      logRuntimeError('stream record given up after retries (on AWS: the on-failure queue)', { table: 'outbox', sequence: '42' });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toEqual({ level: 'error', message: 'stream record given up after retries (on AWS: the on-failure queue)', time: expect.any(String), table: 'outbox', sequence: '42' });
    expect(String(line.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(String(line.time))).toBeGreaterThanOrEqual(before - 1);
  });

  it.each(['local/start.ts', 'local/replay-ladder.ts', 'local/lifecycle-harness.ts'])('%s composes its runtime with them, not a line of its own without time', (file) => {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    expect(source).toMatch(/composeLocalRuntime\(\{[\s\S]*?\blog: logRuntimeError,/);
    expect(source).not.toMatch(/JSON\.stringify\(\{ level: 'error'/);
  });
});
