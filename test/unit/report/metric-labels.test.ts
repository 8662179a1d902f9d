/**
 * The names of the numbers in metrics.json, as "Changes since the previous run" shows them: every
 * name the report can produce has its own label in both languages, an unknown name is shown as it
 * is, and the table lists the runs' accuracies before the findings' numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES } from '../../../pipeline/core/schema.ts';
import type { LossKind } from '../../../pipeline/core/artifacts.ts';
import { createT } from '../../../pipeline/lib/i18n.ts';
import { compareRuns, type MetricChange } from '../../../pipeline/lib/changes.ts';
import { computeFindings, FINDING_IDS, type Finding } from '../../../pipeline/report/findings.ts';
import {
  FINDING_METRICS, findingMetricName, parseMetricName, reportMetrics, RUN_FIELDS, runMetricName,
} from '../../../pipeline/report/metrics.ts';
import { metricLabel, orderMetricChanges, runChanges } from '../../../pipeline/report/changes.ts';
import { Messages } from '../../../pipeline/report/messages.ts';
import { changesSection, composeFixture, fixtureInputs } from './fixture.ts';

const inputs = fixtureInputs();
const findings = computeFindings(inputs);
const VERSIONS = { node: 'v20.19.0' };
const current = reportMetrics(inputs, findings, {}, VERSIONS);
const LOSSES: LossKind[] = ['ghm', 'baseline'];

/** Every metric name this version can write: each run field of each loss, each finding's numbers. */
function allMetricNames(): string[] {
  const runs = LOSSES.flatMap((loss) => RUN_FIELDS.map((f) => runMetricName({ frequency: '3000hz', loss, seed: 1 }, f)));
  return [...runs, ...FINDING_IDS.flatMap((id) => FINDING_METRICS[id].map((v) => findingMetricName(id, v)))];
}

