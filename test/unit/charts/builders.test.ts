import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Point } from 'chart.js';
import { createT, LOCALES_DIR } from '../../../pipeline/lib/i18n.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { buildTrainingRun } from '../../../pipeline/charts/builders/training.ts';
import { buildSnapshots, snapshotFigure } from '../../../pipeline/charts/builders/snapshot.ts';
import { buildDensity } from '../../../pipeline/charts/builders/density.ts';
import { buildImbalanceHistogram, buildImbalanceWeights } from '../../../pipeline/charts/builders/imbalance.ts';
import { buildLinear } from '../../../pipeline/charts/builders/linear.ts';
import { buildStages } from '../../../pipeline/charts/builders/stages.ts';
import { buildSummary } from '../../../pipeline/charts/builders/summary.ts';
import { visibleWeights } from '../../../pipeline/charts/builders/bins.ts';
import { buildFigures } from '../../../pipeline/charts/figures.ts';
import { loadInputs } from '../../../pipeline/charts/inputs.ts';
import { binLabels, COLOR, lineLegendLabels, niceCeil } from '../../../pipeline/charts/style.ts';
import type { PanelConfig } from '../../../pipeline/charts/types.ts';
import { FIXTURE_ANALYZE, FIXTURE_TRAIN, fixtures } from './helpers.ts';

const en = createT('en', 'charts');
const zh = createT('zh-TW', 'charts');
const zhMessages = JSON.parse(readFileSync(join(LOCALES_DIR, 'zh-TW', 'charts.json'), 'utf8'));

const labels = (p: PanelConfig) => p.data.datasets.map((d) => d.label);
const data = (p: PanelConfig, i: number) => p.data.datasets[i].data;
const ys = (p: PanelConfig, i: number) => (data(p, i) as Point[]).map((q) => q.y);
const scale = (p: PanelConfig, id: string) => (p.options?.scales as Record<string, { min?: number; max?: number; stacked?: boolean; title: { text: string } }>)[id];
const title = (p: PanelConfig) => (p.options?.plugins?.title as { text: string }).text;
const snapRun = () => fixtures.snapshots().runs[0];

test('style helpers: nice axis maxima, bin labels, hidden weights of empty bins', () => {
  assert.deepEqual([0.12, 1, 3, 7, 9.8, 12, 2.2, 0, -1].map(niceCeil), [0.2, 1, 5, 10, 10, 20, 2.5, 1, 1]);
  assert.deepEqual(binLabels([0, 0.1, 0.2, 0.3]), ['0.05', '0.15', '0.25']);
  assert.deepEqual(binLabels([0, 0.05, 0.1]), ['0.025', '0.075']);
  assert.deepEqual(visibleWeights([0, 2, 3, 0], [1, 0.5, null, 1]), [null, 0.5, null, null]);
  const legend = lineLegendLabels({ data: { datasets: [{ label: 'a', borderColor: '#f00', borderDash: [7, 4], borderWidth: 2 }] } });
  assert.deepEqual(legend[0].lineDash, [7, 4], 'legend strokes keep the dash of their series');
  assert.equal(legend[0].strokeStyle, '#f00');
});

