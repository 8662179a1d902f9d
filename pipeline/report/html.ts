/**
 * report.<lang>.html: the Markdown report as one self-contained page (CSS inlined, figures linked
 * relative to the report folder), with heading anchors, numbered figures and a language switch.
 */
import type { Language } from '../core/schema.ts';
import { markdownToHast } from './render/html-body.ts';
import { renderPage, type Alternate } from './render/page.ts';
import { siteStrings } from './render/strings.ts';
import { h, type Child } from './render/hast.ts';

export interface DocMeta {
  lang: Language;
  title: string;
  /** the same report in other languages (hrefs relative to this page); the current one may be included */
  alternates: Alternate[];
  /** shown in the footer (HTML) and used as the PDF's date; omitted → no date, byte-stable output */
  generatedAt?: string;
  /** relative URL of the subset web font written beside the page (render/webfont.ts) */
  fontHref?: string;
}

export function renderHtml(markdown: string, meta: DocMeta): string {
  const t = siteStrings(meta.lang);
  const body = markdownToHast(markdown, { anchorLabel: t('page.anchor') });
  return renderPage({
    lang: meta.lang,
    title: meta.title,
    alternates: meta.alternates,
    fontHref: meta.fontHref,
    main: [h('article', { className: ['report'] }, body.children.filter((c) => c.type !== 'doctype'))],
    footer: meta.generatedAt ? [t('page.generatedAt', { date: meta.generatedAt })] : [],
  });
}
