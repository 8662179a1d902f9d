import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imbalanceData, runImbalance } from '../../../pipeline/analyze/imbalance.ts';
import { experiment } from './helpers.ts';

const plastic = experiment('plastic');
const imb = plastic.analyses.imbalance;
const ghmCfg = plastic.train.losses.ghm;

test('imbalance data reproduce the original torch draws (seed 42)', () => {
  const data = imbalanceData(42, 100, 20);
  assert.deepEqual(Array.from(data.s1.slice(0, 3), (v) => +v.toFixed(6)), [1.382269, 1.415004, 0.882864]);
  assert.deepEqual(Array.from(data.s2.slice(0, 3), (v) => +v.toFixed(6)), [0.064099, 0.187471, 0.130201]);
  const easy = data.d.slice(0, 100);
  const hard = data.d.slice(100);
  assert.equal(+Math.min(...easy).toFixed(4), 0.3173);
  assert.equal(+Math.max(...easy).toFixed(4), 1.4221);
  assert.equal(+Math.min(...hard).toFixed(4), -0.0621);
  assert.equal(+Math.max(...hard).toFixed(4), 0.0825);
  assert.equal(hard.filter((d) => d <= 0).length, 9, '9 of the 20 hard pairs are mis-ordered (§6.6)');
  assert.deepEqual(data.isHard.map((h, i) => h === i >= 100), new Array(120).fill(true));
});

test('original variant reproduces §6.7: counts, weights (empty bins 1), losses', () => {
  const a = runImbalance(imb, ghmCfg, 42);
  const orig = a.variants.find((v) => v.variant === 'original')!;
  assert.deepEqual(orig.counts, [0, 0, 0, 0, 17, 25, 25, 21, 12, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const expected = [1, 1, 1, 1, 0.119444, 0.089443, 0.089443, 0.101938, 0.155101, 1, 0.105737, 1, 1, 1, 1, 1, 1, 1, 1, 1];
  assert.deepEqual(orig.weights.map((w) => +(w as number).toFixed(6)), expected);
  assert.ok(Math.abs(orig.ghmLoss - 0.00158) < 5e-7, `GHM loss ${orig.ghmLoss}`);
  assert.ok(Math.abs(orig.plainLoss - 0.0149423) < 5e-7, `plain loss ${orig.plainLoss}`);
  // The 20 hard pairs all sit in bin 10, the easy ones in bins 4–8.
  assert.deepEqual(orig.hardPerBin, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(orig.easyPerBin, [0, 0, 0, 0, 17, 25, 25, 21, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(orig.pairWeights.length, 120);
  assert.equal(+orig.pairWeights[119].toFixed(6), 0.105737);
});

test('original variant: g = 1 is counted in no bin but weighted as the last bin', () => {
  // A huge margin saturates sigmoid(m − d) at exactly 1 in float32.
  const a = runImbalance({ ...imb, margin: 40, bins: 4 }, ghmCfg, 42);
  const orig = a.variants.find((v) => v.variant === 'original')!;
  assert.deepEqual(orig.counts, [0, 0, 0, 0]);
  assert.deepEqual(orig.weights, [1, 1, 1, 1]);
  assert.deepEqual(orig.hardPerBin, [0, 0, 0, 20]);
  assert.deepEqual(orig.easyPerBin, [0, 0, 0, 100]);
  const paper = a.variants.find((v) => v.variant === 'paper')!;
  assert.deepEqual(paper.counts, [0, 0, 0, 120], 'the paper variant counts g = 1 in the last bin');
  assert.deepEqual(paper.weights, [null, null, null, 1]);
});

test('paper variant: mean pair weight is 1 at alpha 1 without normalisation, and with normalisation at any alpha', () => {
  const raw = runImbalance({ ...imb, alpha: 1 }, { ...ghmCfg, normalize: false }, 42).variants[0];
  assert.equal(raw.variant, 'paper');
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  assert.ok(Math.abs(mean(raw.pairWeights) - 1) < 1e-12, `mean ${mean(raw.pairWeights)}`);
  const norm = runImbalance(imb, { ...ghmCfg, normalize: true }, 42).variants[0];
  assert.ok(Math.abs(mean(norm.pairWeights) - 1) < 1e-12);
  // Empty bins carry no weight; the hard bin is the rarest, so it is weighted above the crowded easy bins.
  assert.equal(norm.weights[0], null);
  assert.ok((norm.weights[10] as number) > (norm.weights[5] as number));
});

test('histogram: histogramBins bins on [min g, max g], easy and hard stacked, every pair counted once', () => {
  const a = runImbalance(imb, ghmCfg, 42);
  const g = a.variants[0].g;
  const h = a.histogram;
  assert.equal(h.edges.length, 31);
  assert.equal(h.edges[0], Math.min(...g));
  assert.equal(h.edges[30], Math.max(...g));
  assert.equal(h.easy.reduce((s, v) => s + v, 0), 100);
  assert.equal(h.hard.reduce((s, v) => s + v, 0), 20);
  // The hard pairs have g ≈ sigmoid(0.1) ≈ 0.52–0.54, the top of the range.
  assert.equal(h.hard.slice(0, 26).reduce((s, v) => s + v, 0), 0);
});

test('imbalance test is deterministic and follows the seed', () => {
  const a = runImbalance(imb, ghmCfg, 42);
  assert.deepEqual(runImbalance(imb, ghmCfg, 42), a);
  const b = runImbalance(imb, ghmCfg, 7);
  assert.equal(b.seed, 7);
  assert.notDeepEqual(b.d, a.d);
});
