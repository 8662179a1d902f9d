/**
 * A small bilingual report folder built from the Markdown fixtures with the real renderers:
 * report.<lang>.{md,html,pdf}, review.html, index.html and figures/*.png (drawn with
 * @napi-rs/canvas). Shared by the renderer tests, the browser test and bench/report.ts.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { LANGUAGES, type Language } from '../../pipeline/core/schema.ts';
import type { Manifest } from '../../pipeline/core/artifacts.ts';
import { parseMarkdown, figureOf } from '../../pipeline/report/render/markdown.ts';
import { renderHtml, type DocMeta } from '../../pipeline/report/html.ts';
import { renderPdf } from '../../pipeline/report/pdf.ts';
import { renderReview } from '../../pipeline/report/review.ts';
import { renderSiteIndex } from '../../pipeline/report/site-index.ts';
import { visit } from 'unist-util-visit';

export const LANGUAGE_LABEL: Record<Language, string> = { 'zh-TW': '繁體中文', en: 'English' };

export function fixtureMarkdown(lang: Language): string {
  return readFileSync(new URL(`./fixtures/report.${lang}.md`, import.meta.url), 'utf8');
}

/** The title as the content writer would pass it: the h1 text, unescaped (hostile on purpose). */
export function fixtureTitle(lang: Language): string {
  return lang === 'zh-TW'
    ? 'GHM 訓練結果報告 <script>alert("x")</script> #import "evil.typ"'
    : 'GHM training report <script>alert("x")</script> #import "evil.typ"';
}

export function docMeta(lang: Language, generatedAt?: string): DocMeta {
  return {
    lang,
    title: fixtureTitle(lang),
    alternates: LANGUAGES.map((l) => ({ lang: l, href: `report.${l}.html`, label: LANGUAGE_LABEL[l] })),
    generatedAt,
  };
}

/** Figure captions (image titles) of a Markdown document, in order. */
export function figureCaptions(markdown: string): { src: string; alt: string; caption: string | null }[] {
  const out: { src: string; alt: string; caption: string | null }[] = [];
  visit(parseMarkdown(markdown), 'paragraph', (p) => {
    const f = figureOf(p);
    if (f) out.push({ src: f.src, alt: f.alt, caption: f.caption });
  });
  return out;
}

/** A bar-chart-like PNG of the given size; the bars depend on `seed` so figures differ. */
export function drawPng(width: number, height: number, seed: number): Buffer {
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  g.strokeStyle = '#333333';
  g.strokeRect(0.5, 0.5, width - 1, height - 1);
  const bars = 10;
  for (let i = 0; i < bars; i++) {
    const v = ((seed * 37 + i * 53) % 97) / 97;
    g.fillStyle = i % 2 ? '#1f77b4' : '#ff7f0e';
    const w = (width * 0.8) / bars;
    g.fillRect(width * 0.1 + i * w, height * (0.9 - 0.8 * v), w * 0.8, height * 0.8 * v);
  }
  return canvas.toBuffer('image/png');
}

export function fixtureManifest(): Manifest {
  return {
    experiment: 'fixture <b>&</b>',
    configFile: 'experiments/fixture.yaml',
    configHash: 'a3f1c09e5d2b7e41',
    config: {},
    seeds: [42, 43],
    startedAt: '2025-04-11T10:00:00.000Z',
    finishedAt: '2025-04-11T10:03:25.500Z',
    stages: [
      { stage: 'preprocess', key: 'k-pre-0001', status: 'cached', why: 'cache hit', seconds: 0.02 },
      { stage: 'train', key: 'k-train-0002', status: 'ran', why: 'config slice changed: train.epochs', seconds: 180.4 },
      { stage: 'analyze', key: 'k-an-0003', status: 'ran', why: 'upstream train changed', seconds: 3.1 },
      { stage: 'charts', key: 'k-ch-0004', status: 'ran', why: 'upstream analyze changed', seconds: 12.9 },
      { stage: 'report', key: 'k-rep-0005', status: 'ran', why: 'upstream charts changed', seconds: 2.2 },
    ],
    versions: { node: 'v20.19.0', '@tensorflow/tfjs': '4.22.0' },
    backend: 'tensorflow (cpu)',
    git: '0123abcd',
  };
}

export interface BuiltReport {
  dir: string;
  pages: string[];
  markdown: Record<Language, string>;
}

/** The inputs of the renderers: report.<lang>.md and figures/*.png (`figureSize` pixels). */
export function writeFixtureSources(dir: string, figureSize: [number, number] = [320, 200]): Record<Language, string> {
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const markdown = {} as Record<Language, string>;
  for (const lang of LANGUAGES) {
    const md = fixtureMarkdown(lang);
    markdown[lang] = md;
    figureCaptions(md).forEach((f, i) => writeFileSync(join(dir, f.src), drawPng(figureSize[0], figureSize[1], i + 1)));
    writeFileSync(join(dir, `report.${lang}.md`), md);
  }
  return markdown;
}

/** Render what the report stage renders: HTML and PDF per language, review.html, index.html. */
export async function renderFixtureReport(dir: string, markdown: Record<Language, string>): Promise<string[]> {
  const files: { lang: Language; md: string; html: string; pdf: string }[] = [];
  for (const lang of LANGUAGES) {
    const meta = docMeta(lang, '2025-04-11T10:03:25Z');
    writeFileSync(join(dir, `report.${lang}.html`), renderHtml(markdown[lang], meta));
    writeFileSync(join(dir, `report.${lang}.pdf`), await renderPdf(markdown[lang], meta, join(dir, 'figures')));
    files.push({ lang, md: `report.${lang}.md`, html: `report.${lang}.html`, pdf: `report.${lang}.pdf` });
  }
  writeFileSync(join(dir, 'review.html'), renderReview(LANGUAGES.map((lang) => ({ lang, title: fixtureTitle(lang), markdown: markdown[lang] }))));
  writeFileSync(join(dir, 'index.html'), renderSiteIndex(fixtureManifest(), files, 'review.html'));
  return [...files.map((f) => f.html), 'review.html', 'index.html'];
}

export interface BuiltReport { dir: string; pages: string[]; markdown: Record<Language, string> }

/** Write the whole report folder into `dir`. */
export async function buildReportFolder(dir: string, figureSize: [number, number] = [320, 200]): Promise<BuiltReport> {
  const markdown = writeFixtureSources(dir, figureSize);
  return { dir, pages: await renderFixtureReport(dir, markdown), markdown };
}

/** Every id="…" of an HTML page (entity-free ids only, as the renderers write them). */
export function htmlIds(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));
}

/** Targets of every in-page link (href="#…"), percent-decoded. */
export function inPageTargets(html: string): string[] {
  return [...html.matchAll(/\shref="#([^"]*)"/g)].map((m) => decodeURIComponent(m[1]));
}
