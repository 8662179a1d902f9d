/**
 * Everything the report reads, loaded from the upstream stages' folders into one typed bundle.
 * Only files typed in core/artifacts.ts are read; a missing or unreadable file is a StageError
 * naming the file and the stage that should have written it.
 */
import { join } from 'node:path';
import {
  ARTIFACT_FILES, type ChartsIndex, type ImbalanceArtifact, type LinearArtifact, type LossKind, type PairSet, type RunSnapshots, type SnapshotsArtifact,
  type SpectrogramIndex, type Split, type SummaryArtifact, type TrainHistory, type TrainSummary,
} from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';
import { StageError } from '../core/errors.ts';
import { readArtifact } from '../core/fsutil.ts';

export interface Dataset {
  frequency: string;
  index: SpectrogramIndex;
  /** one per seed, in config.seeds order */
  splits: Split[];
  pairs: PairSet[];
}

export interface ReportInputs {
  config: ResolvedConfig;
  datasets: Dataset[];
  train: TrainSummary;
  /** by run id */
  histories: Map<string, TrainHistory>;
  snapshots: SnapshotsArtifact;
  imbalance?: ImbalanceArtifact;
  linear?: LinearArtifact;
  summary: SummaryArtifact;
  charts: ChartsIndex;
  /** folder the chart files in `charts` are relative to */
  chartsDir: string;
}

export interface UpstreamDirs { preprocess: string; train: string; analyze: string; charts: string }

export function loadInputs(config: ResolvedConfig, dirs: UpstreamDirs): ReportInputs {
  const datasets = config.data.frequencies.map((frequency): Dataset => {
    const dir = join(dirs.preprocess, frequency);
    return {
      frequency,
      index: readArtifact<SpectrogramIndex>(join(dir, ARTIFACT_FILES.spectrogramIndex), `the ${frequency} spectrogram index`, 'preprocess'),
      splits: config.seeds.map((s) => readArtifact<Split>(join(dir, ARTIFACT_FILES.split(s)), `the ${frequency} split for seed ${s}`, 'preprocess')),
      pairs: config.seeds.map((s) => readArtifact<PairSet>(join(dir, ARTIFACT_FILES.pairs(s)), `the ${frequency} pairs for seed ${s}`, 'preprocess')),
    };
  });
  const train = readArtifact<TrainSummary>(join(dirs.train, ARTIFACT_FILES.trainRuns), 'the list of training runs', 'train');
  const histories = new Map<string, TrainHistory>();
  for (const r of train.runs)
    histories.set(r.info.id, readArtifact<TrainHistory>(join(dirs.train, r.history), `the history of run ${r.info.id}`, 'train'));
  const a = config.analyses;
  return {
    config,
    datasets,
    train,
    histories,
    snapshots: readArtifact<SnapshotsArtifact>(join(dirs.analyze, ARTIFACT_FILES.snapshots), 'the gradient snapshots', 'analyze'),
    imbalance: a.imbalance.enabled
      ? readArtifact<ImbalanceArtifact>(join(dirs.analyze, ARTIFACT_FILES.imbalance), 'the imbalance test', 'analyze') : undefined,
    linear: a.linear.enabled
      ? readArtifact<LinearArtifact>(join(dirs.analyze, ARTIFACT_FILES.linear), 'the linear comparison', 'analyze') : undefined,
    summary: readArtifact<SummaryArtifact>(join(dirs.analyze, ARTIFACT_FILES.summary), 'the accuracy summary', 'analyze'),
    charts: readArtifact<ChartsIndex>(join(dirs.charts, ARTIFACT_FILES.charts), 'the chart index', 'charts'),
    chartsDir: dirs.charts,
  };
}

// ---------------------------------------------------------------- lookups

export function findHistory(inp: ReportInputs, frequency: string, loss: LossKind, seed: number): TrainHistory | undefined {
  for (const h of inp.histories.values())
    if (h.run.frequency === frequency && h.run.loss === loss && h.run.seed === seed) return h;
  return undefined;
}

export function findSnapshots(inp: ReportInputs, frequency: string, loss: LossKind, seed: number): RunSnapshots | undefined {
  return inp.snapshots.runs.find((r) => r.frequency === frequency && r.loss === loss && r.seed === seed);
}

/** The GHM history of a (frequency, seed); a StageError if the train stage did not produce it. */
export function requireGhmHistory(inp: ReportInputs, frequency: string, seed: number): TrainHistory {
  const h = findHistory(inp, frequency, 'ghm', seed);
  if (!h)
    throw new StageError(`report: the train stage's runs.json lists no GHM run for ${frequency}, seed ${seed}; expected one run per frequency, loss and seed.`);
  if (h.epochs.length === 0)
    throw new StageError(`report: the history of run ${h.run.id} has no epochs; expected ${inp.config.train.epochs}.`);
  return h;
}
