// The queue where a function's events end after every retry (a stream mapping's on-failure destination, a schedule's
// dead-letter queue): encrypted, TLS only, kept 14 days, its depth alarmed by Observability.
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { deployedStackName } from './names.ts';

export function failureQueue(scope: Construct, functionName: string, whatItHolds: string): Queue {
  const queue = new Queue(scope, `${functionName}-Failed`, {
    queueName: `${deployedStackName(scope)}-${functionName}-failed`,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'AwsSolutions-SQS3', `This queue is itself ${whatItHolds}; a queue for its failures would have no consumer either. Its depth alarms (Observability).`);
  return queue;
}
