/**
 * The seed report's claims, checked against this run's artifacts. Each claim becomes a Finding:
 * the numbers behind it and a verdict — supported, contradicted or inconclusive. Pure functions;
 * the sentences are built later from the locale messages (finding.<id>.result_<verdict>).
 *
 * How verdicts are reached:
 * - Claims about one run (a curve rises, a distribution is uniform) are judged per seed against
 *   the thresholds below; with several seeds the verdict stands only if every seed agrees,
 *   otherwise it is inconclusive. Numbers are shown as mean ± sd over seeds.
 * - Claims comparing GHM with the baseline are judged on the paired differences (GHM − baseline,
 *   same data and seed): with one seed the difference must pass the threshold; with several seeds
 *   it must also pass a paired t-test at `THRESHOLDS.alpha`.
 * - A claim the data cannot reach (no baseline run, a curve that never fell, one non-empty bin)
 *   is inconclusive with a `reason`.
 */
import type { ImbalanceVariant, LinearEpoch, RunSnapshots, Snapshot, TrainHistory } from '../core/artifacts.ts';
import type { ReportInputs } from './inputs.ts';
import { findHistory, findSnapshots, requireGhmHistory } from './inputs.ts';
import {
  halfReductionEpoch, head, mean, meanAbsStep, pairedTest, roughness, sd, spearman, tail, windowOf,
  type PairedTest,
} from './stats.ts';

