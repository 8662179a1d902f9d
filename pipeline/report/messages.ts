/**
 * Locale messages as Markdown. A message may use inline Markdown (`**bold**`); the data put into
 * it (numbers, names, text from the YAML) is escaped first, so it is always read literally.
 * `raw()` marks a fragment that is itself a rendered message (already Markdown).
 */
import type { BlockContent, PhrasingContent, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Language } from '../core/schema.ts';
import type { Quantity } from './findings.ts';
import { escapeMarkdown, valueText } from './format.ts';

export type TFunction = (key: string, vars?: Record<string, unknown>) => string;

export class Raw {
  constructor(readonly md: string) {}
}
export const raw = (md: string) => new Raw(md);

export type Var = string | number | boolean | Quantity | Raw;
export type Vars = Record<string, Var | undefined>;

const parser = unified().use(remarkParse);

function isQuantity(v: unknown): v is Quantity {
  return typeof v === 'object' && v !== null && 'mean' in v && 'unit' in v;
}

function prepare(vars: Vars | undefined, escape: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars ?? {})) {
    if (v === undefined) continue;
    if (k === 'count' || k === 'context') { out[k] = v; continue; }
    const s = v instanceof Raw ? v.md : isQuantity(v) ? valueText(v) : String(v);
    out[k] = escape && !(v instanceof Raw) ? escapeMarkdown(s) : s;
  }
  return out;
}

export class Messages {
  constructor(readonly lang: Language, private readonly t: TFunction) {}

  private lookup(key: string, vars: Record<string, unknown>): string {
    const s = this.t(key, vars);
    if (s === key || s === '')
      throw new Error(`locales/${this.lang}/report.json has no message "${key}"${vars.context ? ` (context ${String(vars.context)})` : ''}`);
    return s;
  }

  /** The message as Markdown source, data escaped. */
  md(key: string, vars?: Vars): string {
    return this.lookup(key, prepare(vars, true));
  }

  /** The message as plain text (alt text, captions, titles): nothing escaped, nothing parsed. */
  text(key: string, vars?: Vars): string {
    return this.lookup(key, prepare(vars, false));
  }

  /** The message parsed to block content (one or more paragraphs). */
  blocks(key: string, vars?: Vars): BlockContent[] {
    return parseBlocks(this.md(key, vars));
  }

  /** The message parsed to inline content. */
  inline(key: string, vars?: Vars): PhrasingContent[] {
    return parseInline(this.md(key, vars));
  }
}

export function parseBlocks(md: string): BlockContent[] {
  return parser.parse(md).children.filter((n: RootContent): n is BlockContent => n.type !== 'definition' && n.type !== 'yaml') as BlockContent[];
}

/** Inline content of a one-paragraph Markdown fragment (several paragraphs are joined by a space). */
export function parseInline(md: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const b of parseBlocks(md)) {
    if (b.type !== 'paragraph') throw new Error(`expected inline Markdown, got a ${b.type}: ${JSON.stringify(md.slice(0, 80))}`);
    if (out.length) out.push({ type: 'text', value: ' ' });
    out.push(...b.children);
  }
  return out;
}
