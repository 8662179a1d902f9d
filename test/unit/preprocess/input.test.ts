import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaResize, areaWeights, cropBins, modelInput, standardize } from '../../../pipeline/preprocess/input.ts';
import { ConfigError, DataError } from '../../../pipeline/core/errors.ts';

const close = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) <= eps;

test('cropBins keeps bins with minHz ≤ f ≤ maxHz and reports their frequencies', () => {
  assert.deepEqual(cropBins(48000, 2048, 0, 24000), { first: 0, last: 1024, hz: [0, 24000] });
  assert.deepEqual(cropBins(48000, 2048, 1000, 5000), { first: 43, last: 213, hz: [1007.8125, 4992.1875] });
  assert.deepEqual(cropBins(48000, 2048, 23.4375, 46.875), { first: 1, last: 2, hz: [23.4375, 46.875] });
  assert.throws(() => cropBins(48000, 2048, 30, 40), (e: unknown) => e instanceof ConfigError && /holds no frequency bin/.test(e.message));
});

test('areaWeights: overlaps of each output interval, summing to 1', () => {
  const w = areaWeights(3, 2);
  assert.deepEqual([...w.start], [0, 1]);
  assert.ok(close(w.weights[0][0], 2 / 3) && close(w.weights[0][1], 1 / 3));
  assert.ok(close(w.weights[1][0], 1 / 3) && close(w.weights[1][1], 2 / 3));
  for (const [from, to] of [[1126, 64], [1025, 64], [7, 3], [2, 5]] as const) {
    const a = areaWeights(from, to);
    a.weights.forEach((ws, i) => assert.ok(close(ws.reduce((x, y) => x + y, 0), 1), `${from}→${to} cell ${i}`));
  }
});

test('areaResize averages blocks, keeps a constant, replicates on upsampling, and honours the row crop', () => {
  // 4 × 4 → 2 × 2 block means
  const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual([...areaResize(src, 4, 0, 3, 2, 2)], [3.5, 5.5, 11.5, 13.5]);
  // rows 1…2 only, to 1 × 4
  assert.deepEqual([...areaResize(src, 4, 1, 2, 1, 4)], [7, 8, 9, 10]);
  // 1 × 2 → 2 × 4
  assert.deepEqual([...areaResize(Float32Array.from([1, 3]), 2, 0, 0, 2, 4)], [1, 1, 3, 3, 1, 1, 3, 3]);
  const flat = new Float32Array(1025 * 37).fill(-42);
  assert.ok(areaResize(flat, 37, 0, 1024, 64, 16).every((v) => close(v, -42, 1e-9)));
  // the mean is kept when sizes divide
  const ramp = Float32Array.from({ length: 60 * 30 }, (_, i) => Math.sin(i));
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
  assert.ok(close(mean(areaResize(ramp, 30, 0, 59, 12, 10)), mean(ramp), 1e-9));
});

test('standardize gives mean 0 and std 1; a constant input is a DataError naming the sample', () => {
  const z = standardize([1, 2, 3, 4, 10], 'x.wav');
  const m = z.reduce((a, b) => a + b, 0) / z.length;
  const sd = Math.sqrt(z.reduce((a, b) => a + (b - m) ** 2, 0) / z.length);
  assert.ok(close(m, 0, 1e-6) && close(sd, 1, 1e-6));
  assert.throws(() => standardize([5, 5, 5], 'plastic_deg000_3000hz_00'), (e: unknown) => e instanceof DataError && e.message.startsWith('plastic_deg000_3000hz_00:'));
});

test('modelInput = crop → resize → standardise, shape [height, width]', () => {
  const frames = 8, bins = 9;
  const data = Float32Array.from({ length: bins * frames }, (_, i) => -Math.floor(i / frames)); // row k = −k dB
  const x = modelInput({ bins, frames, data }, { first: 2, last: 5, hz: [0, 0] }, 2, 4, 'x');
  assert.equal(x.length, 8);
  // rows 2,3 → −2.5 and rows 4,5 → −4.5: standardised to +1 / −1
  assert.deepEqual([...x], [1, 1, 1, 1, -1, -1, -1, -1]);
});
