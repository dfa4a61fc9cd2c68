// The transactional outbox: a change that concerns a project's workflow writes a signal item in the same transaction,
// and the table's stream hands it to wake-workflow. So a committed change always reaches its workflow (retried by the
// stream's event source mapping), and no API function needs Step Functions rights or its SDK client.
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '#kernel/domain/codes.ts';
import { requireEnv } from '#kernel/runtime/env.ts';
import { transact, type WriteOp } from './client.ts';

const table = () => requireEnv('TABLE_OUTBOX');
/** Stream records live 24 h; the item only has to outlive its stream record. */
const TTL_SECONDS = 24 * 3600;

export type Signal =
  /** The project changed: a waiting lifecycle re-evaluates. */
  | { readonly kind: 'wake'; readonly projectId: string; readonly reason: string }
  /** Admission approved: start the lifecycle execution recorded on the project. */
  | { readonly kind: 'start'; readonly projectId: string; readonly executionName: string }
  /** An exit decided (start its execution) or a failed exit redriven by ops (from the step that failed). */
  | { readonly kind: 'exit'; readonly projectId: string; readonly executionName: string; readonly mode: 'start' | 'redrive' }
  /** Ops loaded a calendar year: every project with provisional due dates recomputes them. */
  | { readonly kind: 'calendar'; readonly year: number }
  /** Ops published a version of the lights configuration: every active project recomputes its yellow dates. */
  | { readonly kind: 'lights'; readonly version: number }
  /**
   * Ops published a version of the escalation ladder (`ladderTasks`, the grace, the windows): every active project's
   * lifecycle reviews its ladder under it — one that slept with nothing due (no deadline of its own) would otherwise
   * keep the old setting's answer for up to 30 days.
   */
  | { readonly kind: 'escalation'; readonly version: number }
  /** A department's task turned red (its overdue fact committed): whether the department goes on the notice list. */
  | { readonly kind: 'department'; readonly projectId: string; readonly role: Role; readonly park: string | null; readonly date: string };

/** The Put of one signal. TTL is real time (DynamoDB deletes by the wall clock), not the business clock. */
export function signalOp(signal: Signal, requestId?: string): WriteOp {
  const subject = signal.kind === 'calendar' ? String(signal.year) : signal.kind === 'lights' || signal.kind === 'escalation' ? String(signal.version) : signal.projectId;
  return {
    item: {
      Put: {
        TableName: table(),
        Item: {
          id: `${signal.kind}#${subject}#${randomUUID()}`,
          ...signal,
          ...(requestId ? { requestId } : {}),
          // Real milliseconds at the commit: how long the stream and its consumer took to deliver it (the backlog).
          signalledAt: Date.now(),
          expiresAt: Math.floor(Date.now() / 1000) + TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      },
    },
  };
}

/** Emits signals on their own (not part of a change): a fan-out, 100 to a transaction, each delivered and retried alone. */
export async function emitSignals(signals: readonly Signal[], requestId?: string): Promise<void> {
  for (let i = 0; i < signals.length; i += 100) await transact(signals.slice(i, i + 100).map((s) => signalOp(s, requestId)));
}

/** A stream image (DynamoDB JSON) as written by signalOp; undefined for anything else. */
export function signalFromImage(image: Record<string, { S?: string; N?: string }> | undefined): Signal | undefined {
  const s = (name: string) => image?.[name]?.S;
  const kind = s('kind');
  const projectId = s('projectId');
  const executionName = s('executionName');
  if (kind === 'wake' && projectId) return { kind, projectId, reason: s('reason') ?? 'unknown' };
  if (kind === 'start' && projectId && executionName) return { kind, projectId, executionName };
  if (kind === 'exit' && projectId && executionName) return { kind, projectId, executionName, mode: s('mode') === 'redrive' ? 'redrive' : 'start' };
  const role = ROLES.find((r) => r === s('role'));
  const date = s('date');
  if (kind === 'department' && projectId && role && date) return { kind, projectId, role, park: s('park') ?? null, date };
  const year = Number(image?.year?.N);
  if (kind === 'calendar' && Number.isInteger(year)) return { kind, year };
  const version = Number(image?.version?.N);
  if ((kind === 'lights' || kind === 'escalation') && Number.isInteger(version)) return { kind, version };
  return undefined;
}
