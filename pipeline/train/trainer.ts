/**
 * One training run (one frequency × loss × seed).
 *
 * Per step: the batch's unique samples are scored in one forward pass, d = s[a] − s[b] is pulled
 * to JS, `ghm()` gives the per-pair weights (constants: no gradient flows through them) and the
 * loss mean(w · max(0, m − y·d)) is minimised with Adam; the baseline uses w = 1 but still logs
 * what GHM would have assigned. Validation scores every validation sample once in eval mode and
 * evaluates the pairs batch by batch (the last partial batch included) without touching the GHM
 * state. Checkpoints make the run resumable with results identical to an uninterrupted run.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ARTIFACT_FILES, type EpochRecord, type EpochSplitMetrics, type GhmBatchStats, type GhmStatsFile, type RunInfo, type TrainHistory } from '../core/artifacts.ts';
import { writeJson } from '../core/fsutil.ts';
import { hashJson } from '../core/hash.ts';
import { StageError } from '../core/errors.ts';
import type { Logger } from '../core/progress.ts';
import { Rng } from '../lib/rng.ts';
import { binEdges, createGhmState, ghm, type GhmParams, type GhmResult, type GhmState } from '../lib/ghm.ts';
import type { ModelOptions, RankerModel, TensorState } from './models.ts';
import { loadRunData, type PairTable, type RunData } from './data.ts';
import { batchBounds, epochOrder, gatherBatch, type BatchPairs } from './batches.ts';
import { batchStats, countCorrect, SplitAccumulator, type BatchMetrics } from './metrics.ts';
import { createOptimizer, type Adam } from './optimizer.ts';
import { createScheduler, type LrScheduler } from './scheduler.ts';
import { copyLatestCheckpoint, readLatestCheckpoint, writeCheckpoint } from './checkpoint.ts';
import type { RunSpec } from './runs.ts';

export type ModelFactory = (kind: RankerModel['kind'], opts: ModelOptions, rng: Rng) => RankerModel;

export interface RunHooks {
  log: Logger;
  signal: AbortSignal;
  /** name of the tfjs backend in use (recorded in RunInfo) */
  backend: string;
  /** `advance` more epochs are done (several at once after resuming); `detail` is a one-line summary */
  onProgress?(advance: number, detail: string): void;
  /** the model factory (models.ts `createModel`; tests may pass a small local model) */
  createModel: ModelFactory;
}

/** Samples scored per forward pass in validation (eval mode: scores do not depend on the chunk). */
const EVAL_CHUNK = 128;

export function ghmParamsOf(train: RunSpec['train']): GhmParams {
  return { ...train.losses.ghm, margin: train.margin };
}

function cloneGhmState(s: GhmState | undefined): GhmState | undefined {
  return s && { ema: Float64Array.from(s.ema), steps: s.steps };
}

/** Everything a run's results depend on; a checkpoint is resumed only when it matches. */
function fingerprintOf(spec: RunSpec, data: RunData): string {
  const { workers: _w, checkpointEvery: _c, ...train } = spec.train;
  return hashJson({ format: 1, id: spec.id, loss: spec.loss, seed: spec.seed, train, data: data.fingerprint });
}

class RunTrainer {
  readonly model: RankerModel;
  readonly opt: Adam;
  readonly sched: LrScheduler;
  readonly params: GhmParams;
  ghmState: GhmState | undefined;
  private readonly x: tf.Tensor4D;
  private readonly batchSize: number;
  private readonly valSamples: Int32Array;
  private readonly valLocal: { a: Int32Array; b: Int32Array };

