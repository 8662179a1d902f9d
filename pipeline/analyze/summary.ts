/** One summary row per training run: best validation accuracy (first maximum) and final accuracies. */
import type { SummaryRow, TrainHistory } from '../core/artifacts.ts';
import { StageError } from '../core/errors.ts';

export function summaryRow(h: TrainHistory, source: string): SummaryRow {
  const epochs = h.epochs;
  if (epochs.length === 0) throw new StageError(`${source}: run ${h.run.id} has no epochs recorded; expected at least one.`);
  let best = epochs[0];
  for (const e of epochs) if (e.val.accuracy > best.val.accuracy) best = e;
  const last = epochs[epochs.length - 1];
  return {
    frequency: h.run.frequency,
    seed: h.run.seed,
    loss: h.run.loss,
    bestValAccuracy: best.val.accuracy,
    bestEpoch: best.epoch,
    finalValAccuracy: last.val.accuracy,
    finalTrainAccuracy: last.train.accuracy,
  };
}
