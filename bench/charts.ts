/**
 * Charts speed: every figure in both languages (issue 6 goal: ≤ 3 s) at the plastic experiment's
 * size — 60 epochs, snapshots at 1/30/60, two frequencies, 1000×600 at pixel ratio 2 — measured
 * as the stage runs it: reading the artifacts, building, rendering and writing the PNGs. The
 * artifacts are synthetic (seeded), shaped like the real ones; GHM counts and weights come from
 * the one GHM implementation applied to simulated score differences.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  EpochRecord, ImbalanceArtifact, LinearArtifact, LossKind, RunInfo, RunSnapshots, SnapshotsArtifact, SummaryArtifact, TrainHistory, TrainSummary,
} from '../pipeline/core/artifacts.ts';
import { loadConfig, type ResolvedConfig } from '../pipeline/core/config.ts';
import { writeJson } from '../pipeline/core/fsutil.ts';
import { binEdges, ghm, gStats, type GhmParams } from '../pipeline/lib/ghm.ts';
import { Rng } from '../pipeline/lib/rng.ts';
import { stage } from '../pipeline/charts/index.ts';
import { context } from '../test/unit/charts/helpers.ts';
import type { BenchRow } from './types.ts';

const GOAL_S = 3;

/** One simulated batch of `n` pairs at training progress p ∈ [0, 1]. */
function batch(rng: Rng, n: number, p: number, margin: number) {
  const y = Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : -1));
  const d = y.map((t) => t * (rng.normal() * 4 + 1.5 * margin * p));
  return { d, y };
}

function history(info: RunInfo, epochs: number, rng: Rng): TrainHistory {
  const rec: EpochRecord[] = [];
  for (let e = 1; e <= epochs; e++) {
    const p = e / epochs;
    const split = (gap: number) => {
      const plain = 10 * (1 - 0.6 * p) + gap + rng.normal() * 0.3;
      const ghmLoss = plain * 0.85 + rng.normal() * 0.2;
      return { mainLoss: info.loss === 'ghm' ? ghmLoss : plain, plainLoss: plain, ghmLoss, accuracy: Math.min(100, 50 + 40 * p - 10 * gap + rng.normal() * 3), pairs: gap ? 352 : 896 };
    };
    rec.push({ epoch: e, lr: 0.03, seconds: 1, train: split(0), val: split(1) });
  }
  return { run: info, epochs: rec, checkpoints: [epochs], seconds: epochs };
}

function snapshots(info: RunInfo, c: ResolvedConfig, rng: Rng): RunSnapshots {
  const g = c.train.losses.ghm;
  const params: GhmParams = { ...g, margin: c.train.margin };
  const E = c.train.epochs;
  const at = (epoch: number) => {
    const { d, y } = batch(rng, c.train.batchSize, epoch / E, c.train.margin);
    const r = ghm(d, y, params);
    const n = d.length;
    const p = r.counts.map((k) => k / n).filter((x) => x > 0);
    return {
      epoch, batch: 0, counts: r.counts, weights: r.binWeights, stats: gStats(r.g),
      extremeShare: { low: r.counts[0] / n, high: r.counts[g.bins - 1] / n },
      entropy: -p.reduce((s, x) => s + x * Math.log2(x), 0),
    };
  };
  const densityEpochs = Array.from({ length: c.snapshots.densityEpochs }, (_, i) => Math.round(1 + (i * (E - 1)) / (c.snapshots.densityEpochs - 1)));
  const edges = binEdges(g.bins);
  const stage = (name: 'early' | 'middle' | 'late') => {
    const range = c.snapshots.stages[name];
    const s = at(range[1]);
    const w = s.weights.filter((x): x is number => x !== null);
    return { stage: name, epochs: range, counts: s.counts, weights: s.weights, spread: w.length ? Math.max(...w) / Math.min(...w) : null };
  };
  return {
    runId: info.id, frequency: info.frequency, loss: info.loss, seed: info.seed, bins: g.bins, edges,
    snapshots: c.snapshots.epochs.map(at),
    density: {
      centers: edges.slice(1).map((e, k) => (e + edges[k]) / 2),
      epochs: densityEpochs.map((e) => ({ epoch: e, density: at(e).counts.map((k) => (k / c.train.batchSize) * g.bins) })),
    },
    stages: [stage('early'), stage('middle'), stage('late')],
  };
}

