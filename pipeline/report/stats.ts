/**
 * Small statistics the findings are computed with. Pure functions over number arrays; no
 * rounding here (formatting happens when a number is put into a sentence).
 */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Mean of the first `k` values / of the last `k` values. */
export const head = (xs: readonly number[], k: number): number => mean(xs.slice(0, Math.max(1, k)));
export const tail = (xs: readonly number[], k: number): number => mean(xs.slice(-Math.max(1, k)));

/** Window used for "start" and "end" averages of a curve: a tenth of its length, at least 1. */
export function windowOf(length: number, fraction = 0.1): number {
  return Math.max(1, Math.round(length * fraction));
}

/** Mean absolute step |x_t − x_(t−1)|; NaN for fewer than two values. */
export function meanAbsStep(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  let s = 0;
  for (let i = 1; i < xs.length; i++) s += Math.abs(xs[i] - xs[i - 1]);
  return s / (xs.length - 1);
}

/**
 * Roughness of a curve relative to its level: mean |x_t − x_(t−1)| / mean |x|. Scale-free, so a
 * loss ten times smaller is not "smoother" for that reason alone. NaN when undefined.
 */
export function roughness(xs: readonly number[]): number {
  const level = mean(xs.map(Math.abs));
  if (!(level > 0)) return NaN;
  return meanAbsStep(xs) / level;
}

/**
 * First epoch (1-based position in `xs`) at which the curve has covered half of its total
 * reduction x_0 − x_last. Undefined (NaN) when the curve did not fall.
 */
export function halfReductionEpoch(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const total = xs[0] - xs[xs.length - 1];
  if (!(total > 0)) return NaN;
  for (let i = 0; i < xs.length; i++) if (xs[0] - xs[i] >= total / 2) return i + 1;
  return NaN;
}

/** Average ranks (ties share the mean rank), 1-based. */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; NaN when either side is constant or fewer than two points. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation (Pearson on average ranks). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  return pearson(ranks(xs), ranks(ys));
}

/** Shannon entropy (bits) of a histogram of counts; 0 for an empty histogram. */
export function entropyBits(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

/** Entropy as a share of its maximum log2(bins): 1 = uniform, 0 = one bin. */
export function normalizedEntropy(counts: readonly number[]): number {
  return counts.length > 1 ? entropyBits(counts) / Math.log2(counts.length) : 0;
}

/** Sample skewness (adjusted Fisher–Pearson); NaN for fewer than three values or no spread. */
export function skewness(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 3) return NaN;
  const m = mean(xs);
  let m2 = 0, m3 = 0;
  for (const x of xs) { m2 += (x - m) ** 2; m3 += (x - m) ** 3; }
  m2 /= n; m3 /= n;
  if (m2 === 0) return NaN;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

// ---------------------------------------------------------------- Student t

function lnGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9); accurate to ~1e-15 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const bt = Math.exp(lbt);
  return x < (a + 1) / (a + b + 2)
    ? (bt * betaContinuedFraction(a, b, x)) / a
    : 1 - (bt * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export interface PairedTest {
  n: number;
  meanDiff: number;
  sdDiff: number;
  /** t statistic; NaN for n < 2; ±Infinity when every difference is equal and non-zero */
  t: number;
  /** two-sided p; NaN for n < 2 */
  p: number;
}

/** Paired t-test on differences (e.g. GHM − baseline per seed). */
export function pairedTest(diffs: readonly number[]): PairedTest {
  const n = diffs.length;
  const m = mean(diffs);
  const s = sd(diffs);
  if (n < 2) return { n, meanDiff: m, sdDiff: 0, t: NaN, p: NaN };
  const t = s === 0 ? (m === 0 ? 0 : Math.sign(m) * Infinity) : m / (s / Math.sqrt(n));
  return { n, meanDiff: m, sdDiff: s, t, p: s === 0 ? (m === 0 ? 1 : 0) : tTwoSidedP(t, n - 1) };
}
