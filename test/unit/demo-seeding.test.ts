// The demo's marker (local/demo-seeding.ts) says how far the stalled project's month had got, for the start that carries
// it on. A later word about the same month never moves that back: the replay child told it on a Ctrl-C during its
// start-up, while its clock still stood days before where the stopped month had got to (the clock is anchored seconds
// ahead), and the next carry-on then started from the project's last audit event instead — living again days the month
// had lived (its reviews run again over them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clearDemoSeeding, readDemoSeeding, writeDemoSeeding } from '../../local/demo-seeding.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneflow-demo-seeding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo marker', () => {
  it('keeps the latest instant a pending month reached: an earlier word about the same month does not move it back', () => {
    clearDemoSeeding(dir);
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: 'prj-a', reached: '2026-11-20T00:00:00.000Z' });
    // A carry-on stopped in its start-up: its clock stood 15 business days before where the month had got to.
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: 'prj-a', reached: '2026-11-05T00:00:00.000Z' });
    expect(readDemoSeeding(dir)).toEqual({ replay: 'pending', stalledProjectId: 'prj-a', reached: '2026-11-20T00:00:00.000Z' });
    // Further on: moved on.
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: 'prj-a', reached: '2026-11-22T00:00:00.000Z' });
    expect(readDemoSeeding(dir)?.reached).toBe('2026-11-22T00:00:00.000Z');
  });

  it('takes what it is told otherwise: the month done, or another month', () => {
    clearDemoSeeding(dir);
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: 'prj-a', reached: '2026-11-20T00:00:00.000Z' });
    writeDemoSeeding(dir, { replay: 'done', stalledProjectId: 'prj-a', reached: '2026-11-19T00:00:00.000Z' });
    expect(readDemoSeeding(dir)).toEqual({ replay: 'done', stalledProjectId: 'prj-a', reached: '2026-11-19T00:00:00.000Z' });
    writeDemoSeeding(dir, { replay: 'pending', stalledProjectId: 'prj-b', reached: '2026-11-01T00:00:00.000Z' });
    expect(readDemoSeeding(dir)?.reached).toBe('2026-11-01T00:00:00.000Z');
    writeDemoSeeding(dir, { replay: 'none' });
    expect(readDemoSeeding(dir)).toEqual({ replay: 'none' });
  });
});
