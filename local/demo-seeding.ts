// The demo of `npm start` under way: `.zoneflow/demo-seeding.json` is written before the first demo record is (the
// stalled project of local/replay-ladder.ts, or the first demo project or inventory record of local/start.ts) and
// removed once the demo is whole. A first start stopped part-way (Ctrl-C, a closed terminal, kill -9) leaves it, and the
// next plain `npm start` carries on from it — the stalled project's month lived on from where it stopped, the demo
// projects and inventory not yet there created — instead of taking a store with projects for a finished demo (the
// stalled project stayed at level 0, the demo projects after the first were never made).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeWhole } from './files.ts';

export interface DemoSeeding {
  /**
   * The stalled project's month: `pending` (begun, not lived to its end), `done`, or `none` (not part of this seed: the
   * store had projects, or start-up left too little of the month).
   */
  readonly replay: 'pending' | 'done' | 'none';
  /** The stalled project, once created. */
  readonly stalledProjectId?: string;
  /** The business instant the replay's clock had reached when it last said (RFC 3339): it carries on from no earlier. */
  readonly reached?: string;
}

const file = (dir: string) => join(dir, 'demo-seeding.json');

/** The demo under way in the store at `dir`, or undefined (none begun, or finished). */
export function readDemoSeeding(dir: string): DemoSeeding | undefined {
  if (!existsSync(file(dir))) return undefined;
  try {
    return JSON.parse(readFileSync(file(dir), 'utf8')) as DemoSeeding;
  } catch {
    // Written whole (files.ts): unreadable only if edited by hand. Still a demo under way.
    return { replay: 'pending' };
  }
}

/**
 * Tells the marker `value`. A pending month's `reached` never moves back on a later word about the same month (its
 * stalled project the same): the replay child tells it on a Ctrl-C during its start-up too, when its clock (anchored
 * seconds ahead) still stands days before where the stopped month had got to — taken as said, the next carry-on began
 * at the project's last audit event and lived again the days between.
 */
export function writeDemoSeeding(dir: string, value: DemoSeeding): void {
  const stored = value.replay === 'pending' && value.reached ? readDemoSeeding(dir) : undefined;
  const kept =
    stored?.replay === 'pending' && stored.stalledProjectId === value.stalledProjectId && stored.reached && value.reached && Date.parse(stored.reached) > Date.parse(value.reached)
      ? { ...value, reached: stored.reached }
      : value;
  writeWhole(file(dir), JSON.stringify(kept));
}

/** The demo is whole. */
export function clearDemoSeeding(dir: string): void {
  rmSync(file(dir), { force: true });
}
