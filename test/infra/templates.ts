// The application's CloudFormation as the infra tests read it: the stack's own template and every nested stack's,
// one by one (for the per-template budgets) and as one merged template (for assertions over the whole application).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestedStack, Stage, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

type Json = Record<string, unknown>;

interface CfnTemplate {
  Parameters?: Record<string, Json>;
  Resources: Record<string, Json & { Type: string; Properties?: Json; DependsOn?: string | string[] }>;
  Outputs?: Record<string, Json & { Value: unknown }>;
  [section: string]: unknown;
}

/** One synthesized template: the top-level stack's (`nestedId` undefined) or a nested stack's. */
export interface StackTemplate {
  readonly stack: Stack;
  /** The construct path, e.g. `Zoneflow/Functions/inventory`. */
  readonly path: string;
  /** Logical id of the AWS::CloudFormation::Stack resource in the parent template; prefix of its resources when merged. */
  readonly nestedId?: string;
  readonly template: CfnTemplate;
  /** Size in bytes of the template file the CLI deploys (what CloudFormation's 1 MB limit applies to). */
  readonly bytes: number;
  readonly children: readonly StackTemplate[];
}

const nestedStacksOf = (stack: Stack): NestedStack[] =>
  stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c) && c.nestedStackParent === stack);

/** The stack's template and, recursively, its nested stacks' (Template.fromStack synthesizes the app once). */
export function stackTemplates(stack: Stack, nestedId?: string): StackTemplate {
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const file = join(Stage.of(stack)!.outdir, stack.templateFile);
  const children = nestedStacksOf(stack).map((nested) => {
    const id = stack.resolve(nested.nestedStackResource!.logicalId) as string;
    return stackTemplates(nested, nestedId === undefined ? id : `${nestedId}/${id}`);
  });
  return {
    stack,
    path: stack.node.path,
    nestedId,
    template,
    bytes: readFileSync(file).byteLength,
    children,
  };
}

/** Every template of the tree, the top-level stack first. */
export function flatten(root: StackTemplate): StackTemplate[] {
  return [root, ...root.children.flatMap(flatten)];
}

/**
 * One template with the resources of every stack, as if nothing had been split: a nested stack's resources appear
 * under `<nested stack logical id>/<logical id>`; a nested template's parameter is replaced by the value its parent
 * passes, and a parent's `Fn::GetAtt` of a nested stack output by the output's value, so references across the
 * boundary read as direct references (`{ Ref: <table> }`, `{ Fn::GetAtt: [<nested>/<function>, Arn] }`). A DependsOn
 * naming a nested stack also names every resource in it (CloudFormation completes the whole nested stack first).
 * Outputs are the top-level stack's.
 */
export function mergedTemplate(root: StackTemplate): CfnTemplate {
  const prefixed = (t: StackTemplate, id: string): string => (t.nestedId === undefined ? id : `${t.nestedId}/${id}`);
  const localId = (child: StackTemplate): string => child.nestedId!.split('/').pop()!;
  const allIds = (t: StackTemplate): string[] => [
    ...Object.keys(t.template.Resources).map((id) => prefixed(t, id)),
    ...t.children.flatMap(allIds),
  ];

  // First every stack's resolver (each may call its parent's and its children's), then the resources.
  const resolvers = new Map<StackTemplate, (value: unknown) => unknown>();
  const register = (t: StackTemplate, parent?: StackTemplate): void => {
    const passed = parent ? ((parent.template.Resources[localId(t)]!.Properties?.Parameters ?? {}) as Json) : {};
    const childById = new Map(t.children.map((child) => [localId(child), child]));
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      const node = value as Json;
      const keys = Object.keys(node);
      if (keys.length === 1 && typeof node.Ref === 'string') {
        if (parent && node.Ref in passed) return resolvers.get(parent)!(passed[node.Ref]);
        if (t.template.Parameters && node.Ref in t.template.Parameters && parent) {
          throw new Error(`${t.path}: parameter ${node.Ref} is not passed by its parent`);
        }
        if (node.Ref in t.template.Resources) return { Ref: prefixed(t, node.Ref) };
        return node; // a pseudo parameter (AWS::Region, …) or a parameter of the top-level stack
      }
      const getAtt = node['Fn::GetAtt'];
      if (keys.length === 1 && Array.isArray(getAtt)) {
        const [id, attribute] = getAtt as [string, string];
        const child = childById.get(id);
        if (child && attribute.startsWith('Outputs.')) {
          const output = child.template.Outputs?.[attribute.slice('Outputs.'.length)];
          if (!output) throw new Error(`${t.path}: no output ${attribute} in ${child.path}`);
          return resolvers.get(child)!(output.Value);
        }
        if (id in t.template.Resources) return { 'Fn::GetAtt': [prefixed(t, id), attribute] };
      }
      return Object.fromEntries(keys.map((key) => [key, resolve(node[key])]));
    };
    resolvers.set(t, resolve);
    for (const child of t.children) register(child, t);
  };
  register(root);

  const resources: CfnTemplate['Resources'] = {};
  const add = (t: StackTemplate): void => {
    const resolve = resolvers.get(t)!;
    const childById = new Map(t.children.map((child) => [localId(child), child]));
    for (const [id, resource] of Object.entries(t.template.Resources)) {
      const merged = { ...(resolve(resource) as typeof resource) };
      if (resource.DependsOn !== undefined) {
        merged.DependsOn = [resource.DependsOn].flat().flatMap((dep) => {
          const child = childById.get(dep);
          return child ? [prefixed(t, dep), ...allIds(child)] : [prefixed(t, dep)];
        });
      }
      const key = prefixed(t, id);
      if (key in resources) throw new Error(`duplicate logical id ${key}`);
      resources[key] = merged;
    }
    t.children.forEach(add);
  };
  add(root);

  return { ...root.template, Resources: resources, Outputs: resolvers.get(root)!(root.template.Outputs) as CfnTemplate['Outputs'] };
}
