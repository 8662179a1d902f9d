/**
 * MaxPoolGrad for the wasm backend, replacing the backend's version (it revisits every window for
 * every input pixel: ≈ 30 ms for a 37×64×64×32 tensor) with the project's SIMD kernel (one pass
 * over the windows, vectorised over channels; a branch-free variant for torch's MaxPool2d(2)).
 * Each output's gradient goes to the first maximum of its window in row-major order, as the cpu
 * backend and PyTorch do, summed where windows overlap.
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { free, output, ptr, type BackendWasm } from '../wasm-heap.ts';
import { projectKernels } from '../wasm/module.ts';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad({ inputs, attrs, backend }: { inputs: { dy: TensorInfo; input: TensorInfo }; attrs: Attrs; backend: BackendWasm }): TensorInfo {
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const k = projectKernels(backend);
  const out = output(backend, input.shape);
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && 2 * oh <= h && 2 * ow <= w) {
    k.max_pool_grad_2x2(ptr(backend, input), ptr(backend, dy), ptr(backend, out), n, h, w, c, oh, ow);
    return out;
  }
  const best = output(backend, [c]);
  const at = output(backend, [c], 'int32');
  k.max_pool_grad(ptr(backend, input), ptr(backend, dy), ptr(backend, out), n, h, w, c, oh, ow, fh, fw, sh, sw, top, left, ptr(backend, best), ptr(backend, at));
  free(backend, best, at);
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
