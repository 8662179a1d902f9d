/**
 * A web font for the HTML pages, so that they render the same everywhere without system CJK
 * fonts and the report folder stays self-contained: the npm Noto Sans TC (OTF), subset to the
 * characters the pages use and written as WOFF2 (tens of kB instead of 5.6 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cjkFontPath } from '../../lib/fonts.ts';

const require = createRequire(import.meta.url);
const subsetFont = require('subset-font') as (font: Buffer, text: string, opts: { targetFormat: 'woff2' | 'woff' | 'sfnt' }) => Promise<Buffer>;

export const WEBFONT_FAMILY = 'Report Noto Sans TC';
export const WEBFONT_FILE = 'fonts/noto-sans-tc-subset.woff2';


/** Printable ASCII is always included, so numbers and Latin text never fall back. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** The distinct characters of `texts`, sorted (so the subset depends only on the character set). */
export function charset(texts: string[]): string {
  const set = new Set<string>(ASCII);
  for (const t of texts) for (const ch of t) if (ch.codePointAt(0)! >= 32) set.add(ch);
  return [...set].sort().join('');
}

/** WOFF2 of the regular weight holding every character of `texts`. */
export async function subsetWebFont(texts: string[]): Promise<Buffer> {
  return subsetFont(readFileSync(cjkFontPath('Regular')), charset(texts), { targetFormat: 'woff2' });
}

/** The @font-face rule for a page whose folder holds WEBFONT_FILE at `href`. */
export function fontFaceCss(href: string): string {
  return `@font-face{font-family:"${WEBFONT_FAMILY}";src:url("${href}") format("woff2");font-weight:100 900;font-display:swap}` +
    `body{font-family:"${WEBFONT_FAMILY}",system-ui,sans-serif}` +
    // monospace text falls back to the web font for the characters a monospace font lacks (CJK)
    `code,pre,kbd,samp,.summary dd{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace,"${WEBFONT_FAMILY}"}`;
}
