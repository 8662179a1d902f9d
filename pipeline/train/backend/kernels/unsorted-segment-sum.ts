/**
 * UnsortedSegmentSum for the wasm backend (the backend has none; tfjs needs it for the gradient of
 * gather, e.g. the pair differences s[a] − s[b]): out[segmentIds[i], …] += x[i, …].
 * Ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
import { util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { f32, i32, output, type BackendWasm } from '../wasm-heap.ts';

function unsortedSegmentSum({ inputs, attrs, backend }: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; attrs: { numSegments: number }; backend: BackendWasm }): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const rows = util.sizeFromShape(segmentIds.shape);
  const inner = util.sizeFromShape(x.shape) / Math.max(1, rows);
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm): only float32 is supported, got ${x.dtype}`);
  const out = output(backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)]);
  const src = f32(backend, x);
  const ids = i32(backend, segmentIds);
  const dst = f32(backend, out);
  dst.fill(0);
  for (let i = 0; i < rows; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const s = i * inner;
    const d = id * inner;
    for (let k = 0; k < inner; k++) dst[d + k] += src[s + k];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
};
