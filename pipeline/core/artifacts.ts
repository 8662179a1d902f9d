/**
 * The typed artifacts stages exchange on disk. A stage reads only its upstream stages' folders,
 * through these types; nothing else crosses a stage boundary.
 *
 * Folder layout under output/<experiment>/:
 *   manifest.json                      Manifest
 *   stages/<stage>/stage.json          StageRecord (cache key, why it ran, output hashes)
 *   stages/preprocess/<freq>/index.json        SpectrogramIndex
 *   stages/preprocess/<freq>/spec/<id>.npy     raw dB spectrogram [bins, frames]
 *   stages/preprocess/<freq>/input/<id>.npy    model input [height, width]
 *   stages/preprocess/<freq>/split-s<seed>.json   Split
 *   stages/preprocess/<freq>/pairs-s<seed>.json   PairSet
 *   stages/preprocess/wav/…                   synthetic recordings (data.source synthetic)
 *   stages/train/runs.json                     TrainSummary
 *   stages/train/<runId>/history.json          TrainHistory
 *   stages/train/<runId>/ghm-stats.json        GhmStatsFile
 *   stages/train/<runId>/checkpoints/…         weights + optimizer state (trainer-owned format)
 *   stages/analyze/snapshots.json              SnapshotsArtifact
 *   stages/analyze/imbalance.json              ImbalanceArtifact
 *   stages/analyze/linear.json                 LinearArtifact
 *   stages/analyze/summary.json                SummaryArtifact
 *   stages/charts/charts.json                  ChartsIndex (+ the PNGs it lists)
 *   report/                                    the published report (md, html, pdf, review, index, figures)
 */

import type { Language } from './schema.ts';

/** File names of the JSON artifacts, relative to the folder that holds them (the layout above). */
export const ARTIFACT_FILES = {
  spectrogramIndex: 'index.json',
  split: (seed: number) => `split-s${seed}.json`,
  pairs: (seed: number) => `pairs-s${seed}.json`,
  trainRuns: 'runs.json',
  history: 'history.json',
  ghmStats: 'ghm-stats.json',
  snapshots: 'snapshots.json',
  imbalance: 'imbalance.json',
  linear: 'linear.json',
  summary: 'summary.json',
  charts: 'charts.json',
} as const;

// ---------------------------------------------------------------- preprocess

export interface SpectrogramEntry {
  /** "{material}_{class}_{freq}_{seq}", e.g. plastic_deg072_3000hz_06 */
  id: string;
  class: string;
  /** degrees, from the class name */
  angle: number;
  /** index of the class in config data.classes (0-based) */
  label: number;
  material: string;
  frequency: string;
  /** two-digit sequence number as in the file name */
  seq: string;
  /** path of the WAV file (absolute for user data; relative to the index for synthetic data) */
  wav: string;
  /** sha256 of the WAV file */
  wavHash: string;
  /** raw dB spectrogram .npy [bins, frames], path relative to index.json */
  spectrogram: string;
  /** model input .npy [height, width], path relative to index.json */
  input: string;
  samples: number;
  frames: number;
}

export interface SpectrogramIndex {
  frequency: string;
  material: string;
  sampleRate: number;
  nFft: number;
  hop: number;
  bins: number;
  /** [height, width] of every model input */
  inputShape: [number, number];
  /** frequency crop actually applied, Hz */
  crop: [number, number];
  entries: SpectrogramEntry[];
}

export interface Split {
  frequency: string;
  seed: number;
  stratified: boolean;
  /** ids, in the order of the seeded permutation */
  train: string[];
  val: string[];
}

/** [firstId, secondId, target]; target +1 ⇔ the first sample has the larger angle. */
export type Pair = [string, string, 1 | -1];

export interface PairSet {
  frequency: string;
  seed: number;
  mode: 'original' | 'all';
  train: Pair[];
  val: Pair[];
}

// ---------------------------------------------------------------- train

export type LossKind = 'ghm' | 'baseline';

export interface RunInfo {
  /** "<freq>-<loss>-s<seed>", e.g. 3000hz-ghm-s42; also the run's folder name */
  id: string;
  frequency: string;
  loss: LossKind;
  seed: number;
  model: string;
  backend: string;
  parameters: number;
}

export interface EpochSplitMetrics {
  /** loss that was optimised (GHM loss for the GHM run, margin loss for the baseline) */
  mainLoss: number;
  /** plain MarginRankingLoss, mean over batches */
  plainLoss: number;
  /** GHM loss with the configured GHM parameters (for the baseline: computed, not optimised) */
  ghmLoss: number;
  /** pairwise accuracy in percent; ties count as wrong */
  accuracy: number;
  pairs: number;
}

export interface EpochRecord {
  epoch: number;
  lr: number;
  seconds: number;
  train: EpochSplitMetrics;
  val: EpochSplitMetrics;
}

export interface TrainHistory {
  run: RunInfo;
  epochs: EpochRecord[];
  /** epoch of the last checkpoint written */
  checkpoints: number[];
  seconds: number;
}

export interface GStats { mean: number; median: number; min: number; max: number; std: number }

