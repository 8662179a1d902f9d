/**
 * The project's wasm kernels against the cpu backend (or, for the batch-norm kernels, against the
 * same maths composed of tfjs ops on the cpu backend), on seeded random shapes and values:
 * relative error max|wasm − cpu| / max|cpu| ≤ 1e-4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../pipeline/train/backend/index.ts';
import { wasmKernels } from '../../../pipeline/train/backend/kernels/index.ts';
import { batchNorm, type BatchNormVars } from '../../../pipeline/train/models/layers.ts';
import { Rng } from '../../../pipeline/lib/rng.ts';

const TOL = 1e-4;
const backend = await initBackend('wasm');

function randn(rng: Rng, shape: number[]): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

/** Run `f` on wasm and on cpu; every output must agree within TOL (relative to the cpu output's largest magnitude). */
async function agree(label: string, f: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const run = async (name: 'wasm' | 'cpu') => {
    await initBackend(name);
    const out = tf.tidy(() => [f()].flat());
    const data = out.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync() as Float32Array) }));
    tf.dispose(out);
    return data;
  };
  const got = await run('wasm');
  const want = await run('cpu');
  await initBackend('wasm');
  assert.equal(got.length, want.length, `${label}: number of outputs`);
  want.forEach((w, i) => {
    assert.deepEqual(got[i].shape, w.shape, `${label}: output ${i} shape`);
    let scale = 0;
    let diff = 0;
    for (let k = 0; k < w.values.length; k++) {
      scale = Math.max(scale, Math.abs(w.values[k]));
      diff = Math.max(diff, Math.abs(got[i].values[k] - w.values[k]));
    }
    assert.ok(scale > 0, `${label}: output ${i} is all zeros, the comparison would prove nothing`);
    assert.ok(diff / scale <= TOL, `${label}: output ${i} relative error ${(diff / scale).toExponential(2)} > ${TOL}`);
  });
}

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
}

/** The convolutions the models use, then random ones. */
function convCases(rng: Rng): ConvCase[] {
  const cases: ConvCase[] = [
    { x: [3, 32, 36, 1], k: [5, 5], co: 8, stride: [2, 2], pad: [2, 2, 2, 2] }, // simple-cnn conv1
    { x: [3, 30, 40, 1], k: [5, 5], co: 8, stride: [2, 4], pad: [2, 2, 2, 2] }, // the original's (2, 4)
    { x: [3, 8, 9, 8], k: [3, 3], co: 4, stride: [2, 2], pad: [1, 1, 1, 1] }, // simple-cnn conv2
    { x: [3, 16, 16, 1], k: [3, 3], co: 4, stride: [2, 2], pad: [1, 1, 1, 1] }, // resnet stem
    { x: [3, 8, 8, 4], k: [3, 3], co: 4, stride: [1, 1], pad: [1, 1, 1, 1] }, // basic block
    { x: [3, 8, 8, 4], k: [1, 1], co: 8, stride: [2, 2], pad: [0, 0, 0, 0] }, // projection
  ];
  for (let i = 0; i < 6; i++) {
    const k: [number, number] = [1 + rng.int(5), 1 + rng.int(5)];
    const stride: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const pad: [number, number, number, number] = [rng.int(k[0]), rng.int(k[0]), rng.int(k[1]), rng.int(k[1])];
    const h = k[0] + rng.int(12);
    const w = k[1] + rng.int(12);
    cases.push({ x: [1 + rng.int(4), h, w, 1 + rng.int(18)], k, co: 1 + rng.int(20), stride, pad });
  }
  return cases;
}

function convLabel(c: ConvCase): string {
  return `x [${c.x}] filter ${c.k.join('×')}→${c.co} stride ${c.stride} pad ${c.pad}`;
}

test('the project kernels are registered for wasm', () => {
  assert.equal(backend, 'wasm');
  for (const k of wasmKernels) assert.equal(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc, k.kernelFunc, k.kernelName);
});

test('Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput match cpu for every stride and padding', async () => {
  const rng = new Rng(1, 'kernels:conv');
  for (const c of convCases(rng)) {
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [c.pad[0], c.pad[1]], [c.pad[2], c.pad[3]], [0, 0]];
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
    const y = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, pad));
    const yShape = y.shape;
    y.dispose();
    const X = randn(rng, c.x);
    const W = randn(rng, filterShape);
    const DY = randn(rng, yShape);
    await agree(`y ${convLabel(c)}`, () => tf.conv2d(tf.tensor(X, c.x) as tf.Tensor4D, tf.tensor(W, filterShape) as tf.Tensor4D, c.stride, pad));
    await agree(`dW ${convLabel(c)}`, () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(X, c.x), dy: tf.tensor(DY, yShape) },
        { strides: c.stride, pad, dataFormat: 'NHWC', filterShape } as never) as tf.Tensor);
    await agree(`dx ${convLabel(c)}`, () =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(DY, yShape), filter: tf.tensor(W, filterShape) },
        { strides: c.stride, pad, dataFormat: 'NHWC', inputShape: c.x } as never) as tf.Tensor);
  }
});

