/**
 * What a chart builder produces: a figure made of one or more Chart.js panels laid out on a
 * grid, plus the figure-level title of multi-panel figures. Builders are pure functions of the
 * artifacts and a translator; `render.ts` turns a FigureSpec into a PNG.
 */
import type { ChartConfiguration, ChartType, Point } from 'chart.js';

/** One chart area: a plain Chart.js configuration (bar and line datasets may be mixed). */
export type PanelConfig = ChartConfiguration<ChartType, (number | null | Point)[], string>;

export interface FigureSpec {
  /** stable id and file stem, e.g. "epoch1_batch0" */
  id: string;
  /** which seed-report figure this is (1..10) */
  figure: number;
  /** grid of panels, filled row by row */
  cols: number;
  rows: number;
  /** figure-level title drawn above the grid (multi-panel figures); single panels title themselves */
  title?: string;
  panels: PanelConfig[];
}

/** Logical size of one grid row and the device pixel ratio (config.report.chart). */
export interface ChartSize {
  width: number;
  height: number;
  pixelRatio: number;
}