export interface GhmBatchStats {
  epoch: number;
  /** batch index within the epoch (0 or the last) */
  batch: number;
  which: 'first' | 'last';
  /** g per pair of that batch (the GHM difficulty, same formula as the weights) */
  g: number[];
  /** pair targets (+1/−1), aligned with g */
  y: number[];
  /** pairs counted per bin (length = bins) */
  counts: number[];
  /** GHM weight per bin; null where the bin is empty */
  weights: (number | null)[];
  stats: GStats;
}

export interface GhmStatsFile {
  run: RunInfo;
  variant: 'paper' | 'original';
  bins: number;
  /** bin edges, length bins + 1 */
  edges: number[];
  batches: GhmBatchStats[];
}

export interface TrainSummary {
  backend: string;
  runs: { info: RunInfo; history: string; ghmStats: string }[];
}

// ---------------------------------------------------------------- analyze

export interface Snapshot {
  epoch: number;
  batch: number;
  counts: number[];
  weights: (number | null)[];
  stats: GStats;
  /** share of pairs in the lowest and the highest bin */
  extremeShare: { low: number; high: number };
  /** Shannon entropy of the bin distribution, bits */
  entropy: number;
}

export interface StageWeights {
  stage: 'early' | 'middle' | 'late';
  epochs: [number, number];
  /** counts summed over the stage's epochs */
  counts: number[];
  /** mean weight per bin over the stage's epochs where that bin was non-empty; null if never */
  weights: (number | null)[];
  /** spread of the non-null weights (max / min) */
  spread: number | null;
}

export interface RunSnapshots {
  runId: string;
  frequency: string;
  loss: LossKind;
  seed: number;
  bins: number;
  edges: number[];
  snapshots: Snapshot[];
  density: { centers: number[]; epochs: { epoch: number; density: number[] }[] };
  stages: StageWeights[];
}

export interface SnapshotsArtifact { runs: RunSnapshots[] }

export interface ImbalanceVariant {
  variant: 'paper' | 'original';
  g: number[];
  bins: number;
  edges: number[];
  counts: number[];
  weights: (number | null)[];
  /** per-pair weight */
  pairWeights: number[];
  easyPerBin: number[];
  hardPerBin: number[];
  ghmLoss: number;
  plainLoss: number;
}

export interface ImbalanceArtifact {
  seed: number;
  easy: number;
  hard: number;
  margin: number;
  /** d = s1 − s2 per pair; easy pairs first */
  d: number[];
  isHard: boolean[];
  /** histogram of the paper g (histogramBins bins on [min g, max g]) */
  histogram: { edges: number[]; easy: number[]; hard: number[] };
  variants: ImbalanceVariant[];
}

export interface LinearEpoch {
  epoch: number;
  plainLoss: number;
  ghmLoss: number;
  /** percent, on the training pairs (as the original) */
  plainTrainAcc: number;
  ghmTrainAcc: number;
  /** percent, on held-out pairs */
  plainHeldAcc: number;
  ghmHeldAcc: number;
}

export interface LinearRun { seed: number; epochs: LinearEpoch[] }
export interface LinearArtifact { variant: 'paper' | 'original'; runs: LinearRun[] }

export interface SummaryRow {
  frequency: string;
  seed: number;
  loss: LossKind;
  bestValAccuracy: number;
  bestEpoch: number;
  finalValAccuracy: number;
  finalTrainAccuracy: number;
}
export interface SummaryArtifact { rows: SummaryRow[] }

// ---------------------------------------------------------------- charts

export interface ChartFigure {
  /** stable id, e.g. "training_comparison_3000hz-ghm-s42", "epoch1_batch0" */
  id: string;
  /** which seed-report figure this is (1..10) */
  figure: number;
  /** PNG file per language, relative to the charts folder */
  files: Partial<Record<Language, string>>;
  width: number;
  height: number;
}
export interface ChartsIndex { figures: ChartFigure[] }

// ---------------------------------------------------------------- report

/**
 * `stages/report/metrics.json`: the numbers and verdicts a report stated, for comparing one run
 * with the previous one ("changes since the previous run") and for the nightly index.
 */
export interface ReportMetrics {
  experiment: string;
  configHash: string;
  /** config without file/hash, to name changed keys */
  config: unknown;
  versions: Record<string, string>;
  /** flat, named numbers, e.g. "3000hz.ghm.bestValAccuracy" */
  metrics: Record<string, number>;
  /** finding id → verdict */
  verdicts: Record<string, 'supported' | 'contradicted' | 'inconclusive'>;
}

// ---------------------------------------------------------------- manifest

export interface StageRecord {
  stage: string;
  key: string;
  /** the config slice the key was computed from */
  slice: unknown;
  /** content hashes of the upstream stages' outputs */
  inputs: Record<string, string>;
  code: string;
  /** hashes of files read from outside the output folder (StageDef.externalInputs) */
  external: Record<string, string>;
  /** hash of this stage's outputs */
  outputHash: string;
  /** every output file (relative path) with its size, to detect a damaged output folder */
  files: Record<string, number>;
  finishedAt: string;
  seconds: number;
}

export interface ManifestStage {
  stage: string;
  key: string;
  status: 'cached' | 'ran' | 'failed' | 'skipped';
  why: string;
  seconds: number;
}

export interface Manifest {
  experiment: string;
  configFile: string;
  configHash: string;
  config: unknown;
  seeds: number[];
  startedAt: string;
  finishedAt: string;
  stages: ManifestStage[];
  versions: Record<string, string>;
  backend?: string;
  git?: string;
}
