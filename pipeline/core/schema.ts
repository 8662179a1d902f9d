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
/** Hz of a frequency name such as "3000hz". */
export const hzOf = (freq: string): number => Number(freq.replace(/hz$/, ''));
/** Angle in degrees of a class name such as "deg036". */
export const angleOf = (cls: string): number => Number(cls.slice(3));

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
  enabled: z.boolean().default(true).describe('run the imbalance demonstration: GHM weights on many easy and few hard synthetic pairs'),
  easy: posInt().default(100).describe('easy pairs: s1 in [0.5, 1.5), s2 in [0, 0.3)'),
  hard: posInt().default(20).describe('hard pairs: s1 in [0.45, 0.55), s2 in [0.44, 0.54)'),
  margin: z.number().nonnegative().default(0.1).describe('ranking margin m of the demonstration'),
  bins: posInt().default(20).describe('GHM bins of the demonstration'),
  alpha: z.number().nonnegative().default(0.75).describe('GHM alpha of the demonstration'),
  histogramBins: posInt().default(30).describe('bars of the gradient histogram figure'),
});

const linear = z.strictObject({
  enabled: z.boolean().default(true).describe('run the linear-model comparison of GHM and MarginRankingLoss'),
  samples: posInt().default(50).describe('synthetic samples X ~ N(0, 1)'),
  features: posInt().default(10).describe('features per sample (inputs of the linear model)'),
  trueWeights: z.array(z.number()).min(1).default([0.1, 0.2, 0.3, 0.4, 0.5, -0.1, -0.2, -0.3, -0.4, -0.5]).describe('weights w of the true score X·w, one per feature'),
  pairs: posInt().default(25).describe('training pairs (each uses two samples)'),
  heldOutPairs: posInt().default(25).describe('pairs not trained on, for a held-out accuracy (the original measured on the training pairs only)'),
  lr: z.number().positive().default(0.01).describe('SGD learning rate'),
  epochs: posInt().default(20).describe('full-batch training steps'),
  margin: z.number().nonnegative().default(0.1).describe('ranking margin m of both losses'),
  bins: posInt().default(10).describe('GHM bins'),
  alpha: z.number().nonnegative().default(0.75).describe('GHM alpha'),
});

const epochRange = z.tuple([posInt(), posInt()]);