  constructor(readonly spec: RunSpec, readonly data: RunData, readonly hooks: RunHooks) {
    const t = spec.train;
    this.model = hooks.createModel(t.model, { height: data.height, width: data.width, conv1Stride: t.conv1Stride }, new Rng(spec.seed, 'init'));
    this.opt = createOptimizer(this.model.trainable, t.optimizer);
    this.sched = createScheduler(t.scheduler);
    this.params = ghmParamsOf(t);
    this.ghmState = t.losses.ghm.momentum > 0 ? createGhmState(t.losses.ghm.bins) : undefined;
    this.x = tf.tensor4d(data.x, [data.ids.length, data.height, data.width, 1]);
    this.batchSize = Math.min(t.batchSize, data.train.length);
    if (this.batchSize < t.batchSize)
      hooks.log.warn(`${spec.id}: only ${data.train.length} training pairs; batch size lowered from ${t.batchSize} to ${this.batchSize}.`);
    const all = gatherBatch(data.val, Array.from({ length: data.val.length }, (_, i) => i), 0, data.val.length);
    this.valSamples = all.samples;
    this.valLocal = { a: all.a, b: all.b };
  }

  dispose(): void {
    this.x.dispose();
    this.model.dispose();
  }

  private fail(split: 'training' | 'validation', epoch: number, batch: number, what: string): never {
    const s = this.spec;
    throw new StageError(
      `Training run ${s.id} (frequency ${s.frequency}, loss ${s.loss}, seed ${s.seed}) stopped at epoch ${epoch}, ` +
        `batch ${batch} (counting from 0) of ${split}: ${what}. The model diverged; lower train.optimizer.lr ` +
        `(now ${this.opt.lr}) or train.margin, or check the inputs in preprocess/${s.frequency}.`,
    );
  }

  private checkFinite(d: ArrayLike<number>, split: 'training' | 'validation', epoch: number, batch: number): void {
    for (let i = 0; i < d.length; i++)
      if (!Number.isFinite(d[i])) this.fail(split, epoch, batch, `the loss is not finite (the score difference of pair ${i} is ${d[i]})`);
  }

  private metrics(r: GhmResult, d: ArrayLike<number>, y: ArrayLike<number>): BatchMetrics {
    return {
      pairs: d.length,
      mainLoss: this.spec.loss === 'ghm' ? r.ghmLoss : r.plainLoss,
      plainLoss: r.plainLoss,
      ghmLoss: r.ghmLoss,
      correct: countCorrect(d, y),
    };
  }

  /** One optimisation step on a batch: returns d (float32, per pair) and GHM's view of it. */
  private step(batch: BatchPairs, epoch: number, index: number): { d: Float32Array; r: GhmResult } {
    let d = new Float32Array(0);
    let r: GhmResult | undefined;
    tf.tidy(() => {
      const idx = tf.tensor1d(batch.samples, 'int32');
      const ia = tf.tensor1d(batch.a, 'int32');
      const ib = tf.tensor1d(batch.b, 'int32');
      const y = tf.tensor1d(Float32Array.from(batch.y));
      const { grads } = tf.variableGrads(() => {
        const s = this.model.score(tf.gather(this.x, idx) as tf.Tensor4D, true);
        const dt = tf.sub(tf.gather(s, ia), tf.gather(s, ib));
        d = Float32Array.from(dt.dataSync() as Float32Array);
        this.checkFinite(d, 'training', epoch, index);
        r = ghm(d, batch.y, this.params, this.ghmState);
        const hinge = tf.relu(tf.sub(this.params.margin, tf.mul(y, dt)));
        const weighted = this.spec.loss === 'ghm' ? tf.mul(tf.tensor1d(Float32Array.from(r.weights)), hinge) : hinge;
        return tf.mean(weighted) as tf.Scalar;
      }, this.model.trainable);
      this.opt.apply(this.model.trainable.map((v) => grads[v.name]));
    });
    return { d, r: r! };
  }

