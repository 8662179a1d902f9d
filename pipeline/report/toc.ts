/**
 * The table of contents, generated from the headings. Slugs come from github-slugger over every
 * heading in document order — the same walk rehype-slug makes — so the links match the HTML ids.
 */
import type { Heading, List, Root } from 'mdast';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { list, listItem, paragraph } from './mdast.ts';

export interface TocEntry { depth: number; text: string; slug: string; node: Heading }

/** Every heading with its slug, in document order. */
export function headings(tree: Root): TocEntry[] {
  const slugger = new GithubSlugger();
  const out: TocEntry[] = [];
  visit(tree, 'heading', (node: Heading) => {
    const text = toString(node);
    out.push({ depth: node.depth, text, slug: slugger.slug(text), node });
  });
  return out;
}

/**
 * A nested list of links: every h2 (except `exclude`, the TOC's own heading) with its h3s below
 * it. Headings before the first h2 (the title) are not listed.
 */
export function tocList(tree: Root, exclude?: Heading): List | undefined {
  const entries = headings(tree).filter((e) => e.node !== exclude && (e.depth === 2 || e.depth === 3));
  const link = (e: TocEntry) => paragraph({ type: 'link', url: `#${e.slug}`, children: [{ type: 'text', value: e.text }] });
  const items = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.depth !== 2) continue;
    const subs = [];
    for (let j = i + 1; j < entries.length && entries[j].depth === 3; j++) subs.push(listItem(link(entries[j])));
    items.push(subs.length ? { ...listItem(link(e), list(subs, false)), spread: false } : listItem(link(e)));
  }
  return items.length ? { ...list(items, true), spread: false } : undefined;
}
