/**
 * Each finding's verdict logic on constructed artifacts: one supported, one contradicted and one
 * inconclusive case per claim, plus the multi-seed rules (paired test, seeds that disagree) and
 * the reasons a claim cannot be checked.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type {
  EpochRecord, ImbalanceArtifact, ImbalanceVariant, LinearEpoch, LossKind, RunSnapshots, Snapshot, StageWeights, SummaryRow, TrainHistory,
} from '../../../pipeline/core/artifacts.ts';
import { resolveConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import { byId, computeFindings, type FindingId, type Verdict } from '../../../pipeline/report/findings.ts';
import type { ReportInputs } from '../../../pipeline/report/inputs.ts';
import { entropyBits } from '../../../pipeline/report/stats.ts';
import { FIXTURE } from './fixture.ts';

const E = 10;
const F = '3000hz';

function config(seeds: number[], baseline = true): ResolvedConfig {
  const raw = load(readFileSync(join(FIXTURE, 'experiment.yaml'), 'utf8')) as any;
  raw.seeds = seeds;
  raw.data.frequencies = [F];
  raw.train.epochs = E;
  raw.train.losses.baseline = baseline;
  raw.snapshots.epochs = [1, 5, 10];
  return resolveConfig('findings-test.yaml', raw);
}

// ---------------------------------------------------------------- curve shapes

const lin = (a: number, b: number, n = E) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const zig = (a: number, b: number, amp: number, n = E) => lin(a, b, n).map((x, i) => x + (i % 2 === 0 ? amp : -amp));
const endWith = (xs: number[], v: number) => [...xs.slice(0, -1), v];
const FAST = [10, 4, 3, 2.5, 2.2, 2.1, 2.05, 2.02, 2.01, 2];
const SLOW = [10, 9.8, 9.6, 9.4, 9.2, 9, 8, 6, 4, 2];

interface Curves {
  trainPlain: number[]; trainGhm: number[]; valPlain: number[]; valGhm: number[];
  trainAcc: number[]; valAcc: number[]; seconds: number;
}
const DEFAULT: Curves = {
  trainPlain: lin(9, 2), trainGhm: lin(9, 2).map((x) => 0.9 * x),
  valPlain: lin(9, 5), valGhm: lin(9, 5).map((x) => 0.9 * x),
  trainAcc: lin(55, 95), valAcc: zig(50, 70, 1.5), seconds: 10,
};

function history(loss: LossKind, seed: number, cv: Curves): TrainHistory {
  const epochs: EpochRecord[] = cv.trainPlain.map((_, i) => ({
    epoch: i + 1, lr: 0.03, seconds: cv.seconds / E,
    train: { mainLoss: loss === 'ghm' ? cv.trainGhm[i] : cv.trainPlain[i], plainLoss: cv.trainPlain[i], ghmLoss: cv.trainGhm[i], accuracy: cv.trainAcc[i], pairs: 32 },
    val: { mainLoss: loss === 'ghm' ? cv.valGhm[i] : cv.valPlain[i], plainLoss: cv.valPlain[i], ghmLoss: cv.valGhm[i], accuracy: cv.valAcc[i], pairs: 16 },
  }));
  return {
    run: { id: `${F}-${loss}-s${seed}`, frequency: F, loss, seed, model: 'simple-cnn', backend: 'cpu', parameters: 10 },
    epochs, checkpoints: [E], seconds: cv.seconds,
  };
}

function snapshot(epoch: number, counts: number[], weights?: (number | null)[]): Snapshot {
  const n = counts.reduce((a, b) => a + b, 0);
  return {
    epoch, batch: 0, counts,
    weights: weights ?? counts.map((k) => (k > 0 ? (n / k) ** 0.75 : null)),
    stats: { mean: 0.5, median: 0.5, min: 0, max: 1, std: 0.1 },
    extremeShare: { low: counts[0] / n, high: counts[counts.length - 1] / n }, entropy: entropyBits(counts),
  };
}

const UNIFORM = Array(10).fill(1);
const stage = (s: StageWeights['stage'], spread: number | null): StageWeights =>
  ({ stage: s, epochs: [1, 1], counts: UNIFORM, weights: UNIFORM.map(() => 1), spread });

function snapRun(seed: number, snaps: Snapshot[], spreads: [number | null, number | null, number | null]): RunSnapshots {
  return {
    runId: `${F}-ghm-s${seed}`, frequency: F, loss: 'ghm', seed, bins: 10, edges: lin(0, 1, 11), snapshots: snaps,
    density: { centers: [], epochs: [] },
    stages: [stage('early', spreads[0]), stage('middle', spreads[1]), stage('late', spreads[2])],
  };
}

function imbalance(g: number[], isHard: boolean[], v: Partial<ImbalanceVariant> = {}): ImbalanceArtifact {
  const variant: ImbalanceVariant = {
    variant: 'paper', g, bins: 2, edges: [0, 0.5, 1], counts: [g.filter((x) => x < 0.5).length, g.filter((x) => x >= 0.5).length],
    weights: [1, 1], pairWeights: g.map(() => 1), easyPerBin: [0, 0], hardPerBin: [0, 0], ghmLoss: 0.1, plainLoss: 0.1, ...v,
  };
  return { seed: 1, easy: isHard.filter((h) => !h).length, hard: isHard.filter(Boolean).length, margin: 0.1, d: g.map(() => 0), isHard, histogram: { edges: [0, 1], easy: [0], hard: [0] }, variants: [variant] };
}
const DEFAULT_IMBALANCE = imbalance([0.2, 0.3, 0.8], [false, false, true], { easyPerBin: [2, 0], hardPerBin: [0, 1], pairWeights: [0.8, 0.8, 1.5] });

function linearEpochs(o: Partial<Record<keyof Omit<LinearEpoch, 'epoch'>, number[]>> = {}): LinearEpoch[] {
  const n = 8;
  const col = (k: keyof Omit<LinearEpoch, 'epoch'>, d: number[]) => o[k] ?? d;
  const pl = col('plainLoss', lin(0.11, 0.06, n)), gl = col('ghmLoss', lin(0.10, 0.05, n));
  const pt = col('plainTrainAcc', lin(30, 76, n)), gt = col('ghmTrainAcc', lin(30, 76, n));
  const ph = col('plainHeldAcc', lin(30, 72, n)), gh = col('ghmHeldAcc', lin(30, 72, n));
  return pl.map((_, i) => ({ epoch: i + 1, plainLoss: pl[i], ghmLoss: gl[i], plainTrainAcc: pt[i], ghmTrainAcc: gt[i], plainHeldAcc: ph[i], ghmHeldAcc: gh[i] }));
}

interface Case {
  seeds?: number[];
  baseline?: boolean;
  /** per seed (a single value is used for every seed) */
  ghm?: Partial<Curves> | Partial<Curves>[];
  base?: Partial<Curves> | Partial<Curves>[];
  snaps?: Snapshot[];
  spreads?: [number | null, number | null, number | null];
  imbalance?: ImbalanceArtifact;
  linear?: LinearEpoch[];
  summary?: { ghm: number; base: number }[];
}

