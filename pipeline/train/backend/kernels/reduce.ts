/**
 * Sum and Mean over a contiguous block of axes for the wasm backend. The backend's versions
 * transpose the reduced axes to the end first (≈ 40 ms to sum a 37×64×64×32 tensor over
 * [0, 1, 2]); here the tensor is viewed as [outer, reduced, 1, inner] and XNNPACK's average
 * pooling (one streaming pass) averages blocks of ≈ √reduced rows; the block means and any rows
 * left over are added up in float64. Other reductions (int32, scattered axes) go to the backend's
 * own kernels.
 */
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { call, f32, free, output, reshape, type BackendWasm } from '../wasm-heap.ts';

interface Attrs {
  axis: number | number[];
  keepDims: boolean;
}

/** [outer, reduced, inner] when `axes` is one contiguous block of `shape`, else null. */
export function reductionBlock(shape: number[], axes: number[]): [number, number, number] | null {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1] + 1) return null;
  const a0 = sorted[0];
  const a1 = sorted[sorted.length - 1];
  return [util.sizeFromShape(shape.slice(0, a0)), util.sizeFromShape(shape.slice(a0, a1 + 1)), util.sizeFromShape(shape.slice(a1 + 1))];
}

function makeReduce(name: 'Sum' | 'Mean'): KernelFunc {
  return ({ inputs, attrs, backend: b }) => {
    const backend = b as BackendWasm;
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as Attrs;
    const axes = util.parseAxisParam(axis, x.shape);
    const block = x.dtype === 'float32' ? reductionBlock(x.shape, axes) : null;
    if (!block || block[1] <= 1) return call(backend, name, inputs, attrs, true);
    const [outer, rows, inner] = block;
    const outShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d)).filter((_, i) => keepDims || !axes.includes(i));
    // Block of `win` rows averaged by XNNPACK; `blocks` such blocks; `rows − blocks·win` rows left.
    const win = rows <= 64 ? rows : Math.ceil(Math.sqrt(rows));
    const blocks = Math.floor(rows / win);
    const view = reshape(backend, x, [outer, rows, 1, inner]);
    const pooled = call(backend, 'AvgPool', { x: view }, { filterSize: [win, 1], strides: [win, 1], pad: 'valid', dimRoundingMode: undefined } as never);
    free(backend, view);
    const out = output(backend, outShape);
    const p = f32(backend, pooled);
    const src = f32(backend, x);
    const dst = f32(backend, out);
    const scale = name === 'Sum' ? 1 : 1 / rows;
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(0);
      for (let r = 0; r < blocks; r++) {
        const base = (o * blocks + r) * inner;
        for (let k = 0; k < inner; k++) acc[k] += p[base + k];
      }
      for (let k = 0; k < inner; k++) acc[k] *= win;
      for (let r = blocks * win; r < rows; r++) {
        const base = (o * rows + r) * inner;
        for (let k = 0; k < inner; k++) acc[k] += src[base + k];
      }
      for (let k = 0; k < inner; k++) dst[o * inner + k] = acc[k] * scale;
    }
    free(backend, pooled);
    return out;
  };
}

export const sumConfig: KernelConfig = { kernelName: 'Sum', backendName: 'wasm', kernelFunc: makeReduce('Sum') };
export const meanConfig: KernelConfig = { kernelName: 'Mean', backendName: 'wasm', kernelFunc: makeReduce('Mean') };
