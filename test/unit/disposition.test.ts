import { describe, expect, it } from 'vitest';
import { attachment, rfc8187 } from '../../functions/kernel/http/disposition.ts';

describe('Content-Disposition of a report file', () => {
  it("percent-encodes what RFC 8187's attr-char leaves out, ' ( ) * included (encodeURIComponent keeps them)", () => {
    expect(rfc8187("园区统计-科创城(二期)'s*")).toBe('%E5%9B%AD%E5%8C%BA%E7%BB%9F%E8%AE%A1-%E7%A7%91%E5%88%9B%E5%9F%8E%28%E4%BA%8C%E6%9C%9F%29%27s%2A');
    expect(decodeURIComponent(rfc8187("a'(b)*c!~._-"))).toBe("a'(b)*c!~._-");
    expect(rfc8187("a'(b)*c!~._-")).toMatch(/^[A-Za-z0-9!#$&+^`|~.\-_%]*$/);
  });

  it('gives an ASCII filename for every client and the name as it is in filename*', () => {
    expect(attachment('parks-park-2026-12-05.csv', '园区统计-科创城(二期)-2026-12-05.csv')).toBe(
      `attachment; filename="parks-park-2026-12-05.csv"; filename*=UTF-8''%E5%9B%AD%E5%8C%BA%E7%BB%9F%E8%AE%A1-%E7%A7%91%E5%88%9B%E5%9F%8E%28%E4%BA%8C%E6%9C%9F%29-2026-12-05.csv`,
    );
    expect(attachment('a"b\\c园.csv', 'x')).toBe(`attachment; filename="a_b_c_.csv"; filename*=UTF-8''x`);
  });
});
