/** The report stage on the fixture artifacts: every output, figures copied, no timestamps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';
import type { StageContext } from '../../../pipeline/core/stage.ts';
import { stage, reportSlice } from '../../../pipeline/report/index.ts';
import { FINDING_IDS } from '../../../pipeline/report/findings.ts';
import { composeFixture, fixtureConfig, fixtureDirs } from './fixture.ts';

function context(outDir: string, warnings: string[]): StageContext {
  const dirs = fixtureDirs();
  return {
    config: fixtureConfig(), outDir, workDir: join(outDir, '..', 'work'),
    input: (s) => dirs[s as keyof typeof dirs],
    log: { info() {}, warn: (m) => warnings.push(m), error() {}, debug() {} },
    progress: { task: () => ({ tick() {}, done() {} }) },
    signal: new AbortController().signal,
  };
}

test('the stage declares its inputs and depends on the whole config but the file path', () => {
  assert.equal(stage.name, 'report');
  assert.deepEqual(stage.deps, ['preprocess', 'train', 'analyze', 'charts']);
  for (const p of ['pipeline/report', 'pipeline/lib', 'templates', 'locales']) assert.ok(stage.code.includes(p), p);
  const c = fixtureConfig();
  const slice = reportSlice(c) as Record<string, unknown>;
  assert.ok(!('file' in slice) && !('hash' in slice));
  assert.deepEqual(slice.title, c.title);
  assert.deepEqual(reportSlice({ ...c, file: '/elsewhere/x.yaml' }), slice);
});

test('the stage writes md, html, pdf per language, review.html, figures, findings and metrics', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ghm-report-stage-'));
  const warnings: string[] = [];
  await stage.run(context(out, warnings));
  assert.deepEqual(warnings, []);
  for (const lang of ['zh-TW', 'en'] as const) {
    const md = readFileSync(join(out, `report.${lang}.md`), 'utf8');
    assert.equal(md, composeFixture(lang).markdown);
    for (const m of md.matchAll(/!\[[^\]]*\]\((figures\/[^ )]+)/g)) assert.ok(existsSync(join(out, m[1])), `${m[1]} not copied`);
    const html = readFileSync(join(out, `report.${lang}.html`), 'utf8');
    assert.match(html, /<html[^>]*lang="/);
    assert.match(html, new RegExp(`report\\.${lang === 'en' ? 'zh-TW' : 'en'}\\.html`), 'language switch');
    const pdf = readFileSync(join(out, `report.${lang}.pdf`));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  }
  assert.equal(readdirSync(join(out, 'figures')).length, 20);
  assert.match(readFileSync(join(out, 'review.html'), 'utf8'), /<html/);
  const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
  assert.deepEqual(findings.findings.map((f: { id: string }) => f.id), [...FINDING_IDS]);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as ReportMetrics;
  assert.equal(metrics.experiment, 'report-fixture');
  assert.equal(metrics.verdicts.finalAccuracy, findings.findings.find((f: { id: string }) => f.id === 'finalAccuracy').verdict);
  assert.equal(typeof metrics.metrics['3000hz.ghm.s1.bestValAccuracy'], 'number');
  const year = String(new Date().getFullYear());
  for (const f of ['report.en.md', 'report.en.html', 'review.html', 'findings.json', 'metrics.json'])
    assert.ok(!readFileSync(join(out, f), 'utf8').includes(`${year}-`), `${f} carries a date`);
});
