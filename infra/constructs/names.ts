// Physical names are `<stack>-<name>` after the deployed stack, wherever in the app a construct sits.
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The name of the top-level stack a construct belongs to. Inside a nested stack `Stack.of(scope).stackName` is the
 * nested stack's own generated name (a token), so names built from it would differ from the deployed stack's.
 */
export function deployedStackName(scope: IConstruct): string {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack.stackName;
}
