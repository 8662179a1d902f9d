/**
 * Train/validation split and ranking pairs (original-system.md §1.3–1.4).
 *
 * Split, original: `random_split(dataset, [⌊share·n⌋, n − ⌊share·n⌋], torch.Generator().manual_seed(seed))`
 *   = the first ⌊share·n⌋ entries of torch.randperm(n) are the training set, in that order.
 * Split, stratified (ours): per class ⌊share·n_c⌋ or ⌈share·n_c⌉ training samples (largest
 *   remainders, ties broken by a seeded class order) so the total is ⌊share·n⌋; each class's
 *   members shuffled with Rng(seed, "split:stratified"); both sides then shuffled with the same stream.
 * Pairs, original: NumPy RandomState(seed); n(n−1)/2 draws of np.random.choice(n, 2, replace=False)
 *   over the training set, then the same over the validation set (same stream); same-class draws
 *   dropped, not retried.
 * Pairs, all: every ordered pair of different classes, in split order.
 * Target +1 ⇔ the first sample has the larger angle.
 */
import { NumpyRandomState, Rng, TorchGenerator } from '../lib/rng.ts';

/** Positions (dataset indices) of the two sides, each in its seeded order. */
export interface SplitIndices { train: number[]; val: number[] }

export function trainCount(n: number, share: number): number {
  return Math.floor(share * n);
}

export function originalSplit(n: number, share: number, seed: number): SplitIndices {
  const perm = new TorchGenerator(seed).randperm(n);
  const k = trainCount(n, share);
  return { train: perm.slice(0, k), val: perm.slice(k) };
}

/** `labels[i]` = class of dataset index i. */
export function stratifiedSplit(labels: number[], share: number, seed: number): SplitIndices {
  const rng = new Rng(seed, 'split:stratified');
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const members = classes.map((c) => labels.flatMap((l, i) => (l === c ? [i] : [])));
  const quota = members.map((m) => share * m.length);
  const take = quota.map(Math.floor);
  let left = trainCount(labels.length, share) - take.reduce((a, b) => a + b, 0);
  const tieOrder = rng.shuffle(classes.map((_, i) => i));
  const byRemainder = [...tieOrder].sort((a, b) => (quota[b] - take[b]) - (quota[a] - take[a]));
  for (const c of byRemainder) {
    if (left <= 0) break;
    if (take[c] < members[c].length) { take[c]++; left--; }
  }
  const train: number[] = [];
  const val: number[] = [];
  members.forEach((m, c) => {
    const shuffled = rng.shuffle([...m]);
    train.push(...shuffled.slice(0, take[c]));
    val.push(...shuffled.slice(take[c]));
  });
  return { train: rng.shuffle(train), val: rng.shuffle(val) };
}

/** A pair as positions into a side's list, with its target. */
export type IndexPair = [number, number, 1 | -1];

const target = (a1: number, a2: number): 1 | -1 => (a1 > a2 ? 1 : -1);

/** The original's sampled pairs over one side; `angles[i]` = angle of the side's i-th sample. */
export function samplePairs(angles: number[], rs: NumpyRandomState): IndexPair[] {
  const n = angles.length;
  const out: IndexPair[] = [];
  if (n < 2) return out;
  const draws = (n * (n - 1)) / 2;
  for (let d = 0; d < draws; d++) {
    const [i, j] = rs.choice2(n);
    if (angles[i] !== angles[j]) out.push([i, j, target(angles[i], angles[j])]);
  }
  return out;
}

/** Every ordered pair of different classes over one side. */
export function allPairs(angles: number[]): IndexPair[] {
  const out: IndexPair[] = [];
  for (let i = 0; i < angles.length; i++)
    for (let j = 0; j < angles.length; j++)
      if (angles[i] !== angles[j]) out.push([i, j, target(angles[i], angles[j])]);
  return out;
}

/** Pairs of both sides; `original` draws from one NumpyRandomState(seed), train side first. */
export function makePairs(trainAngles: number[], valAngles: number[], mode: 'original' | 'all', seed: number): { train: IndexPair[]; val: IndexPair[] } {
  if (mode === 'all') return { train: allPairs(trainAngles), val: allPairs(valAngles) };
  const rs = new NumpyRandomState(seed);
  const train = samplePairs(trainAngles, rs);
  return { train, val: samplePairs(valAngles, rs) };
}