  async trainEpoch(epoch: number, stats: GhmBatchStats[]): Promise<EpochSplitMetrics> {
    const pairs = this.data.train;
    const order = epochOrder(pairs.length, this.spec.seed, epoch);
    const bounds = batchBounds(pairs.length, this.batchSize, this.spec.train.dropLast);
    const acc = new SplitAccumulator();
    for (const [i, [start, end]] of bounds.entries()) {
      this.abortIfRequested(epoch);
      const batch = gatherBatch(pairs, order, start, end);
      const { d, r } = this.step(batch, epoch, i);
      const m = this.metrics(r, d, batch.y);
      if (!Number.isFinite(m.mainLoss)) this.fail('training', epoch, i, `the ${this.spec.loss} loss is ${m.mainLoss}`);
      acc.add(m);
      if (i === 0) stats.push(batchStats(epoch, i, 'first', r, batch.y));
      if (i === bounds.length - 1) stats.push(batchStats(epoch, i, 'last', r, batch.y));
      await new Promise((res) => setImmediate(res));
    }
    return acc.result();
  }

  /** Eval-mode scores of the validation samples. */
  private scoreValidation(): Float32Array {
    const out = new Float32Array(this.valSamples.length);
    for (let s = 0; s < out.length; s += EVAL_CHUNK) {
      const part = this.valSamples.subarray(s, Math.min(out.length, s + EVAL_CHUNK));
      const scores = tf.tidy(() => this.model.score(tf.gather(this.x, tf.tensor1d(part, 'int32')) as tf.Tensor4D, false));
      out.set(scores.dataSync() as Float32Array, s);
      scores.dispose();
    }
    return out;
  }

  validate(epoch: number): EpochSplitMetrics {
    const pairs: PairTable = this.data.val;
    const scores = this.scoreValidation();
    const d = new Float32Array(pairs.length);
    for (let i = 0; i < d.length; i++) d[i] = scores[this.valLocal.a[i]] - scores[this.valLocal.b[i]];
    const acc = new SplitAccumulator();
    for (const [i, [start, end]] of batchBounds(pairs.length, this.batchSize, false).entries()) {
      const db = d.subarray(start, end);
      const yb = pairs.y.subarray(start, end);
      this.checkFinite(db, 'validation', epoch, i);
      const m = this.metrics(ghm(db, yb, this.params, cloneGhmState(this.ghmState)), db, yb);
      if (!Number.isFinite(m.mainLoss)) this.fail('validation', epoch, i, `the ${this.spec.loss} loss is ${m.mainLoss}`);
      acc.add(m);
    }
    return acc.result();
  }

  abortIfRequested(epoch: number): void {
    if (this.hooks.signal.aborted)
      throw new StageError(`Training run ${this.spec.id} was interrupted during epoch ${epoch}; a re-run resumes from its latest checkpoint.`);
  }

  stateTensors(): Record<string, TensorState> {
    const out: Record<string, TensorState> = {};
    for (const [k, t] of Object.entries(this.model.getState())) out[`model/${k}`] = t;
    const o = this.opt.getState();
    this.model.trainable.forEach((v, i) => {
      out[`adam/m/${i}`] = { shape: v.shape, data: o.m[i] };
      out[`adam/v/${i}`] = { shape: v.shape, data: o.v[i] };
    });
    return out;
  }

  loadTensors(step: number, tensors: Record<string, TensorState>): void {
    const model: Record<string, TensorState> = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model/')) model[k.slice(6)] = t;
    this.model.setState(model);
    const n = this.model.trainable.length;
    const get = (k: string) => {
      const t = tensors[k];
      if (!t) throw new StageError(`Checkpoint of run ${this.spec.id} lacks tensor ${k}; delete the run's work folder to start afresh.`);
      return t.data;
    };
    this.opt.setState({
      step,
      m: Array.from({ length: n }, (_, i) => get(`adam/m/${i}`)),
      v: Array.from({ length: n }, (_, i) => get(`adam/v/${i}`)),
    });
  }
}

