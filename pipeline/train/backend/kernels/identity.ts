/**
 * Identity for the wasm backend without a copy: the output shares the input's bytes (reference
 * counted, as Reshape does and as the cpu backend's Identity does). Tensors are immutable, so a
 * copy buys nothing; the backend's version copied, and tfjs clones every tensor a gradient saves.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '../wasm-heap.ts';

function identity({ inputs, backend }: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { x } = inputs;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelConfig['kernelFunc'],
};
