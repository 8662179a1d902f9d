/**
 * "Changes since the previous run" on constructed pairs of runs: the first run, an identical run,
 * and a run with a moved metric, a flipped verdict, a config change and a version change — in both
 * languages, in the Markdown, the TOC, the HTML, the review page and the PDF's Typst source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';
import { LANGUAGES, type Language } from '../../../pipeline/core/schema.ts';
import { computeFindings } from '../../../pipeline/report/findings.ts';
import { reportMetrics } from '../../../pipeline/report/metrics.ts';
import { reportSlice } from '../../../pipeline/report/index.ts';
import { nothingChanged, runChanges, type RunChanges } from '../../../pipeline/report/changes.ts';
import { readPrevious } from '../../../pipeline/report/previous.ts';
import { renderHtml } from '../../../pipeline/report/html.ts';
import { renderReview } from '../../../pipeline/report/review.ts';
import { reportTypst } from '../../../pipeline/report/pdf.ts';
import { typstText } from '../../../pipeline/report/render/escape.ts';
import { codeSpan, sharePct, sig } from '../../../pipeline/report/format.ts';
import { changesSection, composeFixture, fixtureInputs } from './fixture.ts';

const inputs = fixtureInputs();
const findings = computeFindings(inputs);
const VERSIONS = { node: 'v20.19.0', 'chart.js': '4.6.1', i18next: '26.7.2' };
const current = reportMetrics(inputs, findings, reportSlice(inputs.config), VERSIONS);
const threshold = inputs.config.history.threshold;

const section = changesSection;

function compose(lang: Language, changes?: RunChanges): string {
  return composeFixture(lang, inputs, changes).markdown;
}

const compared = (prev: ReportMetrics) => runChanges({ status: 'found', metrics: prev }, current, threshold);

/** The previous run differs from this one by one moved metric, one flipped verdict, one config key, one version. */
function changedPrevious(): { prev: ReportMetrics; metric: string; verdictId: string } {
  const prev = structuredClone(current);
  const metric = '3000hz.ghm.s1.bestValAccuracy';
  prev.metrics[metric] = current.metrics[metric] * 0.8; // +25 % now
  prev.metrics['3000hz.ghm.s2.bestValAccuracy'] = current.metrics['3000hz.ghm.s2.bestValAccuracy'] * (1 + threshold / 2); // below the threshold
  const verdictId = 'finalAccuracy';
  assert.equal(current.verdicts[verdictId], 'contradicted', 'fixture: finalAccuracy is contradicted');
  prev.verdicts[verdictId] = 'supported';
  (prev.config as { train: { epochs: number } }).train.epochs = 99;
  prev.versions = { ...VERSIONS, node: 'v18.20.0' };
  prev.configHash = 'abcdef0123456789abcdef';
  return { prev, metric, verdictId };
}

test('the first run says plainly that there is nothing to compare with, in both languages', () => {
  const want: Record<Language, RegExp> = {
    en: /This is the first run of this experiment in this output folder: there is no previous report to compare with\./,
    'zh-TW': /這是本實驗在此輸出資料夾中的第一次執行：沒有先前的報告可供比較。/,
  };
  for (const lang of LANGUAGES) {
    const s = section(compose(lang, runChanges(readPrevious(undefined), current, threshold)), lang);
    assert.match(s, want[lang]);
    assert.doesNotMatch(s, /\|/, 'no table on the first run');
    assert.equal(compose(lang), compose(lang, { status: 'first' }), 'no changes given = first run');
  }
});

test('a previous output without usable metrics.json is named as such, not as a first run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ghm-prev-'));
  try {
    const prev = readPrevious(dir);
    assert.equal(prev.status, 'unreadable');
    const s = section(compose('en', runChanges(prev, current, threshold)), 'en');
    assert.match(s, /The previous run left no readable metrics \(metrics\.json\), so there is nothing to compare with/);
    assert.match(section(compose('zh-TW', runChanges(prev, current, threshold)), 'zh-TW'), /上次執行沒有留下可讀取的指標/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an identical previous run: "nothing changed", in both languages', () => {
  const c = compared(structuredClone(current));
  assert.equal(c.status, 'compared');
  assert.ok(c.status === 'compared' && nothingChanged(c.set));
  const en = section(compose('en', c), 'en');
  assert.match(en, /Compared with the previous run \(configuration hash [0-9a-f]{12}\) nothing changed: no metric moved by more than 2%, no verdict changed, and the configuration and the tool versions are the same\./);
  assert.doesNotMatch(en, /\|/);
  const zh = section(compose('zh-TW', c), 'zh-TW');
  assert.match(zh, /與上次執行（設定雜湊 [0-9a-f]{12}）相比沒有任何變化：沒有指標的變動超過 2%/);
});

test('a moved metric, a flipped verdict, a config change and a version change are each listed (en)', () => {
  const { prev, metric } = changedPrevious();
  const c = compared(prev);
  assert.ok(c.status === 'compared');
  assert.deepEqual(c.set.metrics.map((m) => m.name), [metric], 'only the metric beyond the threshold');
  const s = section(compose('en', c), 'en');
  assert.match(s, /Compared with the previous run \(configuration hash abcdef012345; this run [0-9a-f]{12}\)/);
  assert.match(s, /1 metric moved by more than 2%:/);
  const row = s.split('\n').find((l) => l.includes('3000hz, GHM, seed 1: Best val. accuracy (%)'));
  assert.ok(row, 'the metric row');
  assert.deepEqual(row.split('|').map((x) => x.trim()).filter(Boolean),
    ['3000hz, GHM, seed 1: Best val. accuracy (%)', sig(prev.metrics[metric]), sig(current.metrics[metric]), '+25.0%']);
  assert.ok(!s.includes('seed 2'), 'a metric within the threshold is not listed');
  assert.match(s, /1 finding changed its verdict:\n\n- Final accuracy vs the baseline: supported → contradicted/);
  assert.match(s, /1 setting changed:\n\n- `train\.epochs`: `99` → `6`/);
  assert.match(s, /1 version changed:\n\n- `node`: `v18\.20\.0` → `v20\.19\.0`/);
});

