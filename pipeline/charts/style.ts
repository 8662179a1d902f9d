/**
 * The look shared by every chart: colours (matplotlib's tab10, as the original figures used),
 * line styles and the option fragments builders assemble their configurations from.
 */
import type { Plugin } from 'chart.js';
import type { PanelConfig } from './types.ts';

export const COLOR = {
  blue: '#1f77b4',
  orange: '#ff7f0e',
  green: '#2ca02c',
  red: '#d62728',
  purple: '#9467bd',
} as const;

/** Colour cycle for series that have no fixed meaning (density per epoch). */
export const CYCLE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Dashed stroke (GHM loss series, held-out series). */
export const DASH = [7, 4];

export const TITLE_SIZE = 16;
export const PANEL_TITLE_SIZE = 14;

/** `#rrggbb` with an alpha, as an rgba() string. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * Smallest "nice" number (1, 2, 2.5 or 5 × 10^k) at or above v, for axis maxima shared by
 * several panels. Non-positive or non-finite input gives 1.
 */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const c = m * p;
    if (c >= v * (1 - 1e-12)) return Number(c.toPrecision(12));
  }
  return 10 * p;
}

/** Largest finite value of the given series (0 when none). */
export function maxOf(...series: ArrayLike<number | null>[]): number {
  let m = 0;
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v !== null && Number.isFinite(v) && v > m) m = v;
    }
  return m;
}

/** Tick labels for bins: the centre of each [edges[k], edges[k+1]) with enough digits to tell them apart. */
export function binLabels(edges: number[]): string[] {
  const widths = edges.slice(1).map((e, k) => e - edges[k]);
  const w = Math.min(...widths);
  const digits = Math.min(4, Math.max(1, Math.ceil(-Math.log10(w > 0 ? w : 1)) + 1));
  return widths.map((_, k) => ((edges[k] + edges[k + 1]) / 2).toFixed(digits));
}

/** Where a line's points are drawn: visible markers for short series, none for long ones. */
export function pointRadius(points: number): number {
  return points <= 25 ? 3 : 0;
}

type Options = NonNullable<PanelConfig['options']>;

/**
 * How legend entries look: "line" draws each series' stroke (colour and dash) — for line charts;
 * "marker" draws each dataset's point style — bars as squares, markers as themselves.
 */
export type LegendStyle = 'line' | 'marker';

interface LegendDataset { label?: string; borderColor?: unknown; borderDash?: unknown; borderWidth?: unknown }

/**
 * Legend entries drawn as short strokes in each dataset's colour and dash. (Chart.js's own
 * point-style entries take the point's style, which has no dash.)
 */
export function lineLegendLabels(chart: { data: { datasets: LegendDataset[] } }) {
  return chart.data.datasets.map((d, i) => ({
    text: d.label ?? '',
    strokeStyle: d.borderColor as string,
    fillStyle: d.borderColor as string,
    lineDash: (d.borderDash as number[] | undefined) ?? [],
    lineWidth: typeof d.borderWidth === 'number' ? d.borderWidth : 2,
    pointStyle: 'line' as const,
    hidden: false,
    datasetIndex: i,
  }));
}

/** Legend in dataset order (Chart.js sorts by drawing order otherwise). */
export function byDataset(a: { datasetIndex?: number }, b: { datasetIndex?: number }): number {
  return (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0);
}

/** Title and legend options of a panel. */
export function plugins(title: string, size = PANEL_TITLE_SIZE, legend: LegendStyle = 'line'): Options['plugins'] {
  return {
    title: { display: true, text: title, font: { size, weight: 'bold' }, padding: { top: 6, bottom: 8 } },
    legend: {
      display: true,
      position: 'top',
      labels: legend === 'line'
        ? { usePointStyle: true, pointStyleWidth: 34, padding: 12, generateLabels: lineLegendLabels }
        : { usePointStyle: true, padding: 12, sort: byDataset },
    },
  };
}

export interface AxisSpec {
  title: string;
  type?: 'linear' | 'category';
  min?: number;
  max?: number;
  position?: 'left' | 'right' | 'bottom';
  stacked?: boolean;
  /** integer ticks only (epochs, counts) */
  integer?: boolean;
  /** draw grid lines (default true; off for a second y axis) */
  grid?: boolean;
}

/** One scale's options. */
export function axis(a: AxisSpec): Record<string, unknown> {
  return {
    type: a.type ?? 'linear',
    ...(a.min !== undefined ? { min: a.min } : {}),
    ...(a.max !== undefined ? { max: a.max } : {}),
    ...(a.position ? { position: a.position } : {}),
    ...(a.stacked ? { stacked: true } : {}),
    title: { display: true, text: a.title, font: { size: 13 } },
    grid: { display: a.grid ?? true, color: 'rgba(0, 0, 0, 0.1)' },
    ticks: a.integer ? { precision: 0 } : {},
  };
}

export interface LineSpec {
  label: string;
  data: (number | null | { x: number; y: number })[];
  color: string;
  dashed?: boolean;
  /** y axis id (default "y") */
  axis?: string;
  points?: number;
}

/** A line dataset (mixed charts name their type per dataset). */
export function line(s: LineSpec) {
  return {
    type: 'line' as const,
    label: s.label,
    data: s.data,
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: 2,
    borderDash: s.dashed ? DASH : [],
    pointRadius: s.points ?? pointRadius(s.data.length),
    pointHoverRadius: 0,
    fill: false,
    tension: 0,
    spanGaps: false,
    yAxisID: s.axis ?? 'y',
  };
}

/** (epoch, value) points of a per-epoch series. */
export function perEpoch<E extends { epoch: number }>(epochs: E[], value: (e: E) => number): { x: number; y: number }[] {
  return epochs.map((e) => ({ x: e.epoch, y: value(e) }));
}

/** Epoch axis spanning the recorded epochs. */
export function epochAxis(title: string, epochs: { epoch: number }[]): Record<string, unknown> {
  const first = epochs.length ? epochs[0].epoch : 1;
  const last = epochs.length ? epochs[epochs.length - 1].epoch : 1;
  return axis({ title, min: first, max: Math.max(last, first + 1), integer: true });
}

/** Writes each bar's value (one decimal) above it. */
export const barValueLabels: Plugin = {
  id: 'barValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `11px ${JSON.stringify(String(chart.options.font?.family ?? ''))}`;
    ctx.fillStyle = '#222';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    chart.data.datasets.forEach((d, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.type !== 'bar' || !chart.isDatasetVisible(i)) return;
      meta.data.forEach((el, k) => {
        const v = d.data[k];
        if (typeof v === 'number' && Number.isFinite(v)) ctx.fillText(v.toFixed(1), el.x, el.y - 2);
      });
    });
    ctx.restore();
  },
};
