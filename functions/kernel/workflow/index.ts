// Picks the workflow adapter once per process: the embedded local runner when ZONEFLOW_WORKFLOW=local, else Step Functions.
import { LOCAL_WORKFLOW, type WorkflowPort } from './port.ts';
import { stepFunctionsWorkflow } from './sfn.ts';

function localWorkflow(): WorkflowPort {
  const port = () => {
    const registered = (globalThis as Record<symbol, WorkflowPort | undefined>)[LOCAL_WORKFLOW];
    if (!registered) throw new Error('The local workflow runner is not registered');
    return registered;
  };
  return {
    startExecution: (name, input) => port().startExecution(name, input),
    sendTaskSuccess: (token, output) => port().sendTaskSuccess(token, output),
    ready: () => port().ready(),
    describeExecution: (name, machine) => port().describeExecution(name, machine),
    startExit: (name, input) => port().startExit(name, input),
    redriveExit: (name) => port().redriveExit(name),
  };
}

export const workflow: WorkflowPort = process.env.ZONEFLOW_WORKFLOW === 'local' ? localWorkflow() : stepFunctionsWorkflow();
export * from './port.ts';