test('the same changes in zh-TW, with the localised verdict names and finding titles', () => {
  const { prev } = changedPrevious();
  const s = section(compose('zh-TW', compared(prev)), 'zh-TW');
  assert.match(s, /有 1 項指標的變動超過 2%：/);
  assert.match(s, /\| 3000hz、GHM、種子 1：最佳驗證準確率（%） +\| +[\d.]+ \| +[\d.]+ \| +\+25\.0% \|/);
  assert.match(s, /- 與基準相比的最終準確率：成立 → 與數據矛盾/);
  assert.match(s, /- `train\.epochs`：`99` → `6`/);
  assert.match(s, /- `node`：`v18\.20\.0` → `v20\.19\.0`/);
  assert.doesNotMatch(s, /[A-Za-z]{4,} (moved|changed)/, 'no English sentence in the zh-TW section');
});

test('parts without changes say so; added and removed metrics are named', () => {
  const prev = structuredClone(current);
  prev.metrics['finding.lossScale.ratio'] = current.metrics['finding.lossScale.ratio'] * 1.5;
  delete prev.metrics['finding.trainingTime.ratio'];
  prev.metrics['legacy.metric'] = 1;
  const s = section(compose('en', compared(prev)), 'en');
  assert.match(s, /\| GHM loss vs plain loss — GHM loss ÷ plain loss on validation within the GHM run, mean over epochs \(×\) +\|/);
  assert.match(s, /1 metric is new in this run: Training time — GHM ÷ baseline \(×\)\./);
  assert.match(s, /1 metric of the previous run is no longer reported: `legacy\.metric`\./);
  assert.match(s, /No finding changed its verdict\./);
  assert.match(s, /The configuration is the same\./);
  assert.match(s, /The tool versions are the same\./);
});

test('config values are shown literally: backticks, markup and long text', () => {
  const prev = structuredClone(current);
  const cfg = prev.config as { title: { en: string }; notes?: Record<string, string> };
  cfg.title.en = 'Old `title` <b>*x*</b> | pipe';
  const s = section(compose('en', compared(prev)), 'en');
  assert.ok(s.includes(`- \`title.en\`: ${codeSpan('Old `title` <b>*x*</b> | pipe')} → `), s);
  const html = renderHtml(compose('en', compared(prev)), { lang: 'en', title: 't', alternates: [] });
  assert.ok(html.includes('<code>Old `title` &#x3C;b>*x*&#x3C;/b> | pipe</code>'), 'literal in the HTML');
  const long = structuredClone(current);
  (long.config as { title: { en: string } }).title.en = 'x'.repeat(300);
  assert.match(section(compose('en', compared(long)), 'en'), /`x{99}…`/);
});

test('the section is in the TOC, the HTML, the review page and the PDF source', () => {
  const { prev } = changedPrevious();
  const c = compared(prev);
  const docs = LANGUAGES.map((lang) => ({ lang, title: inputs.config.title[lang], markdown: compose(lang, c) }));
  const en = docs.find((d) => d.lang === 'en')!;
  assert.match(en.markdown, /\d+\. \[Changes since the previous run\]\(#changes-since-the-previous-run\)/);
  const zh = docs.find((d) => d.lang === 'zh-TW')!;
  assert.match(zh.markdown, /\d+\. \[與上次執行相比的變化\]\(#與上次執行相比的變化\)/);
  const html = renderHtml(en.markdown, { lang: 'en', title: en.title, alternates: [] });
  assert.match(html, /<h2 id="changes-since-the-previous-run">/);
  assert.match(html, /<td>3000hz, GHM, seed 1: Best val\. accuracy \(%\)<\/td>/);
  const review = renderReview(docs);
  assert.ok(review.includes('Changes since the previous run') && review.includes('與上次執行相比的變化'));
  assert.doesNotMatch(review, /section-head mismatch/, 'the languages agree in structure');
  const typ = reportTypst(en.markdown, { lang: 'en', title: en.title, alternates: [] }, join(tmpdir(), 'figures')).source;
  assert.match(typ, /#heading\(level: 2\)\[Changes since the previous run\]/);
  assert.ok(typ.includes(typstText('3000hz, GHM, seed 1: Best val. accuracy (%)')), 'the metric row in the PDF source');
  assert.match(typ, /#raw\("train\.epochs"\)/);
});

test('numbers: four significant digits, thresholds without needless decimals, code spans that survive backticks', () => {
  assert.equal(sig(62.5), '62.50');
  assert.equal(sig(0.12345), '0.1235');
  assert.equal(sig(-0.001234), '\u22120.001234');
  assert.equal(sig(1523), '1523');
  assert.equal(sig(1523.4), '1523');
  assert.equal(sharePct(0.02), '2%');
  assert.equal(sharePct(0.005), '0.5%');
  assert.equal(sharePct(0.0125), '1.25%');
  assert.equal(codeSpan('a'), '`a`');
  assert.equal(codeSpan('a`b'), '``a`b``');
  assert.equal(codeSpan('`a'), '`` `a ``');
  assert.equal(codeSpan('a\nb'), '`a b`');
});
