/**
 * mdast → Typst markup. Structure is written with Typst's function forms (#heading, #list, #table,
 * #figure …) so that no Markdown text can ever be taken for markup: every text node goes through
 * `typstText`, every string argument through `typstString`. In-document links (`#slug`, the TOC)
 * become links to heading labels; figures become un-numbered Typst figures carrying the Markdown's
 * own numbered caption.
 */
import type {
  Root, RootContent, PhrasingContent, BlockContent, DefinitionContent, Heading, ListItem, Table,
  Definition, FootnoteDefinition,
} from 'mdast';
import { visit } from 'unist-util-visit';
import { StageError } from '../../core/errors.ts';
import { typstText, typstString } from './escape.ts';
import { figureOf, headingSlugs } from './markdown.ts';

export interface TypstOptions {
  /** the Typst path (in the compiler's virtual file system) of an image the Markdown links to */
  imagePath(url: string, alt: string): string;
}

type Node = RootContent | PhrasingContent | BlockContent | DefinitionContent;

interface Ctx {
  opts: TypstOptions;
  /** heading slug → Typst label name */
  labels: Map<string, string>;
  headingLabel: Map<Heading, string>;
  definitions: Map<string, Definition>;
  footnotes: Map<string, number>;
  footnoteDefs: Map<string, FootnoteDefinition>;
}

const ALIGN: Record<string, string> = { left: 'left', right: 'right', center: 'center' };

/** `name(args)` in code mode. */
function fn(name: string, args: string[]): string {
  return `${name}(${args.join(', ')})`;
}

/** `#name(args);` embedded in markup (the `;` ends the expression, whatever text follows). */
function call(name: string, args: string[]): string {
  return `#${fn(name, args)};`;
}

function imageCall(url: string, alt: string, size: string, ctx: Ctx): string {
  return fn('image', [typstString(ctx.opts.imagePath(url, alt)), `alt: ${typstString(alt)}`, size]);
}

function content(s: string): string {
  return `[${s}]`;
}

function inline(nodes: PhrasingContent[], ctx: Ctx): string {
  return nodes.map((n) => node(n, ctx)).join('');
}

function blocks(nodes: Node[], ctx: Ctx): string {
  return nodes.map((n) => node(n, ctx)).filter((s) => s !== '').join('\n\n');
}

function linkTarget(url: string, ctx: Ctx): string | null {
  if (url.startsWith('#')) {
    const slug = decodeURIComponent(url.slice(1));
    const label = ctx.labels.get(slug);
    return label ? `<${label}>` : null;
  }
  return typstString(url);
}

function listItem(item: ListItem, ctx: Ctx): string {
  const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
  return content(typstText(check) + blocks(item.children, ctx));
}

function table(t: Table, ctx: Ctx): string {
  const columns = Math.max(...t.children.map((r) => r.children.length));
  const align = Array.from({ length: columns }, (_, i) => ALIGN[t.align?.[i] ?? ''] ?? 'left');
  const row = (cells: Table['children'][number]['children'], strong: boolean): string[] =>
    Array.from({ length: columns }, (_, i) => {
      const text = cells[i] ? inline(cells[i].children, ctx) : '';
      return content(strong && text ? `#strong[${text}];` : text);
    });
  const [head, ...rest] = t.children;
  const args = [
    `columns: ${columns}`,
    `align: (${align.join(', ')},)`,
    `table.header(${row(head.children, true).join(', ')})`,
    ...rest.flatMap((r) => row(r.children, false)),
  ];
  return call('table', args);
}