function progressDetail(e: EpochRecord, total: number): string {
  return `ep ${e.epoch}/${total} loss ${e.train.mainLoss.toFixed(4)} acc ${e.train.accuracy.toFixed(1)}% ` +
    `val ${e.val.mainLoss.toFixed(4)} ${e.val.accuracy.toFixed(1)}%`;
}

/**
 * Train one run, resuming from the latest checkpoint in `spec.workDir` when it matches, and write
 * `history.json`, `ghm-stats.json` and `checkpoints/` into `spec.outDir`.
 */
export async function trainRun(spec: RunSpec, hooks: RunHooks): Promise<RunInfo> {
  const data = loadRunData(spec.dataDir, spec.seed);
  const T = new RunTrainer(spec, data, hooks);
  try {
    const t = spec.train;
    const fingerprint = fingerprintOf(spec, data);
    const info: RunInfo = {
      id: spec.id, frequency: spec.frequency, loss: spec.loss, seed: spec.seed,
      model: t.model, backend: hooks.backend, parameters: T.model.parameterCount(),
    };
    let history: EpochRecord[] = [];
    let checkpoints: number[] = [];
    let batches: GhmBatchStats[] = [];
    let lr = t.optimizer.lr;

    const ck = readLatestCheckpoint(spec.workDir);
    if (ck && ck.meta.fingerprint !== fingerprint) {
      hooks.log.warn(`${spec.id}: the checkpoint in ${spec.workDir} belongs to other settings or data; starting afresh.`);
    } else if (ck) {
      T.loadTensors(ck.meta.optimizerStep, ck.tensors);
      T.sched.setState(ck.meta.scheduler);
      T.ghmState = ck.meta.ghm ? { ema: Float64Array.from(ck.meta.ghm.ema), steps: ck.meta.ghm.steps } : undefined;
      ({ history, checkpoints } = ck.meta);
      batches = ck.meta.ghmBatches;
      lr = ck.meta.lr;
      hooks.log.info(`${spec.id}: resuming after epoch ${ck.meta.epoch} from its checkpoint.`);
      hooks.onProgress?.(ck.meta.epoch, `resumed after epoch ${ck.meta.epoch}`);
    }

    for (let epoch = history.length + 1; epoch <= t.epochs; epoch++) {
      const t0 = performance.now();
      T.opt.lr = lr;
      const train = await T.trainEpoch(epoch, batches);
      const val = T.validate(epoch);
      const record: EpochRecord = { epoch, lr, seconds: (performance.now() - t0) / 1000, train, val };
      history.push(record);
      lr = T.sched.step(val.mainLoss, lr);
      if (epoch % t.checkpointEvery === 0 || epoch === t.epochs) {
        checkpoints.push(epoch);
        writeCheckpoint(spec.workDir, {
          format: 1, runId: spec.id, fingerprint, epoch, lr,
          scheduler: T.sched.getState(), optimizerStep: T.opt.step,
          ghm: T.ghmState ? { ema: Array.from(T.ghmState.ema), steps: T.ghmState.steps } : null,
          history, checkpoints, ghmBatches: batches, rng: { shuffleStream: `shuffle:${epoch + 1}` },
        }, T.stateTensors());
      }
      hooks.log.debug(`${spec.id}: ${progressDetail(record, t.epochs)} lr ${record.lr}`);
      hooks.onProgress?.(1, progressDetail(record, t.epochs));
    }

    const result: TrainHistory = { run: info, epochs: history, checkpoints, seconds: history.reduce((s, e) => s + e.seconds, 0) };
    const stats: GhmStatsFile = { run: info, variant: t.losses.ghm.variant, bins: t.losses.ghm.bins, edges: binEdges(t.losses.ghm.bins), batches };
    writeJson(join(spec.outDir, ARTIFACT_FILES.history), result);
    writeJson(join(spec.outDir, ARTIFACT_FILES.ghmStats), stats);
    copyLatestCheckpoint(spec.workDir, join(spec.outDir, 'checkpoints'));
    return info;
  } finally {
    T.dispose();
  }
}