function inputs(c: Case = {}): ReportInputs {
  const seeds = c.seeds ?? [1];
  const cfg = config(seeds, c.baseline ?? true);
  const pick = (x: Partial<Curves> | Partial<Curves>[] | undefined, i: number): Curves => ({ ...DEFAULT, ...(Array.isArray(x) ? x[i] : x) });
  const histories = new Map<string, TrainHistory>();
  seeds.forEach((s, i) => {
    const g = history('ghm', s, pick(c.ghm, i));
    histories.set(g.run.id, g);
    if (cfg.train.losses.baseline) {
      const b = history('baseline', s, pick(c.base, i));
      histories.set(b.run.id, b);
    }
  });
  const snaps = c.snaps ?? [snapshot(1, [0, 0, 0, 0, 0, 0, 1, 2, 3, 4]), snapshot(5, [1, 1, 2, 2, 2, 1, 1, 0, 0, 0]), snapshot(10, [5, 3, 1, 1, 0, 0, 0, 0, 0, 0])];
  const rows: SummaryRow[] = seeds.flatMap((seed, i) => {
    const acc = c.summary?.[i] ?? { ghm: 70, base: 70 };
    const row = (loss: LossKind, v: number): SummaryRow => ({ frequency: F, seed, loss, bestValAccuracy: v, bestEpoch: E, finalValAccuracy: v, finalTrainAccuracy: 90 });
    return cfg.train.losses.baseline ? [row('ghm', acc.ghm), row('baseline', acc.base)] : [row('ghm', acc.ghm)];
  });
  return {
    config: cfg, datasets: [],
    train: { backend: 'cpu', runs: [...histories.values()].map((h) => ({ info: h.run, history: '', ghmStats: '' })) },
    histories,
    snapshots: { runs: seeds.map((s) => snapRun(s, snaps, c.spreads ?? [1.2, 1.5, 2])) },
    imbalance: c.imbalance ?? DEFAULT_IMBALANCE,
    linear: { variant: 'paper', runs: seeds.map((seed) => ({ seed, epochs: c.linear ?? linearEpochs() })) },
    summary: { rows },
    charts: { figures: [] }, chartsDir: '',
  };
}

