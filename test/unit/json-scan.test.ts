// The body scan before validation: a key named twice in one object is found (JSON.parse would keep the last), with its
// path, at any depth, whatever the strings around it hold.
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../functions/kernel/http/json-scan.ts';

const duplicate = (text: string) => {
  JSON.parse(text); // the scan is for texts JSON.parse accepted
  return scanJson(text, 32).duplicate;
};

describe('a key named twice in one object', () => {
  it('is found at the top, in nested objects and in objects inside arrays, by its path', () => {
    expect(duplicate('{"name":"a","name":"b"}')).toBe('name');
    expect(duplicate('{"name":"a","investor":{"name":"x","enterpriseId":"e","name":"y"}}')).toBe('investor.name');
    expect(duplicate('{"followUps":[{"item":"a","owner":"b"},{"item":"c","item":"d"}]}')).toBe('followUps[1].item');
    expect(duplicate('{"a":[[1,2],[{"b":1},{"c":[{"d":1,"d":2}]}]]}')).toBe('a[1][1].c[0].d');
  });

  it('is the same key however it is spelt: escapes and Unicode decoded ("n\\u0061me" is "name", "\\u540d" is "名")', () => {
    expect(duplicate('{"name":1,"n\\u0061me":2}')).toBe('name');
    expect(duplicate('{"名称":1,"\\u540d\\u79f0":2}')).toBe('名称');
    expect(duplicate('{"😀":1,"\\ud83d\\ude00":2}')).toBe('😀');
    expect(duplicate('{"a\\"b":1,"a\\"b":2}')).toBe('a"b');
  });

  it('is not found where there is none: the same key in sibling or nested objects, keys spelt alike inside strings', () => {
    expect(duplicate('{"a":{"name":1},"b":{"name":2},"name":3}')).toBeUndefined();
    expect(duplicate('[{"id":1},{"id":2}]')).toBeUndefined();
    expect(duplicate('{"note":"\\"note\\":1, {\\"x\\":[", "x":"}{][,:\\\\", "y":"\\\\"}')).toBeUndefined();
    expect(duplicate('{"name":"name","value":"name"}')).toBeUndefined();
    expect(duplicate('{"Name":1,"name":2}')).toBeUndefined();
    expect(duplicate('"name"')).toBeUndefined();
    expect(duplicate('{}')).toBeUndefined();
  });

  it('finds the first key __proto__, however spelt, which a copy or a record schema drops (a series coded __proto__ vanished, 200)', () => {
    const reserved = (text: string) => {
      JSON.parse(text);
      return scanJson(text, 32).reserved;
    };
    expect(reserved('{"doc":{"series":{"__proto__":{"pattern":"x"},"notice":{}}}}')).toBe('doc.series.__proto__');
    expect(reserved('{"a":[{"\\u005f_proto__":1}]}')).toBe('a[0].__proto__'); // "\u005f" is "_"
    expect(reserved('{"a":[{"\\\\u005f_proto__":1}]}')).toBeUndefined(); // a backslash, then u005f: another key
    expect(reserved('{"note":"__proto__","proto":1,"constructor":2}')).toBeUndefined();
  });

  it('measures how deep a body nests, and stops once past the bound', () => {
    expect(scanJson('{"a":[{"b":[]}],"c":"[[[["}', 32).depth).toBe(4);
    expect(scanJson('1', 32).depth).toBe(0);
    expect(scanJson('['.repeat(100_000) + ']'.repeat(100_000), 32).depth).toBe(33);
  });
});
