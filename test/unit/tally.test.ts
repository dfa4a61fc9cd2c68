// The park tally's keys (kernel/domain/tally.ts): what a project and an open task put in the keys-only byTally index,
// read back as written; a park's key range is exact whatever the park is called; a key this version does not write is
// never counted.
import { describe, expect, it } from 'vitest';
import { parkTallyPrefix, projectTallyKey, readTallyKey, TALLY_PARTITION, taskTallyKey } from '../../functions/kernel/domain/tally.ts';

const HT = '汇通产业园';

describe('the tally keys', () => {
  it('a project is keyed by park, status, stage, light and rung; an open task by park, due date and lead — and read back as such', () => {
    // Stored keys: a change of their form would leave every stored entry out of the count until re-indexed.
    expect(TALLY_PARTITION).toBe('ZONE');
    const p = { park: HT, status: 'ACTIVE' as const, stage: 'LANDING' as const, light: 'red' as const, escalation: { level: 2 } };
    expect(projectTallyKey(p)).toBe('["汇通产业园","P","ACTIVE","LANDING","red",2]');
    expect(readTallyKey(projectTallyKey(p))).toEqual({ kind: 'project', park: HT, status: 'ACTIVE', stage: 'LANDING', light: 'red', level: 2 });
    expect(taskTallyKey({ park: HT, dueDate: '2026-10-09', lead: 'enterprise' })).toBe('["汇通产业园","T","2026-10-09","enterprise"]');
    expect(readTallyKey(taskTallyKey({ park: HT, dueDate: '2026-10-09', lead: 'enterprise' }))).toEqual({ kind: 'task', park: HT, dueDate: '2026-10-09', lead: 'enterprise' });
  });

  it('a park’s prefix is exact: no other park’s keys begin with it, whatever the names hold', () => {
    const names = ['A', 'A园', 'A","P', 'A,B', 'A\\', '"A"', 'A#1'];
    for (const name of names) {
      const key = projectTallyKey({ park: name, status: 'ACTIVE', stage: 'SIGNING', light: 'green', escalation: { level: 0 } });
      expect(readTallyKey(key)?.park).toBe(name);
      for (const other of names) expect(key.startsWith(parkTallyPrefix(other)), `${name} under ${other}`).toBe(other === name);
    }
  });

  it('a key this version does not write is not counted', () => {
    for (const key of ['', 'nope', '{}', '[]', '[1,"P"]', '["A","X"]', '["A","P","ACTIVE","SIGNING","green"]', '["A","P","DONE","SIGNING","green",0]', '["A","P","ACTIVE","NOWHERE","green",0]', '["A","P","ACTIVE","SIGNING","blue",0]', '["A","P","ACTIVE","SIGNING","green",-1]', '["A","P","ACTIVE","SIGNING","green",1.5]', '["A","T","2026-10-1","eco_bureau"]', '["A","T","2026-10-12","nobody"]', '["A","T","2026-10-12"]',
      // Each kind's shape under the other's mark, a part too many, a park that is not a name, a date that is not one.
      '["A","T","ACTIVE","SIGNING","green",0]', '["A","X","ACTIVE","SIGNING","green",0]', '["A","P","2026-10-12","eco_bureau"]', '["A","X","2026-10-12","eco_bureau"]',
      '["A","P","ACTIVE","SIGNING","green",0,"x"]', '["A","T","2026-10-12","eco_bureau","x"]', '[1,"P","ACTIVE","SIGNING","green",0]', '[null,"T","2026-10-12","eco_bureau"]',
      '["A","T",["2026-10-12"],"eco_bureau"]', '["A","T","x2026-10-12","eco_bureau"]', '["A","T","2026-10-12x","eco_bureau"]', '"AP"', 'null']) {
      expect(readTallyKey(key), key).toBeUndefined();
    }
  });
});
