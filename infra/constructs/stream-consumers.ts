// Event source mappings for the catalog functions fed by a table's stream (`consumes`): today wake-workflow on the
// outbox. Failed records are retried from the failed one (ReportBatchItemFailures), then parked in an encrypted queue.
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { acknowledge } from '../nag.ts';
import { failureQueue } from './failure-queue.ts';
import type { Data } from './data.ts';
import type { ZoneFunction } from './zone-function.ts';

export interface StreamConsumersProps {
  readonly specs: readonly FunctionSpec[];
  readonly functions: ReadonlyMap<string, ZoneFunction>;
  readonly data: Data;
}

export interface StreamConsumer {
  readonly name: string;
  readonly fn: ZoneFunction;
  readonly mapping: EventSourceMapping;
  /** Records that failed every retry: each one a signal that never reached its workflow. */
  readonly failed: Queue;
}

/** Stream actions: ListStreams has no resource type (Resource "*" only); the rest are scoped to the one stream. */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

export class StreamConsumers extends Construct {
  readonly consumers: StreamConsumer[] = [];

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    for (const spec of props.specs) {
      if (!spec.consumes) continue;
      const table = props.data.table(spec.consumes);
      const streamArn = table.table.tableStreamArn;
      if (!table.def.stream || !streamArn) throw new Error(`${spec.name} consumes ${spec.consumes}, which has no stream`);
      const fn = props.functions.get(spec.name);
      if (!fn) throw new Error(`no function ${spec.name}`);

      // The record names the shard and sequence range; ops replay the signal by hand (see docs/runbook.md).
      const failed = failureQueue(this, spec.name, 'the on-failure destination of the stream mapping');

      const policy = fn.addPolicy('StreamAccess', [
        new PolicyStatement({ actions: STREAM_READ, resources: [streamArn] }),
        new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
      ]);
      acknowledge(
        policy,
        'AwsSolutions-IAM5[Resource::*]',
        'dynamodb:ListStreams supports no resource-level permission; the event source mapping needs it. Reading ' +
          'records (GetRecords, GetShardIterator, DescribeStream) is limited to this one stream.',
      );

      const mapping = new EventSourceMapping(this, `${spec.name}-Mapping`, {
        target: fn.handler,
        eventSourceArn: streamArn,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        // Only new signals: the TTL deletion of a delivered one is a REMOVE record, filtered out before any invoke.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(failed),
      });
      mapping.node.addDependency(policy);
      this.consumers.push({ name: spec.name, fn, mapping, failed });
    }
  }
}
