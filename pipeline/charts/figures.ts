/** Every figure of one language, in report order, from the loaded inputs. */
import type { T } from '../lib/i18n.ts';
import { buildDensity } from './builders/density.ts';
import { buildImbalanceHistogram, buildImbalanceWeights } from './builders/imbalance.ts';
import { buildLinear } from './builders/linear.ts';
import { buildSnapshots } from './builders/snapshot.ts';
import { buildStages } from './builders/stages.ts';
import { buildSummary } from './builders/summary.ts';
import { buildTrainingRun } from './builders/training.ts';
import type { ChartInputs } from './inputs.ts';
import type { FigureSpec } from './types.ts';

export interface FigureOptions {
  snapshotEpochs: number[];
  /** seed of the linear-model run shown (the first configured seed) */
  seed: number;
}

export function buildFigures(inp: ChartInputs, o: FigureOptions, t: T): FigureSpec[] {
  return [
    buildTrainingRun(inp.ghmHistory, inp.baselineHistory, t),
    ...buildSnapshots(inp.ghmSnapshots, o.snapshotEpochs, t),
    buildDensity(inp.ghmSnapshots, t),
    ...(inp.imbalance ? [buildImbalanceHistogram(inp.imbalance, t), buildImbalanceWeights(inp.imbalance, t)] : []),
    ...(inp.linear ? [buildLinear(inp.linear, o.seed, t)] : []),
    buildStages(inp.ghmSnapshots, t),
    buildSummary(inp.summary, t),
  ];
}
