/**
 * The experiment schema: one zod schema that validates an experiment YAML, supplies its defaults
 * and gives the TypeScript types every stage uses. `scripts/gen-schema.ts` publishes it as
 * `docs/experiment.schema.json` (editor completion) and `docs/experiment-schema.md`.
 */
import { z } from 'zod';

export const LANGUAGES = ['zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FORMATS = ['md', 'html', 'pdf'] as const;
export const STAGES = ['preprocess', 'train', 'analyze', 'charts', 'report'] as const;
export type StageName = (typeof STAGES)[number];

const posInt = () => z.number().int().positive();
const nonNegInt = () => z.number().int().nonnegative();
const frequency = z.string().regex(/^\d+hz$/, 'a frequency such as "3000hz"');
const className = z.string().regex(/^deg\d{3}$/, 'a class name such as "deg036" (deg + three-digit angle)');

const ghmLoss = z.strictObject({
  variant: z.enum(['paper', 'original']).default('paper')
    .describe('paper: GHM as published (density weights, g = 1 in the last bin, optional EMA, mean-1 weights); original: the seed project\'s formulas, defects included'),
  bins: posInt().default(10).describe('number of equal-width bins of g on [0, 1]'),
  alpha: z.number().nonnegative().default(0.75).describe('exponent on the density weight (paper: 1)'),
  momentum: z.number().min(0).lt(1).default(0).describe('EMA momentum of the bin counts (0 = per-batch counts; the paper used 0.75)'),
  tau: z.number().positive().default(1).describe('temperature of g = sigmoid((m - y·d)/tau)'),
  normalize: z.boolean().default(true).describe('rescale weights to mean 1 so GHM and plain losses share a scale'),
});
export type GhmLossConfig = z.infer<typeof ghmLoss>;

const imbalance = z.strictObject({
  enabled: z.boolean().default(true),
  easy: posInt().default(100).describe('easy pairs: s1 in [0.5, 1.5), s2 in [0, 0.3)'),
  hard: posInt().default(20).describe('hard pairs: s1 in [0.45, 0.55), s2 in [0.44, 0.54)'),
  margin: z.number().nonnegative().default(0.1),
  bins: posInt().default(20),
  alpha: z.number().nonnegative().default(0.75),
  histogramBins: posInt().default(30),
});

const linear = z.strictObject({
  enabled: z.boolean().default(true),
  samples: posInt().default(50),
  features: posInt().default(10),
  trueWeights: z.array(z.number()).min(1).default([0.1, 0.2, 0.3, 0.4, 0.5, -0.1, -0.2, -0.3, -0.4, -0.5]),
  pairs: posInt().default(25),
  heldOutPairs: posInt().default(25),
  lr: z.number().positive().default(0.01),
  epochs: posInt().default(20),
  margin: z.number().nonnegative().default(0.1),
  bins: posInt().default(10),
  alpha: z.number().nonnegative().default(0.75),
});

const epochRange = z.tuple([posInt(), posInt()]);

export const experimentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a folder-safe name (letters, digits, ".", "_", "-")')
    .describe('experiment name; outputs go to output/<name>/'),
  title: z.strictObject({ 'zh-TW': z.string().min(1), en: z.string().min(1) }).describe('report title per language'),
  seed: nonNegInt().optional().describe('the seed of every random choice (default 42)'),
  seeds: z.array(nonNegInt()).min(1).optional().describe('several seeds: one training run per seed, findings as mean ± sd'),
  notes: z.strictObject({ 'zh-TW': z.string(), en: z.string() }).optional().describe('free text shown in the report, per language'),
  data: z.strictObject({
    source: z.enum(['synthetic', 'directory']).default('synthetic'),
    root: z.string().optional().describe('directory source: folder holding {class}/{material}/{material}_{class}_{freq}_{seq}.wav (relative to the YAML file)'),
    material: z.enum(['plastic', 'box']).default('plastic'),
    frequencies: z.array(frequency).min(1).default(['3000hz']),
    classes: z.array(className).min(2).default(['deg000', 'deg036', 'deg072', 'deg108', 'deg144', 'deg180']),
    recordings: posInt().default(9).describe('recordings per class (sequence numbers 00..N-1)'),
    sampleRate: posInt().default(48000),
    split: z.strictObject({
      train: z.number().gt(0).lt(1).default(0.7),
      stratified: z.boolean().default(false),
    }).default({ train: 0.7, stratified: false }),
    pairs: z.strictObject({
      mode: z.enum(['original', 'all']).default('original')
        .describe('original: n(n-1)/2 random draws, same-class draws dropped; all: every different-class ordered pair'),
    }).default({ mode: 'original' }),
    synthetic: z.strictObject({
      duration: z.number().positive().max(60).default(6).describe('seconds per recording'),
      snrDb: z.number().default(30).describe('background noise level, dB below the tone'),
      bitDepth: z.union([z.literal(16), z.literal(24)]).default(16),
    }).default({ duration: 6, snrDb: 30, bitDepth: 16 }),
  }),
  preprocess: z.strictObject({
    stft: z.strictObject({
      nFft: posInt().default(2048),
      hop: posInt().default(256),
    }).default({ nFft: 2048, hop: 256 }),
    input: z.strictObject({
      minHz: z.number().nonnegative().default(0),
      maxHz: z.number().positive().optional().describe('upper edge of the frequency crop (default: Nyquist)'),
      height: posInt().default(64),
      width: posInt().default(64),
    }).default({ minHz: 0, height: 64, width: 64 }),
  }).default({ stft: { nFft: 2048, hop: 256 }, input: { minHz: 0, height: 64, width: 64 } }),
  train: z.strictObject({
    model: z.enum(['simple-cnn', 'resnet']).default('simple-cnn'),
    conv1Stride: z.tuple([posInt(), posInt()]).default([1, 1]).describe('simple-cnn first conv stride (the original used [2, 4] on full-size spectrograms)'),
    epochs: posInt().default(30),
    batchSize: posInt().default(32),
    dropLast: z.boolean().default(true),
    optimizer: z.strictObject({
      name: z.enum(['adam', 'adamw']).default('adam'),
      lr: z.number().positive().default(0.03),
      weightDecay: z.number().nonnegative().default(1e-5),
      beta1: z.number().min(0).lt(1).default(0.9),
      beta2: z.number().min(0).lt(1).default(0.999),
      epsilon: z.number().positive().default(1e-8),
    }).default({ name: 'adam', lr: 0.03, weightDecay: 1e-5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
    scheduler: z.strictObject({
      name: z.enum(['plateau', 'none']).default('plateau'),
      factor: z.number().gt(0).lt(1).default(0.5),
      patience: nonNegInt().default(3),
    }).default({ name: 'plateau', factor: 0.5, patience: 3 }),
    margin: z.number().nonnegative().default(10),
    losses: z.strictObject({
      baseline: z.boolean().default(true).describe('train the plain MarginRankingLoss run'),
      ghm: ghmLoss.default(ghmLoss.parse({})),
    }).default({ baseline: true, ghm: ghmLoss.parse({}) }),
    checkpointEvery: posInt().default(5),
    workers: nonNegInt().default(0).describe('parallel training runs (0 = number of cores)'),
  }),
  snapshots: z.strictObject({
    epochs: z.array(posInt()).min(1).default([1, 30, 60]),
    batch: z.enum(['first', 'last']).default('first').describe('which recorded training batch (batch 0 or the last batch)'),
    densityEpochs: posInt().default(5).describe('how many evenly spaced epochs the density-evolution chart shows'),
    stages: z.strictObject({
      early: epochRange.optional(),
      middle: epochRange.optional(),
      late: epochRange.optional(),
    }).default({}).describe('epoch ranges [from, to] for the early/middle/late weight comparison (default: first, middle and last sixth)'),
  }).default({ epochs: [1, 30, 60], batch: 'first', densityEpochs: 5, stages: {} }),
  analyses: z.strictObject({
    imbalance: imbalance.default(imbalance.parse({})),
    linear: linear.default(linear.parse({})),
  }).default({ imbalance: imbalance.parse({}), linear: linear.parse({}) }),
  report: z.strictObject({
    languages: z.array(z.enum(LANGUAGES)).min(1).default(['zh-TW', 'en']),
    formats: z.array(z.enum(FORMATS)).min(1).default(['md', 'html', 'pdf']),
    primaryFrequency: frequency.optional().describe('frequency whose run the training and gradient figures show (default: the first)'),
    chart: z.strictObject({
      width: posInt().default(1000),
      height: posInt().default(600),
      pixelRatio: z.number().positive().max(4).default(2),
    }).default({ width: 1000, height: 600, pixelRatio: 2 }),
  }).default({ languages: ['zh-TW', 'en'], formats: ['md', 'html', 'pdf'], chart: { width: 1000, height: 600, pixelRatio: 2 } }),
  history: z.strictObject({
    keep: posInt().default(10).describe('how many completed runs to keep under output/<name>/runs/'),
    threshold: z.number().nonnegative().default(0.02).describe('relative change above which a metric is listed as changed'),
  }).default({ keep: 10, threshold: 0.02 }),
});

/** The experiment as written, after defaults. */
export type ExperimentInput = z.infer<typeof experimentSchema>;
