/**
 * Conv2DBackpropInput for the wasm backend, replacing the backend's direct loops (≈ 1 GFLOP/s)
 * with XNNPACK convolutions.
 *
 *   dx[n, ih, iw, ci] = Σ dy[n, oh, ow, co] · W[kh, kw, ci, co]   over ih = oh·sh + kh − pt, iw = ow·sw + kw − pl
 *
 * Sub-pixel decomposition: split dx by the phase (ih mod sh, iw mod sw). Within one phase, only the
 * taps kh ≡ (ph + pt) mod sh contribute, and they form a stride-1 correlation of dy with a smaller,
 * flipped, channel-swapped filter. So a stride-s transposed convolution becomes s² ordinary stride-1
 * convolutions (XNNPACK) that together do exactly the multiply-adds of the forward pass, and one
 * strided copy per phase (the project's `phase_scatter` kernel) interleaves their outputs into dx.
 * For stride 1 there is a single phase and its output is dx itself.
 */
import { backend_util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { call, f32, free, output, ptr, upload, type BackendWasm } from '../wasm-heap.ts';
import { projectKernels } from '../wasm/module.ts';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** One axis of one phase: which taps, which rows of dy, how the conv output maps back. */
interface PhaseAxis {
  /** dx rows of this phase: ph, ph + s, … (count) */
  count: number;
  /** first tap (kh ≡ r mod s) and number of taps */
  r: number;
  taps: number;
  /** padding of dy for the stride-1 convolution */
  padBefore: number;
  padAfter: number;
  /** conv output row holding dx row ph + s·a is a + skip */
  skip: number;
}

function phaseAxis(phase: number, stride: number, pad: number, kernel: number, inSize: number, outSize: number): PhaseAxis {
  const count = Math.max(0, Math.ceil((inSize - phase) / stride));
  const r = (phase + pad) % stride;
  const q = Math.floor((phase + pad) / stride);
  const taps = r < kernel ? Math.ceil((kernel - r) / stride) : 0;
  // dx row ph + s·a reads dy rows a + q − taps + 1 … a + q
  const first = q - taps + 1;
  return {
    count, r, taps,
    padBefore: Math.max(0, -first),
    padAfter: Math.max(0, count - 1 + q - (outSize - 1)),
    skip: Math.max(0, first),
  };
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

  let dx: TensorInfo | null = null;
  for (let ph = 0; ph < sh; ph++) {
    const ay = phaseAxis(ph, sh, top, kh, h, oh);
    for (let pw = 0; pw < sw; pw++) {
      const ax = phaseAxis(pw, sw, left, kw, w, ow);
      if (ay.count === 0 || ax.count === 0) continue;
      if (sh === 1 && sw === 1 && ay.taps > 0 && ax.taps > 0 && ay.skip === 0 && ax.skip === 0 && oh + ay.padBefore + ay.padAfter - ay.taps + 1 === h && ow + ax.padBefore + ax.padAfter - ax.taps + 1 === w) {
        // Stride 1: the single phase's output is dx.
        const f = upload(backend, [ay.taps, ax.taps, co, ci], phaseFilter(wData, kw, ci, co, ay, ax, sh, sw));
        const res = call(backend, 'Conv2D', { x: dy, filter: f }, convAttrs(ay, ax));
        free(backend, f);
        return res;
      }
      dx ??= output(backend, [n, h, w, ci]);
      const k = projectKernels(backend);
      if (ay.taps === 0 || ax.taps === 0) {
        k.phase_scatter(0, ptr(backend, dx), n, h, w, ci, 0, 0, ph, pw, sh, sw, ay.count, ax.count, 0, 0);
        continue;
      }
      const f = upload(backend, [ay.taps, ax.taps, co, ci], phaseFilter(wData, kw, ci, co, ay, ax, sh, sw));
      const part = call(backend, 'Conv2D', { x: dy, filter: f }, convAttrs(ay, ax));
      k.phase_scatter(ptr(backend, part), ptr(backend, dx), n, h, w, ci, part.shape[1], part.shape[2], ph, pw, sh, sw, ay.count, ax.count, ay.skip, ax.skip);
      free(backend, f, part);
    }
  }
  if (!dx) throw new Error(`Conv2DBackpropInput (wasm): empty input shape [${inputShape}]`);
  return dx;
}

function convAttrs(ay: PhaseAxis, ax: PhaseAxis): never {
  return {
    strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined,
    pad: [[0, 0], [ay.padBefore, ay.padAfter], [ax.padBefore, ax.padAfter], [0, 0]],
  } as never;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelConfig['kernelFunc'],
};
