/**
 * The project's kernels for the tfjs wasm backend: the gradient kernels the backend lacks and
 * faster replacements for slow ones (see docs/backend.md for the measurements behind each).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { captureOriginal } from '../wasm-heap.ts';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './batch-norm.ts';
import { conv2DConfig } from './conv2d.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { identityConfig } from './identity.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { meanConfig, sumConfig } from './reduce.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

export const wasmKernels: KernelConfig[] = [
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  identityConfig,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  sumConfig,
  meanConfig,
  unsortedSegmentSumConfig,
];

let registered = false;

/** Register (once) the project's kernels for 'wasm', keeping the replaced originals callable. */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const k of wasmKernels) {
    captureOriginal(k.kernelName);
    if (getKernel(k.kernelName, 'wasm')) unregisterKernel(k.kernelName, 'wasm');
    registerKernel(k);
  }
  registered = true;
}
