/**
 * Test fixtures for the trainer: a tiny preprocess output (8×8 inputs whose brightness grows with
 * the class angle, so a ranker can learn them), a small linear ranker behind the models.ts
 * interface, and helpers to build run specs.
 */
import { after } from 'node:test';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Pair, PairSet, SpectrogramIndex, Split } from '../../../pipeline/core/artifacts.ts';
import { resolveConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import { rmrf, writeJson } from '../../../pipeline/core/fsutil.ts';
import { writeNpy } from '../../../pipeline/core/npy.ts';
import type { Logger } from '../../../pipeline/core/progress.ts';
import { Rng } from '../../../pipeline/lib/rng.ts';
import type { ModelOptions, RankerModel, TensorState } from '../../../pipeline/train/models.ts';
import type { RunSpec } from '../../../pipeline/train/runs.ts';
import type { RunHooks } from '../../../pipeline/train/trainer.ts';

export const H = 8;
export const W = 8;

const created: string[] = [];
after(() => { for (const d of created) rmrf(d); });

/** A fresh temporary folder, removed when the test file's tests are done. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `ghm-train-${prefix}-`));
  created.push(d);
  return d;
}

/** Write `<root>/<freq>/{index.json, input/*.npy, split-s<seed>.json, pairs-s<seed>.json}`. */
export function writePreprocess(root: string, frequency: string, seed: number, opts: { classes?: number; recordings?: number } = {}): string {
  const classes = opts.classes ?? 4;
  const recordings = opts.recordings ?? 5;
  const dir = join(root, frequency);
  mkdirSync(join(dir, 'input'), { recursive: true });
  const rng = new Rng(seed, 'fixture');
  const entries: SpectrogramIndex['entries'] = [];
  const angle = new Map<string, number>();
  for (let c = 0; c < classes; c++)
    for (let r = 0; r < recordings; r++) {
      const cls = `deg${String(c * 36).padStart(3, '0')}`;
      const seq = String(r).padStart(2, '0');
      const id = `plastic_${cls}_${frequency}_${seq}`;
      const data = new Float32Array(H * W);
      for (let k = 0; k < data.length; k++) data[k] = (c / classes) * (k % W < 4 ? 1 : 0) + rng.normal();
      writeNpy(join(dir, 'input', `${id}.npy`), { shape: [H, W], data });
      angle.set(id, c * 36);
      entries.push({
        id, class: cls, angle: c * 36, label: c, material: 'plastic', frequency, seq, wav: `${id}.wav`, wavHash: '',
        spectrogram: `spec/${id}.npy`, input: `input/${id}.npy`, samples: 0, frames: 0,
      });
    }
  const index: SpectrogramIndex = {
    frequency, material: 'plastic', sampleRate: 48000, nFft: 2048, hop: 256, bins: 1025, inputShape: [H, W], crop: [0, 24000], entries,
  };
  writeJson(join(dir, 'index.json'), index);
  const ids = rng.shuffle(entries.map((e) => e.id));
  const nTrain = Math.floor(ids.length * 0.7);
  const split: Split = { frequency, seed, stratified: false, train: ids.slice(0, nTrain), val: ids.slice(nTrain) };
  writeJson(join(dir, `split-s${seed}.json`), split);
  const pairsOf = (set: string[]): Pair[] => {
    const out: Pair[] = [];
    for (const a of set) for (const b of set) if (angle.get(a)! !== angle.get(b)!) out.push([a, b, angle.get(a)! > angle.get(b)! ? 1 : -1]);
    return rng.shuffle(out);
  };
  const pairs: PairSet = { frequency, seed, mode: 'all', train: pairsOf(split.train), val: pairsOf(split.val) };
  writeJson(join(dir, `pairs-s${seed}.json`), pairs);
  return dir;
}

/** A resolved config with small training settings; `train` overrides the experiment's train block. */
export function config(train: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ResolvedConfig {
  return resolveConfig('fixture.yaml', {
    name: 'fixture',
    title: { 'zh-TW': '測試', en: 'test' },
    seed: 3,
    data: { frequencies: ['3000hz'], recordings: 5, classes: ['deg000', 'deg036', 'deg072', 'deg108'] },
    train: {
      epochs: 6, batchSize: 16, margin: 1, checkpointEvery: 2,
      optimizer: { name: 'adam', lr: 0.05, weightDecay: 1e-5 },
      ...train,
    },
    snapshots: { epochs: [1] },
    ...extra,
  });
}

/** One run spec over a fixture folder. */
export function spec(cfg: ResolvedConfig, preprocessDir: string, root: string, loss: 'ghm' | 'baseline' = 'ghm'): RunSpec {
  const seed = cfg.seeds[0];
  const id = `3000hz-${loss}-s${seed}`;
  return {
    id, frequency: '3000hz', loss, seed, train: cfg.train,
    dataDir: join(preprocessDir, '3000hz'), workDir: join(root, 'work', id), outDir: join(root, 'out', id),
  };
}

/** A linear ranker on the flattened input (score = x·w + b), with the models.ts interface. */
export class LinearRanker implements RankerModel {
  readonly kind = 'linear' as const;
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  /** when set, scores become NaN from this call of `score(…, true)` on */
  nanFromCall = Infinity;
  private calls = 0;

  constructor(opts: ModelOptions, rng: Rng) {
    const n = opts.height * opts.width;
    const init = Float32Array.from({ length: n }, () => 0.05 * rng.normal());
    this.w = tf.tidy(() => tf.variable(tf.tensor2d(init, [n, 1]), true));
    this.b = tf.tidy(() => tf.variable(tf.zeros([1]), true));
  }

  get trainable(): tf.Variable[] {
    return [this.w, this.b];
  }

  score(x: tf.Tensor4D, training: boolean): tf.Tensor1D {
    if (training) this.calls++;
    const s = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], -1]), this.w), this.b), [-1]) as tf.Tensor1D;
    return this.calls >= this.nanFromCall ? (tf.mul(s, NaN) as tf.Tensor1D) : s;
  }

  parameterCount(): number {
    return this.w.size + this.b.size;
  }

  getState(): Record<string, TensorState> {
    return {
      w: { shape: this.w.shape, data: Float32Array.from(this.w.dataSync()) },
      b: { shape: this.b.shape, data: Float32Array.from(this.b.dataSync()) },
    };
  }

  setState(s: Record<string, TensorState>): void {
    tf.tidy(() => {
      this.w.assign(tf.tensor(s.w.data, s.w.shape));
      this.b.assign(tf.tensor(s.b.data, s.b.shape));
    });
  }

  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

export const quietLog: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export function hooks(over: Partial<RunHooks> = {}): RunHooks {
  return {
    log: quietLog, signal: new AbortController().signal, backend: 'cpu',
    createModel: (_kind, opts, rng) => new LinearRanker(opts, rng),
    ...over,
  };
}