test('training run figure: GHM and baseline side by side, loss and accuracy rows, shared loss axis', () => {
  const spec = buildTrainingRun(fixtures.ghm(), fixtures.baseline(), en);
  assert.equal(spec.id, 'training_comparison_3000hz-ghm-s7');
  assert.equal(spec.figure, 1);
  assert.deepEqual([spec.cols, spec.rows, spec.panels.length], [2, 2, 4]);
  assert.equal(spec.title, 'Training history, 3000hz, seed 7');
  const [lossGhm, lossBase, accGhm, accBase] = spec.panels;
  assert.deepEqual(labels(lossGhm), ['train, plain loss', 'train, GHM loss', 'validation, plain loss', 'validation, GHM loss']);
  assert.deepEqual(ys(lossGhm, 0), [9.6, 7.4, 5.3], 'train plain loss of the GHM run');
  assert.deepEqual(ys(lossGhm, 3), [9.2, 7.0, 6.4], 'validation GHM loss');
  assert.deepEqual(ys(lossBase, 1), [8.7, 6.8, 4.9], 'GHM loss computed for the baseline run');
  assert.deepEqual((data(lossGhm, 0) as Point[]).map((p) => p.x), [1, 2, 3]);
  const ds = lossGhm.data.datasets as unknown as { borderDash: number[]; borderColor: string }[];
  assert.deepEqual(ds.map((d) => d.borderDash.length > 0), [false, true, false, true], 'GHM loss dashed, plain solid');
  assert.deepEqual(ds.map((d) => d.borderColor), [COLOR.blue, COLOR.blue, COLOR.red, COLOR.red], 'train blue, validation red');
  for (const p of [lossGhm, lossBase]) assert.deepEqual([scale(p, 'y').min, scale(p, 'y').max], [0, 10], 'shared loss axis up to max 9.8 → 10');
  for (const p of [accGhm, accBase]) {
    assert.deepEqual([scale(p, 'y').min, scale(p, 'y').max], [0, 100]);
    assert.deepEqual([scale(p, 'x').min, scale(p, 'x').max], [1, 3]);
  }
  assert.deepEqual(ys(accGhm, 1), [50, 56.25, 62.5], 'validation accuracy');
  assert.equal(title(lossBase), 'Loss: baseline run (margin loss)');

  const zhSpec = buildTrainingRun(fixtures.ghm(), undefined, zh);
  assert.deepEqual([zhSpec.cols, zhSpec.panels.length], [1, 2], 'no baseline: one column');
  assert.deepEqual(labels(zhSpec.panels[0]), [
    zhMessages.training.trainPlain, zhMessages.training.trainGhm, zhMessages.training.valPlain, zhMessages.training.valGhm,
  ]);
  assert.equal(scale(zhSpec.panels[1], 'y').title.text, zhMessages.axis.accuracy);
});

test('snapshot figures: one per configured epoch, counts and weights of that batch, shared axes', () => {
  const specs = buildSnapshots(snapRun(), [1, 2, 3], en);
  assert.deepEqual(specs.map((s) => s.id), ['epoch1_batch0', 'epoch2_batch0', 'epoch3_batch0']);
  assert.deepEqual(specs.map((s) => s.figure), [2, 3, 4]);
  assert.equal(snapshotFigure(5), 4);
  const p = specs[1].panels[0];
  assert.deepEqual(labels(p), ['pairs per bin', 'GHM weight (empty bins: none)']);
  assert.deepEqual(data(p, 0), [1, 0, 0, 0, 0, 1, 0, 1, 1, 4]);
  assert.deepEqual(data(p, 1), [1.4776, null, null, null, null, 1.4776, null, 1.4776, 1.4776, 0.5224]);
  assert.deepEqual(p.data.labels, ['0.05', '0.15', '0.25', '0.35', '0.45', '0.55', '0.65', '0.75', '0.85', '0.95']);
  for (const s of specs) {
    const q = s.panels[0];
    assert.deepEqual([scale(q, 'y').min, scale(q, 'y').max], [0, 10], 'counts up to 7 → 10 on every snapshot');
    assert.deepEqual([scale(q, 'y1').min, scale(q, 'y1').max], [0, 5], 'weights up to 3.05 → 5 on every snapshot');
  }
  assert.equal(title(p), 'Epoch 2, batch 0: pairs per g bin and GHM weights (3000hz-ghm-s7)');
  assert.equal(title(buildSnapshots(snapRun(), [3], zh)[0].panels[0]), '第 3 輪、批次 0：各 g 區間的配對數與 GHM 權重（3000hz-ghm-s7）');
  assert.throws(() => buildSnapshots(snapRun(), [1, 5], en), (e: unknown) => e instanceof StageError && /epoch 5/.test(e.message) && /1, 2, 3/.test(e.message));
});

