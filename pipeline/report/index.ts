/**
 * The report stage: artifacts → findings → one Markdown report per language (from
 * templates/report.md and locales/<lang>/report.json) → HTML, PDF and the bilingual review page.
 *
 * Writes into its output folder:
 *   report.<lang>.md     every language
 *   report.<lang>.html   when report.formats has html
 *   report.<lang>.pdf    when report.formats has pdf
 *   review.html          the languages side by side
 *   figures/             the chart PNGs the reports link to
 *   findings.json        every finding with its numbers, verdict and paired test
 *   metrics.json         ReportMetrics: flat named numbers, verdicts, config and tool versions
 * The report's "Changes since the previous run" compares metrics.json with the one in the stage's
 * previous output folder (`ctx.previous`), if any. No timestamps: the same artifacts, config,
 * tool versions and previous metrics give the same bytes.
 *
 * `publish` adds index.html (links to every report file and the review page, and the manifest's
 * summary) to the published run folder.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stage, StageContext } from '../core/stage.ts';
import type { ResolvedConfig } from '../core/config.ts';
import type { Language } from '../core/schema.ts';
import { StageError } from '../core/errors.ts';
import { writeJson } from '../core/fsutil.ts';
import { toolVersions } from '../core/versions.ts';
import { createT, flattenMessages, readLocales } from '../lib/i18n.ts';
import { nothingChanged, runChanges, type RunChanges } from './changes.ts';
import { composeReport, type ComposedDoc } from './compose.ts';
import { computeFindings, THRESHOLDS } from './findings.ts';
import { loadInputs } from './inputs.ts';
import { reportMetrics } from './metrics.ts';
import { METRICS_FILE, readPrevious } from './previous.ts';
import { publishIndex, reportFile, REVIEW_FILE } from './publish.ts';
import { renderHtml, type DocMeta } from './html.ts';
import { renderPdf } from './pdf.ts';
import { renderReview } from './review.ts';
import { subsetWebFont, WEBFONT_FILE } from './render/webfont.ts';

export const TEMPLATE_FILE = fileURLToPath(new URL('../../templates/report.md', import.meta.url));

export { reportFile };

/** The report depends on the whole resolved config (its parameter tables come from it). */
export function reportSlice(config: ResolvedConfig): unknown {
  const { file: _file, hash: _hash, ...rest } = config;
  return rest;
}

function meta(doc: ComposedDoc, languages: Language[], fontHref?: string): DocMeta {
  return {
    lang: doc.lang,
    title: doc.title,
    fontHref,
    alternates: languages.filter((l) => l !== doc.lang)
      .map((l) => ({ lang: l, href: reportFile(l, 'html'), label: createT(l, 'site')('language.name') })),
  };
}

/** Copy the chart files the documents link to into <outDir>/figures/. */
function copyFigures(docs: ComposedDoc[], chartsDir: string, outDir: string): number {
  const dir = join(outDir, 'figures');
  mkdirSync(dir, { recursive: true });
  const done = new Set<string>();
  for (const d of docs) for (const f of d.figures) {
    if (done.has(f.file)) continue;
    const src = join(chartsDir, f.chartFile);
    if (!existsSync(src))
      throw new StageError(`report: ${src} is listed in charts.json but does not exist; rerun the charts stage (--force charts).`);
    copyFileSync(src, join(dir, f.file));
    done.add(f.file);
  }
  return done.size;
}

/** One log line on the comparison with the previous run. */
function changesSummary(c: RunChanges): string {
  if (c.status === 'first') return 'first run, nothing to compare with';
  if (c.status === 'unreadable') return 'the previous run cannot be compared with';
  const s = c.set;
  if (nothingChanged(s)) return 'no changes since the previous run';
  return `since the previous run: ${s.metrics.length} metrics moved, ${s.verdicts.length} verdicts changed, `
    + `${s.config.length} config keys and ${s.versions.length} versions changed`;
}

