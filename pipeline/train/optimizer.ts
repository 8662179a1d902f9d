/**
 * Adam as PyTorch implements it (torch.optim.Adam / AdamW, no amsgrad), on tfjs variables.
 *
 *   Adam  (coupled L2):   g ← g + λ·p
 *   AdamW (decoupled):    p ← p·(1 − lr·λ)
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 *
 * The learning rate is a plain number the scheduler changes between epochs. The state (step count,
 * first and second moments) can be read out and restored exactly for checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedConfig } from '../core/config.ts';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** true: AdamW (decay applied to the weights); false: L2 added to the gradient */
  decoupled: boolean;
}

export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  lr: number;
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(readonly params: tf.Variable[], readonly opts: AdamOptions) {
    this.lr = opts.lr;
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  get step(): number {
    return this.t;
  }

  /**
   * One update; `grads[i]` belongs to `params[i]`. The gradients are not disposed.
   * The arithmetic runs in JavaScript on the parameters' values (the models have a few thousand
   * parameters: one pass over them costs less than the dozen tfjs ops per parameter tensor it
   * replaces); moments are stored as float32, like PyTorch's.
   */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.params.length)
      throw new Error(`Adam.apply: ${grads.length} gradients for ${this.params.length} parameters`);
    this.t += 1;
    const { beta1: b1, beta2: b2, epsilon, weightDecay: wd, decoupled } = this.opts;
    const lr = this.lr;
    const stepSize = lr / (1 - b1 ** this.t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.t);
    const l2 = decoupled ? 0 : wd;
    const keep = decoupled ? 1 - lr * wd : 1;
    this.params.forEach((param, i) => {
      const g = grads[i].dataSync() as Float32Array;
      const p = param.dataSync() as Float32Array;
      const m = this.m[i];
      const v = this.v[i];
      const next = new Float32Array(p.length);
      for (let k = 0; k < p.length; k++) {
        const gk = g[k] + l2 * p[k];
        m[k] = b1 * m[k] + (1 - b1) * gk;
        v[k] = b2 * v[k] + (1 - b2) * gk * gk;
        next[k] = p[k] * keep - (stepSize * m[k]) / (Math.sqrt(v[k]) / sqrtBc2 + epsilon);
      }
      tf.tidy(() => param.assign(tf.tensor(next, param.shape, 'float32')));
    });
  }

  getState(): AdamState {
    return { step: this.t, m: this.m.map((x) => x.slice()), v: this.v.map((x) => x.slice()) };
  }

  setState(s: AdamState): void {
    if (s.m.length !== this.params.length || s.v.length !== this.params.length)
      throw new Error(`Adam.setState: state for ${s.m.length} parameters, optimizer has ${this.params.length}`);
    this.params.forEach((p, i) => {
      if (s.m[i].length !== p.size || s.v[i].length !== p.size)
        throw new Error(`Adam.setState: parameter ${i} has ${p.size} values, state ${s.m[i].length}/${s.v[i].length}`);
      this.m[i].set(s.m[i]);
      this.v[i].set(s.v[i]);
    });
    this.t = s.step;
  }

  /** The state lives in JS arrays, so there is no tfjs memory to free; kept so callers can treat it like a model. */
  dispose(): void {}
}

/** Adam or AdamW from the experiment's `train.optimizer`. */
export function createOptimizer(params: tf.Variable[], cfg: ResolvedConfig['train']['optimizer']): Adam {
  return new Adam(params, {
    lr: cfg.lr,
    beta1: cfg.beta1,
    beta2: cfg.beta2,
    epsilon: cfg.epsilon,
    weightDecay: cfg.weightDecay,
    decoupled: cfg.name === 'adamw',
  });
}