test('Conv2D: the models\' channel counts (16-channel blocks), ragged channels, dilation (the backend\'s own kernel)', async () => {
  const rng = new Rng(7, 'kernels:conv2d');
  const cases: { x: [number, number, number, number]; w: [number, number, number, number]; stride: number; pad: 'same' | 'valid'; dilation: number }[] = [
    { x: [2, 12, 11, 16], w: [3, 3, 16, 16], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 12, 11, 16], w: [3, 3, 16, 32], stride: 2, pad: 'same', dilation: 1 },
    { x: [2, 7, 9, 32], w: [1, 1, 32, 16], stride: 1, pad: 'valid', dilation: 1 },
    { x: [3, 9, 10, 5], w: [2, 3, 5, 22], stride: 1, pad: 'same', dilation: 1 }, // 16 + 4 + 2 output channels
    { x: [1, 3, 2, 3], w: [5, 5, 3, 4], stride: 1, pad: 'same', dilation: 1 }, // every pixel on the border
    { x: [2, 10, 10, 3], w: [3, 3, 3, 8], stride: 1, pad: 'same', dilation: 2 },
  ];
  for (const c of cases) {
    const X = randn(rng, c.x);
    const W = randn(rng, c.w);
    await agree(`conv2d ${JSON.stringify(c)}`, () =>
      tf.conv2d(tf.tensor(X, c.x) as tf.Tensor4D, tf.tensor(W, c.w) as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation));
  }
});

test('conv2d gradients through tf.grads match cpu (the path training takes)', async () => {
  const rng = new Rng(2, 'kernels:grads');
  const X = randn(rng, [4, 12, 10, 3]);
  const W = randn(rng, [3, 3, 3, 5]);
  await agree('tf.grads conv2d stride 2', () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])));
    return tf.grads(f)([tf.tensor(X, [4, 12, 10, 3]), tf.tensor(W, [3, 3, 3, 5])]);
  });
});

test('MaxPoolGrad matches cpu (2×2 fast path, overlapping and padded windows)', async () => {
  const rng = new Rng(3, 'kernels:pool');
  const cases: { shape: number[]; size: number; stride: number; pad: 'valid' | 'same' }[] = [
    { shape: [3, 10, 12, 8], size: 2, stride: 2, pad: 'valid' },
    { shape: [2, 9, 7, 5], size: 2, stride: 2, pad: 'valid' },
    { shape: [2, 9, 7, 5], size: 2, stride: 2, pad: 'same' },
    { shape: [2, 11, 10, 3], size: 3, stride: 2, pad: 'same' },
    { shape: [1 + rng.int(3), 4 + rng.int(10), 4 + rng.int(10), 1 + rng.int(9)], size: 1 + rng.int(3), stride: 1 + rng.int(3), pad: 'valid' },
  ];
  for (const c of cases) {
    // a few exact ties (equal maxima in one window) exercise the first-maximum rule
    const X = randn(rng, c.shape).map((v, i) => (i % 7 === 0 ? 1.5 : v));
    await agree(`maxPool grad ${JSON.stringify(c)}`, () =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad))))(tf.tensor(X, c.shape)));
  }
});

test('Sum and Mean over axes match cpu', async () => {
  const rng = new Rng(4, 'kernels:reduce');
  const shape = [3, 9, 70, 5];
  const X = randn(rng, shape).map((v) => v + 0.25);
  for (const axes of [[0, 1, 2], [1, 2], [0], [3], [2, 3], [0, 2], [0, 1, 2, 3]]) {
    await agree(`sum ${axes}`, () => tf.sum(tf.tensor(X, shape), axes));
    await agree(`mean ${axes} keepDims`, () => tf.mean(tf.tensor(X, shape), axes, true));
  }
  const big = [37, 41, 43, 16]; // more rows than one pooling block: block means + leftover rows
  const B = randn(rng, big).map((v) => v + 0.5);
  await agree('sum of 65 231 rows', () => tf.sum(tf.tensor(B, big), [0, 1, 2]));
});

test('UnsortedSegmentSum (gather gradient) matches cpu', async () => {
  const rng = new Rng(5, 'kernels:segments');
  const S = randn(rng, [9]);
  const a = Array.from({ length: 32 }, () => rng.int(9));
  const b = Array.from({ length: 32 }, () => rng.int(9));
  await agree('gather grad', () =>
    tf.grad((s: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.gather(s, a), tf.gather(s, b)))))(tf.tensor1d(S)));
  const M = randn(rng, [6, 4]);
  await agree('unsortedSegmentSum 2-D', () => tf.unsortedSegmentSum(tf.tensor2d(M, [6, 4]), tf.tensor1d([2, 0, 2, 1, 4, 0], 'int32'), 5));
});

