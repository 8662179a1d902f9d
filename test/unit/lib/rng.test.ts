import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MT19937, TorchGenerator, NumpyRandomState, Rng } from '../../../pipeline/lib/rng.ts';

// Reference values: original-system.md Appendix A and §1.3–1.4 (re-computed with PyTorch 1.13 / NumPy 1.24).
test('MT19937 first outputs for seed 42', () => {
  const m = new MT19937(42);
  assert.deepEqual([m.nextU32(), m.nextU32(), m.nextU32()], [1608637542, 3421126067, 4083286876]);
});

test('torch.rand and torch.randn match PyTorch for seed 42', () => {
  const r = Array.from(new TorchGenerator(42).rand(5));
  const want = [0.88226926, 0.91500396, 0.38286376, 0.95930564, 0.3904482];
  r.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-7, `rand[${i}] ${v}`));
  const x = new TorchGenerator(42).randn(500);
  const wantN = [1.9269153, 1.4872841, 0.9007172, -2.105521];
  wantN.forEach((v, i) => assert.ok(Math.abs(x[i] - v) < 3e-7, `randn[${i}] ${x[i]}`));
});

test('torch randperm reproduces the original seed-42 split of 54 recordings', () => {
  const p = new TorchGenerator(42).randperm(54);
  assert.deepEqual(p.slice(0, 37), [6, 24, 34, 49, 30, 22, 2, 21, 32, 47, 44, 12, 8, 53, 45, 37, 14, 13, 7, 50, 16, 29, 23, 41, 17, 52, 27, 36, 33, 48, 42, 18, 9, 40, 11, 10, 0]);
  assert.deepEqual(p.slice(37), [43, 38, 39, 28, 46, 15, 3, 51, 1, 20, 4, 35, 31, 25, 26, 19, 5]);
});

test('NumPy choice(n, 2, replace=False) reproduces the original pair stream (566 / 120 pairs)', () => {
  const p = new TorchGenerator(42).randperm(54);
  const ns = new NumpyRandomState(42);
  const pairs = (idx: number[]) => {
    const out: [number, number, number][] = [];
    const n = idx.length;
    for (let k = 0; k < (n * (n - 1)) / 2; k++) {
      const [a, b] = ns.choice2(n);
      const la = Math.floor(idx[a] / 9), lb = Math.floor(idx[b] / 9);
      if (la !== lb) out.push([idx[a], idx[b], la > lb ? 1 : -1]);
    }
    return out;
  };
  const train = pairs(p.slice(0, 37));
  const val = pairs(p.slice(37));
  assert.equal(train.length, 566);
  assert.equal(val.length, 120);
  // (deg036_04, deg180_08, −1), (deg108_06, deg072_05, +1), … as in metadata/plastic_3000hz_metadata.json
  assert.deepEqual(train.slice(0, 5), [[13, 53, -1], [33, 23, 1], [24, 30, -1], [29, 16, 1], [33, 37, -1]]);
});

test('Rng: same seed and label give the same stream; labels give independent streams', () => {
  const a = new Rng(7, 'x'), b = new Rng(7, 'x'), c = new Rng(7, 'y');
  const sa = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(sa, Array.from({ length: 5 }, () => b.uniform()));
  assert.notDeepEqual(sa, Array.from({ length: 5 }, () => c.uniform()));
  const r = new Rng(1);
  const xs = Array.from({ length: 20000 }, () => r.normal());
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(sd - 1) < 0.03, `mean ${mean} sd ${sd}`);
  const sh = new Rng(3).shuffle([1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...sh].sort(), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => r.int(0), /n ≥ 1/);
});
