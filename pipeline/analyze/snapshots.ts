/**
 * Gradient snapshots of one training run, from the trainer's recorded GHM batch statistics:
 * the configured epochs' bin counts and weights, the density evolution over evenly spaced epochs,
 * and the early/middle/late weights aggregated over epoch ranges.
 */
import type { GhmBatchStats, GhmStatsFile, RunSnapshots, Snapshot, StageWeights } from '../core/artifacts.ts';
import type { ResolvedConfig, StageRanges } from '../core/config.ts';
import { StageError } from '../core/errors.ts';

export type SnapshotConfig = ResolvedConfig['snapshots'];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The recorded batches of one kind ('first' = batch 0, 'last' = the last batch), by epoch, in
 * epoch order. `source` names the file in errors.
 */
export function batchesByEpoch(file: GhmStatsFile, which: SnapshotConfig['batch'], source: string): Map<number, GhmBatchStats> {
  if (file.edges.length !== file.bins + 1)
    throw new StageError(`${source}: has ${file.edges.length} bin edges for ${file.bins} bins; expected ${file.bins + 1}.`);
  const picked = file.batches.filter((b) => b.which === which).sort((a, b) => a.epoch - b.epoch);
  const out = new Map<number, GhmBatchStats>();
  for (const b of picked) {
    if (out.has(b.epoch)) throw new StageError(`${source}: epoch ${b.epoch} has more than one "${which}" batch; expected one per epoch.`);
    if (b.counts.length !== file.bins || b.weights.length !== file.bins)
      throw new StageError(`${source}: epoch ${b.epoch} "${which}" batch has ${b.counts.length} counts and ${b.weights.length} weights; expected ${file.bins} of each (the file's bins).`);
    out.set(b.epoch, b);
  }
  return out;
}

/** Shannon entropy (bits) of a count distribution; 0 for an empty one. */
export function entropyBits(counts: number[]): number {
  const total = sum(counts);
  if (total === 0) return 0;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

/** count / total / bin width per bin; all zeros when nothing was counted. */
export function density(counts: number[], edges: number[]): number[] {
  const total = sum(counts);
  return counts.map((c, k) => (total === 0 ? 0 : c / total / (edges[k + 1] - edges[k])));
}

export function binCenters(edges: number[]): number[] {
  return edges.slice(0, -1).map((e, k) => (e + edges[k + 1]) / 2);
}

/** A batch's weights with empty bins as null (the original drew 1.0 for them). */
function occupiedWeights(b: GhmBatchStats): (number | null)[] {
  return b.counts.map((c, k) => (c > 0 ? b.weights[k] ?? null : null));
}

export function snapshotOf(b: GhmBatchStats): Snapshot {
  const total = sum(b.counts);
  const share = (c: number) => (total === 0 ? 0 : c / total);
  return {
    epoch: b.epoch,
    batch: b.batch,
    counts: [...b.counts],
    weights: occupiedWeights(b),
    stats: { ...b.stats },
    extremeShare: { low: share(b.counts[0]), high: share(b.counts[b.counts.length - 1]) },
    entropy: entropyBits(b.counts),
  };
}

/**
 * `n` evenly spaced picks from the recorded epochs, as the original's
 * np.linspace(0, len − 1, n, dtype=int) over its sorted files (60 epochs, n = 5 → 1, 15, 30, 45, 60).
 */
export function evenlySpaced(epochs: number[], n: number): number[] {
  if (epochs.length === 0 || n < 1) return [];
  if (n === 1) return [epochs[0]];
  const step = (epochs.length - 1) / (n - 1);
  const idx = Array.from({ length: n }, (_, k) => (k === n - 1 ? epochs.length - 1 : Math.floor(k * step)));
  return [...new Set(idx)].map((i) => epochs[i]);
}

export function stageWeights(byEpoch: Map<number, GhmBatchStats>, ranges: StageRanges, bins: number): StageWeights[] {
  return (['early', 'middle', 'late'] as const).map((stage) => {
    const [from, to] = ranges[stage];
    const counts = new Array<number>(bins).fill(0);
    const wSum = new Array<number>(bins).fill(0);
    const wN = new Array<number>(bins).fill(0);
    for (const [epoch, b] of byEpoch) {
      if (epoch < from || epoch > to) continue;
      occupiedWeights(b).forEach((w, k) => {
        counts[k] += b.counts[k];
        if (w !== null) { wSum[k] += w; wN[k]++; }
      });
    }
    const weights = wSum.map((s, k) => (wN[k] > 0 ? s / wN[k] : null));
    const present = weights.filter((w): w is number => w !== null);
    const lo = Math.min(...present);
    const spread = present.length > 0 && lo > 0 ? Math.max(...present) / lo : null;
    return { stage, epochs: [from, to], counts, weights, spread };
  });
}

export function runSnapshots(file: GhmStatsFile, cfg: SnapshotConfig, source: string): RunSnapshots {
  const byEpoch = batchesByEpoch(file, cfg.batch, source);
  const recorded = [...byEpoch.keys()];
  const snapshots = cfg.epochs.map((e) => {
    const b = byEpoch.get(e);
    if (!b) {
      const have = recorded.length ? `epochs ${recorded[0]}–${recorded[recorded.length - 1]}` : 'no epochs';
      throw new StageError(`${source}: no "${cfg.batch}" batch recorded for epoch ${e} (snapshots.epochs); the file has ${have}. Re-run training or change snapshots.epochs.`);
    }
    return snapshotOf(b);
  });
  const densityEpochs = evenlySpaced(recorded, cfg.densityEpochs).map((epoch) => ({
    epoch,
    density: density(byEpoch.get(epoch)!.counts, file.edges),
  }));
  return {
    runId: file.run.id,
    frequency: file.run.frequency,
    loss: file.run.loss,
    seed: file.run.seed,
    bins: file.bins,
    edges: [...file.edges],
    snapshots,
    density: { centers: binCenters(file.edges), epochs: densityEpochs },
    stages: stageWeights(byEpoch, cfg.stages, file.bins),
  };
}
