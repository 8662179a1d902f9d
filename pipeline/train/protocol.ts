/** Messages between the train stage and its worker threads. */
import type { RunInfo } from '../core/artifacts.ts';
import { ConfigError, DataError, StageError } from '../core/errors.ts';
import type { BackendPreference } from './backend/index.ts';
import type { RunSpec } from './runs.ts';

export interface WorkerData {
  backend: BackendPreference;
}

export type ToWorker =
  | { type: 'run'; spec: RunSpec }
  | { type: 'abort' };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; msg: string }
  | { type: 'progress'; id: string; advance: number; detail: string }
  | { type: 'done'; id: string; info: RunInfo }
  | { type: 'error'; id: string | null; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  keyPath?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack, keyPath: (e as Partial<ConfigError>).keyPath };
  return { name: 'Error', message: String(e) };
}

/** The error a worker reported, as the class it was thrown as (others become a StageError naming the run). */
export function reviveError(s: SerializedError, runId: string | null): Error {
  if (s.name === 'StageError') return new StageError(s.message);
  if (s.name === 'DataError') return new DataError(s.message);
  if (s.name === 'ConfigError') return new ConfigError(s.message, s.keyPath ?? '(unknown)');
  const e = new StageError(`Training ${runId ? `run ${runId}` : 'worker'} failed: ${s.name}: ${s.message}`);
  if (s.stack) e.stack = `${e.name}: ${e.message}\n  worker stack:\n${s.stack}`;
  return e;
}
