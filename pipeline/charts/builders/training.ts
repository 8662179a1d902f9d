/**
 * Figure 1, `training_comparison_<runId>`: the primary frequency's GHM run and, beside it, the
 * baseline run of the same frequency and seed. Top row: loss per epoch (plain loss solid, GHM loss
 * dashed; training blue, validation red), bottom row: pairwise accuracy (training, validation).
 * Both runs share the loss axis so their magnitudes compare at a glance.
 */
import type { TrainHistory } from '../../core/artifacts.ts';
import type { T } from '../../lib/i18n.ts';
import { axis, COLOR, epochAxis, line, maxOf, niceCeil, perEpoch, plugins } from '../style.ts';
import type { FigureSpec, PanelConfig } from '../types.ts';

function lossSeries(h: TrainHistory) {
  const e = h.epochs;
  return [
    { key: 'trainPlain', color: COLOR.blue, dashed: false, data: perEpoch(e, (r) => r.train.plainLoss) },
    { key: 'trainGhm', color: COLOR.blue, dashed: true, data: perEpoch(e, (r) => r.train.ghmLoss) },
    { key: 'valPlain', color: COLOR.red, dashed: false, data: perEpoch(e, (r) => r.val.plainLoss) },
    { key: 'valGhm', color: COLOR.red, dashed: true, data: perEpoch(e, (r) => r.val.ghmLoss) },
  ];
}

function runLabel(h: TrainHistory, t: T): string {
  return t(h.run.loss === 'ghm' ? 'run.ghm' : 'run.baseline');
}

function lossPanel(h: TrainHistory, lossMax: number, t: T): PanelConfig {
  return {
    type: 'line',
    data: {
      datasets: lossSeries(h).map((s) => line({ label: t(`training.${s.key}`), data: s.data, color: s.color, dashed: s.dashed })),
    },
    options: {
      plugins: plugins(t('training.lossPanel', { run: runLabel(h, t) })),
      scales: { x: epochAxis(t('axis.epoch'), h.epochs), y: axis({ title: t('axis.loss'), min: 0, max: lossMax }) },
    },
  };
}

function accuracyPanel(h: TrainHistory, t: T): PanelConfig {
  const e = h.epochs;
  return {
    type: 'line',
    data: {
      datasets: [
        line({ label: t('training.trainAccuracy'), data: perEpoch(e, (r) => r.train.accuracy), color: COLOR.blue }),
        line({ label: t('training.valAccuracy'), data: perEpoch(e, (r) => r.val.accuracy), color: COLOR.red }),
      ],
    },
    options: {
      plugins: plugins(t('training.accuracyPanel', { run: runLabel(h, t) })),
      scales: { x: epochAxis(t('axis.epoch'), e), y: axis({ title: t('axis.accuracy'), min: 0, max: 100 }) },
    },
  };
}

export function buildTrainingRun(ghm: TrainHistory, baseline: TrainHistory | undefined, t: T): FigureSpec {
  const runs = baseline ? [ghm, baseline] : [ghm];
  const lossMax = niceCeil(maxOf(...runs.flatMap((h) => lossSeries(h).map((s) => s.data.map((p) => p.y)))));
  return {
    id: `training_comparison_${ghm.run.id}`,
    figure: 1,
    cols: runs.length,
    rows: 2,
    title: t('training.title', { frequency: ghm.run.frequency, seed: ghm.run.seed }),
    panels: [...runs.map((h) => lossPanel(h, lossMax, t)), ...runs.map((h) => accuracyPanel(h, t))],
  };
}
