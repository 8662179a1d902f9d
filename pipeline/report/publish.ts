/**
 * The report stage's `publish` hook: index.html in the published run folder
 * (`output/<name>/runs/<timestamp>/`), linking every report file present there and the review
 * page, with the manifest's summary (config hash, backend, seeds, stage statuses and durations,
 * versions). The page is written in the first report language.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';
import { StageError } from '../core/errors.ts';
import { FORMATS, type Language } from '../core/schema.ts';
import { renderSiteIndex, type ReportFiles } from './site-index.ts';
import { WEBFONT_FILE } from './render/webfont.ts';

export const reportFile = (lang: Language, ext: (typeof FORMATS)[number]) => `report.${lang}.${ext}`;
export const REVIEW_FILE = 'review.html';
export const INDEX_FILE = 'index.html';

/** The report files of each configured language that exist in `dir`, in the config's order. */
export function presentFiles(dir: string, languages: readonly Language[]): ReportFiles[] {
  const out: ReportFiles[] = [];
  for (const lang of languages) {
    const files: ReportFiles = { lang };
    for (const fmt of FORMATS) if (existsSync(join(dir, reportFile(lang, fmt)))) files[fmt] = reportFile(lang, fmt);
    if (FORMATS.some((fmt) => files[fmt])) out.push(files);
  }
  return out;
}

export function publishIndex(dir: string, manifest: Manifest, config: ResolvedConfig): void {
  const files = presentFiles(dir, config.report.languages);
  if (files.length === 0)
    throw new StageError(`report: the published run folder ${dir} holds no report file (report.<lang>.md|html|pdf for ${config.report.languages.join(', ')}); nothing to index.`);
  const review = existsSync(join(dir, REVIEW_FILE)) ? REVIEW_FILE : undefined;
  const fontHref = existsSync(join(dir, WEBFONT_FILE)) ? WEBFONT_FILE : undefined;
  writeFileSync(join(dir, INDEX_FILE), renderSiteIndex(manifest, files, review, { fontHref }));
}
