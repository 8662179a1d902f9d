/**
 * Figures 2–4, `epoch<E>_batch<b>`: for each configured snapshot epoch, the recorded training batch
 * of the GHM run — pairs per g bin and the GHM weight per bin. All snapshot figures share their
 * axes so the epochs compare directly.
 */
import type { RunSnapshots, Snapshot } from '../../core/artifacts.ts';
import { StageError } from '../../core/errors.ts';
import type { T } from '../../lib/i18n.ts';
import { maxOf, niceCeil, TITLE_SIZE } from '../style.ts';
import type { FigureSpec } from '../types.ts';
import { binPanel, visibleWeights } from './bins.ts';

/** The seed report's figure slot of the i-th snapshot (2, 3, 4; later ones share slot 4). */
export function snapshotFigure(i: number): number {
  return Math.min(2 + i, 4);
}

function snapshotAt(run: RunSnapshots, epoch: number): Snapshot {
  const s = run.snapshots.find((x) => x.epoch === epoch);
  if (!s)
    throw new StageError(
      `charts: analyze/snapshots.json has no snapshot of epoch ${epoch} for run ${run.runId} ` +
        `(it has epochs ${run.snapshots.map((x) => x.epoch).join(', ') || 'none'}); snapshots.epochs asks for it — rerun the analyze stage.`,
    );
  return s;
}

export function buildSnapshots(run: RunSnapshots, epochs: number[], t: T): FigureSpec[] {
  const snaps = epochs.map((e) => snapshotAt(run, e));
  const countMax = niceCeil(maxOf(...snaps.map((s) => s.counts)));
  const weightMax = niceCeil(maxOf(...snaps.map((s) => visibleWeights(s.counts, s.weights))));
  return snaps.map((s, i) => ({
    id: `epoch${s.epoch}_batch${s.batch}`,
    figure: snapshotFigure(i),
    cols: 1,
    rows: 1,
    panels: [
      binPanel(
        {
          title: t('snapshot.title', { epoch: s.epoch, batch: s.batch, run: run.runId }),
          titleSize: TITLE_SIZE,
          edges: run.edges,
          counts: s.counts,
          weights: s.weights,
          countMax,
          weightMax,
        },
        t,
      ),
    ],
  }));
}
