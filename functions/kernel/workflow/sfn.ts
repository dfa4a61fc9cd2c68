// Step Functions adapter of the workflow port. Imported statically: measured smaller and faster to load than a lazy
// import(), which keeps the whole SFN client in the bundle (esbuild cannot tree-shake a dynamic import).
import { DescribeExecutionCommand, DescribeStateMachineCommand, RedriveExecutionCommand, SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ExecutionNotRedrivable, TaskTokenRejected, type ExecutionStatus, type Machine, type WorkflowPort } from './port.ts';

let client: SFNClient | undefined;

/** The environment variable that carries each machine's ARN (set by CDK for the functions granted its rights). */
export const MACHINE_ARN_ENV: Record<Machine, string> = { lifecycle: 'STATE_MACHINE_ARN', exit: 'EXIT_STATE_MACHINE_ARN' };

export function stepFunctionsWorkflow(): WorkflowPort {
  const sfn = () => (client ??= new SFNClient({}));
  const arn = (machine: Machine = 'lifecycle') => {
    const value = process.env[MACHINE_ARN_ENV[machine]];
    if (!value) throw new Error(`Missing environment variable ${MACHINE_ARN_ENV[machine]}`);
    return value;
  };
  // arn:aws:states:<region>:<account>:stateMachine:<machine> → …:execution:<machine>:<name>
  const executionArn = (name: string, machine?: Machine) => `${arn(machine).replace(':stateMachine:', ':execution:')}:${name}`;
  const start = async (machine: Machine, name: string, input: object) => {
    try {
      const out = await sfn().send(new StartExecutionCommand({ stateMachineArn: arn(machine), name, input: JSON.stringify(input) }));
      return { executionId: out.executionArn ?? name, alreadyStarted: false };
    } catch (err) {
      if ((err as Error).name === 'ExecutionAlreadyExists') return { executionId: name, alreadyStarted: true };
      throw err;
    }
  };
  return {
    startExecution: (name, input) => start('lifecycle', name, input),
    startExit: (name, input) => start('exit', name, input),
    async redriveExit(name) {
      try {
        await sfn().send(new RedriveExecutionCommand({ executionArn: executionArn(name, 'exit') }));
      } catch (err) {
        const n = (err as Error).name;
        if (n === 'ExecutionNotRedrivable' || n === 'ExecutionDoesNotExist') throw new ExecutionNotRedrivable(`${name}: ${(err as Error).message}`);
        throw err;
      }
    },
    async sendTaskSuccess(token, output) {
      try {
        await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') throw new TaskTokenRejected(name);
        throw err;
      }
    },
    async describeExecution(name, machine) {
      try {
        return (await sfn().send(new DescribeExecutionCommand({ executionArn: executionArn(name, machine) }))).status as ExecutionStatus;
      } catch (err) {
        if ((err as Error).name === 'ExecutionDoesNotExist') return undefined;
        throw err;
      }
    },
    async ready() {
      const out = await sfn().send(new DescribeStateMachineCommand({ stateMachineArn: arn() }));
      return out.status === 'ACTIVE';
    },
  };
}
