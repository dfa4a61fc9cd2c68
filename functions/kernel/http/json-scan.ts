// One pass over a JSON text JSON.parse has already accepted: how deep arrays and objects nest, and the first key an
// object names twice — JSON.parse keeps the last silently (`{"name":"a","name":"b"}` is "b"), where the sender meant
// one of them — and the first key `__proto__`, which a parsed value holds as an own key but every copy and schema drops
// (a record's `{"__proto__": …}` entry vanishes and the rest is accepted, 200). No recursion (the depth is what is being measured) and no values built: a 64 KB body in well under a
// millisecond.

export interface JsonShape {
  /** How deep arrays and objects nest (0 for a scalar). */
  readonly depth: number;
  /** The path of the first key named twice in one object, as field errors name paths (`investor.name`, `a[1].b`). */
  readonly duplicate?: string;
  /** The path of the first key `__proto__`: no object of a body may name it (a copy sets the prototype instead). */
  readonly reserved?: string;
}

interface ObjectFrame {
  readonly path: string;
  readonly keys: Set<string>;
  key: string;
  /** The next string is a key (after `{` or `,`), not a value. */
  expectKey: boolean;
}
interface ArrayFrame {
  readonly path: string;
  index: number;
}
type Frame = ObjectFrame | ArrayFrame;

const child = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const isObject = (f: Frame): f is ObjectFrame => 'keys' in f;

/**
 * `text` must be valid JSON (parse it first): the scan does not check the grammar. It stops as soon as the nesting
 * passes `maxDepth` (such a body is refused anyway, and paths that long would cost what the bound is there to avoid).
 */
export function scanJson(text: string, maxDepth: number): JsonShape {
  const stack: Frame[] = [];
  let depth = 0;
  const here = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    return isObject(top) ? child(top.path, top.key) : `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, a backslash escaping the next character.
      const start = i + 1;
      let escaped = false;
      for (i = start; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top !== undefined && isObject(top) && top.expectKey) {
        // "n\u0061me" is the key "name": escapes are decoded (rarely there, so rarely paid for).
        const raw = text.slice(start, i);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (key === '__proto__') return { depth: Math.max(depth, stack.length), reserved: child(top.path, key) };
        if (top.keys.has(key)) return { depth: Math.max(depth, stack.length), duplicate: child(top.path, key) };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (stack.length >= maxDepth) return { depth: stack.length + 1 };
      stack.push(c === 0x7b ? { path: here(), keys: new Set(), key: '', expectKey: true } : { path: here(), index: 0 });
      depth = Math.max(depth, stack.length);
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (isObject(top)) top.expectKey = true;
      else top.index++;
    }
  }
  return { depth };
}
