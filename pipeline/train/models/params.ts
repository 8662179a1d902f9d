/**
 * A model's named weights: trainable parameters (PyTorch-default initialisation from the run's
 * seeded Rng) and non-trainable buffers (batch-norm running statistics), with the state round
 * trip used by checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../lib/rng.ts';
import type { BatchNormVars } from './layers.ts';

export interface TensorState {
  shape: number[];
  data: Float32Array;
}

/** Row-major `values` of `shape` with its axes reordered: out axis i is input axis perm[i]. */
export function permute(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const stride = perm.map((p) => inStrides[p]);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * stride[i];
    out[o] = values[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

let models = 0;

export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  readonly trainable: tf.Variable[] = [];
  /** tfjs variable names are process-wide: `m<k>/<weight name>` keeps models apart */
  private readonly prefix = `m${++models}/`;

  constructor(private readonly rng: Rng) {}

  private add(name: string, shape: number[], values: Float32Array, trainable: boolean): tf.Variable {
    if (this.vars.has(name)) throw new Error(`model parameter ${name} defined twice`);
    const init = tf.tensor(values, shape, 'float32');
    const v = tf.variable(init, trainable, this.prefix + name);
    init.dispose();
    this.vars.set(name, v);
    if (trainable) this.trainable.push(v);
    return v;
  }

  /** U(−1/√fanIn, 1/√fanIn) drawn in PyTorch's layout `torchShape`, stored transposed by `perm`. */
  private uniform(fanIn: number, torchShape: number[], perm: number[]): { shape: number[]; values: Float32Array } {
    const bound = 1 / Math.sqrt(fanIn);
    const n = torchShape.reduce((a, b) => a * b, 1);
    const drawn = new Float32Array(n);
    for (let i = 0; i < n; i++) drawn[i] = (2 * this.rng.uniform() - 1) * bound;
    return { shape: perm.map((p) => torchShape[p]), values: permute(drawn, torchShape, perm) };
  }

  /**
   * Conv2d(ci → co, k×k) as PyTorch initialises it (kaiming-uniform a = √5 ⇒ U(±1/√fanIn), bias the
   * same bound), stored [kh, kw, ci, co].
   */
  conv(name: string, ci: number, co: number, k: number, bias: boolean): { kernel: tf.Variable; bias?: tf.Variable } {
    const fanIn = ci * k * k;
    const w = this.uniform(fanIn, [co, ci, k, k], [2, 3, 1, 0]);
    const kernel = this.add(`${name}.weight`, w.shape, w.values, true);
    if (!bias) return { kernel };
    const b = this.uniform(fanIn, [co], [0]);
    return { kernel, bias: this.add(`${name}.bias`, b.shape, b.values, true) };
  }

  /** Linear(in → out) as PyTorch initialises it, stored [in, out]. */
  dense(name: string, inputs: number, outputs: number): { kernel: tf.Variable; bias: tf.Variable } {
    const w = this.uniform(inputs, [outputs, inputs], [1, 0]);
    const kernel = this.add(`${name}.weight`, w.shape, w.values, true);
    const b = this.uniform(inputs, [outputs], [0]);
    return { kernel, bias: this.add(`${name}.bias`, b.shape, b.values, true) };
  }

  /** BatchNorm2d(c): γ = 1, β = 0, running mean 0, running variance 1. */
  batchNorm(name: string, c: number): BatchNormVars {
    return {
      gamma: this.add(`${name}.weight`, [c], new Float32Array(c).fill(1), true),
      beta: this.add(`${name}.bias`, [c], new Float32Array(c), true),
      runningMean: this.add(`${name}.running_mean`, [c], new Float32Array(c), false),
      runningVar: this.add(`${name}.running_var`, [c], new Float32Array(c).fill(1), false),
    };
  }

  parameterCount(): number {
    return this.trainable.reduce((s, v) => s + v.size, 0);
  }

  getState(): Record<string, TensorState> {
    const out: Record<string, TensorState> = {};
    for (const [name, v] of this.vars) out[name] = { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
    return out;
  }

  /** Restore every weight; the state must name exactly this model's weights with their shapes. */
  setState(s: Record<string, TensorState>): void {
    const missing = [...this.vars.keys()].filter((k) => !(k in s));
    const extra = Object.keys(s).filter((k) => !this.vars.has(k));
    if (missing.length || extra.length)
      throw new Error(`model state does not match the model: missing [${missing.join(', ')}], unknown [${extra.join(', ')}]`);
    for (const [name, v] of this.vars) {
      const t = s[name];
      if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i]) || t.data.length !== v.size)
        throw new Error(`model state ${name} has shape [${t.shape}] (${t.data.length} values), the model expects [${v.shape}]`);
    }
    for (const [name, v] of this.vars) tf.tidy(() => v.assign(tf.tensor(s[name].data, v.shape, 'float32')));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.trainable.length = 0;
  }
}
