/**
 * Markdown → hast body content: remark-gfm, remark-rehype, rehype-slug, then the report's
 * conventions — figures become <figure><img><figcaption>, headings get a visible anchor link,
 * tables get a scrolling wrapper. Raw HTML in the Markdown is dropped (remark-rehype's default).
 */
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSlug from 'rehype-slug';
import { visit, SKIP } from 'unist-util-visit';
import type { Root as HastRoot, Element } from 'hast';
import type { Root as MdRoot } from 'mdast';
import { parseMarkdown, figureOf } from './markdown.ts';
import { h } from './hast.ts';

export interface BodyOptions {
  /** prefix for every id and in-page link (the review page holds two documents in one page) */
  idPrefix?: string;
  /** accessible label of the heading anchor links */
  anchorLabel: string;
}

/** Mark figure paragraphs in the mdast so remark-rehype emits <figure> directly. */
function markFigures(tree: MdRoot, idPrefix: string): void {
  let n = 0;
  visit(tree, 'paragraph', (p) => {
    const fig = figureOf(p);
    if (!fig) return;
    n += 1;
    p.data = {
      hName: 'figure',
      hProperties: { id: `${idPrefix}figure-${n}`, className: ['figure'] },
      hChildren: [
        h('img', { src: fig.src, alt: fig.alt }),
        fig.caption !== null ? h('figcaption', {}, fig.caption) : null,
      ].filter((c): c is Element => c !== null),
    };
    return SKIP;
  });
}

const HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);

function decorate(tree: HastRoot, opts: BodyOptions): void {
  const prefix = opts.idPrefix ?? '';
  visit(tree, 'element', (el, index, parent) => {
    const href = el.properties.href;
    if (el.tagName === 'a' && prefix && typeof href === 'string' && href.startsWith('#') && !href.startsWith('#' + prefix)) {
      el.properties.href = '#' + prefix + href.slice(1);
    }
    if (HEADINGS.has(el.tagName) && typeof el.properties.id === 'string') {
      el.children.push(h('a', { className: ['anchor'], href: `#${el.properties.id}`, ariaLabel: opts.anchorLabel }, '#'));
      return SKIP;
    }
    if (el.tagName === 'table' && parent && index !== undefined) {
      parent.children[index] = h('div', { className: ['table-wrap'] }, el);
      return SKIP;
    }
    return undefined;
  });
}

export function markdownToHast(markdown: string, opts: BodyOptions): HastRoot {
  const md = parseMarkdown(markdown);
  const prefix = opts.idPrefix ?? '';
  markFigures(md, prefix);
  const proc = unified().use(remarkRehype, { clobberPrefix: `${prefix}user-content-` }).use(rehypeSlug, { prefix });
  const tree = proc.runSync(md) as HastRoot;
  decorate(tree, opts);
  return tree;
}