test('every metric name the report can produce has its own label in both languages', () => {
  const names = allMetricNames();
  assert.equal(names.length, 2 * RUN_FIELDS.length + 55, 'the metric names counted');
  for (const lang of LANGUAGES) {
    const m = new Messages(lang, createT(lang, 'report'));
    const labels = names.map((n) => metricLabel({ m }, n));
    for (const [i, label] of labels.entries()) {
      assert.doesNotMatch(label, /`/, `${lang}: ${names[i]} is labelled in words, not by its raw key: ${label}`);
      assert.doesNotMatch(label, /\{\{|\}\}/, `${lang}: ${names[i]} has unfilled variables: ${label}`);
      const p = parseMetricName(names[i]);
      if (p.kind === 'finding') assert.ok(label.startsWith(m.md(`finding.${p.id}.label`)), `${lang}: ${label} starts with its finding's title`);
    }
    const seen = new Map<string, string>();
    for (const [i, label] of labels.entries()) {
      assert.ok(!seen.has(label), `${lang}: ${names[i]} and ${seen.get(label)} share the label "${label}"`);
      seen.set(label, names[i]);
    }
  }
});

test('labels name what is measured, with its unit and the threshold it uses', () => {
  const en = new Messages('en', createT('en', 'report'));
  const zh = new Messages('zh-TW', createT('zh-TW', 'report'));
  assert.equal(metricLabel({ m: en }, 'finding.trainValGap.rise'), 'Train–validation gap — final validation loss above its minimum, GHM run (%)');
  assert.equal(metricLabel({ m: zh }, 'finding.trainValGap.rise'), '訓練與驗證的差距——最終驗證損失高於其最低值的幅度，GHM 訓練（%）');
  assert.equal(metricLabel({ m: en }, 'finding.trainingTime.ghm'), 'Training time — GHM, mean per run (s)');
  assert.equal(metricLabel({ m: en }, 'finding.imbalanceSkew.low'), 'Imbalanced data: where g lies — share of the pairs with g below 0\\.5 (%)', 'Markdown, the threshold escaped');
  assert.equal(metricLabel({ m: zh }, '1000hz.baseline.s7.finalValAccuracy'), '1000hz、基準（margin 損失）、種子 7：最終驗證準確率（%）');
});

test('a missing label is an error naming the message, not the raw key in the report', () => {
  const t = createT('en', 'report');
  const m = new Messages('en', (key, vars) => (key === 'finding.lossScale.values.rel' ? key : t(key, vars)));
  assert.throws(() => metricLabel({ m }, 'finding.lossScale.rel'),
    /locales\/en\/report\.json has no message "finding\.lossScale\.values\.rel"/);
});

test('FINDING_METRICS lists exactly the numbers the findings report', () => {
  for (const f of findings) {
    const numbers = Object.entries(f.values).filter(([, v]) => typeof v === 'object').map(([k]) => k).sort();
    assert.deepEqual(numbers, [...FINDING_METRICS[f.id]].sort(), `finding ${f.id}`);
  }
  const names = Object.keys(current.metrics).filter((n) => n.startsWith('finding.')).sort();
  assert.deepEqual(names, allMetricNames().filter((n) => n.startsWith('finding.')).sort(), 'the fixture writes every finding number');
});

test('reportMetrics refuses a number FINDING_METRICS does not list', () => {
  const extra: Finding[] = findings.map((f) => f.id === 'stability'
    ? { ...f, values: { ...f.values, wobble: { mean: 1, sd: 0, n: 1, unit: 'num', digits: 2 } } } : f);
  assert.throws(() => reportMetrics(inputs, extra, {}, VERSIONS), /finding stability reports the number "wobble", which FINDING_METRICS/);
});

test('a name this version does not make — an older number of a known finding — is shown as it is', () => {
  assert.deepEqual(parseMetricName('finding.lossScale.oldNumber'), { kind: 'other', name: 'finding.lossScale.oldNumber' });
  assert.deepEqual(parseMetricName('finding.noSuchFinding.ratio'), { kind: 'other', name: 'finding.noSuchFinding.ratio' });
  assert.deepEqual(parseMetricName('finding.lossScale.rel'), { kind: 'finding', id: 'lossScale', value: 'rel' });
  const prev = structuredClone(current);
  prev.metrics['finding.lossScale.oldNumber'] = 3;
  const s = changesSection(composeFixture('en', inputs, runChanges({ status: 'found', metrics: prev }, current, 0.02)).markdown, 'en');
  assert.match(s, /1 metric of the previous run is no longer reported: `finding\.lossScale\.oldNumber`\./);
});

test('the table lists the runs\' accuracies first, then the findings\' numbers, then unknown names, each by size of change', () => {
  const change = (name: string, relative: number): MetricChange => ({ name, before: 1, after: 1 + relative, relative });
  const given = [
    change('finding.trainValGap.rise', 3), change('legacy', 2), change('3000hz.ghm.s1.bestValAccuracy', 1),
    change('finding.lossScale.rel', 0.5), change('3000hz.baseline.s1.finalValAccuracy', 0.1),
  ];
  assert.deepEqual(orderMetricChanges(given).map((c) => c.name), [
    '3000hz.ghm.s1.bestValAccuracy', '3000hz.baseline.s1.finalValAccuracy',
    'finding.trainValGap.rise', 'finding.lossScale.rel', 'legacy',
  ]);

  // in the report: a previous run whose every metric was 10 % lower (and one 50 % lower)
  const prev = structuredClone(current);
  for (const k of Object.keys(prev.metrics)) prev.metrics[k] *= 0.9;
  prev.metrics['finding.trainingTime.ratio'] = current.metrics['finding.trainingTime.ratio'] * 0.5;
  const set = compareRuns(prev, current, 0.02);
  const rows = changesSection(composeFixture('en', inputs, { status: 'compared', previousHash: 'f'.repeat(12), set }).markdown, 'en')
    .split('\n').filter((l) => /^\| (?!Metric|-)/.test(l)).map((l) => l.split('|')[1].trim());
  const nonZero = Object.values(current.metrics).filter((v) => v !== 0).length;
  assert.equal(rows.length, nonZero, 'every moved metric is a row');
  const firstFinding = rows.findIndex((r) => !/seed \d+:/.test(r));
  assert.ok(firstFinding > 0 && rows.slice(firstFinding).every((r) => !/seed \d+:/.test(r)), 'run rows, then finding rows');
  assert.equal(rows[firstFinding], 'Training time — GHM ÷ baseline (×)', 'the largest change among the findings leads them');
});
