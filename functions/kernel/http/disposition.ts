// Content-Disposition of a file a report answers: an ASCII `filename` every client reads, and `filename*` (RFC 8187)
// with the Chinese name browsers save it as. encodeURIComponent leaves ' ( ) * as they are, but RFC 8187's attr-char
// has none of them: a park named 科创城(二期) would give a header some clients cut at the parenthesis.

/** `value` as RFC 8187's value-chars: every byte but attr-char percent-encoded (UTF-8). */
export const rfc8187 = (value: string): string => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment` with `ascii` as the file's name for every client and `name` (any text) for those that read filename*. */
export const attachment = (ascii: string, name: string): string => `attachment; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc8187(name)}`;
