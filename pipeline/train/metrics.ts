/**
 * Per-epoch metrics: pairwise accuracy and pair-weighted means of the per-batch losses, plus the
 * GHM statistics record of one batch.
 */
import type { EpochSplitMetrics, GhmBatchStats } from '../core/artifacts.ts';
import { gStats, type GhmResult } from '../lib/ghm.ts';

/**
 * A pair is ranked correctly when its score difference has the target's sign: y·d > 0.
 * Ties (d = 0) count as wrong for both targets.
 */
export function countCorrect(d: ArrayLike<number>, y: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < d.length; i++) if (y[i] * d[i] > 0) c++;
  return c;
}

export interface BatchMetrics {
  pairs: number;
  mainLoss: number;
  plainLoss: number;
  ghmLoss: number;
  correct: number;
}

/** Sums batches; losses are averaged over pairs (equal to the mean of batch means when batches are equal). */
export class SplitAccumulator {
  private pairs = 0;
  private main = 0;
  private plain = 0;
  private ghm = 0;
  private correct = 0;

  add(b: BatchMetrics): void {
    this.pairs += b.pairs;
    this.main += b.mainLoss * b.pairs;
    this.plain += b.plainLoss * b.pairs;
    this.ghm += b.ghmLoss * b.pairs;
    this.correct += b.correct;
  }

  result(): EpochSplitMetrics {
    const n = this.pairs;
    return {
      mainLoss: this.main / n,
      plainLoss: this.plain / n,
      ghmLoss: this.ghm / n,
      accuracy: (100 * this.correct) / n,
      pairs: n,
    };
  }
}

/** The GHM statistics of one training batch; bins without pairs get weight null. */
export function batchStats(
  epoch: number, batch: number, which: 'first' | 'last', r: GhmResult, y: ArrayLike<number>,
): GhmBatchStats {
  return {
    epoch,
    batch,
    which,
    g: Array.from(r.g),
    y: Array.from(y),
    counts: [...r.counts],
    weights: r.binWeights.map((w, k) => (r.counts[k] > 0 ? w : null)),
    stats: gStats(r.g),
  };
}
