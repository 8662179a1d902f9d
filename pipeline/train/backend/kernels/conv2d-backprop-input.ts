/**
 * Conv2DBackpropInput for the wasm backend, replacing the backend's direct loops (≈ 1 GFLOP/s)
 * with the project's direct convolution (kernels/conv2d.ts).
 *
 *   dx[n, ih, iw, ci] = Σ dy[n, oh, ow, co] · W[kh, kw, ci, co]   over ih = oh·sh + kh − pt, iw = ow·sw + kw − pl
 *
 * Sub-pixel decomposition: split dx by the phase (ih mod sh, iw mod sw). Within one phase, only the
 * taps kh ≡ (ph + pt) mod sh contribute, and they form a stride-1 correlation of dy with a smaller,
 * flipped, channel-swapped filter. So a stride-s transposed convolution becomes s² ordinary stride-1
 * convolutions that together do exactly the multiply-adds of the forward pass; each writes its
 * phase straight into dx through the output strides of `conv2d_direct` (a phase without taps
 * writes zeros). Stride 1 is the single phase (0, 0).
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { f32, free, output, ptr, upload, type BackendWasm } from '../wasm-heap.ts';
import { directConv } from './conv2d.ts';
import type { ConvAttrs } from './conv-attrs.ts';

type Attrs = ConvAttrs & { inputShape: [number, number, number, number] };

/** One axis of one phase: which taps, which rows of dy. */
interface PhaseAxis {
  /** dx rows of this phase: ph, ph + s, … (count) */
  count: number;
  /** first tap (kh ≡ r mod s) and number of taps */
  r: number;
  taps: number;
  /**
   * padding of dy for the stride-1 convolution: dx row ph + s·a reads dy rows a − pad … a − pad +
   * taps − 1 (rows outside dy read as zeros; a negative pad starts the phase inside dy)
   */
  pad: number;
}

function phaseAxis(phase: number, stride: number, pad: number, kernel: number, inSize: number): PhaseAxis {
  const count = Math.max(0, Math.ceil((inSize - phase) / stride));
  const r = (phase + pad) % stride;
  const q = Math.floor((phase + pad) / stride);
  const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
  // dx row ph + s·a reads dy rows a + q − taps + 1 … a + q
  return { count, r, taps, pad: taps - 1 - q };
}

/** W [kh, kw, ci, co] → the phase filter [th, tw, co, ci], taps reversed. */
function phaseFilter(w: Float32Array, kw: number, ci: number, co: number, ay: PhaseAxis, ax: PhaseAxis, sh: number, sw: number): Float32Array {
  const out = new Float32Array(ay.taps * ax.taps * co * ci);
  for (let t = 0; t < ay.taps; t++) {
    const fy = ay.r + sh * (ay.taps - 1 - t);
    for (let u = 0; u < ax.taps; u++) {
      const fx = ax.r + sw * (ax.taps - 1 - u);
      const src = (fy * kw + fx) * ci * co;
      const dst = (t * ax.taps + u) * co * ci;
      for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) out[dst + o * ci + c] = w[src + c * co + o];
    }
  }
  return out;
}

function conv2DBackpropInput({ inputs, attrs, backend }: { inputs: { dy: TensorInfo; filter: TensorInfo }; attrs: Attrs; backend: BackendWasm }): TensorInfo {
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false);
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const [n, h, w] = inputShape;
  const wData = f32(backend, filter).slice();
  const dx = output(backend, [n, h, w, ci]);
  for (let ph = 0; ph < Math.min(sh, h); ph++) {
    const ay = phaseAxis(ph, sh, top, kh, h);
    for (let pw = 0; pw < Math.min(sw, w); pw++) {
      const ax = phaseAxis(pw, sw, left, kw, w);
      const f = ay.taps && ax.taps ? upload(backend, [ay.taps, ax.taps, co, ci], phaseFilter(wData, kw, ci, co, ay, ax, sh, sw)) : null;
      directConv(backend, {
        x: ptr(backend, dy), filter: f ? ptr(backend, f) : 0, y: ptr(backend, dx) + 4 * (ph * w + pw) * ci,
        n, h: oh, w: ow, cin: co, oh: ay.count, ow: ax.count, cout: ci,
        fh: ay.taps, fw: ax.taps, sh: 1, sw: 1, pt: ay.pad, pl: ax.pad,
        ybatch: h * w * ci, yrow: sh * w * ci, ypix: sw * ci,
      });
      if (f) free(backend, f);
    }
  }
  return dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelConfig['kernelFunc'],
};