export const VERDICTS = ['supported', 'contradicted', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Thresholds of the verdict rules. Percent values are percentage points of pairwise accuracy.
 * Chosen so that one pair of a 25-pair set (4 pp) or ordinary epoch-to-epoch noise does not flip
 * a verdict on its own.
 */
export const THRESHOLDS = {
  /** significance level of the paired t-test over seeds (two-sided) */
  alpha: 0.05,
  /** lossScale: relative difference of the final validation margin loss (GHM run vs baseline) that counts */
  lossRel: 0.05,
  /** smoothness: roughness ratio GHM / plain ≤ 1 − smooth is smoother, ≥ 1 + smooth is rougher */
  smooth: 0.1,
  /** earlyConvergence: difference of the half-reduction epoch that counts, as a share of the epochs (at least 1 epoch) */
  earlyShare: 0.05,
  /** trainAccuracy: rise from the first to the last tenth of training, pp */
  trainRise: 10,
  /** trainAccuracy: the "high level" the last tenth must reach, % */
  highAccuracy: 80,
  /** trainAccuracy: Spearman correlation of accuracy with the epoch for a "steady" rise */
  trendRho: 0.5,
  /** valFluctuation: rise of validation accuracy that counts as an improvement, pp */
  valRise: 5,
  /** valFluctuation: mean absolute epoch-to-epoch change that counts as fluctuating, pp */
  fluctuation: 1,
  /** trainValGap: rise of the final validation loss above its minimum that signals over-fitting (relative) */
  overfitRise: 0.25,
  /** trainValGap: train − validation accuracy gap at the end that signals over-fitting, pp */
  overfitAccGap: 15,
  /** stability: difference of the mean absolute change of validation accuracy, GHM − baseline, pp */
  stabilityPp: 0.5,
  /** gUniformStart: normalised entropy at or above which the g histogram counts as relatively uniform */
  uniformEntropy: 0.75,
  /** gUniformStart: normalised entropy at or below which it counts as concentrated */
  concentratedEntropy: 0.4,
  /** gPolarizes: fall of the normalised entropy from the first to the last snapshot */
  polarEntropy: 0.1,
  /** gPolarizes: rise of the share of pairs in the two extreme bins */
  polarExtreme: 0.05,
  /** weightsVsDensity: Spearman correlation of bin count and bin weight at or below −densityRho supports the claim */
  densityRho: 0.5,
  /** imbalanceSkew: g below this is the "low-gradient region" */
  lowG: 0.5,
  /** imbalanceSkew: share of pairs in the low-gradient region that makes "most" */
  majority: 0.6,
  /** imbalancePlacement: hard pairs' mean weight must exceed the easy pairs' by this factor − 1 */
  weightRatio: 0.1,
  /** accuracy comparisons: a GHM − baseline difference above −accEquivalent pp is "comparable" */
  accEquivalent: 2,
  /** accuracy comparisons: a difference at or below −accClear pp is clearly worse */
  accClear: 5,
  /** linearEarly: early accuracy advantage that counts, pp */
  earlyAccuracy: 2,
  /** weightSpread: late / early spread ratio ≥ 1 + spreadChange supports polarisation, ≤ 1 / (1 + spreadChange) contradicts */
  spreadChange: 0.25,
  /** trainingTime: GHM / baseline seconds ratio beyond 1 ± timeRatio counts as slower / faster */
  timeRatio: 0.05,
  /** share of pairs in one g bin at the first snapshot above which g is called saturated (recommendation) */
  saturation: 0.9,
} as const;

export const FINDING_IDS = [
  'lossScale', 'smoothness', 'earlyConvergence', 'trainAccuracy', 'valFluctuation', 'trainValGap', 'stability',
  'gUniformStart', 'gPolarizes', 'weightsVsDensity',
  'imbalanceSkew', 'imbalancePlacement',
  'linearSmoothness', 'linearEarly', 'linearFinal',
  'weightSpread',
  'finalAccuracy', 'trainingTime',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export type FindingSection = 'training' | 'gradient' | 'imbalance' | 'linear' | 'stages' | 'summary';

export type InconclusiveReason = 'noBaseline' | 'noReduction' | 'fewEpochs' | 'oneSnapshot' | 'singleBin' | 'disabled' | 'split';

export type Unit = 'pct' | 'pp' | 'ratio' | 'num' | 'epoch' | 'share' | 'seconds';

/** A number behind a finding: one value, or the mean ± sd of one value per seed. */
export interface Quantity { mean: number; sd: number; n: number; unit: Unit; digits: number }
export type Value = Quantity | string;

export interface Finding {
  id: FindingId;
  section: FindingSection;
  verdict: Verdict;
  reason?: InconclusiveReason;
  values: Record<string, Value>;
  /** the paired comparison over seeds (GHM − baseline) for claims comparing the two */
  paired?: PairedTest;
}

export const SECTION_OF: Record<FindingId, FindingSection> = {
  lossScale: 'training', smoothness: 'training', earlyConvergence: 'training', trainAccuracy: 'training',
  valFluctuation: 'training', trainValGap: 'training', stability: 'training',
  gUniformStart: 'gradient', gPolarizes: 'gradient', weightsVsDensity: 'gradient',
  imbalanceSkew: 'imbalance', imbalancePlacement: 'imbalance',
  linearSmoothness: 'linear', linearEarly: 'linear', linearFinal: 'linear',
  weightSpread: 'stages',
  finalAccuracy: 'summary', trainingTime: 'summary',
};

// ---------------------------------------------------------------- helpers

export function quantity(xs: readonly number[], unit: Unit, digits: number): Quantity {
  return { mean: mean(xs), sd: sd(xs), n: xs.length, unit, digits };
}

/** All the same → that verdict; otherwise inconclusive (seeds disagree). */
export function agree(vs: readonly Verdict[]): { verdict: Verdict; reason?: InconclusiveReason } {
  if (vs.length === 0) return { verdict: 'inconclusive' };
  if (vs.every((v) => v === vs[0])) return { verdict: vs[0] };
  return { verdict: 'inconclusive', reason: 'split' };
}

/**
 * Paired comparison of GHM − baseline differences. `direction` is the sign the claim predicts
 * (−1: GHM lower). Supported when the mean difference reaches `threshold` in that direction,
 * contradicted when it reaches it in the other; with several seeds the t-test must also pass.
 */
export function pairedVerdict(diffs: readonly number[], direction: 1 | -1, threshold: number): { verdict: Verdict; test: PairedTest } {
  const test = pairedTest(diffs);
  const signed = test.meanDiff * direction;
  const significant = test.n < 2 || test.p < THRESHOLDS.alpha;
  const verdict: Verdict = !significant || Number.isNaN(signed) ? 'inconclusive'
    : signed >= threshold ? 'supported' : signed <= -threshold ? 'contradicted' : 'inconclusive';
  return { verdict, test };
}

/**
 * "GHM is comparable to or better than the baseline": supported when the mean difference
 * (GHM − baseline, pp) is above −accEquivalent; contradicted when it is at or below −accClear
 * (and, with several seeds, the paired t-test is significant).
 */
export function notWorseVerdict(diffs: readonly number[]): { verdict: Verdict; test: PairedTest } {
  const test = pairedTest(diffs);
  const m = test.meanDiff;
  const verdict: Verdict = m > -THRESHOLDS.accEquivalent ? 'supported'
    : m <= -THRESHOLDS.accClear && (test.n < 2 || test.p < THRESHOLDS.alpha) ? 'contradicted' : 'inconclusive';
  return { verdict, test };
}

const series = (h: TrainHistory, pick: (e: TrainHistory['epochs'][number]) => number) => h.epochs.map(pick);
const last = <T>(xs: readonly T[]): T => xs[xs.length - 1];

interface RunPair { seed: number; ghm: TrainHistory; base?: TrainHistory }

interface Ctx {
  inp: ReportInputs;
  primary: string;
  /** GHM and baseline history per seed at the primary frequency */
  runs: RunPair[];
  hasBaseline: boolean;
  /** GHM-run snapshots per seed at the primary frequency (those the analyze stage wrote) */
  snaps: RunSnapshots[];
}

function context(inp: ReportInputs): Ctx {
  const primary = inp.config.report.primaryFrequency;
  const runs = inp.config.seeds.map((seed) => ({
    seed,
    ghm: requireGhmHistory(inp, primary, seed),
    base: findHistory(inp, primary, 'baseline', seed),
  }));
  return {
    inp, primary, runs,
    hasBaseline: inp.config.train.losses.baseline && runs.every((r) => r.base !== undefined),
    snaps: inp.config.seeds.map((s) => findSnapshots(inp, primary, 'ghm', s)).filter((r): r is RunSnapshots => r !== undefined),
  };
}

const withBase = (c: Ctx) => c.runs.filter((r): r is Required<RunPair> => r.base !== undefined);

function finding(id: FindingId, verdict: Verdict, values: Record<string, Value>, extra: Partial<Finding> = {}): Finding {
  return { id, section: SECTION_OF[id], verdict, values, ...extra };
}

const noBaseline = (id: FindingId, values: Record<string, Value> = {}) =>
  finding(id, 'inconclusive', values, { reason: 'noBaseline' });

// ---------------------------------------------------------------- training

/** "GHM loss lower than the original loss ⇒ GHM lowers the loss": compared on one scale. */
function lossScale(c: Ctx): Finding {
  const ratio = quantity(c.runs.map((r) => mean(r.ghm.epochs.map((e) => e.val.ghmLoss / e.val.plainLoss))), 'ratio', 3);
  const values: Record<string, Value> = { ratio, normalize: String(c.inp.config.train.losses.ghm.normalize) };
  if (!c.hasBaseline) return noBaseline('lossScale', values);
  const rs = withBase(c);
  const g = rs.map((r) => last(r.ghm.epochs).val.plainLoss);
  const b = rs.map((r) => last(r.base.epochs).val.plainLoss);
  const relPct = g.map((x, i) => (100 * (x - b[i])) / b[i]);
  const { verdict, test } = pairedVerdict(relPct, -1, 100 * THRESHOLDS.lossRel);
  return finding('lossScale', verdict, {
    ...values,
    ghm: quantity(g, 'num', 4), base: quantity(b, 'num', 4), rel: quantity(relPct, 'pp', 1),
  }, { paired: test });
}

/** "GHM loss curves are smoother on training and validation": roughness relative to the level. */
function smoothness(c: Ctx): Finding {
  if (c.runs[0].ghm.epochs.length < 3) return finding('smoothness', 'inconclusive', {}, { reason: 'fewEpochs' });
  const ratio = (h: TrainHistory, split: 'train' | 'val') =>
    roughness(series(h, (e) => e[split].ghmLoss)) / roughness(series(h, (e) => e[split].plainLoss));
  const tr = c.runs.map((r) => ratio(r.ghm, 'train'));
  const va = c.runs.map((r) => ratio(r.ghm, 'val'));
  const per = tr.map((t, i): Verdict => {
    const v = va[i];
    if (t <= 1 - THRESHOLDS.smooth && v <= 1 - THRESHOLDS.smooth) return 'supported';
    if (t >= 1 + THRESHOLDS.smooth && v >= 1 + THRESHOLDS.smooth) return 'contradicted';
    return 'inconclusive';
  });
  const a = agree(per);
  return finding('smoothness', a.verdict, { train: quantity(tr, 'ratio', 2), val: quantity(va, 'ratio', 2) },
    a.reason === 'split' ? { reason: 'split' } : {});
}

/** "The GHM loss converges faster in the early epochs": epochs to half of the final loss reduction. */
function earlyConvergence(c: Ctx): Finding {
  if (!c.hasBaseline) return noBaseline('earlyConvergence');
  const rs = withBase(c);
  const g = rs.map((r) => halfReductionEpoch(series(r.ghm, (e) => e.train.mainLoss)));
  const b = rs.map((r) => halfReductionEpoch(series(r.base, (e) => e.train.mainLoss)));
  const epochs = c.runs[0].ghm.epochs.length;
  const tol = Math.max(1, Math.round(THRESHOLDS.earlyShare * epochs));
  if ([...g, ...b].some(Number.isNaN)) return finding('earlyConvergence', 'inconclusive', { epochs: String(epochs) }, { reason: 'noReduction' });
  const { verdict, test } = pairedVerdict(g.map((x, i) => x - b[i]), -1, tol);
  return finding('earlyConvergence', verdict, {
    ghm: quantity(g, 'epoch', 1), base: quantity(b, 'epoch', 1), tol: String(tol), epochs: String(epochs),
  }, { paired: test });
}

/** "Training accuracy rises steadily and ends high." */
function trainAccuracy(c: Ctx): Finding {
  if (c.runs[0].ghm.epochs.length < 2) return finding('trainAccuracy', 'inconclusive', {}, { reason: 'fewEpochs' });
  const rows = c.runs.map((r) => {
    const acc = series(r.ghm, (e) => e.train.accuracy);
    const k = windowOf(acc.length);
    const first = head(acc, k), end = tail(acc, k);
    const rho = spearman(acc.map((_, i) => i), acc);
    const v: Verdict = end - first >= THRESHOLDS.trainRise && end >= THRESHOLDS.highAccuracy && rho >= THRESHOLDS.trendRho ? 'supported'
      : end - first <= 0 || !(rho > 0) ? 'contradicted' : 'inconclusive';
    return { first, end, rho: Number.isNaN(rho) ? 0 : rho, v };
  });
  const a = agree(rows.map((r) => r.v));
  return finding('trainAccuracy', a.verdict, {
    first: quantity(rows.map((r) => r.first), 'pct', 1), last: quantity(rows.map((r) => r.end), 'pct', 1),
    rho: quantity(rows.map((r) => r.rho), 'num', 2),
  }, a.reason ? { reason: a.reason } : {});
}

/** "Validation accuracy improves as well, with some fluctuation." */
function valFluctuation(c: Ctx): Finding {
  if (c.runs[0].ghm.epochs.length < 2) return finding('valFluctuation', 'inconclusive', {}, { reason: 'fewEpochs' });
  const rows = c.runs.map((r) => {
    const acc = series(r.ghm, (e) => e.val.accuracy);
    const k = windowOf(acc.length);
    const rise = tail(acc, k) - head(acc, k);
    const fl = acc.length > 1 ? meanAbsStep(acc) : 0;
    const v: Verdict = rise >= THRESHOLDS.valRise && fl >= THRESHOLDS.fluctuation ? 'supported' : rise <= 0 ? 'contradicted' : 'inconclusive';
    return { rise, fl, best: Math.max(...acc), v };
  });
  const a = agree(rows.map((r) => r.v));
  return finding('valFluctuation', a.verdict, {
    rise: quantity(rows.map((r) => r.rise), 'pp', 1), fluct: quantity(rows.map((r) => r.fl), 'num', 2),
    best: quantity(rows.map((r) => r.best), 'pct', 1),
  }, a.reason ? { reason: a.reason } : {});
}

/** "The train–validation loss gap grows but stays under control; no clear over-fitting." */
function trainValGap(c: Ctx): Finding {
  if (c.runs[0].ghm.epochs.length < 2) return finding('trainValGap', 'inconclusive', {}, { reason: 'fewEpochs' });
  const rows = c.runs.map((r) => {
    const gap = series(r.ghm, (e) => e.val.plainLoss - e.train.plainLoss);
    const k = windowOf(gap.length);
    const val = series(r.ghm, (e) => e.val.plainLoss);
    const min = Math.min(...val);
    const rise = (last(val) - min) / Math.max(min, Number.MIN_VALUE);
    const accGap = tail(series(r.ghm, (e) => e.train.accuracy), k) - tail(series(r.ghm, (e) => e.val.accuracy), k);
    const overfit = rise > THRESHOLDS.overfitRise && accGap > THRESHOLDS.overfitAccGap;
    const early = head(gap, k), late = tail(gap, k);
    const v: Verdict = overfit ? 'contradicted' : late > early ? 'supported' : 'inconclusive';
    return { early, late, rise, accGap, v };
  });
  const a = agree(rows.map((r) => r.v));
  return finding('trainValGap', a.verdict, {
    early: quantity(rows.map((r) => r.early), 'num', 3), late: quantity(rows.map((r) => r.late), 'num', 3),
    rise: quantity(rows.map((r) => 100 * r.rise), 'pct', 1), accGap: quantity(rows.map((r) => r.accGap), 'pp', 1),
  }, a.reason ? { reason: a.reason } : {});
}

/** "GHM trains more stably than the traditional loss (smaller fluctuation)." */
function stability(c: Ctx): Finding {
  if (!c.hasBaseline) return noBaseline('stability');
  const rs = withBase(c);
  if (rs[0].ghm.epochs.length < 2) return finding('stability', 'inconclusive', {}, { reason: 'fewEpochs' });
  const g = rs.map((r) => meanAbsStep(series(r.ghm, (e) => e.val.accuracy)));
  const b = rs.map((r) => meanAbsStep(series(r.base, (e) => e.val.accuracy)));
  const { verdict, test } = pairedVerdict(g.map((x, i) => x - b[i]), -1, THRESHOLDS.stabilityPp);
  return finding('stability', verdict, { ghm: quantity(g, 'num', 2), base: quantity(b, 'num', 2) }, { paired: test });
}

// ---------------------------------------------------------------- gradient distribution

const snapshotAt = (r: RunSnapshots, pos: 'first' | 'last'): Snapshot | undefined =>
  pos === 'first' ? r.snapshots[0] : r.snapshots[r.snapshots.length - 1];
const normEntropy = (s: Snapshot, bins: number) => (bins > 1 ? s.entropy / Math.log2(bins) : 0);
const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);
/** Share of the pairs in the fullest bin. */
export const topShare = (counts: readonly number[]) => (total(counts) > 0 ? Math.max(...counts) / total(counts) : 0);

/** "At the first snapshot the g distribution is relatively uniform." */
function gUniformStart(c: Ctx): Finding {
  const rows = c.snaps.flatMap((r) => {
    const s = snapshotAt(r, 'first');
    if (!s) return [];
    const h = normEntropy(s, r.bins);
    const v: Verdict = h >= THRESHOLDS.uniformEntropy ? 'supported' : h <= THRESHOLDS.concentratedEntropy ? 'contradicted' : 'inconclusive';
    return [{ epoch: s.epoch, h, top: topShare(s.counts), v }];
  });
  if (rows.length === 0) return finding('gUniformStart', 'inconclusive', {}, { reason: 'oneSnapshot' });
  const a = agree(rows.map((r) => r.v));
  return finding('gUniformStart', a.verdict, {
    epoch: String(rows[0].epoch), entropy: quantity(rows.map((r) => r.h), 'share', 2),
    top: quantity(rows.map((r) => 100 * r.top), 'pct', 1), bins: String(c.snaps[0].bins),
  }, a.reason ? { reason: a.reason } : {});
}

/** "Later the distribution diverges and becomes more concentrated and polarised." */
function gPolarizes(c: Ctx): Finding {
  const usable = c.snaps.filter((r) => r.snapshots.length >= 2);
  if (usable.length === 0) return finding('gPolarizes', 'inconclusive', {}, { reason: 'oneSnapshot' });
  const rows = usable.map((r) => {
    const s0 = snapshotAt(r, 'first')!, s1 = snapshotAt(r, 'last')!;
    const dh = normEntropy(s1, r.bins) - normEntropy(s0, r.bins);
    const ext = (s: Snapshot) => s.extremeShare.low + s.extremeShare.high;
    const dx = ext(s1) - ext(s0);
    const v: Verdict = dh <= -THRESHOLDS.polarEntropy && dx >= THRESHOLDS.polarExtreme ? 'supported'
      : dh >= THRESHOLDS.polarEntropy || dx <= -THRESHOLDS.polarExtreme ? 'contradicted' : 'inconclusive';
    return { e0: s0.epoch, e1: s1.epoch, h0: normEntropy(s0, r.bins), h1: normEntropy(s1, r.bins), x0: ext(s0), x1: ext(s1), v };
  });
  const a = agree(rows.map((r) => r.v));
  return finding('gPolarizes', a.verdict, {
    from: String(rows[0].e0), to: String(rows[0].e1),
    h0: quantity(rows.map((r) => r.h0), 'share', 2), h1: quantity(rows.map((r) => r.h1), 'share', 2),
    x0: quantity(rows.map((r) => 100 * r.x0), 'pct', 1), x1: quantity(rows.map((r) => 100 * r.x1), 'pct', 1),
  }, a.reason ? { reason: a.reason } : {});
}

/** Spearman correlation of count and weight over a snapshot's non-empty bins; NaN if undefined. */
export function densityWeightRho(counts: readonly number[], weights: readonly (number | null)[]): number {
  const idx = counts.map((_, i) => i).filter((i) => counts[i] > 0 && weights[i] !== null);
  return spearman(idx.map((i) => counts[i]), idx.map((i) => weights[i] as number));
}

/** "GHM gives dense bins lower weights and sparse bins higher weights." */
function weightsVsDensity(c: Ctx): Finding {
  // per seed: the mean correlation over that run's snapshots with at least two occupied bins
  const perRun = c.snaps.map((r) => r.snapshots.map((s) => densityWeightRho(s.counts, s.weights)).filter((x) => !Number.isNaN(x)));
  const used = perRun.reduce((n, xs) => n + xs.length, 0);
  const values: Record<string, Value> = { used: String(used), snapshots: String(c.snaps.reduce((n, r) => n + r.snapshots.length, 0)) };
  const rhos = perRun.filter((xs) => xs.length > 0).map(mean);
  if (rhos.length === 0) return finding('weightsVsDensity', 'inconclusive', values, { reason: 'singleBin' });
  const a = agree(rhos.map((m): Verdict => m <= -THRESHOLDS.densityRho ? 'supported' : m >= 0 ? 'contradicted' : 'inconclusive'));
  return finding('weightsVsDensity', a.verdict, { ...values, rho: quantity(rhos, 'num', 2) }, a.reason ? { reason: a.reason } : {});
}

// ---------------------------------------------------------------- imbalance test

/** The imbalance variant matching the training loss's variant (the one the report discusses). */
export function primaryImbalanceVariant(inp: ReportInputs): ImbalanceVariant | undefined {
  const v = inp.config.train.losses.ghm.variant;
  return inp.imbalance?.variants.find((x) => x.variant === v) ?? inp.imbalance?.variants[0];
}

export interface Placement {
  easyG: number; hardG: number;
  /** mean count of the bin a pair sits in */
  easyDensity: number; hardDensity: number;
  easyWeight: number; hardWeight: number;
}

/** Where easy and hard pairs fall: their mean g, the mean count of their bins, their mean weight. */
export function placement(v: ImbalanceVariant, isHard: readonly boolean[]): Placement {
  const pick = (hard: boolean, xs: readonly number[]) => mean(xs.filter((_, i) => isHard[i] === hard));
  const binDensity = (perBin: readonly number[]) => {
    const n = total(perBin);
    return n > 0 ? perBin.reduce((s, k, b) => s + k * v.counts[b], 0) / n : NaN;
  };
  return {
    easyG: pick(false, v.g), hardG: pick(true, v.g),
    easyDensity: binDensity(v.easyPerBin), hardDensity: binDensity(v.hardPerBin),
    easyWeight: pick(false, v.pairWeights), hardWeight: pick(true, v.pairWeights),
  };
}

/** "The distribution is clearly skewed; most samples sit in the low-gradient region." */
function imbalanceSkew(inp: ReportInputs): Finding {
  const v = primaryImbalanceVariant(inp);
  if (!inp.imbalance || !v) return finding('imbalanceSkew', 'inconclusive', {}, { reason: 'disabled' });
  const low = v.g.filter((g) => g < THRESHOLDS.lowG).length / v.g.length;
  const verdict: Verdict = low >= THRESHOLDS.majority ? 'supported' : low <= 1 - THRESHOLDS.majority ? 'contradicted' : 'inconclusive';
  const p = placement(v, inp.imbalance.isHard);
  return finding('imbalanceSkew', verdict, {
    low: quantity([100 * low], 'pct', 1), pairs: String(v.g.length), variant: v.variant,
    easyG: quantity([p.easyG], 'num', 3), hardG: quantity([p.hardG], 'num', 3),
  });
}

/** "GHM gives the low-density regions — usually the hard samples — higher weights." */
function imbalancePlacement(inp: ReportInputs): Finding {
  const v = primaryImbalanceVariant(inp);
  if (!inp.imbalance || !v) return finding('imbalancePlacement', 'inconclusive', {}, { reason: 'disabled' });
  const p = placement(v, inp.imbalance.isHard);
  const ratio = p.hardWeight / p.easyWeight;
  const verdict: Verdict = p.hardDensity < p.easyDensity && ratio >= 1 + THRESHOLDS.weightRatio ? 'supported'
    : ratio <= 1 - THRESHOLDS.weightRatio || p.hardDensity > p.easyDensity ? 'contradicted' : 'inconclusive';
  return finding('imbalancePlacement', verdict, {
    variant: v.variant,
    easyDensity: quantity([p.easyDensity], 'num', 1), hardDensity: quantity([p.hardDensity], 'num', 1),
    easyWeight: quantity([p.easyWeight], 'num', 3), hardWeight: quantity([p.hardWeight], 'num', 3),
    ratio: quantity([ratio], 'ratio', 2),
  });
}

// ---------------------------------------------------------------- linear comparison

const linearRuns = (inp: ReportInputs) => inp.linear?.runs.filter((r) => r.epochs.length > 0) ?? [];
const col = (es: readonly LinearEpoch[], k: keyof LinearEpoch) => es.map((e) => e[k]);

/** "The GHM loss curve is smoother; GHM converges more steadily, without oscillation." */
function linearSmoothness(inp: ReportInputs): Finding {
  const runs = linearRuns(inp);
  if (runs.length === 0) return finding('linearSmoothness', 'inconclusive', {}, { reason: 'disabled' });
  if (runs[0].epochs.length < 3) return finding('linearSmoothness', 'inconclusive', {}, { reason: 'fewEpochs' });
  const g = runs.map((r) => roughness(col(r.epochs, 'ghmLoss')));
  const b = runs.map((r) => roughness(col(r.epochs, 'plainLoss')));
  const ratios = g.map((x, i) => x / b[i]);
  const a = agree(ratios.map((x): Verdict => x <= 1 - THRESHOLDS.smooth ? 'supported' : x >= 1 + THRESHOLDS.smooth ? 'contradicted' : 'inconclusive'));
  return finding('linearSmoothness', a.verdict, {
    ghm: quantity(g, 'num', 3), base: quantity(b, 'num', 3), ratio: quantity(ratios, 'ratio', 2),
  }, a.reason ? { reason: a.reason } : {});
}

/** "Early on the traditional loss's accuracy rises faster." */
function linearEarly(inp: ReportInputs): Finding {
  const runs = linearRuns(inp);
  if (runs.length === 0) return finding('linearEarly', 'inconclusive', {}, { reason: 'disabled' });
  const q = windowOf(runs[0].epochs.length, 0.25);
  const plain = runs.map((r) => head(col(r.epochs, 'plainTrainAcc'), q));
  const ghm = runs.map((r) => head(col(r.epochs, 'ghmTrainAcc'), q));
  const { verdict, test } = pairedVerdict(plain.map((x, i) => x - ghm[i]), 1, THRESHOLDS.earlyAccuracy);
  return finding('linearEarly', verdict, {
    epochs: String(q), plain: quantity(plain, 'pct', 1), ghm: quantity(ghm, 'pct', 1),
  }, { paired: test });
}

/** "GHM catches up and ends comparable to, sometimes slightly above, the traditional loss." */
function linearFinal(inp: ReportInputs): Finding {
  const runs = linearRuns(inp);
  if (runs.length === 0) return finding('linearFinal', 'inconclusive', {}, { reason: 'disabled' });
  const ends = runs.map((r) => last(r.epochs));
  const trainDiff = ends.map((e) => e.ghmTrainAcc - e.plainTrainAcc);
  const heldDiff = ends.map((e) => e.ghmHeldAcc - e.plainHeldAcc);
  const tr = notWorseVerdict(trainDiff), he = notWorseVerdict(heldDiff);
  // training and held-out pairs must agree; a disagreement is inconclusive (not a seed split)
  const verdict: Verdict = tr.verdict === he.verdict ? tr.verdict : 'inconclusive';
  return finding('linearFinal', verdict, {
    ghmTrain: quantity(ends.map((e) => e.ghmTrainAcc), 'pct', 1), plainTrain: quantity(ends.map((e) => e.plainTrainAcc), 'pct', 1),
    ghmHeld: quantity(ends.map((e) => e.ghmHeldAcc), 'pct', 1), plainHeld: quantity(ends.map((e) => e.plainHeldAcc), 'pct', 1),
    epoch: String(last(ends).epoch),
  }, { paired: tr.test });
}

// ---------------------------------------------------------------- early / middle / late weights

/** "Weights are fairly uniform early, change in the middle and are more polarised late." */
function weightSpread(c: Ctx): Finding {
  const rows = c.snaps.map((r) => {
    const at = (k: 'early' | 'middle' | 'late') => r.stages.find((s) => s.stage === k)?.spread ?? null;
    return { early: at('early'), middle: at('middle'), late: at('late') };
  });
  const ok = rows.filter((r): r is { early: number; middle: number; late: number } =>
    r.early !== null && r.middle !== null && r.late !== null && r.early > 0);
  if (ok.length === 0) return finding('weightSpread', 'inconclusive', {}, { reason: 'singleBin' });
  const ratios = ok.map((r) => r.late / r.early);
  const a = agree(ratios.map((x): Verdict => x >= 1 + THRESHOLDS.spreadChange ? 'supported'
    : x <= 1 / (1 + THRESHOLDS.spreadChange) ? 'contradicted' : 'inconclusive'));
  return finding('weightSpread', a.verdict, {
    early: quantity(ok.map((r) => r.early), 'ratio', 2), middle: quantity(ok.map((r) => r.middle), 'ratio', 2),
    late: quantity(ok.map((r) => r.late), 'ratio', 2), ratio: quantity(ratios, 'ratio', 2),
  }, a.reason ? { reason: a.reason } : {});
}

// ---------------------------------------------------------------- across frequencies and seeds

/** GHM and baseline summary rows paired by frequency and seed. */
export function pairedRows(inp: ReportInputs) {
  const rows = inp.summary.rows;
  return rows.filter((r) => r.loss === 'ghm').flatMap((g) => {
    const b = rows.find((r) => r.loss === 'baseline' && r.frequency === g.frequency && r.seed === g.seed);
    return b ? [{ frequency: g.frequency, seed: g.seed, ghm: g, base: b }] : [];
  });
}

/** "The final accuracy is comparable to the traditional method or slightly better." */
function finalAccuracy(inp: ReportInputs): Finding {
  const pr = pairedRows(inp);
  if (!inp.config.train.losses.baseline || pr.length === 0) return noBaseline('finalAccuracy');
  const diff = pr.map((p) => p.ghm.finalValAccuracy - p.base.finalValAccuracy);
  const { verdict, test } = notWorseVerdict(diff);
  return finding('finalAccuracy', verdict, {
    ghm: quantity(pr.map((p) => p.ghm.finalValAccuracy), 'pct', 1), base: quantity(pr.map((p) => p.base.finalValAccuracy), 'pct', 1),
    ghmBest: quantity(pr.map((p) => p.ghm.bestValAccuracy), 'pct', 1), baseBest: quantity(pr.map((p) => p.base.bestValAccuracy), 'pct', 1),
    runs: String(pr.length),
  }, { paired: test });
}

/** "The computational cost is slightly higher; training may take longer." */
function trainingTime(inp: ReportInputs): Finding {
  if (!inp.config.train.losses.baseline) return noBaseline('trainingTime');
  const pairs = inp.config.data.frequencies.flatMap((f) => inp.config.seeds.flatMap((s) => {
    const g = findHistory(inp, f, 'ghm', s), b = findHistory(inp, f, 'baseline', s);
    return g && b && b.seconds > 0 ? [{ g: g.seconds, b: b.seconds }] : [];
  }));
  if (pairs.length === 0) return noBaseline('trainingTime');
  const ratio = pairs.map((p) => p.g / p.b);
  const { verdict, test } = pairedVerdict(ratio.map((r) => r - 1), 1, THRESHOLDS.timeRatio);
  return finding('trainingTime', verdict, {
    ghm: quantity(pairs.map((p) => p.g), 'seconds', 1), base: quantity(pairs.map((p) => p.b), 'seconds', 1),
    ratio: quantity(ratio, 'ratio', 2),
  }, { paired: test });
}

// ---------------------------------------------------------------- all

export function computeFindings(inp: ReportInputs): Finding[] {
  const c = context(inp);
  return [
    lossScale(c), smoothness(c), earlyConvergence(c), trainAccuracy(c), valFluctuation(c), trainValGap(c), stability(c),
    gUniformStart(c), gPolarizes(c), weightsVsDensity(c),
    imbalanceSkew(inp), imbalancePlacement(inp),
    linearSmoothness(inp), linearEarly(inp), linearFinal(inp),
    weightSpread(c),
    finalAccuracy(inp), trainingTime(inp),
  ];
}

export function byId(fs: readonly Finding[], id: FindingId): Finding {
  const f = fs.find((x) => x.id === id);
  if (!f) throw new Error(`finding ${id} was not computed`);
  return f;
}

export function verdictCounts(fs: readonly Finding[]): Record<Verdict, number> {
  const out = { supported: 0, contradicted: 0, inconclusive: 0 };
  for (const f of fs) out[f.verdict]++;
  return out;
}