function node(n: Node, ctx: Ctx): string {
  switch (n.type) {
    case 'text': return typstText(n.value);
    case 'emphasis': return `#emph[${inline(n.children, ctx)}];`;
    case 'strong': return `#strong[${inline(n.children, ctx)}];`;
    case 'delete': return `#strike[${inline(n.children, ctx)}];`;
    case 'inlineCode': return call('raw', [typstString(n.value)]);
    case 'break': return '#linebreak();';
    case 'link': {
      const target = linkTarget(n.url, ctx);
      const body = inline(n.children, ctx);
      return target ? `#link(${target})[${body}];` : body;
    }
    case 'linkReference': {
      const def = ctx.definitions.get(n.identifier);
      const body = inline(n.children, ctx);
      const target = def ? linkTarget(def.url, ctx) : null;
      return target ? `#link(${target})[${body}];` : body;
    }
    case 'image': return call('box', [imageCall(n.url, n.alt ?? '', 'height: 1.2em', ctx)]);
    case 'imageReference': {
      const def = ctx.definitions.get(n.identifier);
      return def ? node({ type: 'image', url: def.url, alt: n.alt, title: def.title }, ctx) : typstText(n.alt ?? '');
    }
    case 'footnoteReference': {
      let num = ctx.footnotes.get(n.identifier);
      if (num === undefined) { num = ctx.footnotes.size + 1; ctx.footnotes.set(n.identifier, num); }
      return `#super[${num}];`;
    }
    case 'html': return '';
    case 'paragraph': {
      const fig = figureOf(n);
      if (!fig) return inline(n.children, ctx);
      const caption = fig.caption !== null ? [`caption: [${typstText(fig.caption)}]`] : [];
      return call('figure', [imageCall(fig.src, fig.alt, 'width: 88%', ctx), 'numbering: none', 'kind: image', ...caption]);
    }
    case 'heading': {
      const label = ctx.headingLabel.get(n);
      return `#heading(level: ${n.depth})[${inline(n.children, ctx)}]${label ? ` <${label}>` : ''}`;
    }
    case 'thematicBreak': return '#line(length: 100%, stroke: 0.5pt + luma(180));';
    case 'blockquote': return `#quote(block: true)[${blocks(n.children, ctx)}];`;
    case 'list': {
      const items = n.children.map((i) => listItem(i, ctx));
      const tight = `tight: ${n.spread ? 'false' : 'true'}`;
      return n.ordered ? call('enum', [`start: ${n.start ?? 1}`, tight, ...items]) : call('list', [tight, ...items]);
    }
    case 'code': {
      const lang = n.lang && /^[\w+-]+$/.test(n.lang) ? [`lang: ${typstString(n.lang)}`] : [];
      return call('raw', ['block: true', ...lang, typstString(n.value)]);
    }
    case 'table': return table(n, ctx);
    case 'definition': return '';
    case 'footnoteDefinition': return '';
    case 'yaml': return '';
    default:
      throw new StageError(`report PDF: the Markdown contains a "${n.type}" node, which the Typst converter does not know how to typeset.`);
  }
}

function footnoteSection(ctx: Ctx): string {
  if (ctx.footnotes.size === 0) return '';
  const items = [...ctx.footnotes.entries()].map(([id, num]) => {
    const def = ctx.footnoteDefs.get(id);
    return `#super[${num}] ${def ? blocks(def.children, ctx) : ''}`;
  });
  return `#line(length: 30%, stroke: 0.5pt + luma(180));\n\n#text(size: 0.85em)[${items.join('\n\n')}];`;
}

/** The Typst markup of a Markdown document (body only; page set-up is the caller's). */
export function mdastToTypst(root: Root, opts: TypstOptions): string {
  const ctx: Ctx = { opts, labels: new Map(), headingLabel: new Map(), definitions: new Map(), footnotes: new Map(), footnoteDefs: new Map() };
  let i = 0;
  for (const [heading, slug] of headingSlugs(root)) {
    const label = `sec-${++i}`;
    ctx.headingLabel.set(heading, label);
    if (!ctx.labels.has(slug)) ctx.labels.set(slug, label);
  }
  visit(root, (n) => {
    if (n.type === 'definition') ctx.definitions.set((n as Definition).identifier, n as Definition);
    if (n.type === 'footnoteDefinition') ctx.footnoteDefs.set((n as FootnoteDefinition).identifier, n as FootnoteDefinition);
  });
  const body = blocks(root.children, ctx);
  const notes = footnoteSection(ctx);
  return notes ? `${body}\n\n${notes}\n` : `${body}\n`;
}
