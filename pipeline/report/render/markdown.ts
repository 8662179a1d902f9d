/**
 * The one Markdown reader of the renderers: GFM parsed into mdast, plus the two structural
 * conventions of the report's Markdown that HTML, PDF and the review page all share — figures
 * (an image alone in its paragraph, its title the numbered caption) and heading slugs (github-slugger,
 * as the TOC links were written and as rehype-slug assigns them).
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Root, Paragraph, Image, Heading } from 'mdast';

const parser = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdown(markdown: string): Root {
  return parser.runSync(parser.parse(markdown)) as Root;
}

export interface FigureInfo {
  image: Image;
  src: string;
  alt: string;
  /** the image title: the numbered caption ("Figure 3: …"); null when the image has none */
  caption: string | null;
}

/** A paragraph holding one image and nothing but whitespace besides is a figure. */
export function figureOf(p: Paragraph): FigureInfo | null {
  const rest = p.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  if (rest.length !== 1 || rest[0].type !== 'image') return null;
  const image = rest[0];
  return { image, src: image.url, alt: image.alt ?? '', caption: image.title ?? null };
}

/** Slug of every heading in document order, computed as rehype-slug does for the HTML. */
export function headingSlugs(root: Root): Map<Heading, string> {
  const slugger = new GithubSlugger();
  const out = new Map<Heading, string>();
  visit(root, 'heading', (h) => {
    out.set(h, slugger.slug(toString(h, { includeImageAlt: false })));
  });
  return out;
}
