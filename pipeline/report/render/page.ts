/** The page shell shared by the report, review and index pages: head with inlined CSS, language switch, footer. */
import { readFileSync } from 'node:fs';
import type { Language } from '../../core/schema.ts';
import { h, htmlDocument, type Child } from './hast.ts';
import { siteStrings } from './strings.ts';
import { fontFaceCss } from './webfont.ts';

const CSS = readFileSync(new URL('../assets/report.css', import.meta.url), 'utf8');

export interface Alternate { lang: Language; href: string; label: string }

export interface PageSpec {
  lang: Language;
  title: string;
  /** other-language versions of this page; the current language is shown unlinked */
  alternates?: Alternate[];
  bodyClass?: string;
  /** relative URL of the report's subset web font (render/webfont.ts), when the folder has one */
  fontHref?: string;
  main: Child[];
  footer?: Child[];
}

function languageSwitch(lang: Language, alternates: Alternate[]): Child {
  if (alternates.length === 0) return null;
  const t = siteStrings(lang);
  const items = alternates.some((a) => a.lang === lang)
    ? alternates
    : [{ lang, href: '', label: t('language.name') }, ...alternates];
  return h('nav', { className: ['lang-switch'], ariaLabel: t('nav.languages') },
    h('span', { className: ['label'] }, t('nav.languages')),
    items.map((a) => a.lang === lang
      ? h('span', { className: ['current'], lang: a.lang, ariaCurrent: 'page' }, a.label)
      : h('a', { href: a.href, hrefLang: a.lang, lang: a.lang, rel: ['alternate'] }, a.label)));
}

export function renderPage(spec: PageSpec): string {
  const alternates = spec.alternates ?? [];
  const head: Child[] = [
    h('meta', { charSet: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'generator', content: 'ghm-report' }),
    h('title', {}, spec.title),
    alternates.filter((a) => a.lang !== spec.lang)
      .map((a) => h('link', { rel: ['alternate'], hrefLang: a.lang, href: a.href })),
    h('style', {}, spec.fontHref ? `${CSS}\n${fontFaceCss(spec.fontHref)}` : CSS),
  ];
  const sw = languageSwitch(spec.lang, alternates);
  const body: Child[] = [
    sw ? h('header', { className: ['site-header'] }, sw) : null,
    h('main', {}, ...spec.main),
    spec.footer && spec.footer.length > 0 ? h('footer', { className: ['site-footer'] }, ...spec.footer) : null,
  ];
  return htmlDocument(spec.lang, head, body, spec.bodyClass);
}