test('Identity shares bytes without breaking tensor independence', async () => {
  await initBackend('wasm');
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  const v = tf.variable(b);
  v.assign(tf.tensor1d([4, 5, 6]));
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  assert.deepEqual(Array.from(v.dataSync()), [4, 5, 6]);
  tf.dispose([b, v]);
});

test('batch-norm kernels match the composed batch norm on cpu (forward, gradients, running stats, residual)', async () => {
  const rng = new Rng(6, 'kernels:bn');
  const cases: [number[], boolean, boolean, boolean][] = [
    // shape, relu, conv bias, residual
    [[3, 7, 9, 8], true, true, false],
    [[2, 5, 6, 3], false, false, false],
    [[4, 16, 16, 16], true, false, false],
    [[3, 6, 7, 16], true, false, true],
    [[2, 5, 6, 5], false, true, true],
  ];
  for (const [shape, relu, withBias, withResidual] of cases) {
    const c = shape[3];
    const X = randn(rng, shape).map((v, i) => 3 * v + (i % c)); // channel means away from 0
    const G = Float32Array.from({ length: c }, () => 0.5 + rng.uniform());
    const B = randn(rng, [c]);
    const Bias = randn(rng, [c]);
    const R = randn(rng, shape);
    const DY = randn(rng, shape);
    await agree(`batch norm ${shape} relu ${relu} bias ${withBias} residual ${withResidual}`, () => {
      const vars: BatchNormVars = {
        gamma: tf.variable(tf.tensor1d(G)), beta: tf.variable(tf.tensor1d(B)),
        runningMean: tf.variable(tf.zeros([c]), false), runningVar: tf.variable(tf.ones([c]), false),
      };
      const bias = tf.variable(tf.tensor1d(Bias));
      const x = tf.variable(tf.tensor(X, shape));
      const r = tf.variable(tf.tensor(R, shape));
      const dy = tf.tensor(DY, shape);
      const opts = { relu, bias: withBias ? bias : undefined, residual: withResidual ? r as tf.Tensor4D : undefined };
      const list = [x, vars.gamma, vars.beta, ...(withBias ? [bias] : []), ...(withResidual ? [r] : [])];
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(batchNorm(x as tf.Tensor4D, vars, true, opts), dy)) as tf.Scalar, list);
      if (withBias) {
        // The bias before a batch norm has no effect in training mode: its gradient Σdx is 0 up to rounding.
        const dx = Array.from(grads[x.name].dataSync());
        const dBias = Array.from(grads[bias.name].dataSync());
        const total = dx.reduce((a, v) => a + Math.abs(v), 0);
        for (const v of dBias) assert.ok(Math.abs(v) <= 1e-5 * total, `bias gradient ${v} is not ≈ 0 (Σ|dx| = ${total})`);
      }
      const out = [...[x, vars.gamma, vars.beta, ...(withResidual ? [r] : [])].map((v) => grads[v.name]),
        vars.runningMean.clone(), vars.runningVar.clone(), batchNorm(x as tf.Tensor4D, vars, false, opts)];
      tf.dispose([x, r, vars.gamma, vars.beta, vars.runningMean, vars.runningVar, bias]);
      return out;
    });
  }
});

test('batch norm with a residual: y = relu(bn(x) + r), and dr = dy where y > 0, on wasm and cpu', async () => {
  for (const name of ['wasm', 'cpu'] as const) {
    await initBackend(name);
    tf.tidy(() => {
      // one channel, x = 1, 2, 3, 6: mean 3, biased variance 3.5; γ = 1, β = 0
      const x = tf.tensor4d([1, 2, 3, 6], [1, 2, 2, 1]);
      const r = tf.tensor4d([2, 0, 0.25, -1], [1, 2, 2, 1]);
      const dy = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const bn: BatchNormVars = {
        gamma: tf.variable(tf.tensor1d([1])), beta: tf.variable(tf.tensor1d([0])),
        runningMean: tf.variable(tf.tensor1d([0]), false), runningVar: tf.variable(tf.tensor1d([1]), false),
      };
      const inv = 1 / Math.sqrt(3.5 + 1e-5);
      // bn(x) + r = −2·inv + 2, −inv, 0.25, 3·inv − 1 = 0.93, −0.53, 0.25, 0.60
      const want = [-2 * inv + 2, 0, 0.25, 3 * inv - 1];
      const y = batchNorm(x, bn, true, { relu: true, residual: r }).dataSync();
      want.forEach((w, i) => assert.ok(Math.abs(y[i] - w) < 1e-5, `${name} y[${i}] = ${y[i]}, want ${w}`));
      const dr = tf.grad((ri: tf.Tensor) => tf.sum(tf.mul(batchNorm(x, bn, true, { relu: true, residual: ri as tf.Tensor4D }), dy)))(r);
      assert.deepEqual(Array.from(dr.dataSync()), [1, 0, 3, 4], `${name} dr`);
      tf.dispose([bn.gamma, bn.beta, bn.runningMean, bn.runningVar]);
    });
  }
  await initBackend('wasm');
});
