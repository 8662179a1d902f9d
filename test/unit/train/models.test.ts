/**
 * Ranker models: parameter counts (§3.2 of original-system.md and the PyTorch reference), output
 * shapes, PyTorch-default initialisation, gradients through `score`, batch-norm running
 * statistics, the state round trip, and the same numbers on the wasm and cpu backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../pipeline/train/backend/index.ts';
import { createModel, type ModelOptions, type RankerModel } from '../../../pipeline/train/models.ts';
import { batchNorm } from '../../../pipeline/train/models/layers.ts';
import { permute } from '../../../pipeline/train/models/params.ts';
import { Rng } from '../../../pipeline/lib/rng.ts';

await initBackend('wasm');

const small: ModelOptions = { height: 24, width: 28, conv1Stride: [2, 2] };

function batch(seed: number, n: number, h: number, w: number): tf.Tensor4D {
  const rng = new Rng(seed, 'models:batch');
  return tf.tensor4d(Float32Array.from({ length: n * h * w }, () => rng.normal()), [n, h, w, 1]);
}

function withModel<T>(kind: RankerModel['kind'], opts: ModelOptions, seed: number, f: (m: RankerModel) => T): T {
  const m = createModel(kind, opts, new Rng(seed, 'init'));
  try {
    return f(m);
  } finally {
    m.dispose();
  }
}

test('parameter counts: simple-cnn 5,733 (§3.2), resnet 19,409 (PyTorch reference), linear H·W + 1', () => {
  // conv1 32·1·5·5 + 32, bn1 2·32, conv2 16·32·3·3 + 16, bn2 2·16, fc1 16·10 + 10, fc2 10 + 1
  const simple = 32 * 25 + 32 + 64 + 16 * 32 * 9 + 16 + 32 + 16 * 10 + 10 + 10 + 1;
  assert.equal(simple, 5733);
  withModel('simple-cnn', small, 1, (m) => assert.equal(m.parameterCount(), simple));
  withModel('simple-cnn', { height: 40, width: 90, conv1Stride: [2, 4] }, 1, (m) => assert.equal(m.parameterCount(), simple));
  // stem 16·9 + bn 32; block1 2·(16·16·9 + 32); block2 32·16·9 + 64 + 32·32·9 + 64 + 32·16 + 64; fc 32 + 1
  const res = 16 * 9 + 32 + 2 * (16 * 16 * 9 + 32) + (32 * 16 * 9 + 64) + (32 * 32 * 9 + 64) + (32 * 16 + 64) + 33;
  assert.equal(res, 19409);
  withModel('resnet', small, 1, (m) => assert.equal(m.parameterCount(), res));
  withModel('linear', small, 1, (m) => assert.equal(m.parameterCount(), 24 * 28 + 1));
});

test('simple-cnn scores a full-size 1×1025×1126 spectrogram with stride (2, 4)', () => {
  withModel('simple-cnn', { height: 1025, width: 1126, conv1Stride: [2, 4] }, 3, (m) => {
    const s = tf.tidy(() => m.score(tf.zeros([1, 1025, 1126, 1]) as tf.Tensor4D, false));
    assert.deepEqual(s.shape, [1]);
    assert.ok(Number.isFinite(s.dataSync()[0]));
    s.dispose();
  });
});

test('every model returns one score per sample, in training and in evaluation mode', () => {
  for (const kind of ['simple-cnn', 'resnet', 'linear'] as const) {
    withModel(kind, small, 2, (m) => {
      for (const training of [true, false]) {
        const s = tf.tidy(() => m.score(batch(1, 5, 24, 28), training));
        assert.deepEqual(s.shape, [5], `${kind} training=${training}`);
        assert.ok(Array.from(s.dataSync()).every(Number.isFinite), `${kind} scores are finite`);
        s.dispose();
      }
      assert.throws(() => m.score(tf.zeros([2, 20, 28, 1]) as tf.Tensor4D, false), /built for \[N, 24, 28, 1\]/);
    });
  }
});

test('PyTorch-default initialisation: U(±1/√fanIn) weights and biases, BN γ = 1 β = 0, seeded', () => {
  withModel('simple-cnn', small, 7, (m) => {
    const s = m.getState();
    const check = (name: string, fanIn: number) => {
      const v = s[name].data;
      const bound = 1 / Math.sqrt(fanIn);
      assert.ok(v.every((x) => Math.abs(x) <= bound), `${name} within ±${bound}`);
      assert.ok(Math.max(...v.map(Math.abs)) > 0.8 * bound, `${name} spreads over its range`);
    };
    check('conv1.weight', 25);
    check('conv1.bias', 25);
    check('conv2.weight', 32 * 9);
    check('fc1.weight', 16);
    check('fc1.bias', 16);
    assert.deepEqual(s['conv1.weight'].shape, [5, 5, 1, 32]);
    assert.deepEqual(s['fc1.weight'].shape, [16, 10]);
    assert.ok(s['bn1.weight'].data.every((x) => x === 1) && s['bn1.bias'].data.every((x) => x === 0));
    assert.ok(s['bn1.running_var'].data.every((x) => x === 1) && s['bn1.running_mean'].data.every((x) => x === 0));
    const again = withModel('simple-cnn', small, 7, (m2) => m2.getState());
    const other = withModel('simple-cnn', small, 8, (m2) => m2.getState());
    assert.deepEqual(again['conv2.weight'].data, s['conv2.weight'].data);
    assert.notDeepEqual(other['conv2.weight'].data, s['conv2.weight'].data);
  });
});

test('weights are drawn in PyTorch layout [co, ci, kh, kw] and stored as [kh, kw, ci, co]', () => {
  const v = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i); // [co 2, ci 3, kh 2, kw 2]
  const p = permute(v, [2, 3, 2, 2], [2, 3, 1, 0]); // [kh, kw, ci, co]
  // element [kh 1, kw 0, ci 2, co 1] comes from torch [co 1, ci 2, kh 1, kw 0] = 1·12 + 2·4 + 1·2 + 0
  assert.equal(p[((1 * 2 + 0) * 3 + 2) * 2 + 1], 22);
});

test('score works inside tf.variableGrads: every parameter gets a finite, non-zero gradient', () => {
  for (const kind of ['simple-cnn', 'resnet', 'linear'] as const) {
    withModel(kind, small, 4, (m) => {
      tf.tidy(() => {
        const x = batch(2, 6, 24, 28);
        const y = tf.tensor1d([1, -1, 1]);
        const { value, grads } = tf.variableGrads(() => {
          const s = m.score(x, true);
          const d = tf.sub(tf.gather(s, [0, 2, 4]), tf.gather(s, [1, 3, 5]));
          return tf.mean(tf.relu(tf.sub(10, tf.mul(y, d)))) as tf.Scalar;
        }, m.trainable);
        assert.ok(Number.isFinite(value.dataSync()[0]));
        for (const v of m.trainable) {
          const g = grads[v.name].dataSync();
          assert.ok(g.every(Number.isFinite), `${kind} gradient of a parameter is finite`);
          // the last layer's bias shifts every score alike: score differences, hence the loss, ignore it
          if (!/(fc|fc2)\.bias$/.test(v.name)) assert.ok(g.some((e) => e !== 0), `${kind} ${v.name} has a zero gradient`);
          else assert.ok(g.every((e) => e === 0), `${kind} ${v.name} should have a zero gradient`);
        }
      });
    });
  }
});

test('batch norm moves running statistics like PyTorch (momentum 0.1, unbiased variance) and evaluates with them', async () => {
  for (const impl of ['kernels', 'composed'] as const) {
    await initBackend(impl === 'kernels' ? 'wasm' : 'cpu');
    tf.tidy(() => {
      // one channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3
      const x = tf.tensor4d([1, 2, 3, 6], [1, 2, 2, 1]);
      const bn = {
        gamma: tf.variable(tf.tensor1d([2])), beta: tf.variable(tf.tensor1d([0.5])),
        runningMean: tf.variable(tf.tensor1d([0]), false), runningVar: tf.variable(tf.tensor1d([1]), false),
      };
      const y = batchNorm(x, bn, true, { relu: false, impl }).dataSync();
      const inv = 1 / Math.sqrt(3.5 + 1e-5);
      [1, 2, 3, 6].forEach((v, i) => assert.ok(Math.abs(y[i] - (2 * (v - 3) * inv + 0.5)) < 1e-5, `${impl} y[${i}]`));
      assert.ok(Math.abs(bn.runningMean.dataSync()[0] - 0.3) < 1e-6, `${impl} running mean`);
      assert.ok(Math.abs(bn.runningVar.dataSync()[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6, `${impl} running variance`);
      const e = batchNorm(x, bn, false, { relu: true, impl }).dataSync();
      const rv = 0.9 + (0.1 * 14) / 3;
      [1, 2, 3, 6].forEach((v, i) => assert.ok(Math.abs(e[i] - Math.max(0, (2 * (v - 0.3)) / Math.sqrt(rv + 1e-5) + 0.5)) < 1e-5, `${impl} eval y[${i}]`));
      tf.dispose([bn.gamma, bn.beta, bn.runningMean, bn.runningVar]);
    });
  }
  await initBackend('wasm');
});

test('getState/setState round trip restores every weight, running statistics included', () => {
  for (const kind of ['simple-cnn', 'resnet', 'linear'] as const) {
    withModel(kind, small, 5, (a) => {
      tf.tidy(() => a.score(batch(3, 4, 24, 28), true)); // moves the running statistics away from 0/1
      const state = a.getState();
      if (kind !== 'linear') assert.ok(Object.keys(state).some((k) => k.endsWith('running_mean')));
      withModel(kind, small, 6, (b) => {
        const before = tf.tidy(() => b.score(batch(4, 3, 24, 28), false).dataSync());
        b.setState(state);
        const x = batch(4, 3, 24, 28);
        const sa = a.score(x, false).dataSync();
        const sb = b.score(x, false).dataSync();
        assert.deepEqual(Array.from(sb), Array.from(sa), `${kind} eval scores after setState`);
        assert.notDeepEqual(Array.from(before), Array.from(sa));
        assert.deepEqual(b.getState(), state);
        x.dispose();
        const [name] = Object.keys(state);
        assert.throws(() => b.setState({ ...state, [name]: { shape: [1], data: new Float32Array(1) } }), /has shape \[1\]/);
        const { [name]: _dropped, ...missing } = state;
        assert.throws(() => b.setState(missing), /missing \[/);
      });
    });
  }
});

test('a training step gives the same loss and gradients on wasm and cpu', async () => {
  const results: Record<string, Float32Array[]> = {};
  for (const name of ['wasm', 'cpu'] as const) {
    await initBackend(name);
    for (const kind of ['simple-cnn', 'resnet'] as const) {
      withModel(kind, small, 9, (m) => {
        tf.tidy(() => {
          const x = batch(5, 6, 24, 28);
          const { value, grads } = tf.variableGrads(() => {
            const s = m.score(x, true);
            return tf.mean(tf.relu(tf.sub(1, tf.sub(tf.gather(s, [0, 1, 2]), tf.gather(s, [3, 4, 5]))))) as tf.Scalar;
          }, m.trainable);
          results[`${name}/${kind}`] = [value.dataSync() as Float32Array, ...m.trainable.map((v) => grads[v.name].dataSync() as Float32Array)].map((a) => Float32Array.from(a));
        });
      });
    }
  }
  await initBackend('wasm');
  for (const kind of ['simple-cnn', 'resnet']) {
    const a = results[`wasm/${kind}`];
    const b = results[`cpu/${kind}`];
    a.forEach((t, i) => {
      const scale = Math.max(...b[i].map(Math.abs));
      const diff = Math.max(...t.map((v, k) => Math.abs(v - b[i][k])));
      // conv biases before a batch norm have a gradient that is pure rounding noise (≈ 0)
      if (scale < 1e-5) return;
      assert.ok(diff <= 1e-3 * scale, `${kind} tensor ${i}: relative difference ${diff / scale}`);
    });
  }
});