test('density figure: one line per selected epoch over the bin centres', () => {
  const spec = buildDensity(snapRun(), zh);
  assert.equal(spec.id, 'gradient_density_evolution');
  const p = spec.panels[0];
  assert.deepEqual(labels(p), ['第 1 輪', '第 2 輪', '第 3 輪']);
  assert.deepEqual(ys(p, 0), [0, 0, 0, 0, 0, 0, 0, 0, 1.25, 8.75]);
  assert.deepEqual((data(p, 2) as Point[]).map((q) => q.x), snapRun().density.centers);
  assert.deepEqual([scale(p, 'x').min, scale(p, 'x').max], [0, 1]);
  assert.deepEqual([scale(p, 'y').min, scale(p, 'y').max], [0, 10]);
  assert.equal(scale(p, 'y').title.text, zhMessages.axis.density);
});

test('imbalance histogram: easy and hard pairs stacked', () => {
  const spec = buildImbalanceHistogram(fixtures.imbalance(), en);
  assert.equal(spec.id, 'imbalanced_gradient_distribution');
  const p = spec.panels[0];
  assert.deepEqual(labels(p), ['easy pairs', 'hard pairs']);
  assert.deepEqual(data(p, 0), [3, 2, 0, 1, 0]);
  assert.deepEqual(data(p, 1), [0, 0, 0, 0, 3]);
  assert.equal(p.data.labels?.length, 5);
  assert.equal(scale(p, 'x').stacked, true);
  assert.equal(scale(p, 'y').stacked, true);
  assert.deepEqual([scale(p, 'y').min, scale(p, 'y').max], [0, 5]);
  assert.equal(title(p), 'Distribution of g on imbalanced pairs (6 easy, 3 hard)');
});

test('imbalance weights: paper beside original, empty bins without weight, each variant on its own weight scale', () => {
  const spec = buildImbalanceWeights(fixtures.imbalance(), en);
  assert.equal(spec.id, 'imbalanced_ghm_weights');
  assert.deepEqual([spec.cols, spec.rows], [2, 1]);
  const [paper, original] = spec.panels;
  assert.equal(title(paper), 'paper variant: GHM loss 0.0237, plain loss 0.0289');
  assert.equal(title(original), 'original variant: GHM loss 0.0127, plain loss 0.0289');
  assert.deepEqual(data(paper, 1), [null, null, 0.8189, 1.1099, 1.8667, 0.8189, null, null, null, null]);
  assert.deepEqual(data(original, 1), [null, null, 0.4387, 0.5946, 1, 0.4387, null, null, null, null], 'the original\'s weight 1 of empty bins is not drawn');
  assert.deepEqual([scale(paper, 'y1').max, scale(original, 'y1').max], [2, 1]);
  assert.deepEqual([scale(paper, 'y').max, scale(original, 'y').max], [5, 5], 'shared count axis');
  assert.equal(title(buildImbalanceWeights(fixtures.imbalance(), zh).panels[1]), 'original 版：GHM 損失 0.0127，原始損失 0.0289');
});

test('linear figure: loss and accuracy, training and held-out, for the requested seed', () => {
  const spec = buildLinear(fixtures.linear(), 7, en);
  assert.equal(spec.id, 'training_comparison');
  assert.equal(spec.figure, 8);
  const [loss, acc] = spec.panels;
  assert.deepEqual(labels(loss), ['MarginRankingLoss', 'GHM loss']);
  assert.deepEqual(ys(loss, 1).slice(0, 3), [0.118, 0.101, 0.088]);
  assert.deepEqual([scale(loss, 'y').min, scale(loss, 'y').max], [0, 0.2]);
  assert.deepEqual([scale(loss, 'x').min, scale(loss, 'x').max], [1, 10]);
  assert.deepEqual(labels(acc), ['MarginRankingLoss, training pairs', 'GHM, training pairs', 'MarginRankingLoss, held-out pairs', 'GHM, held-out pairs']);
  assert.equal(ys(acc, 3)[9], 76, 'final held-out accuracy of the GHM model');
  assert.deepEqual([scale(acc, 'y').min, scale(acc, 'y').max], [0, 100]);
  assert.equal(spec.title, 'Linear ranker: GHM vs MarginRankingLoss (seed 7, paper variant)');
  assert.throws(() => buildLinear(fixtures.linear(), 8, en), (e: unknown) => e instanceof StageError && /seed 8/.test(e.message));
});

