/**
 * Figures 6 and 7, from the synthetic imbalance analysis:
 * `imbalanced_gradient_distribution` — histogram of g with easy and hard pairs stacked in two
 * colours (the original drew one colour, hiding that the "hard" pairs sit at the other end);
 * `imbalanced_ghm_weights` — pairs and GHM weight per bin, the paper variant beside the original.
 */
import type { ImbalanceArtifact } from '../../core/artifacts.ts';
import type { T } from '../../lib/i18n.ts';
import { axis, binLabels, COLOR, maxOf, niceCeil, plugins, TITLE_SIZE, withAlpha } from '../style.ts';
import type { FigureSpec } from '../types.ts';
import { binPanel, visibleWeights } from './bins.ts';

export function buildImbalanceHistogram(imb: ImbalanceArtifact, t: T): FigureSpec {
  const h = imb.histogram;
  const stackMax = maxOf(h.easy.map((e, k) => e + h.hard[k]));
  const bar = (label: string, data: number[], color: string) => ({
    type: 'bar' as const,
    pointStyle: 'rect' as const,
    label,
    data,
    backgroundColor: withAlpha(color, 0.75),
    borderColor: color,
    borderWidth: 1,
    barPercentage: 1,
    categoryPercentage: 0.95,
  });
  return {
    id: 'imbalanced_gradient_distribution',
    figure: 6,
    cols: 1,
    rows: 1,
    panels: [
      {
        type: 'bar',
        data: {
          labels: binLabels(h.edges),
          datasets: [bar(t('imbalance.easy'), h.easy, COLOR.green), bar(t('imbalance.hard'), h.hard, COLOR.red)],
        },
        options: {
          plugins: plugins(t('imbalance.histogramTitle', { easy: imb.easy, hard: imb.hard }), TITLE_SIZE, 'marker'),
          scales: {
            x: axis({ type: 'category', title: t('axis.g'), stacked: true, grid: false }),
            y: axis({ title: t('axis.pairs'), min: 0, max: niceCeil(stackMax), stacked: true, integer: true }),
          },
        },
      },
    ],
  };
}

export function buildImbalanceWeights(imb: ImbalanceArtifact, t: T): FigureSpec {
  const countMax = niceCeil(maxOf(...imb.variants.map((v) => v.counts)));
  return {
    id: 'imbalanced_ghm_weights',
    figure: 7,
    cols: imb.variants.length,
    rows: 1,
    title: t('imbalance.weightsTitle'),
    panels: imb.variants.map((v) =>
      binPanel(
        {
          title: t('imbalance.variantPanel', {
            variant: t(`variant.${v.variant}`),
            ghm: v.ghmLoss.toFixed(4),
            plain: v.plainLoss.toFixed(4),
          }),
          edges: v.edges,
          counts: v.counts,
          weights: v.weights,
          countMax,
          // the variants weigh on different scales (mean 1 vs count^-alpha): each keeps its own axis
          weightMax: niceCeil(maxOf(visibleWeights(v.counts, v.weights))),
        },
        t,
      ),
    ),
  };
}
