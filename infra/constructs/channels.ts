// What the notification channels need of a function (the catalog's `channels`): the secret store — SSM Parameter Store
// SecureString parameters under /zoneflow/<stack>/channels/, encrypted with the account's aws/ssm key (its key policy
// lets SSM use it for every principal of the account, so no kms grant) — and, to deliver, SES for e-mail from the
// deployment's `mailFrom` identity. Robot webhooks are plain HTTPS from Lambda: no grant.
import { Arn, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ChannelsRight } from '../../functions/kernel/declarations.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import type { ZoneFunction } from './zone-function.ts';

/** The secret store's prefix (SECRETS_PREFIX): parameter names are `${prefix}/channels/<channel id>/<uuid>`. */
export const secretsPrefix = (stackName: string) => `/zoneflow/${stackName}`;

export function grantChannels(fn: ZoneFunction, right: ChannelsRight, opts: { readonly stackName: string; readonly mailFrom?: string; readonly robotHostsAllowed?: string }): void {
  const stack = Stack.of(fn);
  const prefix = secretsPrefix(opts.stackName);
  const parameters = Arn.format({ service: 'ssm', resource: 'parameter', resourceName: `${prefix.slice(1)}/channels/*` }, stack);
  fn.addEnvironment('SECRETS_PREFIX', prefix);
  const actions = right === 'configure' ? ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter'] : ['ssm:GetParameter'];
  const statements = [new PolicyStatement({ actions, resources: [parameters] })];
  // A zone's proxy or private gateway for robots: the hosts a published webhook may name besides the platforms' own.
  if (right === 'configure' && opts.robotHostsAllowed) fn.addEnvironment('ROBOT_HOSTS_ALLOWED', opts.robotHostsAllowed);
  if (right === 'deliver' && opts.mailFrom) {
    const domain = opts.mailFrom.split('@')[1] ?? opts.mailFrom;
    const identities = [...new Set([opts.mailFrom, domain])].map((identity) => Arn.format({ service: 'ses', resource: 'identity', resourceName: identity }, stack));
    statements.push(new PolicyStatement({ actions: ['ses:SendEmail'], resources: identities }));
    fn.addEnvironment('MAIL_FROM', opts.mailFrom);
  }
  const policy = fn.addPolicy('Channels', statements);
  acknowledge(
    policy,
    wildcardResourceFinding(fn, parameters),
    'One SecureString parameter per robot credential, named by channel id and a fresh uuid at each publish (the ' +
      'document names them; old ones are deleted): the prefix is this stack\'s channels and nothing else.',
  );
}