async function run(ctx: StageContext): Promise<void> {
  const c = ctx.config;
  const inputs = loadInputs(c, {
    preprocess: ctx.input('preprocess'), train: ctx.input('train'), analyze: ctx.input('analyze'), charts: ctx.input('charts'),
  });
  const findings = computeFindings(inputs);
  const metrics = reportMetrics(inputs, findings, reportSlice(c), toolVersions());
  const previous = readPrevious(ctx.previous);
  if (previous.status === 'unreadable')
    ctx.log.warn(`report: cannot compare with the previous run: ${previous.file}: ${previous.why}. The report says there is nothing to compare with.`);
  const changes = runChanges(previous, metrics, c.history.threshold);
  ctx.log.info(`report: ${changesSummary(changes)}`);
  const template = readFileSync(TEMPLATE_FILE, 'utf8');
  const templateFile = relative(process.cwd(), TEMPLATE_FILE) || TEMPLATE_FILE;
  const langs = c.report.languages;
  const formats = c.report.formats;
  const steps = langs.length * (1 + (formats.includes('html') ? 1 : 0) + (formats.includes('pdf') ? 1 : 0)) + 1;
  const task = ctx.progress.task('report', steps);

  const docs: ComposedDoc[] = [];
  for (const lang of langs) {
    const doc = composeReport({ template, templateFile, inputs, findings, lang, t: createT(lang, 'report'), changes });
    writeFileSync(join(ctx.outDir, reportFile(lang, 'md')), doc.markdown);
    for (const miss of doc.missingFigures) ctx.log.warn(`report (${lang}): the charts stage made no chart for ${miss}; the report shows none.`);
    docs.push(doc);
    task.tick(1, reportFile(lang, 'md'));
  }
  const figures = copyFigures(docs, inputs.chartsDir, ctx.outDir);
  const figuresDir = join(ctx.outDir, 'figures');
  // The HTML pages (report, review, and the index written at publish) carry a web font subset to
  // the characters they use, so they render the same without system CJK fonts.
  let fontHref: string | undefined;
  if (formats.includes('html')) {
    const locales = readLocales();
    const siteTexts = langs.flatMap((l) => flattenMessages(locales[l]?.site ?? {}).map(([, v]) => String(v)));
    const font = await subsetWebFont([...docs.flatMap((d) => [d.markdown, d.title]), ...siteTexts]);
    mkdirSync(join(ctx.outDir, dirname(WEBFONT_FILE)), { recursive: true });
    writeFileSync(join(ctx.outDir, WEBFONT_FILE), font);
    fontHref = WEBFONT_FILE;
  }

  for (const doc of docs) {
    if (ctx.signal.aborted) throw new StageError('report: interrupted.');
    const m = meta(doc, langs, fontHref);
    if (formats.includes('html')) {
      writeFileSync(join(ctx.outDir, reportFile(doc.lang, 'html')), renderHtml(doc.markdown, m));
      task.tick(1, reportFile(doc.lang, 'html'));
    }
    if (formats.includes('pdf')) {
      writeFileSync(join(ctx.outDir, reportFile(doc.lang, 'pdf')), await renderPdf(doc.markdown, m, figuresDir));
      task.tick(1, reportFile(doc.lang, 'pdf'));
    }
  }
  writeFileSync(join(ctx.outDir, REVIEW_FILE), renderReview(docs.map((d) => ({ lang: d.lang, title: d.title, markdown: d.markdown })), { fontHref }));
  writeJson(join(ctx.outDir, 'findings.json'), { thresholds: THRESHOLDS, findings });
  writeJson(join(ctx.outDir, METRICS_FILE), metrics);
  task.tick(1, REVIEW_FILE);
  task.done();
  const n = { supported: 0, contradicted: 0, inconclusive: 0 };
  for (const f of findings) if (f.reason !== 'disabled') n[f.verdict]++;
  ctx.log.info(`report: ${langs.join(', ')} (${formats.join(', ')}), ${figures} figures; claims supported ${n.supported}, contradicted ${n.contradicted}, inconclusive ${n.inconclusive}`);
}

export const stage: Stage = {
  name: 'report',
  deps: ['preprocess', 'train', 'analyze', 'charts'],
  code: ['pipeline/report', 'pipeline/lib', 'templates', 'locales'],
  slice: reportSlice,
  run,
  publish: publishIndex,
};
