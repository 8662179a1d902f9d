/**
 * Escaping for the two target languages. Everything that reaches HTML goes through a hast tree
 * and is escaped by the serializer, so only Typst needs hand-written escaping: text from the
 * Markdown (and through it from the YAML: titles, notes) must never be read as Typst markup or code.
 */

/** Characters with a meaning in Typst markup (at least somewhere: line start, pairs, `//`, `#`). */
const TYPST_MARKUP_SPECIAL = /[\\#$*_`<>@\[\]=\-+/~'".:]/g;

/**
 * Text for Typst markup mode: every markup-significant character is backslash-escaped and line
 * breaks become spaces (a soft break in Markdown is a space; a Typst line starting with `=`, `-`,
 * `+` or `/` would otherwise start a heading, list or term).
 */
export function typstText(s: string): string {
  return s.replace(/\r\n?|\n/g, ' ').replace(TYPST_MARKUP_SPECIAL, (c) => '\\' + c);
}

/** A Typst string literal (code mode), quotes included. */
export function typstString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: {
        const code = ch.codePointAt(0)!;
        out += code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : ch;
      }
    }
  }
  return out + '"';
}
