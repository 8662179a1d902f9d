/**
 * Low-level access to the tfjs wasm backend for the project's kernels: typed views of a tensor's
 * bytes on the wasm heap, fresh outputs, and calls into the backend's own (XNNPACK) kernels.
 *
 * A kernel body works directly on the heap: no copies in or out. Views must be taken after every
 * allocation of the kernel (`makeOutput` may grow the wasm memory, which detaches older views).
 */
import { getKernel, util, type DataType, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** What the project's kernels use of @tensorflow/tfjs-backend-wasm's BackendWasm (its d.ts needs emscripten's types). */
export interface BackendWasm {
  wasm: { HEAPU8: Uint8Array; asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  incRef(dataId: object): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Kernels of the wasm backend as it registered them, captured before the project replaces some. */
const originals = new Map<string, KernelFunc>();

/** Remember the backend's own implementation of `name` (call before replacing it). */
export function captureOriginal(name: string): void {
  if (originals.has(name)) return;
  const k = getKernel(name, 'wasm');
  if (k) originals.set(name, k.kernelFunc);
}

/**
 * Run a kernel of the wasm backend on tensor infos, outside the engine (no tape, no scope): the
 * caller owns the returned info and frees it with `free` unless it is the kernel's result.
 * `original: true` runs the backend's own implementation even where the project replaced it.
 */
export function call(backend: BackendWasm, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}, original = false): TensorInfo {
  const fn = original ? originals.get(name) : getKernel(name, 'wasm')?.kernelFunc;
  if (!fn) throw new Error(`wasm kernel ${name} is not registered`);
  const out = fn({ inputs, attrs, backend: backend as never });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs`);
  return out;
}

/** A new uninitialised float32 tensor on the heap. */
export function output(backend: BackendWasm, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** A new float32 tensor holding `values`. */
export function upload(backend: BackendWasm, shape: number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  f32(backend, out).set(values);
  return out;
}

/** Float32 view of a tensor's bytes (valid until the next allocation). */
export function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  const { memoryOffset } = backend.dataIdMap.get(t.dataId)!;
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, util.sizeFromShape(t.shape));
}

/** Int32 view of a tensor's bytes (valid until the next allocation). */
export function i32(backend: BackendWasm, t: TensorInfo): Int32Array {
  if (t.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${t.dtype}`);
  const { memoryOffset } = backend.dataIdMap.get(t.dataId)!;
  return new Int32Array(backend.wasm.HEAPU8.buffer, memoryOffset, util.sizeFromShape(t.shape));
}

/** The same bytes under another shape (no copy; the caller frees it like any output). */
export function reshape(backend: BackendWasm, t: TensorInfo, shape: number[]): TensorInfo {
  if (util.sizeFromShape(shape) !== util.sizeFromShape(t.shape)) throw new Error(`cannot reshape [${t.shape}] to [${shape}]`);
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** Release intermediate results. */
export function free(backend: BackendWasm, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

/** Heap offset of a tensor's bytes (what the project's wasm kernels take as a pointer). */
export function ptr(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** Float64 view of `n` doubles at a tensor's offset (scratch tensors used as double accumulators). */
export function f64(backend: BackendWasm, t: TensorInfo, n: number): Float64Array {
  return new Float64Array(backend.wasm.HEAPU8.buffer, ptr(backend, t), n);
}
