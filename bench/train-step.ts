/**
 * One training step of the ranker models against PyTorch on the CPU (../shared/bench/torch_reference.py):
 * 37 unique samples scored in one forward pass, 32 pairs, loss mean(max(0, 10 − y·d)), backward,
 * Adam (lr 0.03, L2 weight decay 1e-5), one thread; simple-cnn (stem stride 2 2) and resnet at 64×64
 * and 128×128. Ours and the reference run back to back, ROUNDS times (the machine is shared), and
 * the medians are reported. Goal: ours / PyTorch ≤ 1.5.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../pipeline/train/backend/index.ts';
import { createModel, type RankerModel } from '../pipeline/train/models.ts';
import { Adam } from '../pipeline/train/optimizer.ts';
import { Rng } from '../pipeline/lib/rng.ts';
import type { BenchRow } from './types.ts';

const SAMPLES = 37;
const PAIRS = 32;
const MARGIN = 10;
const WARMUP = 3;
const STEPS = Number(process.env.BENCH_TRAIN_STEPS ?? 10);
const ROUNDS = Number(process.env.BENCH_TRAIN_ROUNDS ?? 5);
const PYTHON = '/usr/bin/python3';
const REFERENCE = join(import.meta.dirname, '..', '..', 'shared', 'bench', 'torch_reference.py');
const CASES: { model: Exclude<RankerModel['kind'], 'linear'>; size: number }[] = [
  { model: 'simple-cnn', size: 64 },
  { model: 'simple-cnn', size: 128 },
  { model: 'resnet', size: 64 },
  { model: 'resnet', size: 128 },
];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

/** ms per step of our training step (mean over STEPS after WARMUP), like the reference measures it. */
function ours(model: RankerModel['kind'], size: number): number {
  const m = createModel(model, { height: size, width: size, conv1Stride: [2, 2] }, new Rng(0, 'bench:init'));
  const rng = new Rng(0, 'bench:data');
  const x = tf.tensor4d(Float32Array.from({ length: SAMPLES * size * size }, () => rng.normal()), [SAMPLES, size, size, 1]);
  const a = tf.tensor1d(Array.from({ length: PAIRS }, (_, k) => k % SAMPLES), 'int32');
  const b = tf.tensor1d(Array.from({ length: PAIRS }, (_, k) => (k * 7 + 3) % SAMPLES), 'int32');
  const y = tf.tensor1d(Array.from({ length: PAIRS }, (_, k) => (k % 2 ? 1 : -1)));
  const opt = new Adam(m.trainable, { lr: 0.03, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-5, decoupled: false });
  const step = () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const s = m.score(x, true);
        const d = tf.sub(tf.gather(s, a), tf.gather(s, b));
        return tf.mean(tf.relu(tf.sub(MARGIN, tf.mul(y, d)))) as tf.Scalar;
      }, m.trainable);
      opt.apply(m.trainable.map((v) => grads[v.name]));
    });
  for (let i = 0; i < WARMUP; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  const ms = (performance.now() - t0) / STEPS;
  opt.dispose();
  m.dispose();
  tf.dispose([x, a, b, y]);
  return ms;
}

function referenceAvailable(): string | null {
  if (!existsSync(REFERENCE)) return `reference script not found at ${REFERENCE}`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : `PyTorch not importable by ${PYTHON} (apt-get install -y python3-torch): reference skipped`;
}

/** PyTorch's ms per step for the same case (one thread). */
function reference(model: string, size: number): number {
  const r = spawnSync(PYTHON, [REFERENCE, '--model', model, '--height', String(size), '--width', String(size),
    '--steps', String(STEPS), '--warmup', String(WARMUP), '--threads', '1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_reference.py --model ${model} --height ${size} failed: ${r.stderr.trim().split('\n').pop()}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const ms = (JSON.parse(line) as { ms_per_step?: number }).ms_per_step;
  if (typeof ms !== 'number') throw new Error(`torch_reference.py printed no ms_per_step: ${line}`);
  return ms;
}

export async function run(): Promise<BenchRow[]> {
  const backend = await initBackend('auto');
  const skip = referenceAvailable();
  const rows: BenchRow[] = [];
  for (const c of CASES) {
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      mine.push(ours(c.model, c.size));
      if (!skip) theirs.push(reference(c.model, c.size));
    }
    const o = median(mine);
    const row: BenchRow = {
      case: `train step ${c.model} ${c.size}x${c.size}`,
      ours: o,
      unit: 'ms/step',
      goal: 'ratio ≤ 1.5',
      note: `${backend}; median of ${ROUNDS} rounds of ${STEPS} steps${skip ? `; ${skip}` : ''}`,
    };
    if (!skip) {
      row.reference = median(theirs);
      row.ratio = o / row.reference;
      row.ok = row.ratio <= 1.5;
    }
    rows.push(row);
  }
  return rows;
}
