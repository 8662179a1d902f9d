/**
 * Ranker models: a batch of spectrograms [N, H, W, 1] → one score per sample. Built from the
 * layers in models/ with PyTorch-default initialisation drawn from the run's seeded Rng.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../lib/rng.ts';
import { linear, resnet, simpleCnn, type Forward } from './models/networks.ts';
import { ParamStore, type TensorState } from './models/params.ts';

export type { TensorState };

export interface ModelOptions {
  height: number;
  width: number;
  /** stride of simple-cnn's first convolution (the original used (2, 4) on full-size spectrograms) */
  conv1Stride: [number, number];
}

export interface RankerModel {
  readonly kind: 'simple-cnn' | 'resnet' | 'linear';
  readonly trainable: tf.Variable[];
  /** scores [N] for x [N, H, W, 1]; training = true: batch-norm uses batch statistics and updates running stats */
  score(x: tf.Tensor4D, training: boolean): tf.Tensor1D;
  /** trainable parameters */
  parameterCount(): number;
  /** every weight incl. batch-norm running stats (for checkpoints) */
  getState(): Record<string, TensorState>;
  setState(s: Record<string, TensorState>): void;
  dispose(): void;
}

export const MODEL_KINDS: readonly RankerModel['kind'][] = ['simple-cnn', 'resnet', 'linear'];

export function createModel(kind: RankerModel['kind'], opts: ModelOptions, rng: Rng): RankerModel {
  const { height, width, conv1Stride } = opts;
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0))
    throw new Error(`createModel: input size must be positive integers, got ${height}×${width}`);
  const params = new ParamStore(rng);
  let forward: Forward;
  switch (kind) {
    case 'simple-cnn':
      forward = simpleCnn(params, conv1Stride);
      break;
    case 'resnet':
      forward = resnet(params);
      break;
    case 'linear':
      forward = linear(params, height, width);
      break;
    default:
      throw new Error(`createModel: unknown model kind ${String(kind)} (expected ${MODEL_KINDS.join(', ')})`);
  }
  return {
    kind,
    trainable: params.trainable,
    score(x, training) {
      const [, h, w, c] = x.shape;
      if (h !== height || w !== width || c !== 1)
        throw new Error(`${kind}: input batch has shape [${x.shape}], the model was built for [N, ${height}, ${width}, 1]`);
      return forward(x, training);
    },
    parameterCount: () => params.parameterCount(),
    getState: () => params.getState(),
    setState: (s) => params.setState(s),
    dispose: () => params.dispose(),
  };
}
