/** Tiny mdast builders, so the report's structure reads as what it is. */
import type {
  BlockContent, Heading, Image, List, ListItem, Paragraph, PhrasingContent, Strong, Table, TableCell, TableRow, Text,
} from 'mdast';

export type Inline = string | PhrasingContent | PhrasingContent[];

const toPhrasing = (x: Inline): PhrasingContent[] =>
  typeof x === 'string' ? [text(x)] : Array.isArray(x) ? x : [x];

export const text = (value: string): Text => ({ type: 'text', value });

export const strong = (...xs: Inline[]): Strong => ({ type: 'strong', children: xs.flatMap(toPhrasing) });

export const paragraph = (...xs: Inline[]): Paragraph => ({ type: 'paragraph', children: xs.flatMap(toPhrasing) });

export const heading = (depth: 1 | 2 | 3 | 4 | 5 | 6, ...xs: Inline[]): Heading => ({ type: 'heading', depth, children: xs.flatMap(toPhrasing) });

export function listItem(...blocks: (BlockContent | Inline)[]): ListItem {
  const children = blocks.map((b) =>
    typeof b !== 'string' && !Array.isArray(b) && isBlock(b) ? b : paragraph(b as Inline));
  return { type: 'listItem', spread: children.length > 1, children };
}

export function list(items: ListItem[], ordered = false): List {
  return { type: 'list', ordered, start: ordered ? 1 : undefined, spread: items.some((i) => i.spread), children: items };
}

export const image = (url: string, alt: string, title: string): Image => ({ type: 'image', url, alt, title });

export type Align = 'left' | 'right' | 'center' | null;

/** A GFM table; the first row is the header. */
export function table(header: Inline[], rows: Inline[][], align?: Align[]): Table {
  const row = (cells: Inline[]): TableRow => ({
    type: 'tableRow',
    children: cells.map((c): TableCell => ({ type: 'tableCell', children: toPhrasing(c) })),
  });
  for (const r of rows)
    if (r.length !== header.length) throw new Error(`table row has ${r.length} cells, header has ${header.length}`);
  return { type: 'table', align: align ?? header.map(() => null), children: [row(header), ...rows.map(row)] };
}

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'list', 'table', 'blockquote', 'code', 'thematicBreak', 'html']);
function isBlock(x: PhrasingContent | BlockContent): x is BlockContent {
  return BLOCK_TYPES.has(x.type);
}
