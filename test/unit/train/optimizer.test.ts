import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, type AdamOptions } from '../../../pipeline/train/optimizer.ts';

await tf.setBackend('cpu');

const base: AdamOptions = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, decoupled: false };

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `element ${i}: ${actual[i]} vs ${expected[i]}`);
}

/** Run Adam on one variable with the given gradients; returns the values after each step. */
function steps(opts: AdamOptions, p0: number[], grads: number[][]): number[][] {
  const p = tf.variable(tf.tensor1d(p0));
  const opt = new Adam([p], opts);
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.apply([gt]);
    gt.dispose();
    out.push(Array.from(p.dataSync()));
  }
  p.dispose();
  return out;
}

test('Adam with coupled L2 matches two hand-computed steps', () => {
  // step 1: g' = 0.5 + 0.1·1 = 0.6; m = 0.06; v = 0.00036; m̂ = 0.6; v̂ = 0.36 → p = 1 − 0.1·0.6/(0.6 + 1e−8)
  const p1 = 1 - (0.1 * 0.6) / (0.6 + 1e-8);
  // step 2: g' = −0.2 + 0.1·p1; m = 0.9·0.06 + 0.1·g'; v = 0.999·0.00036 + 0.001·g'²
  const g2 = -0.2 + 0.1 * p1;
  const m2 = 0.9 * 0.06 + 0.1 * g2;
  const v2 = 0.999 * 0.00036 + 0.001 * g2 * g2;
  const p2 = p1 - ((0.1 / (1 - 0.9 ** 2)) * m2) / (Math.sqrt(v2) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
  const [s1, s2] = steps(base, [1, -2], [[0.5, 0], [-0.2, 0]]);
  // second element, gradient 0: g' = 0.1·(−2) = −0.2, so the first step moves it by +lr
  close(s1, [p1, -1.9]);
  // step 2: g' = 0.1·(−1.9) = −0.19; m = 0.9·(−0.02) − 0.019; v = 0.999·0.00004 + 0.001·0.0361
  const m2b = 0.9 * -0.02 + 0.1 * -0.19;
  const v2b = 0.999 * 0.00004 + 0.001 * 0.19 ** 2;
  close(s2, [p2, -1.9 - ((0.1 / 0.19) * m2b) / (Math.sqrt(v2b) / Math.sqrt(1 - 0.999 ** 2) + 1e-8)]);
  assert.ok(Math.abs(p2 - 0.8475) < 1e-3, `hand value ${p2}`);
});

test('Adam without weight decay moves each element by lr on the first step', () => {
  const [s1] = steps({ ...base, weightDecay: 0 }, [0, 0, 0], [[3, -0.001, 0]]);
  close(s1, [-0.1, 0.1, 0], 1e-5);
});

test('AdamW decays the weights instead of the gradient', () => {
  // p = 1·(1 − 0.1·0.1) = 0.99, then m̂/√v̂ = 1 → 0.89
  const [s1] = steps({ ...base, decoupled: true }, [1], [[0.5]]);
  close(s1, [0.89]);
});

test('Adam state round-trips: a restored optimizer continues exactly', () => {
  const grads = [[0.3, -1], [0.1, 0.4], [-0.7, 0.2]];
  const full = steps(base, [1, 2], grads);
  const p = tf.variable(tf.tensor1d([1, 2]));
  const a = new Adam([p], base);
  a.apply([tf.tensor1d(grads[0])]);
  const saved = { state: a.getState(), value: Array.from(p.dataSync()) };
  const q = tf.variable(tf.tensor1d(saved.value));
  const b = new Adam([q], base);
  b.setState(saved.state);
  assert.equal(b.step, 1);
  b.apply([tf.tensor1d(grads[1])]);
  b.apply([tf.tensor1d(grads[2])]);
  assert.deepEqual(Array.from(q.dataSync()), full[2]);
});
