/**
 * Loads kernels.wasm (built from kernels.c by build.sh) into the tfjs wasm backend's memory, so its
 * functions work in place on tensors: arguments are heap offsets (`backend.dataIdMap` →
 * `memoryOffset`) and sizes.
 */
import { readFileSync } from 'node:fs';
import type { BackendWasm } from '../wasm-heap.ts';

type Fn<N extends number> = (...args: number[] & { length: N }) => void;

export interface KernelExports {
  bn_stats: Fn<6>;
  channel_affine: Fn<8>;
  bn_grad_stats: Fn<10>;
  bn_grad_apply: Fn<12>;
  max_pool_grad: Fn<17>;
  max_pool_grad_2x2: Fn<9>;
  conv_filter_grad: Fn<16>;
  conv2d_direct: Fn<19>;
}

const NAMES: (keyof KernelExports)[] = ['bn_stats', 'channel_affine', 'bn_grad_stats', 'bn_grad_apply', 'max_pool_grad', 'max_pool_grad_2x2', 'conv_filter_grad', 'conv2d_direct'];

let instance: { memory: WebAssembly.Memory; exports: KernelExports } | null = null;

/** The project's wasm kernels, instantiated (once) on `backend`'s memory. */
export function projectKernels(backend: BackendWasm): KernelExports {
  const memory = backend.wasm.asm.memory;
  if (instance && instance.memory === memory) return instance.exports;
  const bytes = readFileSync(new URL('./kernels.wasm', import.meta.url));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  for (const name of NAMES) if (typeof inst.exports[name] !== 'function') throw new Error(`kernels.wasm lacks ${name}: rebuild it with build.sh`);
  instance = { memory, exports: inst.exports as unknown as KernelExports };
  return instance.exports;
}
