import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { pixelSize, renderFigure } from '../../../pipeline/charts/render.ts';
import type { FigureSpec, PanelConfig } from '../../../pipeline/charts/types.ts';
import { buildTrainingRun } from '../../../pipeline/charts/builders/training.ts';
import { createT } from '../../../pipeline/lib/i18n.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { fixtures } from './helpers.ts';

const SIZE = { width: 320, height: 200, pixelRatio: 1 };

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function pixels(png: Buffer): Promise<Uint8ClampedArray> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

/** A single bar panel whose only text of note is its title (in the chart font unless `family` is given). */
function titled(text: string, family?: string): FigureSpec {
  const panel: PanelConfig = {
    type: 'bar',
    data: { labels: ['a', 'b'], datasets: [{ label: 'x', data: [1, 2] }] },
    options: { plugins: { title: { display: true, text, font: { size: 28, ...(family ? { family } : {}) } }, legend: { display: false } } },
  };
  return { id: 'probe', figure: 0, cols: 1, rows: 1, panels: [panel] };
}

function differingPixels(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

test('a figure renders to a valid PNG of the configured size, opaque white background', async () => {
  const png = renderFigure(titled('title'), SIZE);
  assert.deepEqual(pngSize(png), { width: 320, height: 200 });
  const px = await pixels(png);
  assert.deepEqual([...px.subarray(0, 4)], [255, 255, 255, 255], 'top-left corner is opaque white');
  let transparent = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] !== 255) transparent++;
  assert.equal(transparent, 0, 'no transparent pixels');
});

test('multi-panel figures: configured width, one configured height per row, times the pixel ratio', () => {
  const spec = buildTrainingRun(fixtures.ghm(), fixtures.baseline(), createT('en', 'charts'));
  const size = { width: 300, height: 180, pixelRatio: 2 };
  assert.deepEqual(pixelSize(spec, size), { width: 600, height: 720 });
  assert.deepEqual(pngSize(renderFigure(spec, size)), { width: 600, height: 720 });
});

test('the same spec gives byte-identical PNGs', () => {
  const spec = buildTrainingRun(fixtures.ghm(), undefined, createT('zh-TW', 'charts'));
  assert.ok(renderFigure(spec, SIZE).equals(renderFigure(spec, SIZE)));
});

test('zh-TW text renders with real glyphs from the registered Noto Sans TC', async () => {
  const a = await pixels(renderFigure(titled('梯度分佈'), SIZE));
  const b = await pixels(renderFigure(titled('權重比較'), SIZE));
  // Missing glyphs draw identical boxes, so two different four-character titles would match.
  assert.ok(differingPixels(a, b) > 200, 'different characters draw different pixels');
  const missing = await pixels(renderFigure(titled('梯度分佈', 'No Such Family'), SIZE));
  assert.ok(differingPixels(a, missing) > 200, 'the registered family draws differently from a family that does not exist');
});

test('a spec with more panels than its grid holds is refused', () => {
  const spec = titled('x');
  assert.throws(() => renderFigure({ ...spec, panels: [...spec.panels, ...spec.panels] }, SIZE), StageError);
});
