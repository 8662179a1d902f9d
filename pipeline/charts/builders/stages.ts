/**
 * Figure 9, `ghm_weights_comparison`: early, middle and late training as three panels of one
 * figure, re-plotted from the per-stage counts and mean weights (the original pasted three PNGs
 * together). The panels share both axes.
 */
import type { RunSnapshots } from '../../core/artifacts.ts';
import type { T } from '../../lib/i18n.ts';
import { maxOf, niceCeil } from '../style.ts';
import type { FigureSpec } from '../types.ts';
import { binPanel, visibleWeights } from './bins.ts';

export function buildStages(run: RunSnapshots, t: T): FigureSpec {
  const countMax = niceCeil(maxOf(...run.stages.map((s) => s.counts)));
  const weightMax = niceCeil(maxOf(...run.stages.map((s) => visibleWeights(s.counts, s.weights))));
  return {
    id: 'ghm_weights_comparison',
    figure: 9,
    cols: run.stages.length,
    rows: 1,
    title: t('stages.title', { run: run.runId }),
    panels: run.stages.map((s) => {
      const [from, to] = s.epochs;
      const stage = t(`stages.${s.stage}`);
      return binPanel(
        {
          title: from === to ? t('stages.single', { stage, from }) : t('stages.range', { stage, from, to }),
          edges: run.edges,
          counts: s.counts,
          weights: s.weights,
          countMax,
          weightMax,
        },
        t,
      );
    }),
  };
}
