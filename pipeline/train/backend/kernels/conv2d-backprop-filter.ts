/**
 * Conv2DBackpropFilter for the wasm backend (the backend has none):
 *
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + kh − pt, ow·sw + kw − pl, ci] · dy[n, oh, ow, co]
 *
 * computed by the project's SIMD kernel `conv_filter_grad` (wasm/kernels.c) straight from x and dy.
 * Expressed as an XNNPACK convolution instead (x transposed to [ci, h, w, n] convolved with dy
 * transposed to [oh, ow, n, co] as the filter, dilated by the stride), the filter — as large as
 * dy — is repacked on every call, which made it 2–9× slower than this kernel (docs/backend.md).
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { output, ptr, type BackendWasm } from '../wasm-heap.ts';
import { projectKernels } from '../wasm/module.ts';
import type { ConvAttrs } from './conv-attrs.ts';

type Attrs = ConvAttrs & { filterShape: [number, number, number, number] };

function conv2DBackpropFilter({ inputs, attrs, backend }: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: Attrs; backend: BackendWasm }): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const out = output(backend, filterShape);
  projectKernels(backend).conv_filter_grad(ptr(backend, x), ptr(backend, dy), ptr(backend, out), n, h, w, ci, oh, ow, co,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