test('stage comparison: three panels re-plotted from the stage counts and weights, shared axes', () => {
  const run = snapRun();
  const spec = buildStages(run, zh);
  assert.equal(spec.id, 'ghm_weights_comparison');
  assert.deepEqual([spec.cols, spec.rows, spec.panels.length], [3, 1, 3]);
  assert.deepEqual(spec.panels.map(title), ['早期（第 1 輪）', '中期（第 2 輪）', '後期（第 3 輪）']);
  assert.deepEqual(data(spec.panels[2], 0), run.stages[2].counts);
  for (const p of spec.panels) assert.deepEqual([scale(p, 'y').max, scale(p, 'y1').max], [10, 5]);
  run.stages[0].epochs = [1, 2];
  assert.equal(title(buildStages(run, en).panels[0]), 'Early stage (epochs 1–2)');
});

test('summary: best and final validation accuracy per frequency, GHM beside baseline', () => {
  const spec = buildSummary(fixtures.summary(), en);
  assert.equal(spec.id, 'summary_accuracy');
  assert.equal(spec.figure, 10);
  const p = spec.panels[0];
  assert.deepEqual(p.data.labels, ['3000hz', '1000hz']);
  assert.deepEqual(labels(p), ['GHM, best', 'baseline, best', 'GHM, final', 'baseline, final']);
  assert.deepEqual(data(p, 0), [62.5, 56.25]);
  assert.deepEqual(data(p, 3), [56.25, 50]);
  assert.deepEqual([scale(p, 'y').min, scale(p, 'y').max], [0, 100]);

  const rows = fixtures.summary().rows;
  const multi = buildSummary({ rows: [...rows, { ...rows[0], seed: 8, bestValAccuracy: 70 }] }, zh).panels[0];
  assert.deepEqual(multi.data.labels, ['3000hz，種子 7', '1000hz，種子 7', '3000hz，種子 8']);
  assert.deepEqual(data(multi, 0), [62.5, 56.25, 70]);
  assert.deepEqual(data(multi, 1), [56.25, 50, null], 'no baseline row for seed 8');
  assert.equal(buildSummary({ rows: rows.filter((r) => r.loss === 'ghm') }, en).panels[0].data.datasets.length, 2);
});

test('figure list: report order, the same ids in both languages, optional analyses left out', () => {
  const sel = { primaryFrequency: '3000hz', seed: 7, imbalance: true, linear: true };
  const inp = loadInputs(FIXTURE_TRAIN, FIXTURE_ANALYZE, sel);
  const opts = { snapshotEpochs: [1, 2, 3], seed: 7 };
  const ids = buildFigures(inp, opts, en).map((s) => `${s.figure}:${s.id}`);
  assert.deepEqual(ids, [
    '1:training_comparison_3000hz-ghm-s7', '2:epoch1_batch0', '3:epoch2_batch0', '4:epoch3_batch0', '5:gradient_density_evolution',
    '6:imbalanced_gradient_distribution', '7:imbalanced_ghm_weights', '8:training_comparison', '9:ghm_weights_comparison', '10:summary_accuracy',
  ]);
  assert.deepEqual(buildFigures(inp, opts, zh).map((s) => `${s.figure}:${s.id}`), ids);
  const lean = buildFigures({ ...inp, imbalance: undefined, linear: undefined }, { ...opts, snapshotEpochs: [3] }, en).map((s) => s.id);
  assert.deepEqual(lean, ['training_comparison_3000hz-ghm-s7', 'epoch3_batch0', 'gradient_density_evolution', 'ghm_weights_comparison', 'summary_accuracy']);
});
