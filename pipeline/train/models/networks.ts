/**
 * The three ranker networks (NHWC), layer for layer those of ../shared/bench/torch_reference.py:
 *
 * simple-cnn  conv5×5(1→32, stride s, pad 2) BN ReLU maxpool2; conv3×3(32→16, stride 2, pad 1) BN
 *             ReLU maxpool2; global average pool; dense 16→10 ReLU; dense 10→1
 *             (the original SimpleCNNAudioRanker, original-system.md §3.2, without its input
 *             standardisation, which the preprocess stage does)
 * resnet      stem conv3×3(1→16, stride 2, pad 1, no bias) BN ReLU; basic block 16→16; basic block
 *             16→32 stride 2 with a 1×1 projection + BN; global average pool; dense 32→1
 * linear      dense (H·W)→1 on the flattened input
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchNorm, conv, dense, globalAvgPool, maxPool2, type BatchNormVars } from './layers.ts';
import type { ParamStore } from './params.ts';

/** scores [N] of a batch [N, H, W, 1] */
export type Forward = (x: tf.Tensor4D, training: boolean) => tf.Tensor1D;

export interface ConvSpec {
  kernel: tf.Variable;
  bias?: tf.Variable;
  stride: [number, number];
  pad: number;
}

/** conv → batch norm (→ + residual) (→ ReLU), the conv's bias folded into the batch norm. */
function convBn(x: tf.Tensor4D, c: ConvSpec, bn: BatchNormVars, training: boolean, relu: boolean, residual?: tf.Tensor4D): tf.Tensor4D {
  return batchNorm(conv(x, c.kernel as tf.Tensor4D, c.stride, c.pad), bn, training, { relu, bias: c.bias, residual });
}

export function simpleCnn(p: ParamStore, stride: [number, number]): Forward {
  const c1: ConvSpec = { ...p.conv('conv1', 1, 32, 5, true), stride, pad: 2 };
  const bn1 = p.batchNorm('bn1', 32);
  const c2: ConvSpec = { ...p.conv('conv2', 32, 16, 3, true), stride: [2, 2], pad: 1 };
  const bn2 = p.batchNorm('bn2', 16);
  const fc1 = p.dense('fc1', 16, 10);
  const fc2 = p.dense('fc2', 10, 1);
  return (x, training) => {
    let h = maxPool2(convBn(x, c1, bn1, training, true));
    h = maxPool2(convBn(h, c2, bn2, training, true));
    const f = tf.relu(dense(globalAvgPool(h), fc1.kernel as tf.Tensor2D, fc1.bias as tf.Tensor1D));
    return tf.reshape(dense(f, fc2.kernel as tf.Tensor2D, fc2.bias as tf.Tensor1D), [-1]) as tf.Tensor1D;
  };
}

/** torchvision-style basic block: conv3×3 BN ReLU conv3×3 BN, + identity or 1×1-conv BN projection, ReLU. */
function basicBlock(p: ParamStore, name: string, ci: number, co: number, stride: number): (x: tf.Tensor4D, training: boolean) => tf.Tensor4D {
  const s: [number, number] = [stride, stride];
  const c1: ConvSpec = { ...p.conv(`${name}.c1`, ci, co, 3, false), stride: s, pad: 1 };
  const b1 = p.batchNorm(`${name}.b1`, co);
  const c2: ConvSpec = { ...p.conv(`${name}.c2`, co, co, 3, false), stride: [1, 1], pad: 1 };
  const b2 = p.batchNorm(`${name}.b2`, co);
  const proj = stride !== 1 || ci !== co
    ? { c: { ...p.conv(`${name}.proj.0`, ci, co, 1, false), stride: s, pad: 0 } as ConvSpec, bn: p.batchNorm(`${name}.proj.1`, co) }
    : null;
  return (x, training) => {
    const h = convBn(x, c1, b1, training, true);
    const shortcut = proj ? convBn(x, proj.c, proj.bn, training, false) : x;
    // the residual addition and the final ReLU run inside the second batch norm's kernels
    return convBn(h, c2, b2, training, true, shortcut);
  };
}

export function resnet(p: ParamStore): Forward {
  const stem: ConvSpec = { ...p.conv('stem', 1, 16, 3, false), stride: [2, 2], pad: 1 };
  const stemBn = p.batchNorm('stem_bn', 16);
  const block1 = basicBlock(p, 'block1', 16, 16, 1);
  const block2 = basicBlock(p, 'block2', 16, 32, 2);
  const fc = p.dense('fc', 32, 1);
  return (x, training) => {
    const h = block2(block1(convBn(x, stem, stemBn, training, true), training), training);
    return tf.reshape(dense(globalAvgPool(h), fc.kernel as tf.Tensor2D, fc.bias as tf.Tensor1D), [-1]) as tf.Tensor1D;
  };
}

export function linear(p: ParamStore, height: number, width: number): Forward {
  const fc = p.dense('fc', height * width, 1);
  return (x) => tf.reshape(dense(tf.reshape(x, [x.shape[0], height * width]) as tf.Tensor2D, fc.kernel as tf.Tensor2D, fc.bias as tf.Tensor1D), [-1]) as tf.Tensor1D;
}
