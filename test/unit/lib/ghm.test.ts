import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ghm, marginLoss, binEdges, gStats, createGhmState, type GhmParams } from '../../../pipeline/lib/ghm.ts';

const f = Math.fround;
const diff = (a: number[], b: number[]) => a.map((v, i) => f(f(v) - f(b[i])));
const orig: GhmParams = { variant: 'original', bins: 10, alpha: 0.75, momentum: 0, tau: 1, normalize: false, margin: 0.3 };
const paper: GhmParams = { ...orig, variant: 'paper', alpha: 1 };
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('original variant reproduces test_ghm.py (Appendix B row 1)', () => {
  const r = ghm(diff([0.9, 0.7, 0.1, 0.5, 0.8], [0.8, 0.6, 0.2, 0.6, 0.7]), [1, 1, 0, 0, 1], orig);
  close(r.ghmLoss, 0.0717768);
  close(r.plainLoss, 0.24);
  for (const g of r.g) close(g, 0.549834);
  assert.deepEqual(r.counts, [0, 0, 0, 0, 0, 5, 0, 0, 0, 0]);
  close(r.binWeights[5]!, 0.29907);
  assert.ok(r.binWeights.every((w, k) => k === 5 || w === 1), 'empty bins weigh 1 in the original');
});

test('original variant with ±1 targets (Appendix B row 2): σ = 2y − 1 triples the slope for y = −1', () => {
  const r = ghm(diff([0.3, 0.1, 0.9, 0.4], [0.1, 0.3, 0.2, 0.8]), [1, -1, 1, -1], { ...orig, margin: 1 });
  close(r.ghmLoss, 0.513516);
  close(r.plainLoss, 0.625);
  [0.689974, 0.598688, 0.574443, 0.450166].forEach((g, i) => close(r.g[i], g));
  close(r.binWeights[5]!, 0.594604);
});

test('original variant: g = 1 is counted in no bin but weighted as the last bin', () => {
  const r = ghm([-20, 0], [1, 1], { ...orig, margin: 10 });
  assert.equal(r.g[0], 1);
  assert.equal(r.counts.reduce((s, c) => s + c, 0), 1);
  assert.equal(r.bin[0], 9);
  assert.equal(r.weights[0], r.binWeights[9]);
});

test('paper variant: one bin holding every pair gives weight 1 to all', () => {
  const r = ghm([0, 0, 0, 0], [1, -1, 1, -1], { ...paper, alpha: 0.75, margin: 0 });
  assert.deepEqual(Array.from(r.weights), [1, 1, 1, 1]);
  assert.equal(r.binWeights.filter((w) => w !== null).length, 1);
  close(r.ghmLoss, r.plainLoss);
});

test('paper variant: α = 1 gives mean weight 1 without renormalisation; empty bins get no weight', () => {
  const d = [0.2, -0.2, 0.7, -0.4, 3, -3, 0.05];
  const y = [1, -1, 1, -1, 1, 1, -1];
  const r = ghm(d, y, { ...paper, margin: 1, normalize: false });
  close(r.weights.reduce((s, w) => s + w, 0) / d.length, 1, 1e-12);
  r.counts.forEach((c, k) => assert.equal(r.binWeights[k] === null, c === 0));
  // fewer pairs in a bin → larger weight
  const byCount = r.counts.map((c, k) => [c, r.binWeights[k]] as const).filter(([c]) => c > 0);
  for (const [c1, w1] of byCount) for (const [c2, w2] of byCount) if (c1 < c2) assert.ok(w1! > w2!);
});

test('paper variant: normalize rescales to mean 1 for any α; g = 1 lands in the last bin', () => {
  const r = ghm([-40, 0.1, 0.2, 5], [1, 1, 1, 1], { ...paper, alpha: 0.5, margin: 1, normalize: true });
  close(r.weights.reduce((s, w) => s + w, 0) / 4, 1, 1e-12);
  assert.equal(r.g[0], 1);
  assert.equal(r.bin[0], 9);
  assert.equal(r.counts[9], 1);
});

test('paper variant: EMA counts with bias correction; no state means no update', () => {
  const p = { ...paper, momentum: 0.75, margin: 1 };
  const s = createGhmState(10);
  const a = ghm([0, 0, 5, 5], [1, 1, 1, 1], p, s);
  const b = ghm([0, 0, 5, 5], [1, 1, 1, 1], { ...p, momentum: 0 });
  // first step: the bias-corrected EMA equals this batch's counts
  Array.from(a.weights).forEach((w, i) => close(w, b.weights[i], 1e-12));
  assert.equal(s.steps, 1);
  ghm([0, 0, 0, 0], [1, 1, 1, 1], p);
  assert.equal(s.steps, 1);
});

test('marginLoss, binEdges, gStats and argument checks', () => {
  close(marginLoss([1, -1], [1, 1], 0.5), (0 + 1.5) / 2);
  assert.deepEqual(binEdges(4), [0, 0.25, 0.5, 0.75, 1]);
  const s = gStats([1, 2, 3, 4]);
  assert.deepEqual([s.mean, s.median, s.min, s.max], [2.5, 2.5, 1, 4]);
  close(s.std, Math.sqrt(1.25));
  assert.throws(() => ghm([1], [1, 1], paper), /1 score differences but 2 targets/);
  assert.throws(() => ghm([1], [1], { ...paper, bins: 0 }), /bins/);
  assert.throws(() => ghm([1], [1], { ...paper, alpha: -1 }), /alpha/);
});
