/**
 * Figure 5, `gradient_density_evolution`: density of g (share of the batch's pairs per bin divided
 * by the bin width) against g, one line per selected epoch of the GHM run.
 */
import type { RunSnapshots } from '../../core/artifacts.ts';
import type { T } from '../../lib/i18n.ts';
import { axis, CYCLE, line, maxOf, niceCeil, plugins, TITLE_SIZE } from '../style.ts';
import type { FigureSpec } from '../types.ts';

export function buildDensity(run: RunSnapshots, t: T): FigureSpec {
  const { centers, epochs } = run.density;
  return {
    id: 'gradient_density_evolution',
    figure: 5,
    cols: 1,
    rows: 1,
    panels: [
      {
        type: 'line',
        data: {
          datasets: epochs.map((e, i) =>
            line({
              label: t('density.epoch', { epoch: e.epoch }),
              data: centers.map((x, k) => ({ x, y: e.density[k] })),
              color: CYCLE[i % CYCLE.length],
              points: 3,
            }),
          ),
        },
        options: {
          plugins: plugins(t('density.title', { run: run.runId }), TITLE_SIZE),
          scales: {
            x: axis({ title: t('axis.g'), min: run.edges[0], max: run.edges[run.edges.length - 1] }),
            y: axis({ title: t('axis.density'), min: 0, max: niceCeil(maxOf(...epochs.map((e) => e.density))) }),
          },
        },
      },
    ],
  };
}
