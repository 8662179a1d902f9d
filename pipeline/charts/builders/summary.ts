/**
 * Figure 10, `summary_accuracy`: best and final validation accuracy of every frequency (and seed,
 * when there are several), GHM beside the baseline. Full colour: best; pale: final; values on the bars.
 */
import type { LossKind, SummaryArtifact, SummaryRow } from '../../core/artifacts.ts';
import type { T } from '../../lib/i18n.ts';
import { axis, barValueLabels, COLOR, plugins, TITLE_SIZE, withAlpha } from '../style.ts';
import type { FigureSpec } from '../types.ts';

const LOSS_COLOR: Record<LossKind, string> = { ghm: COLOR.red, baseline: COLOR.blue };

export function buildSummary(summary: SummaryArtifact, t: T): FigureSpec {
  const rows = summary.rows;
  const keyOf = (r: SummaryRow) => `${r.frequency}\u0000${r.seed}`;
  const groups = [...new Map(rows.map((r) => [keyOf(r), { frequency: r.frequency, seed: r.seed }])).entries()];
  const multiSeed = new Set(rows.map((r) => r.seed)).size > 1;
  const labels = groups.map(([, g]) => (multiSeed ? t('summary.category', g) : g.frequency));
  const losses = (['ghm', 'baseline'] as const).filter((l) => rows.some((r) => r.loss === l));
  const value = (loss: LossKind, pick: (r: SummaryRow) => number) =>
    groups.map(([key]) => {
      const r = rows.find((x) => x.loss === loss && keyOf(x) === key);
      return r ? pick(r) : null;
    });
  const bar = (label: string, data: (number | null)[], color: string, alpha: number) => ({
    type: 'bar' as const,
    pointStyle: 'rect' as const,
    label,
    data,
    backgroundColor: withAlpha(color, alpha),
    borderColor: color,
    borderWidth: 1,
  });
  return {
    id: 'summary_accuracy',
    figure: 10,
    cols: 1,
    rows: 1,
    panels: [
      {
        type: 'bar',
        data: {
          labels,
          datasets: [
            ...losses.map((l) => bar(t(`summary.${l}Best`), value(l, (r) => r.bestValAccuracy), LOSS_COLOR[l], 0.85)),
            ...losses.map((l) => bar(t(`summary.${l}Final`), value(l, (r) => r.finalValAccuracy), LOSS_COLOR[l], 0.35)),
          ],
        },
        options: {
          plugins: plugins(t('summary.title'), TITLE_SIZE, 'marker'),
          scales: {
            x: axis({ type: 'category', title: t('axis.run'), grid: false }),
            y: axis({ title: t('axis.valAccuracy'), min: 0, max: 100 }),
          },
        },
        plugins: [barValueLabels],
      },
    ],
  };
}
