/**
 * The linear comparison (original-system.md §3.4, §6.8): two identical linear rankers trained with
 * full-batch SGD, one on the plain margin loss and one on the GHM loss, logged per epoch before the
 * step as the original did, on the training pairs and (new) on held-out pairs.
 *
 * Exact with the original for seed 42: X = randn(samples, features) and perm = randperm(samples)
 * (torch.manual_seed(seed), PyTorch CPU generator), so the training pairs are the original's. Not
 * exact: the 1×10 weight init (torch uses a cached double Box–Muller for tensors under 16 values);
 * here it is N(0, 0.01) from the seeded Rng stream 'linear-init'. The arithmetic is double, not float32.
 * Deviation: targets are ±1 (+1 ⇔ the first sample's true score is larger) instead of the original's
 * 0/1, for which MarginRankingLoss trained only the y = 1 pairs (§5.5 item 10). The bias of nn.Linear
 * is left out: it cancels in o1 − o2, so its gradient is zero and it never changes.
 */
import type { LinearArtifact, LinearEpoch, LinearRun } from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';
import type { GhmLossConfig } from '../core/schema.ts';
import { TorchGenerator, Rng } from '../lib/rng.ts';
import { ghm, createGhmState, marginLoss, type GhmParams } from '../lib/ghm.ts';
import { analysisGhmParams } from './params.ts';

export type LinearConfig = ResolvedConfig['analyses']['linear'];

/** Pairs as rows of x1 − x2 (pairs × features, row-major) with their targets. */
export interface PairDesign {
  diff: Float64Array;
  y: number[];
  pairs: number;
  features: number;
}

/**
 * Draw `samples` feature rows X ~ N(0, 1), a permutation, and pair perm[i] with perm[pairs + i]
 * (the original: X1 = X[perm[:25]], X2 = X[perm[25:]]). Target +1 iff X1·w* > X2·w*.
 */
export function drawPairs(gen: TorchGenerator, samples: number, pairs: number, trueWeights: number[]): PairDesign {
  const features = trueWeights.length;
  if (2 * pairs > samples) throw new RangeError(`drawPairs: ${pairs} pairs need ${2 * pairs} samples, got ${samples}`);
  const X = gen.randn(samples * features);
  const perm = gen.randperm(samples);
  const score = (row: number) => {
    let s = 0;
    for (let j = 0; j < features; j++) s += X[row * features + j] * trueWeights[j];
    return s;
  };
  const diff = new Float64Array(pairs * features);
  const y: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const a = perm[p];
    const b = perm[pairs + p];
    for (let j = 0; j < features; j++) diff[p * features + j] = X[a * features + j] - X[b * features + j];
    y.push(score(a) > score(b) ? 1 : -1);
  }
  return { diff, y, pairs, features };
}

/** d = o1 − o2 = (x1 − x2)·w per pair. */
export function scoreDiffs(x: PairDesign, w: Float64Array): Float64Array {
  const d = new Float64Array(x.pairs);
  for (let p = 0; p < x.pairs; p++) {
    let s = 0;
    for (let j = 0; j < x.features; j++) s += x.diff[p * x.features + j] * w[j];
    d[p] = s;
  }
  return d;
}

/** Pairwise accuracy in percent; a tie counts as wrong. */
export function pairAccuracy(d: ArrayLike<number>, y: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < d.length; i++) if (y[i] * d[i] > 0) right++;
  return (100 * right) / d.length;
}

/**
 * Gradient of mean_i(weight_i · max(0, m − y_i·d_i)) with respect to w, weights held fixed
 * (GHM weights carry no gradient; `weights` null = all 1, the plain margin loss).
 */
export function hingeGradient(x: PairDesign, d: ArrayLike<number>, margin: number, weights: ArrayLike<number> | null): Float64Array {
  const grad = new Float64Array(x.features);
  for (let p = 0; p < x.pairs; p++) {
    if (margin - x.y[p] * d[p] <= 0) continue;
    const c = (-x.y[p] * (weights ? weights[p] : 1)) / x.pairs;
    for (let j = 0; j < x.features; j++) grad[j] += c * x.diff[p * x.features + j];
  }
  return grad;
}

function sgdStep(w: Float64Array, grad: Float64Array, lr: number): void {
  for (let j = 0; j < w.length; j++) w[j] -= lr * grad[j];
}

export interface LinearData { train: PairDesign; held: PairDesign; init: Float64Array }

/** Training pairs, then held-out pairs drawn the same way from fresh samples, then the shared init. */
export function linearData(seed: number, cfg: LinearConfig): LinearData {
  const gen = new TorchGenerator(seed);
  const train = drawPairs(gen, cfg.samples, cfg.pairs, cfg.trueWeights);
  const held = drawPairs(gen, Math.max(cfg.samples, 2 * cfg.heldOutPairs), cfg.heldOutPairs, cfg.trueWeights);
  const rng = new Rng(seed, 'linear-init');
  const init = Float64Array.from(cfg.trueWeights, () => 0.01 * rng.normal());
  return { train, held, init };
}

export function trainLinear(seed: number, cfg: LinearConfig, params: GhmParams, signal?: AbortSignal): LinearRun {
  const { train, held, init } = linearData(seed, cfg);
  const wPlain = Float64Array.from(init);
  const wGhm = Float64Array.from(init);
  const state = createGhmState(params.bins);
  const epochs: LinearEpoch[] = [];
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    signal?.throwIfAborted();
    const dPlain = scoreDiffs(train, wPlain);
    const dGhm = scoreDiffs(train, wGhm);
    const r = ghm(dGhm, train.y, params, state);
    epochs.push({
      epoch,
      plainLoss: marginLoss(dPlain, train.y, cfg.margin),
      ghmLoss: r.ghmLoss,
      plainTrainAcc: pairAccuracy(dPlain, train.y),
      ghmTrainAcc: pairAccuracy(dGhm, train.y),
      plainHeldAcc: pairAccuracy(scoreDiffs(held, wPlain), held.y),
      ghmHeldAcc: pairAccuracy(scoreDiffs(held, wGhm), held.y),
    });
    sgdStep(wPlain, hingeGradient(train, dPlain, cfg.margin, null), cfg.lr);
    sgdStep(wGhm, hingeGradient(train, dGhm, cfg.margin, r.weights), cfg.lr);
  }
  return { seed, epochs };
}

export function runLinear(cfg: LinearConfig, ghmCfg: GhmLossConfig, seeds: number[], onSeed?: (seed: number) => void, signal?: AbortSignal): LinearArtifact {
  const params = analysisGhmParams(ghmCfg, { variant: ghmCfg.variant, bins: cfg.bins, alpha: cfg.alpha, margin: cfg.margin });
  const runs = seeds.map((seed) => {
    const run = trainLinear(seed, cfg, params, signal);
    onSeed?.(seed);
    return run;
  });
  return { variant: ghmCfg.variant, runs };
}
