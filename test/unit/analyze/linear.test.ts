import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearData, hingeGradient, scoreDiffs, pairAccuracy, runLinear, trainLinear, type PairDesign } from '../../../pipeline/analyze/linear.ts';
import { analysisGhmParams } from '../../../pipeline/analyze/params.ts';
import { ghm, marginLoss } from '../../../pipeline/lib/ghm.ts';
import { experiment } from './helpers.ts';

const plastic = experiment('plastic');
const lin = plastic.analyses.linear;
const ghmCfg = plastic.train.losses.ghm;

test('training pairs are the original test_ghm pairs for seed 42 (11 of 25 with the first ranked higher)', () => {
  const { train, held, init } = linearData(42, lin);
  assert.equal(train.pairs, 25);
  assert.equal(train.y.filter((v) => v === 1).length, 11);
  assert.equal(held.pairs, lin.heldOutPairs);
  assert.notDeepEqual(Array.from(held.diff), Array.from(train.diff), 'held-out pairs come from fresh samples');
  // Targets follow the true weights: y = sign((x1 − x2)·w*).
  const trueD = scoreDiffs(train, Float64Array.from(lin.trueWeights));
  train.y.forEach((y, i) => assert.equal(y, trueD[i] > 0 ? 1 : -1));
  assert.equal(init.length, 10);
  assert.ok(init.every((w) => Math.abs(w) < 0.06 && w !== 0), 'init ~ N(0, 0.01)');
});

function fdCheck(x: PairDesign, w: Float64Array, loss: (w: Float64Array) => number, grad: Float64Array): void {
  const eps = 1e-6;
  for (let j = 0; j < w.length; j++) {
    const a = Float64Array.from(w); a[j] += eps;
    const b = Float64Array.from(w); b[j] -= eps;
    const num = (loss(a) - loss(b)) / (2 * eps);
    assert.ok(Math.abs(num - grad[j]) < 1e-6, `feature ${j}: numeric ${num} vs analytic ${grad[j]}`);
  }
}

test('hand-derived gradients match finite differences of the lib losses', () => {
  const { train, init } = linearData(42, lin);
  const w = Float64Array.from(init, (v, j) => v + 0.05 * (j - 4.5));
  const d = scoreDiffs(train, w);
  fdCheck(train, w, (v) => marginLoss(scoreDiffs(train, v), train.y, lin.margin), hingeGradient(train, d, lin.margin, null));
  // GHM weights are constants of the step: differentiate mean(w_i · hinge_i) with the bins fixed.
  const p = analysisGhmParams(ghmCfg, { variant: 'paper', bins: lin.bins, alpha: lin.alpha, margin: lin.margin });
  const r = ghm(d, train.y, p);
  fdCheck(train, w, (v) => {
    const rv = ghm(scoreDiffs(train, v), train.y, p);
    assert.deepEqual(Array.from(rv.bin), Array.from(r.bin), 'a step of 1e-6 keeps every pair in its bin');
    return rv.ghmLoss;
  }, hingeGradient(train, d, lin.margin, r.weights));
});

test('pair accuracy counts ties as wrong', () => {
  assert.equal(pairAccuracy([1, -1, 0, 2], [1, -1, 1, -1]), 50);
});

test('linear comparison: identical start, per-epoch records, plain loss falls', () => {
  const a = runLinear(lin, ghmCfg, [42]);
  assert.equal(a.variant, 'paper');
  const ep = a.runs[0].epochs;
  assert.equal(ep.length, lin.epochs);
  assert.deepEqual(ep.map((e) => e.epoch), Array.from({ length: lin.epochs }, (_, i) => i + 1));
  assert.equal(ep[0].plainTrainAcc, ep[0].ghmTrainAcc, 'both models start from the same weights');
  assert.equal(ep[0].plainHeldAcc, ep[0].ghmHeldAcc);
  assert.ok(ep[lin.epochs - 1].plainLoss < ep[0].plainLoss * 0.6);
  for (const e of ep) for (const acc of [e.plainTrainAcc, e.ghmTrainAcc, e.plainHeldAcc, e.ghmHeldAcc])
    assert.equal(acc % 4, 0, '25 pairs: accuracies are multiples of 4 %');
});

test('original variant: the GHM loss is down-scaled by count^-alpha (no normalisation)', () => {
  const o = runLinear(lin, { ...ghmCfg, variant: 'original' }, [42]);
  assert.equal(o.variant, 'original');
  for (const e of o.runs[0].epochs) assert.ok(e.ghmLoss < e.plainLoss / 3, `epoch ${e.epoch}: ${e.ghmLoss} vs ${e.plainLoss}`);
});

test('linear comparison is deterministic, one run per seed, seeds differ', () => {
  const a = runLinear(lin, ghmCfg, [42, 7]);
  assert.deepEqual(runLinear(lin, ghmCfg, [42, 7]), a);
  assert.deepEqual(a.runs.map((r) => r.seed), [42, 7]);
  assert.notDeepEqual(a.runs[0].epochs, a.runs[1].epochs);
  const p = analysisGhmParams(ghmCfg, { variant: 'paper', bins: lin.bins, alpha: lin.alpha, margin: lin.margin });
  assert.deepEqual(trainLinear(7, lin, p), a.runs[1]);
});

test('momentum > 0 carries the bin EMA across epochs', () => {
  const still = runLinear(lin, ghmCfg, [42]).runs[0].epochs;
  const ema = runLinear(lin, { ...ghmCfg, momentum: 0.75 }, [42]).runs[0].epochs;
  assert.equal(ema[0].ghmLoss, still[0].ghmLoss, 'bias-corrected EMA of one step = that step\'s counts');
  assert.notDeepEqual(ema.map((e) => e.ghmLoss), still.map((e) => e.ghmLoss));
});
