/**
 * Numbers as they appear in sentences and tables, and escaping of data for Markdown. Numbers are
 * formatted the same way in every language (decimal point, U+2212 minus sign); words around them
 * come from the locale messages.
 */
import type { Quantity, Value } from './findings.ts';

const MINUS = '\u2212';

/** Fixed decimals, U+2212 for negatives, no "−0". */
export function num(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : `${MINUS}∞`;
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? MINUS + s : s;
}

/** With an explicit sign: "+1.5", "−0.3", "0.0". */
export function signed(x: number, digits: number): string {
  const s = num(x, digits);
  return x > 0 && Number(Math.abs(x).toFixed(digits)) !== 0 ? `+${s}` : s;
}

export const pct = (x: number, digits = 1) => `${num(x, digits)}%`;

/** A quantity: "64.7%", or "64.7 ± 3.1%" when it is the mean of several seeds. */
export function quantityText(q: Quantity): string {
  const f = q.unit === 'pp' ? (x: number) => signed(x, q.digits) : (x: number) => num(x, q.digits);
  const suffix = q.unit === 'pct' ? '%' : q.unit === 'ratio' ? '×' : q.unit === 'seconds' ? ' s' : '';
  // no-break spaces keep "64.7 ± 3.1%" on one line in narrow table cells
  const core = q.n > 1 ? `${f(q.mean)}\u00a0±\u00a0${num(q.sd, q.digits)}` : f(q.mean);
  return core + suffix;
}

export function valueText(v: Value): string {
  return typeof v === 'string' ? v : quantityText(v);
}

/** p-value alone: "0.031", "< 0.001". */
export function pValue(p: number): string {
  if (Number.isNaN(p)) return 'n/a';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** p-value in a sentence: "p = 0.031", "p < 0.001". */
export function pText(p: number): string {
  const v = pValue(p);
  return v.startsWith('<') ? `p ${v}` : `p = ${v}`;
}

/**
 * Escape text so that Markdown reads it back literally: every ASCII punctuation character gets
 * a backslash (CommonMark allows that for all of them), line breaks become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/**
 * Sentences joined into one paragraph: a space after Western punctuation, nothing after a
 * full-width (CJK) sentence end, which carries its own spacing.
 */
export function joinSentences(parts: readonly string[]): string {
  return parts.filter((p) => p.length > 0).reduce((acc, p) => (acc === '' ? p : /[。！？；）」』]$/.test(acc) ? acc + p : `${acc} ${p}`), '');
}

/** A number of unknown scale with about four significant digits: "62.50", "0.1234", "1523". */
export function sig(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return num(x, 0);
  const digits = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x)))));
  return num(x, digits);
}

/** A share as a percentage with only the decimals it needs: 0.02 → "2%", 0.005 → "0.5%". */
export function sharePct(share: number): string {
  const p = Math.round(share * 10000) / 100;
  return pct(p, Number.isInteger(p) ? 0 : Number.isInteger(p * 10) ? 1 : 2);
}

/** Text as a Markdown code span, whatever backticks or line breaks it holds. */
export function codeSpan(s: string): string {
  const flat = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return flat === '' ? '` `' : `${fence}${pad}${flat}${pad}${fence}`;
}