function verdictOf(id: FindingId, c: Case): Verdict {
  return byId(computeFindings(inputs(c)), id).verdict;
}

function cases(id: FindingId, supported: Case, contradicted: Case, inconclusive: Case) {
  describe(id, () => {
    test('supported', () => assert.equal(verdictOf(id, supported), 'supported'));
    test('contradicted', () => assert.equal(verdictOf(id, contradicted), 'contradicted'));
    test('inconclusive', () => assert.equal(verdictOf(id, inconclusive), 'inconclusive'));
  });
}

// ---------------------------------------------------------------- training

cases('lossScale',
  { ghm: { valPlain: endWith(lin(9, 5), 3) }, base: { valPlain: endWith(lin(9, 5), 6) } },
  { ghm: { valPlain: endWith(lin(9, 5), 6) }, base: { valPlain: endWith(lin(9, 5), 3) } },
  { ghm: { valPlain: endWith(lin(9, 5), 6) }, base: { valPlain: endWith(lin(9, 5), 6.1) } });

cases('smoothness',
  { ghm: { trainGhm: lin(8, 2), trainPlain: zig(9, 3, 1), valGhm: lin(8, 4), valPlain: zig(9, 5, 1) } },
  { ghm: { trainGhm: zig(8, 2, 1), trainPlain: lin(9, 3), valGhm: zig(8, 4, 1), valPlain: lin(9, 5) } },
  { ghm: { trainGhm: lin(9, 2).map((x) => 0.9 * x), trainPlain: lin(9, 2), valGhm: zig(9, 5, 1).map((x) => 0.9 * x), valPlain: zig(9, 5, 1) } });

cases('earlyConvergence',
  { ghm: { trainGhm: FAST }, base: { trainPlain: SLOW } },
  { ghm: { trainGhm: SLOW }, base: { trainPlain: FAST } },
  { ghm: { trainGhm: FAST }, base: { trainPlain: FAST } });

cases('trainAccuracy',
  { ghm: { trainAcc: lin(50, 95) } },
  { ghm: { trainAcc: lin(90, 50) } },
  { ghm: { trainAcc: lin(50, 65) } });

cases('valFluctuation',
  { ghm: { valAcc: zig(50, 70, 2) } },
  { ghm: { valAcc: zig(70, 55, 2) } },
  { ghm: { valAcc: lin(60, 61) } });

cases('trainValGap',
  { ghm: { trainPlain: lin(9, 0.5), valPlain: lin(9.5, 3) } },
  { ghm: { trainPlain: lin(9, 0.5), valPlain: [9, 7, 5, 3, 2, 2.5, 3, 3.5, 4, 4.5], trainAcc: lin(60, 99), valAcc: lin(55, 60) } },
  { ghm: { trainPlain: lin(9, 2), valPlain: lin(10, 3) } });

cases('stability',
  { ghm: { valAcc: lin(50, 70) }, base: { valAcc: zig(50, 70, 3) } },
  { ghm: { valAcc: zig(50, 70, 3) }, base: { valAcc: lin(50, 70) } },
  { ghm: { valAcc: zig(50, 70, 3) }, base: { valAcc: zig(50, 70, 3) } });

