// The simulator's CPU profile summary (bench/sim/profile.ts): samples added up by the part of the stack that spent them,
// native frames counted for the nearest frame above with a source, idle time apart.
import { describe, expect, it } from 'vitest';
import { packageOf, partOf, summarizeProfile, type Profile } from '../../bench/sim/profile.ts';

const ROOT = '/repo/';
const nm = (pkg: string) => `file:///repo/node_modules/${pkg}/dist/index.js`;

describe('simulation CPU profile', () => {
  it('names the part of a source', () => {
    expect(partOf(nm('@smithy/core'), ROOT)).toBe('AWS SDK');
    expect(partOf(nm('@aws-sdk/lib-dynamodb'), ROOT)).toBe('AWS SDK');
    expect(partOf(nm('jsonpath-plus'), ROOT)).toBe('workflow runner');
    expect(partOf(nm('zod'), ROOT)).toBe('other packages');
    expect(partOf('node:_http_client', ROOT)).toBe('Node (HTTP, streams, timers)');
    expect(partOf('file:///repo/functions/lifecycle/store/tasks.ts', ROOT)).toBe('product functions');
    expect(partOf('file:///repo/local/server.ts', ROOT)).toBe('HTTP API server');
    expect(partOf('file:///repo/local/workflow-runner.ts', ROOT)).toBe('workflow runner');
    expect(partOf('file:///repo/local/stream-poller.ts', ROOT)).toBe('local stack');
    expect(partOf('file:///repo/bench/sim/meter.ts', ROOT)).toBe('simulator');
    expect(partOf('', ROOT)).toBeUndefined();
    expect(packageOf(nm('@smithy/core'))).toBe('@smithy/core');
    expect(packageOf('file:///repo/node_modules/.pnpm/x/node_modules/zod/index.js')).toBe('zod');
  });

  it('adds samples up by part, counting Node’s and native frames for the code that called them', () => {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
    const profile: Profile = {
      startTime: 0,
      endTime: 10_000_000,
      nodes: [
        frame(1, '(root)', '', [2, 3, 4, 7, 8, 9]),
        frame(2, '(idle)', ''),
        frame(3, 'send', nm('@smithy/core'), [5]),
        frame(4, 'handler', 'file:///repo/functions/projects/http/get-project.ts', [11]),
        frame(5, 'Hmac', 'node:internal/crypto/hash', [6]),
        frame(6, 'digest', ''),
        frame(7, '(garbage collector)', ''),
        frame(8, '(program)', ''),
        frame(9, 'onStreamRead', 'node:internal/stream_base_commons', [10]),
        frame(10, 'utf8Slice', ''),
        frame(11, 'writev', ''),
      ],
      //          idle  sdk  fn  hmac(sdk) digest(sdk) gc  program  socket read(Node) its native(Node)  writev(fn)
      samples: [2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      timeDeltas: [3e6, 1e6, 1e6, 1e6, 1e6, 1e6, 0.5e6, 0.5e6, 0.5e6, 0.5e6, 1e6],
    };
    const s = summarizeProfile(profile, ROOT);
    expect(s.sampledSeconds).toBe(10);
    expect(s.idleSeconds).toBe(4);
    expect(s.parts).toEqual([
      { part: 'AWS SDK', seconds: 3, share: 42.86 },
      { part: 'product functions', seconds: 2, share: 28.57 },
      { part: 'Node (HTTP, streams, timers)', seconds: 1, share: 14.29 },
      { part: 'garbage collector', seconds: 0.5, share: 7.14 },
      { part: 'native, unattributed', seconds: 0.5, share: 7.14 },
    ]);
    expect(s.packages).toEqual([{ name: '@smithy/core', seconds: 3, share: 42.86 }]);
  });

  it('summarizes an empty profile without dividing by zero', () => {
    expect(summarizeProfile({ startTime: 0, endTime: 0, nodes: [{ id: 1, callFrame: { functionName: '(root)', url: '' } }] }, ROOT)).toEqual({
      sampledSeconds: 0,
      idleSeconds: 0,
      parts: [],
      packages: [],
    });
  });
});
