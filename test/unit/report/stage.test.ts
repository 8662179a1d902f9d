/** The report stage on the fixture artifacts: every output, figures copied, no timestamps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';
import type { StageContext } from '../../../pipeline/core/stage.ts';
import { stage, reportSlice } from '../../../pipeline/report/index.ts';
import { FINDING_IDS } from '../../../pipeline/report/findings.ts';
import { toolVersions } from '../../../pipeline/core/versions.ts';
import { composeFixture, fixtureConfig, fixtureDirs } from './fixture.ts';

const made: string[] = [];
test.after(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
/** A temporary folder, removed after the tests. */
function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

function context(outDir: string, warnings: string[], previous?: string): StageContext {
  const dirs = fixtureDirs();
  return {
    config: fixtureConfig(), outDir, workDir: join(outDir, '..', 'work'), previous,
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
  const out = tmp('ghm-report-stage-');
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
  assert.deepEqual(metrics.versions, toolVersions());
  assert.match(readFileSync(join(out, 'report.en.md'), 'utf8'), /## Changes since the previous run\n\nThis is the first run/);
  const year = String(new Date().getFullYear());
  for (const f of ['report.en.md', 'report.en.html', 'review.html', 'findings.json', 'metrics.json'])
    assert.ok(!readFileSync(join(out, f), 'utf8').includes(`${year}-`), `${f} carries a date`);
});

test('with a previous output the stage compares its metrics.json and reports the changes', async () => {
  const first = tmp('ghm-report-stage-prev-');
  await stage.run(context(first, []));
  const prev = JSON.parse(readFileSync(join(first, 'metrics.json'), 'utf8')) as ReportMetrics;
  prev.metrics['3000hz.baseline.s3.finalValAccuracy'] /= 2;
  prev.verdicts.finalAccuracy = 'inconclusive';
  (prev.config as { train: { epochs: number } }).train.epochs += 10;
  prev.versions['chart.js'] = '3.0.0';
  writeFileSync(join(first, 'metrics.json'), JSON.stringify(prev));

  const out = tmp('ghm-report-stage-next-');
  await stage.run(context(out, [], first));
  const md = readFileSync(join(out, 'report.en.md'), 'utf8');
  const section = md.slice(md.indexOf('## Changes since the previous run'), md.indexOf('## Conclusions'));
  assert.match(section, /\| 3000hz, Baseline \(margin loss\), seed 3: Final val\. accuracy \(%\) +\|/);
  assert.match(section, /- Final accuracy vs the baseline: inconclusive → contradicted/);
  assert.match(section, /- `train\.epochs`: `16` → `6`/);
  assert.match(section, /- `chart\.js`: `3\.0\.0` → `/);
  const zh = readFileSync(join(out, 'report.zh-TW.md'), 'utf8');
  assert.match(zh, /- 與基準相比的最終準確率：無定論 → 與數據矛盾/);
  assert.match(readFileSync(join(out, 'report.en.html'), 'utf8'), /<h2 id="changes-since-the-previous-run">/);
  assert.match(readFileSync(join(out, 'review.html'), 'utf8'), /與上次執行相比的變化/);
  if (spawnSync('pdftotext', ['-v']).error === undefined) {
    const text = (lang: string) => spawnSync('pdftotext', ['-enc', 'UTF-8', join(out, `report.${lang}.pdf`), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    assert.ok(text('en').includes('Changessincethepreviousrun'), 'the section in the English PDF');
    assert.ok(text('en').includes('train.epochs'), 'the config change in the English PDF');
    assert.ok(text('zh-TW').includes('與上次執行相比的變化'), 'the section in the zh-TW PDF');
  }

  const warnings: string[] = [];
  const broken = tmp('ghm-report-stage-broken-');
  writeFileSync(join(broken, 'metrics.json'), '{');
  const out2 = tmp('ghm-report-stage-next2-');
  await stage.run(context(out2, warnings, broken));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /cannot compare with the previous run: .*metrics\.json: it is not valid JSON/);
  assert.match(readFileSync(join(out2, 'report.en.md'), 'utf8'), /The previous run left no readable metrics/);
});
