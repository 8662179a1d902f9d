/**
 * Worker-thread entry: initialises its own tfjs backend, then trains the runs the stage posts to
 * it one at a time, reporting logs, progress, results and errors as messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../core/progress.ts';
import { initBackend } from './backend/index.ts';
import { createModel } from './models.ts';
import { trainRun } from './trainer.ts';
import { serializeError, type FromWorker, type ToWorker, type WorkerData } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('pipeline/train/worker.ts runs only as a worker thread');
const post = (m: FromWorker) => port.postMessage(m);
const controller = new AbortController();
const log: Logger = {
  info: (msg) => post({ type: 'log', level: 'info', msg }),
  warn: (msg) => post({ type: 'log', level: 'warn', msg }),
  error: (msg) => post({ type: 'log', level: 'error', msg }),
  debug: (msg) => post({ type: 'log', level: 'debug', msg }),
};

async function run(spec: Extract<ToWorker, { type: 'run' }>['spec'], backend: string): Promise<void> {
  // The error is passed to the main thread, which rethrows it as the class it was.
  try {
    const info = await trainRun(spec, {
      log, signal: controller.signal, backend, createModel,
      onProgress: (advance, detail) => post({ type: 'progress', id: spec.id, advance, detail }),
    });
    post({ type: 'done', id: spec.id, info });
  } catch (e) {
    post({ type: 'error', id: spec.id, error: serializeError(e) });
  }
}

const backend = await initBackend((workerData as WorkerData).backend);
port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') controller.abort();
  else void run(m.spec, backend);
});
post({ type: 'ready', backend });
