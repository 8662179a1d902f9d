/**
 * Everything the report reads, loaded from the upstream stages' folders into one typed bundle.
 * Only files typed in core/artifacts.ts are read; a missing or unreadable file is a StageError
 * naming the file and the stage that should have written it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ChartsIndex, ImbalanceArtifact, LinearArtifact, LossKind, PairSet, RunSnapshots, SnapshotsArtifact,
  SpectrogramIndex, Split, SummaryArtifact, TrainHistory, TrainSummary,
} from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';
import { StageError } from '../core/errors.ts';

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

function readArtifact<T>(path: string, stage: string, what: string): T {
  if (!existsSync(path))
    throw new StageError(`report: ${path} is missing; expected ${what} written by the ${stage} stage (run the pipeline with --from ${stage}).`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new StageError(`report: ${path} is not valid JSON (${(e as Error).message}); expected ${what} written by the ${stage} stage.`);
  }
}

export function loadInputs(config: ResolvedConfig, dirs: UpstreamDirs): ReportInputs {
  const datasets = config.data.frequencies.map((frequency): Dataset => {
    const dir = join(dirs.preprocess, frequency);
    return {
      frequency,
      index: readArtifact<SpectrogramIndex>(join(dir, 'index.json'), 'preprocess', `the ${frequency} spectrogram index`),
      splits: config.seeds.map((s) => readArtifact<Split>(join(dir, `split-s${s}.json`), 'preprocess', `the ${frequency} split for seed ${s}`)),
      pairs: config.seeds.map((s) => readArtifact<PairSet>(join(dir, `pairs-s${s}.json`), 'preprocess', `the ${frequency} pairs for seed ${s}`)),
    };
  });
  const train = readArtifact<TrainSummary>(join(dirs.train, 'runs.json'), 'train', 'the list of training runs');
  const histories = new Map<string, TrainHistory>();
  for (const r of train.runs)
    histories.set(r.info.id, readArtifact<TrainHistory>(join(dirs.train, r.history), 'train', `the history of run ${r.info.id}`));
  const a = config.analyses;
  return {
    config,
    datasets,
    train,
    histories,
    snapshots: readArtifact<SnapshotsArtifact>(join(dirs.analyze, 'snapshots.json'), 'analyze', 'the gradient snapshots'),
    imbalance: a.imbalance.enabled
      ? readArtifact<ImbalanceArtifact>(join(dirs.analyze, 'imbalance.json'), 'analyze', 'the imbalance test') : undefined,
    linear: a.linear.enabled
      ? readArtifact<LinearArtifact>(join(dirs.analyze, 'linear.json'), 'analyze', 'the linear comparison') : undefined,
    summary: readArtifact<SummaryArtifact>(join(dirs.analyze, 'summary.json'), 'analyze', 'the accuracy summary'),
    charts: readArtifact<ChartsIndex>(join(dirs.charts, 'charts.json'), 'charts', 'the chart index'),
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
