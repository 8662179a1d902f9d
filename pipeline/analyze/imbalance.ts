/**
 * The imbalance test (original-system.md §6.6–6.7): 100 easy and 20 hard synthetic score pairs, all
 * with target +1, run through the GHM weighting with the paper variant and with the seed project's
 * formulas. With seed 42 and the default sizes the data are the original's, bit for bit up to
 * float32 rounding of the scalar arithmetic: torch.manual_seed(42), then easy s1 = rand(100) + 0.5,
 * s2 = rand(100)·0.3, hard s1 = rand(20)·0.1 + 0.45, s2 = rand(20)·0.1 + 0.44, in that order.
 */
import type { ImbalanceArtifact, ImbalanceVariant } from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';
import type { GhmLossConfig } from '../core/schema.ts';
import { TorchGenerator } from '../lib/rng.ts';
import { ghm, binEdges, type GhmResult } from '../lib/ghm.ts';
import { analysisGhmParams } from './params.ts';
import { histogramEdges, groupedHistogram } from './histogram.ts';

export type ImbalanceConfig = ResolvedConfig['analyses']['imbalance'];

export interface ImbalanceData {
  s1: Float32Array;
  s2: Float32Array;
  /** s1 − s2 in float32, easy pairs first */
  d: number[];
  isHard: boolean[];
}

const f32 = Math.fround;

/** u·scale + shift in float32, as torch evaluates `rand(n) * scale + shift`. */
function affine(u: Float32Array, scale: number, shift: number): Float32Array {
  return u.map((x) => f32(f32(x * f32(scale)) + f32(shift)));
}

export function imbalanceData(seed: number, easy: number, hard: number): ImbalanceData {
  const gen = new TorchGenerator(seed);
  const easy1 = affine(gen.rand(easy), 1, 0.5);
  const easy2 = affine(gen.rand(easy), 0.3, 0);
  const hard1 = affine(gen.rand(hard), 0.1, 0.45);
  const hard2 = affine(gen.rand(hard), 0.1, 0.44);
  const s1 = new Float32Array([...easy1, ...hard1]);
  const s2 = new Float32Array([...easy2, ...hard2]);
  const d = Array.from(s1, (a, i) => f32(a - s2[i]));
  const isHard = d.map((_, i) => i >= easy);
  return { s1, s2, d, isHard };
}

/** Pairs per bin (by the bin each pair is weighted with) among those where `pick` holds. */
function perBin(r: GhmResult, bins: number, pick: (i: number) => boolean): number[] {
  const out = new Array<number>(bins).fill(0);
  r.bin.forEach((b, i) => { if (pick(i)) out[b]++; });
  return out;
}

function variantOf(r: GhmResult, variant: ImbalanceVariant['variant'], bins: number, isHard: boolean[]): ImbalanceVariant {
  return {
    variant,
    g: Array.from(r.g),
    bins,
    edges: binEdges(bins),
    counts: [...r.counts],
    weights: [...r.binWeights],
    pairWeights: Array.from(r.weights),
    easyPerBin: perBin(r, bins, (i) => !isHard[i]),
    hardPerBin: perBin(r, bins, (i) => isHard[i]),
    ghmLoss: r.ghmLoss,
    plainLoss: r.plainLoss,
  };
}

export function runImbalance(cfg: ImbalanceConfig, ghmCfg: GhmLossConfig, seed: number): ImbalanceArtifact {
  const data = imbalanceData(seed, cfg.easy, cfg.hard);
  const y = data.d.map(() => 1);
  const variants = (['paper', 'original'] as const).map((variant) => {
    const p = analysisGhmParams(ghmCfg, { variant, bins: cfg.bins, alpha: cfg.alpha, margin: cfg.margin });
    return variantOf(ghm(data.d, y, p), variant, cfg.bins, data.isHard);
  });
  const paperG = variants[0].g;
  const edges = histogramEdges(paperG, cfg.histogramBins);
  const { yes: hard, no: easy } = groupedHistogram(paperG, data.isHard, edges);
  return {
    seed,
    easy: cfg.easy,
    hard: cfg.hard,
    margin: cfg.margin,
    d: data.d,
    isHard: data.isHard,
    histogram: { edges, easy, hard },
    variants,
  };
}
