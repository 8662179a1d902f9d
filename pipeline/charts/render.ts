/**
 * Rendering: a FigureSpec → PNG bytes. Chart.js 4 draws each panel on its own @napi-rs/canvas
 * canvas (no animation, fixed size, white background); the panels are then copied onto one
 * canvas on a cols × rows grid under the figure title. Text uses Noto Sans TC (Traditional
 * Chinese and Latin glyphs), registered with the canvas and named as Chart.js's font family —
 * registering alone would still draw boxes for CJK text. Same spec, same bytes.
 */
import { cjkFontPath } from '../lib/fonts.ts';
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, PngFilter } from '@napi-rs/canvas';
import { Chart, registerables, type Plugin } from 'chart.js';
import { StageError } from '../core/errors.ts';
import { TITLE_SIZE } from './style.ts';
import type { ChartSize, FigureSpec, PanelConfig } from './types.ts';

export const FONT_FAMILY = 'Noto Sans TC';
/**
 * zlib level 6 without row filters: charts are flat colours, where libpng's adaptive filtering
 * costs 2–3× the time for larger files.
 */
const PNG_OPTIONS = { compressionLevel: 6, filters: PngFilter.None };
const TEXT_COLOR = '#222';

/** The OTF shipped by @embedpdf/fonts-tc (Noto Sans Hant Regular). */
export function fontFile(): string {
  return cjkFontPath('Regular');
}

let ready = false;

/** Register the font and Chart.js's components once per process. */
export function setupRendering(): void {
  if (ready) return;
  if (!GlobalFonts.has(FONT_FAMILY)) {
    const file = fontFile();
    if (!existsSync(file) || !GlobalFonts.registerFromPath(file, FONT_FAMILY))
      throw new StageError(`charts: cannot load the chart font ${file}; reinstall the @embedpdf/fonts-tc package (npm ci).`);
  }
  Chart.register(...registerables);
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.color = TEXT_COLOR;
  ready = true;
}

/** Paints the chart area white before Chart.js draws (PNG would otherwise be transparent). */
const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Logical size of a figure: the configured width, one configured height per grid row. */
export function figureSize(spec: FigureSpec, size: ChartSize): { width: number; height: number } {
  return { width: size.width, height: size.height * spec.rows };
}

/** Pixel size of the PNG a figure renders to. */
export function pixelSize(spec: FigureSpec, size: ChartSize): { width: number; height: number } {
  const f = figureSize(spec, size);
  return { width: Math.floor(f.width * size.pixelRatio), height: Math.floor(f.height * size.pixelRatio) };
}

function titleBand(spec: FigureSpec): number {
  return spec.title ? Math.round(TITLE_SIZE * 2.5) : 0;
}

type Target = ReturnType<ReturnType<typeof createCanvas>['getContext']>;

/**
 * Draw one panel with Chart.js at logical size w × h and copy it onto `target` at device pixels
 * (x, y). The copy happens before the chart is destroyed, since destroying clears its canvas.
 */
function drawPanel(config: PanelConfig, w: number, h: number, dpr: number, target: Target, x: number, y: number): void {
  const canvas = createCanvas(w, h);
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, {
    ...config,
    options: {
      ...config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: dpr,
    },
    plugins: [...(config.plugins ?? []), whiteBackground],
  });
  target.drawImage(canvas, x, y);
  chart.destroy();
}

/** Render a figure to PNG bytes of `pixelSize(spec, size)`. */
export function renderFigure(spec: FigureSpec, size: ChartSize): Buffer {
  setupRendering();
  if (spec.panels.length === 0 || spec.panels.length > spec.cols * spec.rows)
    throw new StageError(`charts: figure ${spec.id} has ${spec.panels.length} panels for a ${spec.cols} × ${spec.rows} grid.`);
  const dpr = size.pixelRatio;
  const { width: W, height: H } = figureSize(spec, size);
  const px = pixelSize(spec, size);
  const out = createCanvas(px.width, px.height);
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, px.width, px.height);

  const band = titleBand(spec);
  spec.panels.forEach((panel, i) => {
    const col = i % spec.cols;
    const row = Math.floor(i / spec.cols);
    const x0 = Math.round((col * W) / spec.cols);
    const x1 = Math.round(((col + 1) * W) / spec.cols);
    const y0 = band + Math.round((row * (H - band)) / spec.rows);
    const y1 = band + Math.round(((row + 1) * (H - band)) / spec.rows);
    drawPanel(panel, x1 - x0, y1 - y0, dpr, ctx, Math.round(x0 * dpr), Math.round(y0 * dpr));
  });

  if (spec.title) {
    ctx.save();
    ctx.scale(dpr, dpr);
    ctx.fillStyle = TEXT_COLOR;
    ctx.font = `bold ${TITLE_SIZE}px "${FONT_FAMILY}"`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(spec.title, W / 2, band / 2 + 2);
    ctx.restore();
  }
  return out.toBuffer('image/png', PNG_OPTIONS);
}
