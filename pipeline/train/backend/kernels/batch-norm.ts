/**
 * Training-mode batch norm (+ residual, + ReLU) as two project kernels for the wasm backend, each
 * two passes over the tensor with the SIMD kernels of wasm/kernels.c (the same op composed of tfjs
 * kernels takes ≈ 12 passes, most of them broadcasts, and a residual connection 5 more):
 *
 *   BatchNormTrain      x, γ, β[, r] → y = act((x − μ)·γ/√(σ² + ε) + β [+ r]), μ, σ² (biased)
 *   BatchNormTrainGrad  dy, x, y, μ, σ², γ → dx, dγ, dβ, Σdx [, dr]
 *
 * With g = dy·[y > 0] (ReLU) or dy, x̂ = (x − μ)/√(σ² + ε), a = γ/√(σ² + ε), M = N·H·W:
 *   dβ = Σg,  dγ = Σg·x̂,  dx = a·(g − Σg/M − x̂·Σ(g·x̂)/M),  dr = g
 * and Σdx, the gradient of a bias added before the batch norm (models fold conv biases in here).
 * dr is an output only with a residual and ReLU (attribute `residual`); without ReLU it is dy.
 * Sums are taken in float blocks of 128 rows added up in double; statistics are shifted by the
 * first row (forward) or the mean (backward) for precision.
 * models/layers.ts composes the same maths from tfjs ops for other backends; the tests compare both.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, f64, free, output, ptr, upload, type BackendWasm } from '../wasm-heap.ts';
import { projectKernels } from '../wasm/module.ts';

export const BATCH_NORM_TRAIN = 'GhmBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'GhmBatchNormTrainGrad';

export interface BatchNormAttrs {
  relu: boolean;
  epsilon: number;
  /** BatchNormTrainGrad: also return dr, the gradient of the residual (with relu only) */
  residual?: boolean;
}

function dims(x: TensorInfo): { rows: number; c: number } {
  const c = x.shape[x.shape.length - 1];
  return { rows: x.shape.reduce((a, b) => a * b, 1) / c, c };
}

function batchNormTrain({ inputs, attrs, backend }: {
  inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo; residual?: TensorInfo }; attrs: BatchNormAttrs; backend: BackendWasm;
}): TensorInfo[] {
  const { x, gamma, beta, residual } = inputs;
  const { rows, c } = dims(x);
  const k = projectKernels(backend);
  const scratch = output(backend, [2 * c]);
  const acc = output(backend, [4 * c]);
  k.bn_stats(ptr(backend, x), rows, c, ptr(backend, x), ptr(backend, scratch), ptr(backend, acc));
  const sums = f64(backend, acc, 2 * c);
  const shift = f32(backend, x).subarray(0, c);
  const g = f32(backend, gamma);
  const b = f32(backend, beta);
  const mean = new Float32Array(c);
  const variance = new Float32Array(c);
  const ab = new Float32Array(2 * c);
  for (let i = 0; i < c; i++) {
    const m1 = sums[i] / rows;
    const v = Math.max(0, sums[c + i] / rows - m1 * m1);
    const mu = shift[i] + m1;
    mean[i] = mu;
    variance[i] = v;
    const a = g[i] / Math.sqrt(v + attrs.epsilon);
    ab[i] = a;
    ab[c + i] = b[i] - mu * a;
  }
  free(backend, scratch, acc);
  const coef = upload(backend, [2 * c], ab);
  const y = output(backend, x.shape);
  const pc = ptr(backend, coef);
  k.channel_affine(ptr(backend, x), rows, c, pc, pc + 4 * c, attrs.relu ? 1 : 0, residual ? ptr(backend, residual) : 0, ptr(backend, y));
  free(backend, coef);
  return [y, upload(backend, [c], mean), upload(backend, [c], variance)];
}

function batchNormTrainGrad({ inputs, attrs, backend }: {
  inputs: { dy: TensorInfo; x: TensorInfo; y: TensorInfo; mean: TensorInfo; variance: TensorInfo; gamma: TensorInfo };
  attrs: BatchNormAttrs; backend: BackendWasm;
}): TensorInfo[] {
  const { dy, x, y, mean, variance, gamma } = inputs;
  const { rows, c } = dims(x);
  const k = projectKernels(backend);
  const relu = attrs.relu ? 1 : 0;
  if (attrs.residual && !relu) throw new Error(`${BATCH_NORM_TRAIN_GRAD}: the residual's gradient is an output only with relu (without, it is dy)`);
  const scratch = output(backend, [2 * c]);
  const acc = output(backend, [4 * c]);
  // with a residual, the masked gradient g is written out as dr and the second pass reads it unmasked
  const dr = attrs.residual ? output(backend, x.shape) : null;
  k.bn_grad_stats(ptr(backend, dy), ptr(backend, y), ptr(backend, x), rows, c, relu, ptr(backend, mean), ptr(backend, scratch), ptr(backend, acc),
    dr ? ptr(backend, dr) : 0);
  const sums = f64(backend, acc, 2 * c);
  const mu = f32(backend, mean);
  const v = f32(backend, variance);
  const g = f32(backend, gamma);
  const coef = new Float32Array(3 * c); // a, m, b of dx = g·a + x·m + b
  const dGamma = new Float32Array(c);
  const dBeta = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const inv = 1 / Math.sqrt(v[i] + attrs.epsilon);
    const a = g[i] * inv;
    const sumG = sums[i];
    const sumGD = sums[c + i];
    dBeta[i] = sumG;
    dGamma[i] = sumGD * inv;
    const m = (-a * inv * inv * sumGD) / rows;
    coef[i] = a;
    coef[c + i] = m;
    coef[2 * c + i] = (-a * sumG) / rows - m * mu[i];
  }
  const cf = upload(backend, [3 * c], coef);
  const dx = output(backend, x.shape);
  const pc = ptr(backend, cf);
  k.bn_grad_apply(ptr(backend, dr ?? dy), ptr(backend, y), ptr(backend, x), rows, c, dr ? 0 : relu, pc, pc + 4 * c, pc + 8 * c, ptr(backend, dx),
    ptr(backend, scratch), ptr(backend, acc));
  const dBias = Float32Array.from(f64(backend, acc, c));
  free(backend, cf, scratch, acc);
  const grads = [dx, upload(backend, [c], dGamma), upload(backend, [c], dBeta), upload(backend, [c], dBias)];
  return dr ? [...grads, dr] : grads;
}

export const batchNormTrainConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN,
  backendName: 'wasm',
  kernelFunc: batchNormTrain as unknown as KernelConfig['kernelFunc'],
};

export const batchNormTrainGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAIN_GRAD,
  backendName: 'wasm',
  kernelFunc: batchNormTrainGrad as unknown as KernelConfig['kernelFunc'],
};
