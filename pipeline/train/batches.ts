/**
 * Batches of pairs: the seeded order of an epoch, the batch boundaries, and the unique samples a
 * batch needs (each scored once per step).
 */
import { Rng } from '../lib/rng.ts';
import type { PairTable } from './data.ts';

/**
 * The order of the training pairs in `epoch` (1-based). Each epoch draws from its own stream
 * derived from the seed, so an order depends only on (seed, epoch): a resumed run sees the same
 * batches as an uninterrupted one.
 */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return new Rng(seed, `shuffle:${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i));
}

/** [start, end) of each batch of `n` items; a last partial batch is kept unless `dropLast`. */
export function batchBounds(n: number, size: number, dropLast: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) {
    const e = Math.min(n, s + size);
    if (e - s < size && dropLast) break;
    out.push([s, e]);
  }
  return out;
}

export interface BatchPairs {
  /** sample indices to score, in order of first appearance */
  samples: Int32Array;
  /** per pair: position of its first / second sample in `samples` */
  a: Int32Array;
  b: Int32Array;
  y: Float64Array;
}

/** The pairs order[start..end) of `pairs`, with their unique samples. */
export function gatherBatch(pairs: PairTable, order: ArrayLike<number>, start: number, end: number): BatchPairs {
  const n = end - start;
  const local = new Map<number, number>();
  const samples: number[] = [];
  const at = (sample: number) => {
    let k = local.get(sample);
    if (k === undefined) {
      k = samples.length;
      local.set(sample, k);
      samples.push(sample);
    }
    return k;
  };
  const out: BatchPairs = { samples: new Int32Array(0), a: new Int32Array(n), b: new Int32Array(n), y: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const p = order[start + i];
    out.a[i] = at(pairs.a[p]);
    out.b[i] = at(pairs.b[p]);
    out.y[i] = pairs.y[p];
  }
  out.samples = Int32Array.from(samples);
  return out;
}