// ---------------------------------------------------------------- gradient distribution

const last = snapshot(10, [5, 3, 1, 1, 0, 0, 0, 0, 0, 0]);
cases('gUniformStart',
  { snaps: [snapshot(1, UNIFORM), last] },
  { snaps: [snapshot(1, [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]), last] },
  { snaps: [snapshot(1, [4, 2, 2, 1, 1, 0, 0, 0, 0, 0]), last] });

cases('gPolarizes',
  { snaps: [snapshot(1, UNIFORM), snapshot(10, [5, 0, 0, 0, 0, 0, 0, 0, 0, 5])] },
  { snaps: [snapshot(1, [5, 0, 0, 0, 0, 0, 0, 0, 0, 5]), snapshot(10, UNIFORM)] },
  { snaps: [snapshot(1, [4, 2, 2, 1, 1, 0, 0, 0, 0, 0]), snapshot(10, [4, 2, 2, 1, 1, 0, 0, 0, 0, 0])] });

const DENSE = [1, 2, 3, 4, 0, 0, 0, 0, 0, 0];
cases('weightsVsDensity',
  { snaps: [snapshot(1, DENSE, [2, 1.5, 1.2, 1, null, null, null, null, null, null])] },
  { snaps: [snapshot(1, DENSE, [1, 1.2, 1.5, 2, null, null, null, null, null, null])] },
  { snaps: [snapshot(1, DENSE, [4, 1, 3, 2, null, null, null, null, null, null])] });

// ---------------------------------------------------------------- imbalance test

const tenPairs = (low: number) => Array.from({ length: 10 }, (_, i) => (i < low ? 0.2 : 0.8));
cases('imbalanceSkew',
  { imbalance: imbalance(tenPairs(8), Array(10).fill(false)) },
  { imbalance: imbalance(tenPairs(2), Array(10).fill(false)) },
  { imbalance: imbalance(tenPairs(5), Array(10).fill(false)) });

const hardFlags = Array.from({ length: 10 }, (_, i) => i >= 8);
const placed = (hardWeight: number) => imbalance(tenPairs(8), hardFlags, {
  counts: [8, 2], easyPerBin: [8, 0], hardPerBin: [0, 2], pairWeights: hardFlags.map((h) => (h ? hardWeight : 0.8)),
});
cases('imbalancePlacement', { imbalance: placed(2) }, { imbalance: placed(0.5) }, { imbalance: placed(0.82) });

// ---------------------------------------------------------------- linear comparison

cases('linearSmoothness',
  { linear: linearEpochs({ ghmLoss: lin(0.1, 0.05, 8), plainLoss: zig(0.11, 0.06, 0.01, 8) }) },
  { linear: linearEpochs({ ghmLoss: zig(0.1, 0.05, 0.01, 8), plainLoss: lin(0.11, 0.06, 8) }) },
  { linear: linearEpochs({ ghmLoss: lin(0.1, 0.05, 8), plainLoss: lin(0.1, 0.05, 8).map((x) => 2 * x) }) });

cases('linearEarly',
  { linear: linearEpochs({ plainTrainAcc: [40, 60, 70, 76, 76, 76, 76, 76], ghmTrainAcc: [30, 32, 40, 50, 60, 70, 76, 76] }) },
  { linear: linearEpochs({ plainTrainAcc: [30, 32, 40, 50, 60, 70, 76, 76], ghmTrainAcc: [40, 60, 70, 76, 76, 76, 76, 76] }) },
  { linear: linearEpochs({ plainTrainAcc: lin(30, 76, 8), ghmTrainAcc: lin(30, 76, 8) }) });

cases('linearFinal',
  { linear: linearEpochs({ ghmTrainAcc: endWith(lin(30, 76, 8), 76), plainTrainAcc: endWith(lin(30, 76, 8), 76), ghmHeldAcc: endWith(lin(30, 72, 8), 74), plainHeldAcc: endWith(lin(30, 72, 8), 72) }) },
  { linear: linearEpochs({ ghmTrainAcc: endWith(lin(30, 76, 8), 64), plainTrainAcc: endWith(lin(30, 76, 8), 76), ghmHeldAcc: endWith(lin(30, 72, 8), 56), plainHeldAcc: endWith(lin(30, 72, 8), 72) }) },
  { linear: linearEpochs({ ghmTrainAcc: endWith(lin(30, 76, 8), 76), plainTrainAcc: endWith(lin(30, 76, 8), 76), ghmHeldAcc: endWith(lin(30, 72, 8), 56), plainHeldAcc: endWith(lin(30, 72, 8), 72) }) });

