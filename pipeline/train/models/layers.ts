/**
 * The layers of the ranker models (NHWC), written so that a training step runs few, fast kernels
 * on the wasm backend (docs/backend.md) while computing exactly what PyTorch computes:
 *
 * - `batchNorm` is one custom op (tf.customGrad): batch statistics, normalisation, affine, optional
 *   residual addition and ReLU, and the running-statistics update forward; the closed-form gradient
 *   backward; on wasm each direction is one project kernel of two passes. tfjs's own batch-norm
 *   gradient broadcasts with Tile and reduces with Sum, which cost 10× more; a separate residual
 *   add + ReLU costs five more passes (add, relu; step, cast, multiply backward).
 * - A convolution's bias that feeds a batch norm is folded into it: BN(conv(x) + b) = BN(conv(x))
 *   in training mode, so the forward pass skips the addition, the running mean includes b, and
 *   b's gradient Σ ∂L/∂(conv(x) + b) is computed as autograd would.
 * - Channel-wise affine maps use the depthwise 1×1 convolution kernel (bias and ReLU fused).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../backend/kernels/batch-norm.ts';

export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** Batch-norm parameters (γ, β trainable) and running statistics (not trainable). */
export interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/** Convolution with symmetric zero padding `pad`; filter [kh, kw, ci, co]. */
export function conv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: [number, number], pad: number): tf.Tensor4D {
  return tf.conv2d(x, filter, stride, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
}

/**
 * x·scale + shift per channel (then ReLU), as one depthwise 1×1 convolution with fused bias and
 * activation. The kernel is run directly: the fused op would split itself into three kernels
 * while a gradient is being recorded (this map is never differentiated through tfjs).
 */
export function channelAffine(x: tf.Tensor4D, scale: tf.Tensor1D, shift: tf.Tensor1D, relu: boolean): tf.Tensor4D {
  const c = x.shape[3];
  return tf.tidy(() => tf.engine().runKernel('FusedDepthwiseConv2D', { x, filter: tf.reshape(scale, [1, 1, c, 1]), bias: shift }, {
    strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: relu ? 'relu' : 'linear',
  } as never) as tf.Tensor4D);
}

const REDUCE_AXES = [0, 1, 2];

interface BnStats {
  y: tf.Tensor4D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

interface BnGrads {
  dx: tf.Tensor4D;
  dGamma: tf.Tensor1D;
  dBeta: tf.Tensor1D;
  /** Σdx per channel: the gradient of a bias added before the batch norm */
  dBias: tf.Tensor1D;
  /** the gradient of the residual (when there is one) */
  dResidual: tf.Tensor4D | null;
}

/**
 * Training-mode batch norm maths (see backend/kernels/batch-norm.ts for the equations), from tfjs
 * ops: the path for backends without the project's kernels, and the reference the tests compare
 * those kernels with.
 */
const composed = {
  forward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, relu: boolean, residual: tf.Tensor4D | null): BnStats {
    const mean = tf.mean(x, REDUCE_AXES) as tf.Tensor1D;
    const d = channelAffine(x, tf.onesLike(mean), tf.neg(mean), false);
    const variance = tf.mean(tf.square(d), REDUCE_AXES) as tf.Tensor1D;
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPS))) as tf.Tensor1D;
    if (!residual) return { y: channelAffine(d, scale, beta, relu), mean, variance };
    const pre = tf.add(channelAffine(d, scale, beta, false), residual) as tf.Tensor4D;
    return { y: relu ? tf.relu(pre) : pre, mean, variance };
  },
  backward(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, relu: boolean,
    residual: boolean): BnGrads {
    const count = x.size / x.shape[3];
    const g = relu ? tf.mul(dy, tf.step(y)) as tf.Tensor4D : dy;
    const inv = tf.rsqrt(tf.add(variance, BN_EPS)) as tf.Tensor1D;
    const a = tf.mul(gamma, inv) as tf.Tensor1D;
    const sumG = tf.sum(g, REDUCE_AXES) as tf.Tensor1D;
    const sumGD = tf.sum(tf.mul(g, channelAffine(x, tf.onesLike(mean), tf.neg(mean), false)), REDUCE_AXES) as tf.Tensor1D;
    const m = tf.div(tf.mul(tf.neg(a), tf.mul(tf.square(inv), sumGD)), count) as tf.Tensor1D;
    const b = tf.sub(tf.div(tf.mul(tf.neg(a), sumG), count), tf.mul(m, mean)) as tf.Tensor1D;
    const dx = tf.add(channelAffine(g, a, tf.zerosLike(b), false), channelAffine(x, m, b, false)) as tf.Tensor4D;
    return {
      dx, dGamma: tf.mul(sumGD, inv) as tf.Tensor1D, dBeta: sumG, dBias: tf.sum(dx, REDUCE_AXES) as tf.Tensor1D,
      dResidual: residual ? tf.clone(g) : null,
    };
  },
};

/** The same maths as two project kernels (wasm backend). */
const kernels = {
  forward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, relu: boolean, residual: tf.Tensor4D | null): BnStats {
    const inputs: tf.NamedTensorMap = residual ? { x, gamma, beta, residual } : { x, gamma, beta };
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, inputs, { relu, epsilon: BN_EPS } as never) as tf.Tensor[];
    return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  },
  backward(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, relu: boolean,
    residual: boolean): BnGrads {
    const out = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, y, mean, variance, gamma },
      { relu, epsilon: BN_EPS, residual: residual && relu } as never) as tf.Tensor[];
    const [dx, dGamma, dBeta, dBias] = out;
    return {
      dx: dx as tf.Tensor4D, dGamma: dGamma as tf.Tensor1D, dBeta: dBeta as tf.Tensor1D, dBias: dBias as tf.Tensor1D,
      dResidual: !residual ? null : relu ? out[4] as tf.Tensor4D : tf.clone(dy),
    };
  },
};

