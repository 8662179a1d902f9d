/**
 * Runs the training runs: in worker threads when more than one worker is wanted (each worker
 * initialises its own backend and trains one run at a time), else in this thread. Every run is
 * deterministic on its own, so the results do not depend on the number of workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunInfo } from '../core/artifacts.ts';
import { StageError } from '../core/errors.ts';
import type { Logger, Progress, Task } from '../core/progress.ts';
import type { BackendPreference } from './backend/index.ts';
import { reviveError, serializeError, type FromWorker, type ToWorker, type WorkerData } from './protocol.ts';
import type { RunSpec } from './runs.ts';

export interface PoolOptions {
  /** parallel runs; 0 = number of cores */
  workers: number;
  backend: BackendPreference;
  log: Logger;
  progress: Progress;
  signal: AbortSignal;
}

export interface PoolResult {
  /** in the order of the specs */
  infos: RunInfo[];
  backend: string;
}

export function workerCount(requested: number, runs: number): number {
  return Math.max(1, Math.min(requested > 0 ? requested : availableParallelism(), runs));
}

export async function runAll(specs: RunSpec[], o: PoolOptions): Promise<PoolResult> {
  const tasks = new Map(specs.map((s) => [s.id, o.progress.task(s.id, s.train.epochs)]));
  const n = workerCount(o.workers, specs.length);
  o.log.debug(`train: ${specs.length} run(s) on ${n} ${n === 1 ? 'thread' : 'worker threads'}`);
  return n === 1 ? runInProcess(specs, o, tasks) : runInWorkers(specs, n, o, tasks);
}

async function runInProcess(specs: RunSpec[], o: PoolOptions, tasks: Map<string, Task>): Promise<PoolResult> {
  // Loaded here, not at the top: with worker threads this thread never needs tfjs.
  const [{ initBackend }, { createModel }, { trainRun }] = await Promise.all([
    import('./backend/index.ts'), import('./models.ts'), import('./trainer.ts'),
  ]);
  const backend = await initBackend(o.backend);
  const infos: RunInfo[] = [];
  for (const spec of specs) {
    const task = tasks.get(spec.id)!;
    infos.push(await trainRun(spec, { log: o.log, signal: o.signal, backend, createModel, onProgress: (k, detail) => task.tick(k, detail) }));
    task.done();
  }
  return { infos, backend };
}

function runInWorkers(specs: RunSpec[], n: number, o: PoolOptions, tasks: Map<string, Task>): Promise<PoolResult> {
  return new Promise((resolve, reject) => {
    const queue = [...specs];
    const infos = new Map<string, RunInfo>();
    const workers: Worker[] = [];
    let backend = '';
    let firstError: Error | undefined;
    let alive = n;
    const abortAll = () => { for (const w of workers) w.postMessage({ type: 'abort' } satisfies ToWorker); };
    const fail = (e: Error) => {
      if (firstError) return;
      firstError = e;
      abortAll();
    };
    const finish = () => {
      if (--alive > 0) return;
      o.signal.removeEventListener('abort', abortAll);
      if (firstError) reject(firstError);
      else resolve({ infos: specs.map((s) => infos.get(s.id)!), backend });
    };
    o.signal.addEventListener('abort', abortAll, { once: true });

    for (let i = 0; i < n; i++) {
      const data: WorkerData = { backend: o.backend };
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data });
      workers.push(w);
      let current: string | null = null;
      const next = () => {
        const spec = firstError || o.signal.aborted ? undefined : queue.shift();
        current = spec?.id ?? null;
        if (spec) w.postMessage({ type: 'run', spec } satisfies ToWorker);
        else void w.terminate();
      };
      w.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            backend ||= m.backend;
            next();
            break;
          case 'log':
            o.log[m.level](m.msg);
            break;
          case 'progress':
            tasks.get(m.id)?.tick(m.advance, m.detail);
            break;
          case 'done':
            infos.set(m.id, m.info);
            tasks.get(m.id)?.done();
            next();
            break;
          case 'error':
            fail(reviveError(m.error, m.id));
            next();
            break;
        }
      });
      w.on('error', (e) => fail(reviveError(serializeError(e), current)));
      w.on('exit', (code) => {
        if (current !== null) fail(new StageError(`The worker thread training run ${current} exited (code ${code}) before finishing it.`));
        current = null;
        finish();
      });
    }
  });
}
