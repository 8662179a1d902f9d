/**
 * The tfjs backend training runs on.
 *
 * - `@tensorflow/tfjs-node` when it can be imported (it is not a dependency: its native library can
 *   no longer be downloaded, but a machine that has it gets native speed);
 * - else `@tensorflow/tfjs-backend-wasm` with SIMD on one thread (independent runs already train in
 *   parallel worker threads) and the project's kernels registered (kernels/);
 * - else the pure-JS cpu backend.
 *
 * Importing '@tensorflow/tfjs' (not only -core) matters: the gradient functions of the ops are
 * registered by that package, not by tfjs-core.
 */
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmKernels } from './kernels/index.ts';

export type BackendPreference = 'auto' | 'wasm' | 'cpu';

const ready = new Map<BackendPreference, Promise<string>>();

/** tfjs-node if importable (never required), else wasm (SIMD, one thread) with our kernels registered, else cpu. Idempotent. */
export async function initBackend(prefer: BackendPreference = 'auto'): Promise<string> {
  let p = ready.get(prefer);
  if (!p) {
    p = select(prefer);
    ready.set(prefer, p);
  }
  const name = await p;
  if (tf.getBackend() !== name) await tf.setBackend(name);
  return name;
}

async function select(prefer: BackendPreference): Promise<string> {
  if (prefer === 'auto' && (await tryNode())) return 'tensorflow';
  if (prefer !== 'cpu' && (await tryWasm())) return 'wasm';
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not start even its cpu backend');
  // The cpu backend greets Node users with a banner on first use; the manifest records the backend.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return 'cpu';
}

async function tryNode(): Promise<boolean> {
  const pkg = '@tensorflow/tfjs-node';
  try {
    await import(pkg);
  } catch {
    return false; // not installed or its native library is missing: the expected case
  }
  return tf.setBackend('tensorflow');
}

async function tryWasm(): Promise<boolean> {
  if (tf.findBackend('wasm') && tf.getBackend() === 'wasm') return true;
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  // One thread: the threaded build needs browser workers; parallelism comes from our own workers.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(dist);
  // The emscripten loader installs process-wide handlers that rethrow every uncaught error after
  // printing its whole minified source; keep Node's own handling (and our one-paragraph errors).
  const before = {
    uncaughtException: new Set(process.listeners('uncaughtException')),
    unhandledRejection: new Set(process.listeners('unhandledRejection')),
  };
  const ok = await tf.setBackend('wasm');
  for (const l of process.listeners('uncaughtException')) if (!before.uncaughtException.has(l)) process.removeListener('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (!before.unhandledRejection.has(l)) process.removeListener('unhandledRejection', l);
  if (!ok) return false;
  registerWasmKernels();
  return true;
}
