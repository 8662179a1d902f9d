/**
 * review.html: every language version side by side, aligned section by section — the document is
 * split at its second-level headings and sections are paired by order. Rows whose sections differ
 * in structure (figures, tables, subsections, list items) are flagged, so a missing or extra piece
 * of the translation shows at a glance.
 */
import { visit } from 'unist-util-visit';
import type { ElementContent, Element } from 'hast';
import { toString } from 'hast-util-to-string';
import type { Language } from '../core/schema.ts';
import { StageError } from '../core/errors.ts';
import { markdownToHast } from './render/html-body.ts';
import { renderPage } from './render/page.ts';
import { siteStrings, type Translate } from './render/strings.ts';
import { h, type Child } from './render/hast.ts';

export interface ReviewDoc { lang: Language; title: string; markdown: string }

interface Section { heading: string | null; nodes: ElementContent[]; shape: Shape }
type Shape = Record<'figures' | 'tables' | 'subsections' | 'listItems', number>;

const SHAPE_TAGS: Record<string, keyof Shape> = { figure: 'figures', table: 'tables', h3: 'subsections', li: 'listItems' };

function shapeOf(nodes: ElementContent[]): Shape {
  const shape: Shape = { figures: 0, tables: 0, subsections: 0, listItems: 0 };
  for (const n of nodes) {
    visit(n, 'element', (el: Element) => {
      const key = SHAPE_TAGS[el.tagName];
      if (key) shape[key] += 1;
    });
  }
  return shape;
}

/** Sections of one document: the part before the first h2, then one per h2. */
export function splitSections(doc: ReviewDoc, anchorLabel: string): Section[] {
  const tree = markdownToHast(doc.markdown, { idPrefix: `${doc.lang}-`, anchorLabel });
  const sections: { heading: string | null; nodes: ElementContent[] }[] = [{ heading: null, nodes: [] }];
  for (const node of tree.children) {
    if (node.type === 'doctype') continue;
    if (node.type === 'element' && node.tagName === 'h2') {
      const title = toString({ ...node, children: node.children.filter((c) => !(c.type === 'element' && c.tagName === 'a' && (c.properties.className as string[] | undefined)?.includes('anchor'))) });
      sections.push({ heading: title, nodes: [node] });
    } else {
      sections[sections.length - 1].nodes.push(node);
    }
  }
  const meaningful = (s: { nodes: ElementContent[] }) => s.nodes.some((n) => n.type === 'element');
  return sections.filter((s, i) => i > 0 || meaningful(s)).map((s) => ({ ...s, shape: shapeOf(s.nodes) }));
}

function mismatchDetails(sections: (Section | undefined)[], t: Translate): string | null {
  const present = sections.filter((s): s is Section => s !== undefined);
  if (present.length < sections.length) return null; // a missing section is reported in its own cell
  const parts: string[] = [];
  for (const key of Object.keys(SHAPE_TAGS).map((k) => SHAPE_TAGS[k])) {
    const counts = present.map((s) => s.shape[key]);
    if (new Set(counts).size > 1) parts.push(`${t(`review.${key}`)} ${counts.join(' / ')}`);
  }
  return parts.length > 0 ? t('review.mismatch', { details: parts.join('; ') }) : null;
}

export function renderReview(docs: ReviewDoc[], opts: { fontHref?: string } = {}): string {
  if (docs.length === 0) throw new StageError('review page: no report documents were given to compare.');
  const lang = docs[0].lang;
  const t = siteStrings(lang);
  const split = docs.map((d) => splitSections(d, siteStrings(d.lang)('page.anchor')));
  const hasPreamble = split.some((s) => s[0]?.heading === null);
  // a document without an opening part gets an empty one, so its h2 sections stay aligned
  const perDoc: (Section | undefined)[][] = split.map((s) => (hasPreamble && s[0]?.heading !== null ? [undefined, ...s] : s));
  const rows = Math.max(...perDoc.map((s) => s.length));
  const counts = split.map((s) => s.filter((x) => x.heading !== null).length);

  const body: Child[] = [];
  for (let i = 0; i < rows; i++) {
    const cells = perDoc.map((s) => s[i]);
    const n = hasPreamble ? i : i + 1;
    const label = hasPreamble && i === 0 ? t('review.preamble') : t('review.section', { n });
    const mismatch = mismatchDetails(cells, t);
    body.push(h('tr', { className: mismatch ? ['section-head', 'mismatch'] : ['section-head'], id: `row-${i}` },
      h('td', { colSpan: docs.length }, mismatch ? `${label} — ${mismatch}` : label)));
    body.push(h('tr', { className: ['section-body'] }, cells.map((s, j) => s
      ? h('td', { lang: docs[j].lang }, s.nodes)
      : h('td', { lang: docs[j].lang, className: ['missing'] },
        hasPreamble && i === 0 ? siteStrings(docs[j].lang)('review.missingPreamble') : siteStrings(docs[j].lang)('review.missing', { n })))));
  }

  const sectionNotice = new Set(counts).size > 1
    ? h('p', { className: ['notice'] }, t('review.sectionCounts', { counts: docs.map((d, j) => `${d.lang} ${counts[j]}`).join(', ') }))
    : null;
  const title = t('review.title', { title: docs[0].title });
  return renderPage({
    lang,
    title,
    bodyClass: 'review',
    fontHref: opts.fontHref,
    main: [
      h('h1', {}, title),
      h('p', {}, t('review.intro')),
      sectionNotice,
      h('table', { className: ['review-grid'] },
        h('colgroup', {}, docs.map(() => h('col', { style: `width: ${(100 / docs.length).toFixed(3)}%` }))),
        h('thead', {}, h('tr', {}, docs.map((d) => h('th', { lang: d.lang, scope: 'col' }, `${siteStrings(d.lang)('language.name')} — ${d.title}`)))),
        h('tbody', {}, body)),
    ],
  });
}