function imbalance(c: ResolvedConfig, rng: Rng): ImbalanceArtifact {
  const a = c.analyses.imbalance;
  const d = [
    ...Array.from({ length: a.easy }, () => rng.uniform() + 0.5 - rng.uniform() * 0.3),
    ...Array.from({ length: a.hard }, () => rng.uniform() * 0.1 + 0.45 - (rng.uniform() * 0.1 + 0.44)),
  ];
  const y = d.map(() => 1);
  const isHard = d.map((_, i) => i >= a.easy);
  const variant = (v: 'paper' | 'original') => {
    const r = ghm(d, y, { variant: v, bins: a.bins, alpha: a.alpha, momentum: 0, tau: 1, normalize: true, margin: a.margin });
    const per = (hard: boolean) => r.counts.map((_, k) => [...r.bin].filter((b, i) => b === k && isHard[i] === hard).length);
    return {
      variant: v, g: [...r.g], bins: a.bins, edges: binEdges(a.bins), counts: r.counts, weights: r.binWeights, pairWeights: [...r.weights],
      easyPerBin: per(false), hardPerBin: per(true), ghmLoss: r.ghmLoss, plainLoss: r.plainLoss,
    };
  };
  const variants = [variant('paper'), variant('original')];
  const g = variants[0].g;
  const lo = Math.min(...g);
  const hi = Math.max(...g);
  const B = a.histogramBins;
  const edges = Array.from({ length: B + 1 }, (_, k) => lo + ((hi - lo) * k) / B);
  const easy = new Array<number>(B).fill(0);
  const hard = new Array<number>(B).fill(0);
  g.forEach((x, i) => (isHard[i] ? hard : easy)[Math.min(B - 1, Math.floor(((x - lo) / (hi - lo)) * B))]++);
  return { seed: c.seeds[0], easy: a.easy, hard: a.hard, margin: a.margin, d, isHard, histogram: { edges, easy, hard }, variants };
}

function linear(c: ResolvedConfig, rng: Rng): LinearArtifact {
  const E = c.analyses.linear.epochs;
  const acc = (p: number) => Math.round(30 + 50 * p + rng.normal() * 4);
  return {
    variant: c.train.losses.ghm.variant,
    runs: c.seeds.map((seed) => ({
      seed,
      epochs: Array.from({ length: E }, (_, i) => {
        const p = (i + 1) / E;
        return { epoch: i + 1, plainLoss: 0.11 * (1 - 0.45 * p), ghmLoss: 0.1 * (1 - 0.4 * p), plainTrainAcc: acc(p), ghmTrainAcc: acc(p), plainHeldAcc: acc(p * 0.8), ghmHeldAcc: acc(p * 0.8) };
      }),
    })),
  };
}

/** Write train/ and analyze/ artifacts for `c` under `dir`. */
export function writeSyntheticArtifacts(c: ResolvedConfig, dir: string): { train: string; analyze: string } {
  const rng = new Rng(c.seeds[0], 'bench:charts');
  const train = join(dir, 'train');
  const analyze = join(dir, 'analyze');
  const infos: RunInfo[] = c.data.frequencies.flatMap((frequency) =>
    c.seeds.flatMap((seed) => (['ghm', 'baseline'] as LossKind[]).map((loss) => ({
      id: `${frequency}-${loss}-s${seed}`, frequency, loss, seed, model: c.train.model, backend: 'cpu', parameters: 100_000,
    }))));
  const summary: SummaryArtifact = { rows: [] };
  const snaps: SnapshotsArtifact = { runs: [] };
  for (const info of infos) {
    const h = history(info, c.train.epochs, rng);
    writeJson(join(train, info.id, 'history.json'), h);
    const best = h.epochs.reduce((a, b) => (b.val.accuracy > a.val.accuracy ? b : a));
    const last = h.epochs[h.epochs.length - 1];
    summary.rows.push({ frequency: info.frequency, seed: info.seed, loss: info.loss, bestValAccuracy: best.val.accuracy, bestEpoch: best.epoch, finalValAccuracy: last.val.accuracy, finalTrainAccuracy: last.train.accuracy });
    snaps.runs.push(snapshots(info, c, rng));
  }
  const runs: TrainSummary = { backend: 'cpu', runs: infos.map((info) => ({ info, history: `${info.id}/history.json`, ghmStats: `${info.id}/ghm-stats.json` })) };
  writeJson(join(train, 'runs.json'), runs);
  writeJson(join(analyze, 'snapshots.json'), snaps);
  writeJson(join(analyze, 'summary.json'), summary);
  writeJson(join(analyze, 'imbalance.json'), imbalance(c, rng));
  writeJson(join(analyze, 'linear.json'), linear(c, rng));
  return { train, analyze };
}

export async function run(): Promise<BenchRow[]> {
  const config = loadConfig(join(import.meta.dirname, '..', 'experiments', 'plastic.yaml'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-charts-'));
  const { ctx } = context(config, writeSyntheticArtifacts(config, dir));
  try {
    const t0 = performance.now();
    await stage.run(ctx);
    const seconds = (performance.now() - t0) / 1000;
    const { width, height, pixelRatio } = config.report.chart;
    return [{
      case: 'charts stage: all figures, zh-TW + en',
      ours: seconds, unit: 's', goal: `≤ ${GOAL_S} s`, ok: seconds <= GOAL_S,
      note: `10 figures × 2 languages, ${width}×${height} at ×${pixelRatio}, 60 epochs; cold (font + Chart.js set-up included)`,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(ctx.outDir, { recursive: true, force: true });
  }
}
