/** The report fixture loaded as the report stage loads its inputs (test/fixtures/report/). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import type { Language } from '../../../pipeline/core/schema.ts';
import { loadInputs, type ReportInputs } from '../../../pipeline/report/inputs.ts';
import { computeFindings } from '../../../pipeline/report/findings.ts';
import { composeReport, type ComposedDoc } from '../../../pipeline/report/compose.ts';
import type { RunChanges } from '../../../pipeline/report/changes.ts';
import { TEMPLATE_FILE } from '../../../pipeline/report/index.ts';
import { createT } from '../../../pipeline/lib/i18n.ts';

export const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'report');
export const FIXTURE_STAGES = join(FIXTURE, 'stages');

export function fixtureDirs(root = FIXTURE_STAGES) {
  return { preprocess: join(root, 'preprocess'), train: join(root, 'train'), analyze: join(root, 'analyze'), charts: join(root, 'charts') };
}

export function fixtureConfig(): ResolvedConfig {
  return loadConfig(join(FIXTURE, 'experiment.yaml'));
}

export function fixtureInputs(config = fixtureConfig()): ReportInputs {
  return loadInputs(config, fixtureDirs());
}

export function composeFixture(lang: Language, inputs = fixtureInputs(), changes?: RunChanges): ComposedDoc {
  return composeReport({
    template: readFileSync(TEMPLATE_FILE, 'utf8'), templateFile: 'templates/report.md',
    inputs, findings: computeFindings(inputs), lang, t: createT(lang, 'report'), changes,
  });
}

const CHANGES_HEADING: Record<Language, string> = { en: '## Changes since the previous run', 'zh-TW': '## 與上次執行相比的變化' };

/** The "Changes since the previous run" section of a report's Markdown, from its heading to the next h2. */
export function changesSection(md: string, lang: Language): string {
  const i = md.indexOf(`${CHANGES_HEADING[lang]}\n`);
  assert.ok(i >= 0, `no "${CHANGES_HEADING[lang]}" section`);
  const j = md.indexOf('\n## ', i + 1);
  return md.slice(i, j < 0 ? undefined : j);
}
