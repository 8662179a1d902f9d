/**
 * The per-bin panel shared by the snapshot figures (2–4), the imbalance weights (7) and the stage
 * comparison (9): bars of pairs per g bin, the GHM weight per bin on a second axis. A bin with no
 * pairs shows no weight (the original plotted weight 1 for them, a value no pair ever received).
 */
import type { T } from '../../lib/i18n.ts';
import { axis, binLabels, COLOR, line, plugins, withAlpha } from '../style.ts';
import type { PanelConfig } from '../types.ts';

export interface BinPanel {
  title: string;
  /** bin edges, length bins + 1 */
  edges: number[];
  counts: number[];
  weights: (number | null)[];
  /** y-axis maxima (shared across the panels of a figure or a series of figures) */
  countMax: number;
  weightMax: number;
  titleSize?: number;
}

/** Weights to draw: a bin's weight where it holds pairs, nothing where it is empty. */
export function visibleWeights(counts: number[], weights: (number | null)[]): (number | null)[] {
  return weights.map((w, k) => (counts[k] > 0 && w !== null && Number.isFinite(w) ? w : null));
}

export function binPanel(p: BinPanel, t: T): PanelConfig {
  return {
    type: 'bar',
    data: {
      labels: binLabels(p.edges),
      datasets: [
        {
          type: 'bar' as const,
          pointStyle: 'rect' as const,
          label: t('bins.counts'),
          data: p.counts,
          backgroundColor: withAlpha(COLOR.blue, 0.7),
          borderColor: COLOR.blue,
          borderWidth: 1,
          barPercentage: 0.95,
          categoryPercentage: 0.95,
          yAxisID: 'y',
          order: 2,
        },
        {
          ...line({ label: t('bins.weight'), data: visibleWeights(p.counts, p.weights), color: COLOR.orange, axis: 'y1', points: 4 }),
          pointStyle: 'rectRot',
          order: 1,
        },
      ],
    },
    options: {
      plugins: plugins(p.title, p.titleSize, 'marker'),
      scales: {
        x: axis({ type: 'category', title: t('axis.gBin'), grid: false }),
        y: axis({ title: t('axis.pairs'), min: 0, max: p.countMax, position: 'left', integer: true }),
        y1: axis({ title: t('axis.weight'), min: 0, max: p.weightMax, position: 'right', grid: false }),
      },
    },
  };
}
