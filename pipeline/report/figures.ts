/**
 * Which chart goes where, and the figures a document uses. Figures are numbered in the order
 * they appear and written as `![alt](figures/<file> "Figure N: caption")` — the shape the HTML
 * and PDF renderers rely on (the title attribute is the numbered caption).
 */
import type { ChartFigure, ChartsIndex } from '../core/artifacts.ts';
import type { Language } from '../core/schema.ts';
import { image } from './mdast.ts';
import type { Image } from 'mdast';

/** A place in the report that shows one chart, keyed to the seed report's figure number. */
export const FIGURE_SLOTS = {
  training: 1,
  density: 5,
  'imbalance-histogram': 6,
  'imbalance-weights': 7,
  linear: 8,
  'stage-weights': 9,
  summary: 10,
} as const;
export type FigureSlot = keyof typeof FIGURE_SLOTS | 'snapshot';

/** The epoch of a gradient-snapshot chart id such as "epoch30_batch0". */
export function snapshotEpochOf(id: string): number | undefined {
  const m = /(?:^|[_-])epoch(\d+)_batch\d+/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/**
 * The chart for a slot: for snapshots the one whose id names the epoch; otherwise the chart
 * with the slot's figure number, preferring the one whose id contains `prefer` (a run id).
 */
export function pickChart(charts: ChartsIndex, slot: FigureSlot, opts: { epoch?: number; prefer?: string } = {}): ChartFigure | undefined {
  if (slot === 'snapshot') return charts.figures.find((f) => snapshotEpochOf(f.id) === opts.epoch);
  const candidates = charts.figures.filter((f) => f.figure === FIGURE_SLOTS[slot]);
  return (opts.prefer !== undefined ? candidates.find((f) => f.id.includes(opts.prefer!)) : undefined) ?? candidates[0];
}

/** File name under `figures/` for a chart file (its path relative to the charts folder, flattened). */
export const figureFileName = (chartFile: string) => chartFile.replace(/\\/g, '/').split('/').filter(Boolean).join('_');

export interface UsedFigure { chartFile: string; file: string }

/** Numbers the figures of one document and remembers which chart files it needs. */
export class FigureRegistry {
  readonly used: UsedFigure[] = [];
  readonly missing: string[] = [];
  private n = 0;

  constructor(private readonly charts: ChartsIndex, private readonly lang: Language) {}

  /**
   * The image node for a slot, or undefined (remembered in `missing`) when the charts stage made
   * no such chart for this language. `title(n)` gives the numbered caption.
   */
  use(slot: FigureSlot, opts: { epoch?: number; prefer?: string }, alt: string, title: (n: number) => string): Image | undefined {
    const chart = pickChart(this.charts, slot, opts);
    const chartFile = chart?.files[this.lang];
    if (!chartFile) {
      this.missing.push(slot === 'snapshot' ? `snapshot epoch ${opts.epoch}` : `${slot} (figure ${FIGURE_SLOTS[slot]})`);
      return undefined;
    }
    const file = figureFileName(chartFile);
    if (!this.used.some((u) => u.file === file)) this.used.push({ chartFile, file });
    return image(`figures/${file}`, alt, title(++this.n));
  }
}
