/**
 * The layers of the ranker models (NHWC), written so that a training step runs few, fast kernels
 * on the wasm backend (docs/backend.md) while computing exactly what PyTorch computes:
 *
 * - `batchNorm` is one custom op (tf.customGrad): batch statistics, normalisation, affine, optional
 *   ReLU and the running-statistics update forward; the closed-form gradient backward; on wasm each
 *   direction is one project kernel of two passes. tfjs's own batch-norm gradient broadcasts with
 *   Tile and reduces with Sum, which cost 10× more.
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
}

/**
 * Training-mode batch norm maths (see backend/kernels/batch-norm.ts for the equations), from tfjs
 * ops: the path for backends without the project's kernels, and the reference the tests compare
 * those kernels with.
 */
const composed = {
  forward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, relu: boolean): BnStats {
    const mean = tf.mean(x, REDUCE_AXES) as tf.Tensor1D;
    const d = channelAffine(x, tf.onesLike(mean), tf.neg(mean), false);
    const variance = tf.mean(tf.square(d), REDUCE_AXES) as tf.Tensor1D;
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPS))) as tf.Tensor1D;
    return { y: channelAffine(d, scale, beta, relu), mean, variance };
  },
  backward(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, relu: boolean): BnGrads {
    const count = x.size / x.shape[3];
    const g = relu ? tf.mul(dy, tf.step(y)) as tf.Tensor4D : dy;
    const inv = tf.rsqrt(tf.add(variance, BN_EPS)) as tf.Tensor1D;
    const a = tf.mul(gamma, inv) as tf.Tensor1D;
    const sumG = tf.sum(g, REDUCE_AXES) as tf.Tensor1D;
    const sumGD = tf.sum(tf.mul(g, channelAffine(x, tf.onesLike(mean), tf.neg(mean), false)), REDUCE_AXES) as tf.Tensor1D;
    const m = tf.div(tf.mul(tf.neg(a), tf.mul(tf.square(inv), sumGD)), count) as tf.Tensor1D;
    const b = tf.sub(tf.div(tf.mul(tf.neg(a), sumG), count), tf.mul(m, mean)) as tf.Tensor1D;
    const dx = tf.add(channelAffine(g, a, tf.zerosLike(b), false), channelAffine(x, m, b, false)) as tf.Tensor4D;
    return { dx, dGamma: tf.mul(sumGD, inv) as tf.Tensor1D, dBeta: sumG, dBias: tf.sum(dx, REDUCE_AXES) as tf.Tensor1D };
  },
};

/** The same maths as two project kernels (wasm backend). */
const kernels = {
  forward(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, relu: boolean): BnStats {
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { relu, epsilon: BN_EPS } as never) as tf.Tensor[];
    return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  },
  backward(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D, gamma: tf.Tensor1D, relu: boolean): BnGrads {
    const [dx, dGamma, dBeta, dBias] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, y, mean, variance, gamma }, { relu, epsilon: BN_EPS } as never) as tf.Tensor[];
    return { dx: dx as tf.Tensor4D, dGamma: dGamma as tf.Tensor1D, dBeta: dBeta as tf.Tensor1D, dBias: dBias as tf.Tensor1D };
  },
};

/** Whether the current backend has the project's batch-norm kernels. */
export function hasBatchNormKernels(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined && tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) !== undefined;
}

/**
 * Batch norm over N, H, W (then ReLU when `relu`), PyTorch semantics: training normalises with the
 * biased batch variance and moves the running statistics by momentum 0.1 (unbiased variance);
 * evaluation uses the running statistics. `bias` is the bias of the convolution that produced x.
 * `impl` chooses the maths' implementation (tests compare them); by default the project's
 * kernels where the backend has them.
 */
export function batchNorm(x: tf.Tensor4D, bn: BatchNormVars, training: boolean, relu: boolean, bias?: tf.Variable,
  impl: 'auto' | 'kernels' | 'composed' = 'auto'): tf.Tensor4D {
  if (!training) {
    return tf.tidy(() => {
      const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(bn.runningVar, BN_EPS))) as tf.Tensor1D;
      const mean = bias ? tf.sub(bn.runningMean, bias) : bn.runningMean;
      return channelAffine(x, scale, tf.sub(bn.beta, tf.mul(mean, scale)) as tf.Tensor1D, relu);
    });
  }
  const maths = impl === 'kernels' || (impl === 'auto' && hasBatchNormKernels()) ? kernels : composed;
  let batchMean: tf.Tensor1D | null = null;
  let batchVar: tf.Tensor1D | null = null;
  const inputs: tf.Tensor[] = bias ? [x, bn.gamma, bn.beta, bias] : [x, bn.gamma, bn.beta];
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { y, mean, variance } = maths.forward(xi, gamma, beta, relu);
    batchMean = tf.keep(mean);
    batchVar = tf.keep(variance);
    save([xi, y, mean, variance, gamma]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ys, ms, vs, gs] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const r = maths.backward(dy as tf.Tensor4D, xs, ys, ms, vs, gs, relu);
        return args.length === 5 ? [r.dx, r.dGamma, r.dBeta, r.dBias] : [r.dx, r.dGamma, r.dBeta];
      },
    };
  });
  const y = op(...inputs) as tf.Tensor4D;
  updateRunningStats(bn, batchMean!, batchVar!, x.size / x.shape[3], bias);
  return y;
}

function updateRunningStats(bn: BatchNormVars, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number, bias?: tf.Variable): void {
  tf.tidy(() => {
    const m = bias ? tf.add(mean, bias) : mean;
    const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
    bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - BN_MOMENTUM), tf.mul(m, BN_MOMENTUM)));
    bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
  });
  mean.dispose();
  variance.dispose();
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