// ---------------------------------------------------------------- stages, all runs

cases('weightSpread', { spreads: [1.2, 2, 3] }, { spreads: [3, 2, 1.2] }, { spreads: [2, 2, 2.1] });

cases('finalAccuracy', { summary: [{ ghm: 80, base: 79 }] }, { summary: [{ ghm: 60, base: 80 }] }, { summary: [{ ghm: 77, base: 80 }] });

cases('trainingTime', { ghm: { seconds: 12 }, base: { seconds: 10 } }, { ghm: { seconds: 8 }, base: { seconds: 10 } }, { ghm: { seconds: 10 }, base: { seconds: 10 } });

// ---------------------------------------------------------------- several seeds, missing data

describe('several seeds', () => {
  const seeds = [1, 2, 3];
  const valEnd = (...ends: number[]) => ends.map((v) => ({ valPlain: endWith(lin(9, 5), v) }));

  test('a consistent paired difference is supported, with mean ± sd and the t-test', () => {
    const f = byId(computeFindings(inputs({ seeds, ghm: valEnd(3, 3.2, 2.9), base: valEnd(6, 6.1, 5.8) })), 'lossScale');
    assert.equal(f.verdict, 'supported');
    assert.equal(f.paired?.n, 3);
    assert.ok(f.paired!.p < 0.05, `p = ${f.paired!.p}`);
    const ghm = f.values.ghm as { mean: number; sd: number; n: number };
    assert.equal(ghm.n, 3);
    assert.ok(Math.abs(ghm.mean - (3 + 3.2 + 2.9) / 3) < 1e-12);
    assert.ok(ghm.sd > 0);
  });

  test('differences of both signs are not significant: inconclusive', () => {
    const f = byId(computeFindings(inputs({ seeds, ghm: valEnd(3, 8, 3), base: valEnd(6, 4, 5) })), 'lossScale');
    assert.equal(f.verdict, 'inconclusive');
    assert.ok(f.paired!.p >= 0.05);
  });

  test('seeds that disagree on a one-run claim make it inconclusive, with the reason', () => {
    const f = byId(computeFindings(inputs({ seeds, ghm: [{ trainAcc: lin(50, 95) }, { trainAcc: lin(90, 50) }, { trainAcc: lin(50, 95) }] })), 'trainAccuracy');
    assert.equal(f.verdict, 'inconclusive');
    assert.equal(f.reason, 'split');
  });
});

describe('claims the data cannot reach', () => {
  test('no baseline run: comparisons are inconclusive with reason noBaseline', () => {
    const fs = computeFindings(inputs({ baseline: false }));
    for (const id of ['lossScale', 'earlyConvergence', 'stability', 'finalAccuracy', 'trainingTime'] as const) {
      assert.equal(byId(fs, id).verdict, 'inconclusive', id);
      assert.equal(byId(fs, id).reason, 'noBaseline', id);
    }
  });

  test('a loss curve that never fell has no half-reduction epoch', () => {
    const f = byId(computeFindings(inputs({ ghm: { trainGhm: lin(2, 3) } })), 'earlyConvergence');
    assert.equal(f.reason, 'noReduction');
  });

  test('one occupied bin gives nothing to correlate', () => {
    const f = byId(computeFindings(inputs({ snaps: [snapshot(1, [0, 0, 0, 0, 0, 0, 0, 0, 0, 8])] })), 'weightsVsDensity');
    assert.equal(f.reason, 'singleBin');
  });

  test('one snapshot: no change over training', () => {
    const f = byId(computeFindings(inputs({ snaps: [snapshot(1, UNIFORM)] })), 'gPolarizes');
    assert.equal(f.reason, 'oneSnapshot');
  });
});
