// CloudWatch Logs metric filter patterns on JSON log events, as far as the stack's filters use them: written here,
// apart from infra/, so a test can tell whether a filter the stack deploys would count a line the product really logs.
// Supported: `{ … }` around string comparisons `$.a.b[0] = "text"` (quoted or bare; `*` matches any run of characters),
// joined by `&&` and `||` in parentheses or not. Anything else (`!=`, numbers, `IS NULL`, …) throws: a pattern this
// cannot read must fail the test, never pass it.

type Node = { readonly op: '&&' | '||'; readonly left: Node; readonly right: Node } | { readonly op: '='; readonly path: readonly (string | number)[]; readonly value: string };

const TOKEN = /\s*(\$(?:\.[A-Za-z_][\w-]*|\[\d+\])+|"(?:[^"\\]|\\.)*"|&&|\|\||!=|=|\(|\)|[^\s()"=!&|]+)/y;

function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(at))) break;
      throw new Error(`log filter: cannot read ${JSON.stringify(text.slice(at))}`);
    }
    out.push(m[1]!);
  }
  return out;
}

/** Parses a JSON metric filter pattern (`{ $.message.message = "x" }`). */
export function parseJsonFilter(pattern: string): Node {
  const body = /^\s*\{(.*)\}\s*$/s.exec(pattern);
  if (!body) throw new Error(`log filter: not a JSON pattern (no { … }): ${pattern}`);
  const ts = tokens(body[1]!);
  let i = 0;
  const next = () => {
    const t = ts[i++];
    if (t === undefined) throw new Error(`log filter: pattern ends too soon: ${pattern}`);
    return t;
  };
  const joined = (op: '&&' | '||', operand: () => Node) => (): Node => {
    let left = operand();
    while (ts[i] === op) {
      i += 1;
      left = { op, left, right: operand() };
    }
    return left;
  };
  const primary = (): Node => {
    const t = next();
    if (t === '(') {
      const inner = or();
      if (next() !== ')') throw new Error(`log filter: ( without ) in ${pattern}`);
      return inner;
    }
    if (!t.startsWith('$')) throw new Error(`log filter: expected a selector, got ${t} in ${pattern}`);
    const op = next();
    if (op !== '=') throw new Error(`log filter: operator ${op} not supported here, in ${pattern}`);
    const raw = next();
    if (/^-?\d/.test(raw)) throw new Error(`log filter: a numeric comparison is not supported here, in ${pattern}`);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    const path = [...t.slice(1).matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    return { op, path, value };
  };
  const and = joined('&&', primary);
  const or = joined('||', and);
  const tree = or();
  if (i !== ts.length) throw new Error(`log filter: unexpected ${ts[i]} in ${pattern}`);
  return tree;
}

/** Whether CloudWatch Logs would count the log event `line` (one JSON record, as the log group holds it) under `pattern`. */
export function filterMatches(pattern: string, line: string): boolean {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return false; // A JSON pattern matches JSON events only.
  }
  const test = (n: Node): boolean => {
    if (n.op !== '=') return n.op === '&&' ? test(n.left) && test(n.right) : test(n.left) || test(n.right);
    const found = n.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), event);
    // A string comparison holds only of a string there (not of a missing field, an object or a number).
    if (typeof found !== 'string') return false;
    return new RegExp(`^${n.value.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(found);
  };
  return test(parseJsonFilter(pattern));
}
