/**
 * The one implementation of the GHM ranking-loss maths, used by training, the analyses and the
 * `ghm` command. Inputs are score differences d = s1 − s2 and targets y; outputs are the
 * difficulty g, bins, counts, weights and both losses. Weights never carry a gradient: training
 * multiplies its hinge loss by them as constants. Equations and the original's defects:
 * docs/ghm.md.
 */

export type GhmVariant = 'paper' | 'original';

export interface GhmParams {
  variant: GhmVariant;
  bins: number;
  alpha: number;
  /** EMA momentum of the bin counts (paper variant; 0 = this batch's counts) */
  momentum: number;
  /** temperature of g (paper variant) */
  tau: number;
  /** rescale the paper weights to mean 1 */
  normalize: boolean;
  margin: number;
}

export interface GhmState {
  /** EMA of the counts, not bias-corrected */
  ema: Float64Array;
  steps: number;
}

export interface GhmResult {
  g: Float64Array;
  bin: Int32Array;
  /** pairs counted per bin (original: half-open counting, g = 1 uncounted) */
  counts: number[];
  /** weight per bin; null where the bin is empty (original: 1 for empty bins, as it computed) */
  binWeights: (number | null)[];
  /** weight per pair */
  weights: Float64Array;
  ghmLoss: number;
  plainLoss: number;
}

export function createGhmState(bins: number): GhmState {
  return { ema: new Float64Array(bins), steps: 0 };
}

/** Bin edges k/B, k = 0..B. */
export function binEdges(bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, k) => k / bins);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Per-pair hinge max(0, m − y·d). */
function hinge(d: number, y: number, m: number): number {
  return Math.max(0, m - y * d);
}

/** MarginRankingLoss: mean(max(0, m − y·d)). */
export function marginLoss(d: ArrayLike<number>, y: ArrayLike<number>, margin: number): number {
  checkLengths(d, y);
  let s = 0;
  for (let i = 0; i < d.length; i++) s += hinge(d[i], y[i], margin);
  return d.length ? s / d.length : 0;
}

function checkLengths(d: ArrayLike<number>, y: ArrayLike<number>): void {
  if (d.length !== y.length) throw new RangeError(`ghm: ${d.length} score differences but ${y.length} targets`);
}

function checkParams(p: GhmParams): void {
  if (!Number.isInteger(p.bins) || p.bins < 1) throw new RangeError(`ghm: bins must be an integer ≥ 1, got ${p.bins}`);
  if (!(p.alpha >= 0)) throw new RangeError(`ghm: alpha must be ≥ 0, got ${p.alpha}`);
  if (!(p.momentum >= 0 && p.momentum < 1)) throw new RangeError(`ghm: momentum must be in [0, 1), got ${p.momentum}`);
  if (!(p.tau > 0)) throw new RangeError(`ghm: tau must be > 0, got ${p.tau}`);
}

/**
 * GHM weights and losses for one batch of pairs. `state` (paper variant, momentum > 0) is
 * updated in place; pass none to leave any running state untouched (e.g. validation).
 */
export function ghm(d: ArrayLike<number>, y: ArrayLike<number>, p: GhmParams, state?: GhmState): GhmResult {
  checkLengths(d, y);
  checkParams(p);
  return p.variant === 'original' ? ghmOriginal(d, y, p) : ghmPaper(d, y, p, state);
}

function ghmPaper(d: ArrayLike<number>, yIn: ArrayLike<number>, p: GhmParams, state?: GhmState): GhmResult {
  const n = d.length;
  const B = p.bins;
  const g = new Float64Array(n);
  const bin = new Int32Array(n);
  const counts = new Array<number>(B).fill(0);
  // 0/1 targets (as the original's toy test used) are read as −1/+1.
  const y = Array.from(yIn, (v) => (v === 0 ? -1 : v));
  for (let i = 0; i < n; i++) {
    g[i] = sigmoid((p.margin - y[i] * d[i]) / p.tau);
    const b = Math.min(Math.floor(g[i] * B), B - 1);
    bin[i] = b;
    counts[b]++;
  }
  // Density per bin: this batch's counts, or their bias-corrected EMA.
  let density: number[] = counts;
  if (p.momentum > 0 && state) {
    state.steps++;
    for (let k = 0; k < B; k++) state.ema[k] = p.momentum * state.ema[k] + (1 - p.momentum) * counts[k];
    const correction = 1 - Math.pow(p.momentum, state.steps);
    density = Array.from(state.ema, (v) => v / correction);
  }
  const nonEmpty = counts.filter((c) => c > 0).length;
  const raw: (number | null)[] = counts.map((c, k) =>
    c > 0 ? Math.pow(n / (Math.max(density[k], Number.MIN_VALUE) * nonEmpty), p.alpha) : null,
  );
  let scale = 1;
  if (p.normalize && n > 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += raw[bin[i]] as number;
    scale = n / s;
  }
  const binWeights = raw.map((w) => (w === null ? null : w * scale));
  const weights = new Float64Array(n);
  let gl = 0;
  let pl = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = binWeights[bin[i]] as number;
    const h = hinge(d[i], y[i], p.margin);
    gl += weights[i] * h;
    pl += h;
  }
  return { g, bin, counts, binWeights, weights, ghmLoss: n ? gl / n : 0, plainLoss: n ? pl / n : 0 };
}

/**
 * The original project's GHMRankingLoss (v1/v2), float32 like PyTorch, defects included:
 * σ = 2y − 1 (so y = −1 becomes −3), g = sigmoid(−d·σ + m), counts over half-open bins
 * [k/B, (k+1)/B) so g = 1 is in no bin, weights max(count, 1)^−α (1 for empty bins),
 * assignment min(floor(g·B), B−1), loss = mean(w · MarginRankingLoss) with the raw y.
 */
function ghmOriginal(d: ArrayLike<number>, y: ArrayLike<number>, p: GhmParams): GhmResult {
  const f = Math.fround;
  const n = d.length;
  const B = p.bins;
  const edges = binEdges(B).map(f);
  const g = new Float64Array(n);
  const bin = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const sigma = f(2 * y[i] - 1);
    g[i] = f(sigmoid(f(f(-f(d[i]) * sigma) + f(p.margin))));
  }
  const counts = new Array<number>(B).fill(0);
  for (let k = 0; k < B; k++)
    for (let i = 0; i < n; i++) if (Math.abs(g[i]) >= edges[k] && Math.abs(g[i]) < edges[k + 1]) counts[k]++;
  const binWeights = counts.map((c) => f(Math.pow(Math.max(c, 1), -p.alpha)));
  const weights = new Float64Array(n);
  let gl = 0;
  let pl = 0;
  for (let i = 0; i < n; i++) {
    bin[i] = Math.max(0, Math.min(Math.floor(f(g[i] * B)), B - 1));
    weights[i] = binWeights[bin[i]];
    const l = f(Math.max(0, f(f(-y[i] * f(d[i])) + f(p.margin))));
    gl += f(l * weights[i]);
    pl += l;
  }
  return { g, bin, counts, binWeights, weights, ghmLoss: n ? f(gl / n) : 0, plainLoss: n ? f(pl / n) : 0 };
}

/** Mean, median, min, max and population std of g. */
export function gStats(g: ArrayLike<number>): { mean: number; median: number; min: number; max: number; std: number } {
  const n = g.length;
  if (n === 0) return { mean: 0, median: 0, min: 0, max: 0, std: 0 };
  const a = Array.from(g).sort((x, y) => x - y);
  const mean = a.reduce((s, v) => s + v, 0) / n;
  const median = n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  return { mean, median, min: a[0], max: a[n - 1], std };
}
