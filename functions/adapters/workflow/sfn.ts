// Step Functions adapter of the workflow port. The SFN client module is evaluated on first use, not at cold start:
// most requests of the functions that hold this port (e.g. a first admission approval of two) never call it.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { TaskTokenRejected, type WorkflowPort } from './port.ts';

const sdk = () => import('@aws-sdk/client-sfn');
let client: SFNClient | undefined;

export function stepFunctionsWorkflow(): WorkflowPort {
  const stateMachineArn = process.env.STATE_MACHINE_ARN;
  const sfnClient = async () => (client ??= new (await sdk()).SFNClient({}));
  const arn = () => {
    if (!stateMachineArn) throw new Error('Missing environment variable STATE_MACHINE_ARN');
    return stateMachineArn;
  };
  return {
    async startExecution(name, input) {
      try {
        const { StartExecutionCommand } = await sdk();
        const out = await (await sfnClient()).send(new StartExecutionCommand({ stateMachineArn: arn(), name, input: JSON.stringify(input) }));
        return { executionId: out.executionArn ?? name, alreadyStarted: false };
      } catch (err) {
        if ((err as Error).name === 'ExecutionAlreadyExists') return { executionId: name, alreadyStarted: true };
        throw err;
      }
    },
    async sendTaskSuccess(token, output) {
      try {
        const { SendTaskSuccessCommand } = await sdk();
        await (await sfnClient()).send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') throw new TaskTokenRejected(name);
        throw err;
      }
    },
    async ready() {
      const { DescribeStateMachineCommand } = await sdk();
      const out = await (await sfnClient()).send(new DescribeStateMachineCommand({ stateMachineArn: arn() }));
      return out.status === 'ACTIVE';
    },
  };
}
