// The workflow port: start lifecycle segments and resume callback waits. Step Functions on AWS; the embedded
// runner (local/workflow-runner.ts) in the local runtime, registered on globalThis before any handler runs.

export interface LifecycleInput {
  readonly projectId: string;
  readonly stage: string;
  readonly segment: number;
}

/** The exit procedure's input (statemachines/project-exit.asl.json): the project; the decision is on the project. */
export interface ExitInput {
  readonly projectId: string;
}

/** The state machines: a project's lifecycle segments, and its exit procedure 退出程序. */
export type Machine = 'lifecycle' | 'exit';

export interface WorkflowPort {
  /** Idempotent by name: starting a name that exists already is not an error (`alreadyStarted`). */
  startExecution(name: string, input: LifecycleInput): Promise<{ executionId: string; alreadyStarted: boolean }>;
  /** Starts the exit procedure of a project; idempotent by name like startExecution. */
  startExit(name: string, input: ExitInput): Promise<{ executionId: string; alreadyStarted: boolean }>;
  /**
   * Redrives a failed exit execution from the step that failed (Step Functions RedriveExecution: the same name and
   * input, succeeded steps not run again). Throws ExecutionNotRedrivable when it is not failed.
   */
  redriveExit(name: string): Promise<void>;
  /** Resumes a callback wait. Throws TaskTokenRejected when the token was used already or timed out. */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  ready(): Promise<boolean>;
  /** The status of an execution by name; undefined when there is none of that name. */
  describeExecution(name: string, machine?: Machine): Promise<ExecutionStatus | undefined>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export class TaskTokenRejected extends Error {}

/** A redrive of an execution that is running, succeeded, or unknown. */
export class ExecutionNotRedrivable extends Error {}

export const LOCAL_WORKFLOW = Symbol.for('zoneflow.localWorkflow');

export function executionName(input: LifecycleInput): string {
  return `${input.projectId}-${input.stage}-${input.segment}`;
}

/** The exit procedure's execution: one per decision (a decision after a failed, abandoned exit would be the next). */
export function exitExecutionName(projectId: string, attempt = 1): string {
  return `${projectId}-EXIT-${attempt}`;
}
