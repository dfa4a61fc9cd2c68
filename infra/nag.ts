// cdk-nag wiring: the AWS Solutions pack on the app, and the narrow acknowledgements the constructs make.
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Runs AWS Solutions checks at synth; any unacknowledged finding makes synth (and the infra test) fail. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/** Acknowledges one cdk-nag finding on one construct (and its children only), with the reason on record. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The finding id AwsSolutions-IAM5 reports for a wildcard resource. The rule names the finding after the
 * resolved CloudFormation value, written flat (`<Logical.Attr>` for GetAtt, `<Name>` for Ref), so the id
 * depends on whether the stack's region/account are concrete: compute it rather than hard-code it.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (typeof node.Ref === 'string') return `<${node.Ref}>`;
    // Fn::Sub in its string form (CDK's asset bucket name): each ${Name} written as <Name>, as for a Ref.
    const sub = node['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, '<$1>');
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flatten).join('.')}>`;
  }
  throw new Error(`cannot name the IAM5 finding for ${JSON.stringify(value)}`);
}
