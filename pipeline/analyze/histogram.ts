/**
 * numpy.histogram(values, bins=n) semantics: n equal-width bins on [min, max], the last bin closed,
 * and a range of [v − 0.5, v + 0.5] when every value is the same.
 */
export function histogramEdges(values: ArrayLike<number>, n: number): number[] {
  if (values.length === 0) throw new RangeError('histogramEdges: no values');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, k) => (k === n ? hi : lo + k * step));
}

/** Index of the bin of `v` (edges from histogramEdges; v within [edges[0], edges[n]]). */
export function histogramBin(v: number, edges: number[]): number {
  const n = edges.length - 1;
  let k = Math.min(n - 1, Math.max(0, Math.floor(((v - edges[0]) / (edges[n] - edges[0])) * n)));
  // Floating-point rounding of the division can land one bin off; settle against the edges.
  while (k > 0 && v < edges[k]) k--;
  while (k < n - 1 && v >= edges[k + 1]) k++;
  return k;
}

/** Counts of `values` per bin, split by a boolean group (e.g. easy vs hard). */
export function groupedHistogram(values: ArrayLike<number>, inGroup: boolean[], edges: number[]): { yes: number[]; no: number[] } {
  const n = edges.length - 1;
  const yes = new Array<number>(n).fill(0);
  const no = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) (inGroup[i] ? yes : no)[histogramBin(values[i], edges)]++;
  return { yes, no };
}
