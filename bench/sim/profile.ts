// Where the Node process's time goes during a simulation (`npm run simulate -- --cpu-profile`): V8's sampling profiler
// over the drive (and the calls still in flight at its end), through the inspector of this very process (no second
// process, no flag at launch). The raw profile is written for Chrome DevTools; the summary adds up the samples by the
// part of the stack that spent them — the AWS SDK, the product's functions, the local stack, the workflow runner, the
// simulator itself, Node's HTTP and streams, the garbage collector — so a run says which of them the shared event loop
// is busy with. A sample in Node's own code or in native code counts for the code that called it: the HMAC of a
// signature is the SDK's, the socket write of a response the server's; only what nothing above called (a socket's data
// arriving, a timer firing) is Node's.
import { Session } from 'node:inspector/promises';

/** The part of the stack a source URL belongs to. */
export type Part =
  | 'AWS SDK'
  | 'workflow runner'
  | 'HTTP API server'
  | 'product functions'
  | 'local stack'
  | 'simulator'
  | 'Node (HTTP, streams, timers)'
  | 'other packages'
  | 'garbage collector'
  | 'native, unattributed';

export interface CpuProfileSummary {
  /** Seconds the profile covers (the drive). */
  readonly sampledSeconds: number;
  /** Of those, seconds the loop waited for work. */
  readonly idleSeconds: number;
  /** Seconds spent, by part, largest first; `share` is of the busy seconds. */
  readonly parts: readonly { readonly part: Part; readonly seconds: number; readonly share: number }[];
  /** The packages under node_modules that spent the most, largest first (top 12). */
  readonly packages: readonly { readonly name: string; readonly seconds: number; readonly share: number }[];
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

const NODE: Part = 'Node (HTTP, streams, timers)';
const UNATTRIBUTED: Part = 'native, unattributed';
const SDK = /^@aws-sdk\/|^@smithy\/|^@aws-crypto\//;
const RUNNER = /^aws-local-stepfunctions$|^jsonpath-plus$/;

/** The package a node_modules URL is in (`@scope/name` or `name`; the innermost node_modules), or undefined. */
export function packageOf(url: string): string | undefined {
  return /.*node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url)?.[1];
}

/** The part a source URL belongs to (`root`: the project's directory, as a file URL or path). */
export function partOf(url: string, root: string): Part | undefined {
  if (!url) return undefined;
  const pkg = packageOf(url);
  if (pkg) return SDK.test(pkg) ? 'AWS SDK' : RUNNER.test(pkg) ? 'workflow runner' : 'other packages';
  if (url.startsWith('node:')) return 'Node (HTTP, streams, timers)';
  const path = url.replace(/^file:\/\//, '');
  const rel = path.startsWith(root) ? path.slice(root.length).replace(/^\//, '') : path;
  if (rel.startsWith('functions/')) return 'product functions';
  if (rel === 'local/server.ts' || rel === 'local/auth.ts') return 'HTTP API server';
  if (rel === 'local/workflow-runner.ts') return 'workflow runner';
  if (rel.startsWith('local/')) return 'local stack';
  if (rel.startsWith('bench/')) return 'simulator';
  return 'other packages';
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Adds a profile's samples up by part and by package (`root`: the project's directory). */
export function summarizeProfile(profile: Profile, root: string): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The part and package of a node: its own source's, or the nearest ancestor's that has one (memoized).
  const owner = new Map<number, { part: Part | 'idle'; pkg?: string }>();
  const ownerOf = (id: number): { part: Part | 'idle'; pkg?: string } => {
    const known = owner.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let found: { part: Part | 'idle'; pkg?: string };
    if (name === '(idle)') found = { part: 'idle' };
    else if (name === '(garbage collector)') found = { part: 'garbage collector' };
    else {
      // Node's own code and native code count for whoever called them (the SDK's hashing, the server's socket
      // writes); only what no package or project code called (a socket's data arriving, a timer) is Node's.
      const own = partOf(node.callFrame.url, root);
      const up = parent.get(id);
      const caller = up !== undefined && byId.get(up)?.callFrame.functionName !== '(root)' ? ownerOf(up) : undefined;
      if (own && own !== NODE) found = { part: own, pkg: packageOf(node.callFrame.url) };
      else if (caller && caller.part !== NODE && caller.part !== UNATTRIBUTED) found = caller;
      else found = { part: own ?? caller?.part ?? UNATTRIBUTED };
    }
    owner.set(id, found);
    return found;
  };
  const parts = new Map<Part, number>();
  const packages = new Map<string, number>();
  let idle = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i] ?? 0;
    const { part, pkg } = ownerOf(samples[i]!);
    if (part === 'idle') {
      idle += us;
      continue;
    }
    parts.set(part, (parts.get(part) ?? 0) + us);
    if (pkg) packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busy = [...parts.values()].reduce((a, b) => a + b, 0);
  const share = (us: number) => (busy ? round((100 * us) / busy) : 0);
  return {
    sampledSeconds: round((profile.endTime - profile.startTime) / 1e6),
    idleSeconds: round(idle / 1e6),
    parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, seconds: round(us / 1e6), share: share(us) })),
    packages: [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, us]) => ({ name, seconds: round(us / 1e6), share: share(us) })),
  };
}

/** Starts V8's sampling profiler in this process; `stop()` ends it and returns the raw profile. */
export async function startCpuProfile(samplingIntervalUs = 1000): Promise<{ stop(): Promise<Profile> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      session.disconnect();
      return profile;
    },
  };
}
