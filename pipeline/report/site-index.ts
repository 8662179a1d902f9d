/**
 * index.html next to the published report: links to every report file and the review page, and
 * the manifest's summary (config hash, backend, seeds, stage statuses and durations, versions).
 */
import type { Manifest } from '../core/artifacts.ts';
import { LANGUAGES, FORMATS, type Language } from '../core/schema.ts';
import { renderPage } from './render/page.ts';
import { siteStrings, type Translate } from './render/strings.ts';
import { h, type Child } from './render/hast.ts';

export type ReportFiles = { lang: Language } & Partial<Record<(typeof FORMATS)[number], string>>;

function seconds(t: Translate, s: number): string {
  return t('index.secondsValue', { value: s < 10 ? s.toFixed(2) : s.toFixed(1) });
}

function runSeconds(m: Manifest): number | null {
  const a = Date.parse(m.startedAt);
  const b = Date.parse(m.finishedAt);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? (b - a) / 1000 : null;
}

function fileList(files: ReportFiles[], review: string | undefined, t: Translate): Child {
  return h('ul', { className: ['files'] },
    files.map((f) => h('li', { lang: f.lang },
      h('strong', {}, siteStrings(f.lang)('language.name')), ': ',
      FORMATS.filter((fmt) => f[fmt]).map((fmt) => h('a', { href: f[fmt]!, hrefLang: f.lang }, t(`index.format_${fmt}`))))),
    review ? h('li', {}, h('a', { href: review }, t('index.review'))) : null);
}

function summary(m: Manifest, t: Translate): Child {
  const total = runSeconds(m);
  const rows: [string, string][] = [
    ['index.experiment', m.experiment],
    ['index.configFile', m.configFile],
    ['index.configHash', m.configHash],
    ['index.backend', m.backend ?? t('index.unknown')],
    ['index.seeds', m.seeds.join(', ')],
    ['index.startedAt', m.startedAt],
    ['index.finishedAt', m.finishedAt],
    ['index.duration', total === null ? t('index.unknown') : seconds(t, total)],
    ['index.git', m.git ?? t('index.unknown')],
  ];
  return h('dl', { className: ['summary'] }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function stages(m: Manifest, t: Translate): Child {
  return h('div', { className: ['table-wrap'] }, h('table', { className: ['stages'] },
    h('thead', {}, h('tr', {}, ['index.stage', 'index.status', 'index.why', 'index.seconds', 'index.key'].map((k) => h('th', {}, t(k))))),
    h('tbody', {}, m.stages.map((s) => h('tr', { className: [`stage-${s.status}`] },
      h('td', {}, s.stage),
      h('td', { className: [`status-${s.status}`] }, t(`index.status_${s.status}`)),
      h('td', {}, s.why),
      h('td', { className: ['num'] }, s.seconds.toFixed(2)),
      h('td', {}, h('code', { title: s.key }, s.key.slice(0, 12))))))));
}

function versions(m: Manifest, t: Translate): Child {
  const entries = Object.entries(m.versions);
  if (entries.length === 0) return null;
  return [
    h('h2', { id: 'versions' }, t('index.versions')),
    h('div', { className: ['table-wrap'] }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('index.package')), h('th', {}, t('index.version')))),
      h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, h('code', {}, v))))))),
  ];
}

/** `files` in report-language order; the page is written in the first one's language. */
export function renderSiteIndex(manifest: Manifest, files: ReportFiles[], review?: string, opts: { fontHref?: string } = {}): string {
  const lang = files[0]?.lang ?? LANGUAGES[0];
  const t = siteStrings(lang);
  const title = t('index.title', { experiment: manifest.experiment });
  return renderPage({
    lang,
    title,
    fontHref: opts.fontHref,
    main: [
      h('h1', {}, title),
      h('h2', { id: 'reports' }, t('index.reports')),
      fileList(files, review, t),
      h('h2', { id: 'summary' }, t('index.summary')),
      summary(manifest, t),
      h('h2', { id: 'stages' }, t('index.stages')),
      stages(manifest, t),
      versions(manifest, t),
    ],
  });
}
