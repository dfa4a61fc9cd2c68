// The workflow port: start lifecycle segments and resume callback waits. Step Functions on AWS; the embedded
// runner (local/workflow-runner.ts) in the local runtime, registered on globalThis before any handler runs.

export interface LifecycleInput {
  readonly projectId: string;
  readonly stage: string;
  readonly segment: number;
}

export interface WorkflowPort {
  /** Idempotent by name: starting a name that exists already is not an error (`alreadyStarted`). */
  startExecution(name: string, input: LifecycleInput): Promise<{ executionId: string; alreadyStarted: boolean }>;
  /** Resumes a callback wait. Throws TaskTokenRejected when the token was used already or timed out. */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  ready(): Promise<boolean>;
  /** The status of an execution by name; undefined when there is none of that name. */
  describeExecution(name: string): Promise<ExecutionStatus | undefined>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export class TaskTokenRejected extends Error {}

export const LOCAL_WORKFLOW = Symbol.for('zoneflow.localWorkflow');

export function executionName(input: LifecycleInput): string {
  return `${input.projectId}-${input.stage}-${input.segment}`;
}