/** Whether the current backend has the project's batch-norm kernels. */
export function hasBatchNormKernels(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined && tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) !== undefined;
}

export interface BatchNormOptions {
  /** ReLU after the batch norm (and after the residual) */
  relu: boolean;
  /** the bias of the convolution that produced x (folded into the batch norm) */
  bias?: tf.Variable;
  /** a tensor of x's shape added after the batch norm, before the ReLU (a residual connection) */
  residual?: tf.Tensor4D;
  /** the maths' implementation (tests compare them); by default the project's kernels where the backend has them */
  impl?: 'auto' | 'kernels' | 'composed';
}

/**
 * Batch norm over N, H, W (+ residual, then ReLU when `relu`), PyTorch semantics: training
 * normalises with the biased batch variance and moves the running statistics by momentum 0.1
 * (unbiased variance); evaluation uses the running statistics.
 */
export function batchNorm(x: tf.Tensor4D, bn: BatchNormVars, training: boolean, opts: BatchNormOptions): tf.Tensor4D {
  const { relu, bias, residual, impl = 'auto' } = opts;
  if (residual && (residual.shape.length !== 4 || residual.shape.some((d, i) => d !== x.shape[i])))
    throw new Error(`batchNorm: the residual has shape [${residual.shape}], the batch norm's input [${x.shape}]`);
  if (!training) {
    return tf.tidy(() => {
      const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(bn.runningVar, BN_EPS))) as tf.Tensor1D;
      const mean = bias ? tf.sub(bn.runningMean, bias) : bn.runningMean;
      const y = channelAffine(x, scale, tf.sub(bn.beta, tf.mul(mean, scale)) as tf.Tensor1D, relu && !residual);
      if (!residual) return y;
      const sum = tf.add(y, residual) as tf.Tensor4D;
      return relu ? tf.relu(sum) : sum;
    });
  }
  const maths = impl === 'kernels' || (impl === 'auto' && hasBatchNormKernels()) ? kernels : composed;
  let batchMean: tf.Tensor1D | null = null;
  let batchVar: tf.Tensor1D | null = null;
  const inputs: tf.Tensor[] = [x, bn.gamma, bn.beta, ...(bias ? [bias] : []), ...(residual ? [residual] : [])];
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const ri = residual ? args[inputs.length - 1] as tf.Tensor4D : null;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { y, mean, variance } = maths.forward(xi, gamma, beta, relu, ri);
    batchMean = tf.keep(mean);
    batchVar = tf.keep(variance);
    save([xi, y, mean, variance, gamma]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ys, ms, vs, gs] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const r = maths.backward(dy as tf.Tensor4D, xs, ys, ms, vs, gs, relu, residual !== undefined);
        return [r.dx, r.dGamma, r.dBeta, ...(bias ? [r.dBias] : []), ...(r.dResidual ? [r.dResidual] : [])];
      },
    };
  });
  const y = op(...inputs) as tf.Tensor4D;
  updateRunningStats(bn, batchMean!, batchVar!, x.size / x.shape[3], bias);
  return y;
}

/**
 * PyTorch's running-statistics update, r ← (1 − 0.1)·r + 0.1·batch (variance unbiased), on the
 * few per-channel values in JavaScript: two small tensors per batch norm instead of a dozen ops.
 */
function updateRunningStats(bn: BatchNormVars, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number, bias?: tf.Variable): void {
  const mu = mean.dataSync();
  const v = variance.dataSync();
  const b = bias?.dataSync();
  const rm = bn.runningMean.dataSync();
  const rv = bn.runningVar.dataSync();
  const unbias = count / Math.max(1, count - 1);
  const nextMean = new Float32Array(mu.length);
  const nextVar = new Float32Array(mu.length);
  for (let i = 0; i < mu.length; i++) {
    nextMean[i] = (1 - BN_MOMENTUM) * rm[i] + BN_MOMENTUM * (mu[i] + (b ? b[i] : 0));
    nextVar[i] = (1 - BN_MOMENTUM) * rv[i] + BN_MOMENTUM * v[i] * unbias;
  }
  mean.dispose();
  variance.dispose();
  tf.tidy(() => {
    bn.runningMean.assign(tf.tensor1d(nextMean));
    bn.runningVar.assign(tf.tensor1d(nextVar));
  });
}

/** 2×2 max pooling, stride 2 (floor), as torch.nn.MaxPool2d(2). */
export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

/** Global average pooling [N, H, W, C] → [N, C]; its gradient is one broadcast multiplication. */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const xi = args[0] as tf.Tensor4D;
    return {
      value: tf.reshape(tf.mean(xi, [1, 2]), [n, c]) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.mul(tf.reshape(dy as tf.Tensor, [n, 1, 1, c]), tf.fill([1, h, w, 1], 1 / (h * w)))],
    };
  });
  return op(x) as tf.Tensor2D;
}

/** x [N, in] · kernel [in, out] + bias. */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, kernel), bias);
}
