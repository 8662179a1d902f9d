/** The training runs of an experiment: one per frequency × loss × seed. */
import { join } from 'node:path';
import type { LossKind } from '../core/artifacts.ts';
import type { ResolvedConfig } from '../core/config.ts';

export type TrainConfig = ResolvedConfig['train'];

/** Everything one run needs; plain data, so it can be posted to a worker thread. */
export interface RunSpec {
  /** "<freq>-<loss>-s<seed>" */
  id: string;
  frequency: string;
  loss: LossKind;
  seed: number;
  train: TrainConfig;
  /** preprocess output folder of the frequency */
  dataDir: string;
  /** checkpoint folder, kept across interrupted runs */
  workDir: string;
  /** the run's output folder */
  outDir: string;
}

export function runId(frequency: string, loss: LossKind, seed: number): string {
  return `${frequency}-${loss}-s${seed}`;
}

/** Every frequency × (ghm, then baseline if enabled) × seed, in that nesting order. */
export function planRuns(config: ResolvedConfig, preprocessDir: string, workDir: string, outDir: string): RunSpec[] {
  const losses: LossKind[] = config.train.losses.baseline ? ['ghm', 'baseline'] : ['ghm'];
  const specs: RunSpec[] = [];
  for (const frequency of config.data.frequencies)
    for (const loss of losses)
      for (const seed of config.seeds) {
        const id = runId(frequency, loss, seed);
        specs.push({
          id, frequency, loss, seed, train: config.train,
          dataDir: join(preprocessDir, frequency),
          workDir: join(workDir, id),
          outDir: join(outDir, id),
        });
      }
  return specs;
}
