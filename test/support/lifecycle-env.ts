// The lifecycle harness (local/lifecycle-harness.ts) on the test run's shared DynamoDB Local.
import { inject } from 'vitest';
import { lifecycleHarness } from '../../local/lifecycle-harness.ts';

export { until } from '../../local/lifecycle-harness.ts';

export function lifecycleEnv(opts: Omit<Parameters<typeof lifecycleHarness>[0], 'endpoint'>) {
  return lifecycleHarness({ endpoint: inject('dynamodbEndpoint'), ...opts });
}
