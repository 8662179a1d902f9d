/**
 * Conv2D for the wasm backend: the project's direct SIMD convolution (`conv2d_direct`,
 * wasm/kernels.c) instead of XNNPACK's. With the models' few channels (1–32) XNNPACK's indirect
 * GEMM reached ≈ 10–12 GMAC/s on the resnet's layers; the direct kernel, 2 pixels × 16 output
 * channels in SIMD registers reading x and the filter in place (no weight packing, no indirection
 * buffer — XNNPACK rebuilds both whenever a filter changes, i.e. after every optimizer step),
 * ≈ 18–19 GMAC/s. Dilated convolutions and NCHW go to the backend's own kernel.
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { call, output, ptr, type BackendWasm } from '../wasm-heap.ts';
import { projectKernels } from '../wasm/module.ts';
import type { ConvAttrs } from './conv-attrs.ts';

type Attrs = ConvAttrs & { dilations: [number, number] | number };

/**
 * One direct convolution: x [n, h, w, cin] (heap offset `x`) with the filter [fh, fw, cin, cout]
 * into an oh × ow output whose pixel (b, i, j) lies at `y` + 4·(b·ybatch + i·yrow + j·ypix) bytes.
 * Negative pads start the output inside the input; fh or fw = 0 writes zeros.
 */
export interface DirectConv {
  x: number; filter: number; y: number;
  n: number; h: number; w: number; cin: number;
  oh: number; ow: number; cout: number;
  fh: number; fw: number; sh: number; sw: number; pt: number; pl: number;
  ybatch: number; yrow: number; ypix: number;
}

export function directConv(backend: BackendWasm, c: DirectConv): void {
  projectKernels(backend).conv2d_direct(c.x, c.filter, c.y, c.n, c.h, c.w, c.cin, c.oh, c.ow, c.cout, c.fh, c.fw, c.sh, c.sw, c.pt, c.pl,
    c.ybatch, c.yrow, c.ypix);
}

function conv2D({ inputs, attrs, backend }: { inputs: { x: TensorInfo; filter: TensorInfo }; attrs: Attrs; backend: BackendWasm }): TensorInfo {
  const { x, filter } = inputs;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const dilated = typeof dilations === 'number' ? dilations !== 1 : dilations.some((d) => d !== 1);
  if (dataFormat === 'NCHW' || dilated) return call(backend, 'Conv2D', inputs as never, attrs as never, true);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, 1, pad, dimRoundingMode, false);
  const { outHeight: oh, outWidth: ow, outChannels: co } = info;
  const out = output(backend, info.outShape);
  directConv(backend, {
    x: ptr(backend, x), filter: ptr(backend, filter), y: ptr(backend, out),
    n: info.batchSize, h: info.inHeight, w: info.inWidth, cin: info.inChannels, oh, ow, cout: co,
    fh: info.filterHeight, fw: info.filterWidth, sh: info.strideHeight, sw: info.strideWidth, pt: info.padInfo.top, pl: info.padInfo.left,
    ybatch: oh * ow * co, yrow: ow * co, ypix: co,
  });
  return out;
}

export const conv2DConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2D as unknown as KernelConfig['kernelFunc'],
};