export const experimentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a folder-safe name (letters, digits, ".", "_", "-")')
    .describe('experiment name; outputs go to output/<name>/'),
  title: z.strictObject({ 'zh-TW': z.string().min(1).describe('title of the Traditional Chinese report'), en: z.string().min(1).describe('title of the English report') }).describe('report title per language'),
  seed: nonNegInt().optional().describe('the seed of every random choice (default 42)'),
  seeds: z.array(nonNegInt()).min(1).optional().describe('several seeds: one training run per seed, findings as mean ± sd'),
  notes: z.strictObject({ 'zh-TW': z.string().describe('notes in the Traditional Chinese report'), en: z.string().describe('notes in the English report') }).optional().describe('free text shown in the report, per language'),
  data: z.strictObject({
    source: z.enum(['synthetic', 'directory']).default('synthetic').describe('synthetic: generate tone recordings; directory: read WAV files under data.root'),
    root: z.string().optional().describe('directory source: folder holding {class}/{material}/{material}_{class}_{freq}_{seq}.wav (relative to the YAML file)'),
    material: z.enum(['plastic', 'box']).default('plastic').describe('material of the recordings (folder and file-name part)'),
    frequencies: z.array(frequency).min(1).default(['3000hz']).describe('tone frequencies; each is trained and analysed separately'),
    classes: z.array(className).min(2).default(['deg000', 'deg036', 'deg072', 'deg108', 'deg144', 'deg180']).describe('angle classes, ranked by angle'),
    recordings: posInt().default(9).describe('recordings per class (sequence numbers 00..N-1)'),
    sampleRate: posInt().default(48000).describe('sample rate in Hz (synthetic recordings are generated at it; WAV files must match it)'),
    split: z.strictObject({
      train: z.number().gt(0).lt(1).default(0.7).describe('fraction of the recordings used for training; the rest validate'),
      stratified: z.boolean().default(false).describe('split each class separately (the original split all recordings at random)'),
    }).default({ train: 0.7, stratified: false }).describe('train / validation split of the recordings'),
    pairs: z.strictObject({
      mode: z.enum(['original', 'all']).default('original')
        .describe('original: n(n-1)/2 random draws, same-class draws dropped; all: every different-class ordered pair'),
    }).default({ mode: 'original' }).describe('how ranking pairs are drawn from the recordings of each split'),
    synthetic: z.strictObject({
      duration: z.number().positive().max(60).default(6).describe('seconds per recording'),
      snrDb: z.number().default(30).describe('background noise level, dB below the tone'),
      bitDepth: z.union([z.literal(16), z.literal(24)]).default(16).describe('bits per sample of the generated WAV files'),
    }).default({ duration: 6, snrDb: 30, bitDepth: 16 }).describe('generated recordings (data.source synthetic)'),
  }).describe('the recordings: where they come from, which ones, and how they are split and paired'),
  preprocess: z.strictObject({
    stft: z.strictObject({
      nFft: posInt().default(2048).describe('STFT window length in samples (a power of two)'),
      hop: posInt().default(256).describe('STFT hop in samples'),
    }).default({ nFft: 2048, hop: 256 }).describe('short-time Fourier transform of each recording'),
    input: z.strictObject({
      minHz: z.number().nonnegative().default(0).describe('lower edge of the frequency crop (Hz)'),
      maxHz: z.number().positive().optional().describe('upper edge of the frequency crop (default: Nyquist)'),
      height: posInt().default(64).describe('model input height (frequency rows after area-averaging)'),
      width: posInt().default(64).describe('model input width (time columns after area-averaging)'),
    }).default({ minHz: 0, height: 64, width: 64 }).describe('the spectrogram crop and size fed to the model'),
  }).default({ stft: { nFft: 2048, hop: 256 }, input: { minHz: 0, height: 64, width: 64 } }).describe('spectrograms and model inputs'),
  train: z.strictObject({
    model: z.enum(['simple-cnn', 'resnet']).default('simple-cnn').describe('simple-cnn: what the original train.py trained; resnet: the ResNet ranker the report names'),
    conv1Stride: z.tuple([posInt(), posInt()]).default([1, 1]).describe('simple-cnn first conv stride (the original used [2, 4] on full-size spectrograms)'),
    epochs: posInt().default(30).describe('training epochs (the seed report: 60)'),
    batchSize: posInt().default(32).describe('pairs per batch'),
    dropLast: z.boolean().default(true).describe('drop the last incomplete batch of an epoch, as the original did'),
    optimizer: z.strictObject({
      name: z.enum(['adam', 'adamw']).default('adam').describe('adam: weight decay added to the gradient (L2, the original); adamw: decoupled weight decay'),
      lr: z.number().positive().default(0.03).describe('learning rate'),
      weightDecay: z.number().nonnegative().default(1e-5).describe('weight decay'),
      beta1: z.number().min(0).lt(1).default(0.9).describe('Adam first-moment decay'),
      beta2: z.number().min(0).lt(1).default(0.999).describe('Adam second-moment decay'),
      epsilon: z.number().positive().default(1e-8).describe('Adam epsilon'),
    }).default({ name: 'adam', lr: 0.03, weightDecay: 1e-5, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).describe('the optimizer'),
    scheduler: z.strictObject({
      name: z.enum(['plateau', 'none']).default('plateau').describe('plateau: lower the rate when the validation loss stops improving; none: constant rate'),
      factor: z.number().gt(0).lt(1).default(0.5).describe('rate multiplier on a plateau'),
      patience: nonNegInt().default(3).describe('epochs without improvement before the rate drops'),
    }).default({ name: 'plateau', factor: 0.5, patience: 3 }).describe('the learning-rate schedule'),
    margin: z.number().nonnegative().default(10).describe('margin m of the ranking losses max(0, m − y·d)'),
    losses: z.strictObject({
      baseline: z.boolean().default(true).describe('train the plain MarginRankingLoss run'),
      ghm: ghmLoss.default(ghmLoss.parse({})).describe('the GHM-weighted run'),
    }).default({ baseline: true, ghm: ghmLoss.parse({}) }).describe('the losses trained, one run each per frequency and seed'),
    checkpointEvery: posInt().default(5).describe('save a checkpoint every N epochs and at the last epoch'),
    workers: nonNegInt().default(0).describe('parallel training runs (0 = number of cores)'),
  }).describe('the ranking model and its training'),
  snapshots: z.strictObject({
    epochs: z.array(posInt()).min(1).optional().describe('epochs whose recorded batch the gradient-distribution figures show (default: first, middle and last epoch)'),
    batch: z.enum(['first', 'last']).default('first').describe('which recorded training batch (batch 0 or the last batch)'),
    densityEpochs: posInt().default(5).describe('how many evenly spaced epochs the density-evolution chart shows'),
    stages: z.strictObject({
      early: epochRange.optional().describe('[from, to] epochs of the early stage'),
      middle: epochRange.optional().describe('[from, to] epochs of the middle stage'),
      late: epochRange.optional().describe('[from, to] epochs of the late stage'),
    }).default({}).describe('epoch ranges [from, to] for the early/middle/late weight comparison (default: first, middle and last sixth)'),
  }).default({ batch: 'first', densityEpochs: 5, stages: {} }).describe('which training batches are recorded and shown'),
  analyses: z.strictObject({
    imbalance: imbalance.default(imbalance.parse({})).describe('the imbalanced-data demonstration'),
    linear: linear.default(linear.parse({})).describe('the linear-model comparison'),
  }).default({ imbalance: imbalance.parse({}), linear: linear.parse({}) }).describe('the two stand-alone GHM analyses of the report'),
  report: z.strictObject({
    languages: z.array(z.enum(LANGUAGES)).min(1).default(['zh-TW', 'en']).describe('languages of the report, one report each'),
    formats: z.array(z.enum(FORMATS)).min(1).default(['md', 'html', 'pdf']).describe('formats written for each language'),
    primaryFrequency: frequency.optional().describe('frequency whose run the training and gradient figures show (default: the first)'),
    chart: z.strictObject({
      width: posInt().default(1000).describe('figure width in CSS pixels'),
      height: posInt().default(600).describe('figure height in CSS pixels'),
      pixelRatio: z.number().positive().max(4).default(2).describe('PNG pixels per CSS pixel'),
    }).default({ width: 1000, height: 600, pixelRatio: 2 }).describe('figure size'),
  }).default({ languages: ['zh-TW', 'en'], formats: ['md', 'html', 'pdf'], chart: { width: 1000, height: 600, pixelRatio: 2 } }).describe('the published report'),
  history: z.strictObject({
    keep: posInt().default(10).describe('how many completed runs to keep under output/<name>/runs/'),
    threshold: z.number().nonnegative().default(0.02).describe('relative change above which a metric is listed as changed'),
  }).default({ keep: 10, threshold: 0.02 }).describe('earlier runs kept for comparison'),
});

/** The experiment as written, after defaults. */
export type ExperimentInput = z.infer<typeof experimentSchema>;
