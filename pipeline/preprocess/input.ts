/**
 * The model input of one recording: the dB spectrogram cropped to [minHz, maxHz], area-averaged
 * to [height, width], then standardised per sample (mean 0, std 1). See docs/preprocessing.md for
 * the deviation from the original's batch-global normalisation.
 */
import { ConfigError, DataError } from '../core/errors.ts';
import type { Spectrogram } from './stft.ts';

export interface Crop {
  /** first and last (inclusive) frequency bin kept */
  first: number;
  last: number;
  /** their frequencies, Hz */
  hz: [number, number];
}

/** Bins k with minHz ≤ k·sampleRate/nFft ≤ maxHz. */
export function cropBins(sampleRate: number, nFft: number, minHz: number, maxHz: number): Crop {
  const hzPerBin = sampleRate / nFft;
  const first = Math.max(0, Math.ceil(minHz / hzPerBin - 1e-9));
  const last = Math.min(nFft / 2, Math.floor(maxHz / hzPerBin + 1e-9));
  if (last < first)
    throw new ConfigError(
      `preprocess.input: the crop [${minHz}, ${maxHz}] Hz holds no frequency bin (bins are ${hzPerBin} Hz apart with nFft ${nFft} at ${sampleRate} Hz); widen preprocess.input.minHz/maxHz.`,
      'preprocess.input.minHz',
    );
  return { first, last, hz: [first * hzPerBin, last * hzPerBin] };
}

/**
 * Area weights that map `from` cells onto `to` cells: output cell i averages the input interval
 * [i·from/to, (i+1)·from/to), each input cell weighted by its overlap (weights sum to 1).
 */
export function areaWeights(from: number, to: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = from / to;
  const start = new Int32Array(to);
  const weights: Float64Array[] = [];
  for (let i = 0; i < to; i++) {
    const lo = i * scale, hi = (i + 1) * scale;
    const j0 = Math.floor(lo), j1 = Math.min(from, Math.ceil(hi - 1e-12));
    const w = new Float64Array(j1 - j0);
    for (let j = j0; j < j1; j++) w[j - j0] = (Math.min(hi, j + 1) - Math.max(lo, j)) / scale;
    start[i] = j0;
    weights.push(w);
  }
  return { start, weights };
}

/** Area-average rows [rowFirst, rowLast] of a [rows, cols] array to [height, width]. */
export function areaResize(src: Float32Array, cols: number, rowFirst: number, rowLast: number, height: number, width: number): Float64Array {
  const rows = rowLast - rowFirst + 1;
  const cw = areaWeights(cols, width);
  const tmp = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const base = (rowFirst + r) * cols;
    for (let x = 0; x < width; x++) {
      const w = cw.weights[x], j0 = base + cw.start[x];
      let s = 0;
      for (let j = 0; j < w.length; j++) s += w[j] * src[j0 + j];
      tmp[r * width + x] = s;
    }
  }
  const rw = areaWeights(rows, height);
  const out = new Float64Array(height * width);
  for (let y = 0; y < height; y++) {
    const w = rw.weights[y], r0 = rw.start[y];
    for (let j = 0; j < w.length; j++) {
      const row = (r0 + j) * width, wj = w[j];
      for (let x = 0; x < width; x++) out[y * width + x] += wj * tmp[row + x];
    }
  }
  return out;
}

/** (a − mean) / std over the whole array (population std), as float32. `name` labels errors. */
export function standardize(a: ArrayLike<number>, name: string): Float32Array {
  let mean = 0;
  for (let i = 0; i < a.length; i++) mean += a[i];
  mean /= a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - mean) ** 2;
  const std = Math.sqrt(v / a.length);
  if (!(std > 0))
    throw new DataError(`${name}: the model input is constant (standard deviation 0) after cropping and resizing; the recording carries no usable spectrum in the crop.`);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] - mean) / std;
  return out;
}

/** Crop, resize and standardise a dB spectrogram into the model input [height, width]. */
export function modelInput(spec: Spectrogram, crop: Crop, height: number, width: number, name: string): Float32Array {
  return standardize(areaResize(spec.data, spec.frames, crop.first, crop.last, height, width), name);
}
