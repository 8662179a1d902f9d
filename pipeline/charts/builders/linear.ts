/**
 * Figure 8, `training_comparison`: the linear ranker trained with MarginRankingLoss and with the
 * GHM loss. Left: loss per epoch; right: pairwise accuracy on the training pairs (solid, what the
 * original measured) and on held-out pairs (dashed). MarginRankingLoss blue, GHM red, as the original.
 */
import type { LinearArtifact } from '../../core/artifacts.ts';
import { StageError } from '../../core/errors.ts';
import type { T } from '../../lib/i18n.ts';
import { axis, COLOR, epochAxis, line, maxOf, niceCeil, perEpoch, plugins } from '../style.ts';
import type { FigureSpec } from '../types.ts';

export function buildLinear(lin: LinearArtifact, seed: number, t: T): FigureSpec {
  const run = lin.runs.find((r) => r.seed === seed);
  if (!run)
    throw new StageError(
      `charts: analyze/linear.json has no run for seed ${seed} (it has seeds ${lin.runs.map((r) => r.seed).join(', ') || 'none'}); rerun the analyze stage.`,
    );
  const e = run.epochs;
  const plain = perEpoch(e, (r) => r.plainLoss);
  const ghm = perEpoch(e, (r) => r.ghmLoss);
  return {
    id: 'training_comparison',
    figure: 8,
    cols: 2,
    rows: 1,
    title: t('linear.title', { seed, variant: t(`variant.${lin.variant}`) }),
    panels: [
      {
        type: 'line',
        data: {
          datasets: [
            line({ label: t('linear.plainLoss'), data: plain, color: COLOR.blue }),
            line({ label: t('linear.ghmLoss'), data: ghm, color: COLOR.red }),
          ],
        },
        options: {
          plugins: plugins(t('linear.lossPanel')),
          scales: {
            x: epochAxis(t('axis.epoch'), e),
            y: axis({ title: t('axis.loss'), min: 0, max: niceCeil(maxOf([...plain, ...ghm].map((p) => p.y))) }),
          },
        },
      },
      {
        type: 'line',
        data: {
          datasets: [
            line({ label: t('linear.plainTrain'), data: perEpoch(e, (r) => r.plainTrainAcc), color: COLOR.blue }),
            line({ label: t('linear.ghmTrain'), data: perEpoch(e, (r) => r.ghmTrainAcc), color: COLOR.red }),
            line({ label: t('linear.plainHeld'), data: perEpoch(e, (r) => r.plainHeldAcc), color: COLOR.blue, dashed: true }),
            line({ label: t('linear.ghmHeld'), data: perEpoch(e, (r) => r.ghmHeldAcc), color: COLOR.red, dashed: true }),
          ],
        },
        options: {
          plugins: plugins(t('linear.accuracyPanel')),
          scales: { x: epochAxis(t('axis.epoch'), e), y: axis({ title: t('axis.accuracy'), min: 0, max: 100 }) },
        },
      },
    ],
  };
}
