/**
 * Training checkpoints: a JSON file (epoch, learning rate, scheduler, optimizer step, GHM EMA
 * state, the history and GHM statistics so far, a table of tensors) and a binary file holding
 * the tensors (model state, Adam moments) as little-endian float32, back to back.
 *
 * In a run's checkpoint folder, `ckpt-eNNNN.json` + `ckpt-eNNNN.bin` are written first, then
 * `latest.json` points at them, then older checkpoints are removed: an interruption at any moment
 * leaves a complete checkpoint to resume from.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord, GhmBatchStats } from '../core/artifacts.ts';
import { readJson, writeFileAtomic, writeJson } from '../core/fsutil.ts';
import { StageError } from '../core/errors.ts';
import type { TensorState } from './models.ts';
import type { PlateauState } from './scheduler.ts';

export interface CheckpointMeta {
  format: 1;
  runId: string;
  /** hash of everything the run's results depend on; a checkpoint with another one is not resumed */
  fingerprint: string;
  /** last completed epoch (1-based) */
  epoch: number;
  /** learning rate for the next epoch */
  lr: number;
  scheduler: PlateauState | null;
  optimizerStep: number;
  ghm: { ema: number[]; steps: number } | null;
  history: EpochRecord[];
  checkpoints: number[];
  ghmBatches: GhmBatchStats[];
  /** shuffling draws from a stream per epoch: the next epoch's stream is all the RNG position there is */
  rng: { shuffleStream: string };
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  bin: string;
}

export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: Record<string, TensorState>;
}

const stem = (epoch: number) => `ckpt-e${String(epoch).padStart(4, '0')}`;

/** Write a checkpoint into `dir` and make it the latest. */
export function writeCheckpoint(
  dir: string, meta: Omit<CheckpointMeta, 'tensors' | 'bin'>, tensors: Record<string, TensorState>,
): void {
  mkdirSync(dir, { recursive: true });
  const name = stem(meta.epoch);
  const table: CheckpointMeta['tensors'] = [];
  let offset = 0;
  for (const [key, t] of Object.entries(tensors)) {
    table.push({ name: key, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length;
  }
  const all = new Float32Array(offset);
  for (const [i, t] of Object.values(tensors).entries()) all.set(t.data, table[i].offset);
  const bytes = new Uint8Array(all.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('checkpoints assume a little-endian machine');
  writeFileAtomic(join(dir, `${name}.bin`), bytes);
  writeJson(join(dir, `${name}.json`), { ...meta, tensors: table, bin: `${name}.bin` } satisfies CheckpointMeta);
  writeJson(join(dir, 'latest.json'), { checkpoint: `${name}.json` });
  for (const f of readdirSync(dir))
    if (/^ckpt-e\d+\.(json|bin)$/.test(f) && !f.startsWith(`${name}.`)) rmSync(join(dir, f), { force: true });
}

/** The latest checkpoint in `dir`, or undefined when there is none. */
export function readLatestCheckpoint(dir: string): Checkpoint | undefined {
  const pointer = join(dir, 'latest.json');
  if (!existsSync(pointer)) return undefined;
  const file = join(dir, readJson<{ checkpoint: string }>(pointer).checkpoint);
  if (!existsSync(file)) throw new StageError(`${pointer}: points at ${file}, which does not exist; delete ${dir} to start the run afresh.`);
  const meta = readJson<CheckpointMeta>(file);
  const buf = readFileSync(join(dir, meta.bin));
  const total = meta.tensors.reduce((s, t) => s + t.length, 0);
  if (buf.byteLength !== total * 4)
    throw new StageError(`${join(dir, meta.bin)}: holds ${buf.byteLength} bytes, ${file} describes ${total * 4}; delete ${dir} to start the run afresh.`);
  const all = new Float32Array(new Uint8Array(buf).buffer);
  const tensors: Record<string, TensorState> = {};
  for (const t of meta.tensors) tensors[t.name] = { shape: t.shape, data: all.slice(t.offset, t.offset + t.length) };
  return { meta, tensors };
}

/** Copy the latest checkpoint of `fromDir` into `toDir` (its json, bin and latest.json). */
export function copyLatestCheckpoint(fromDir: string, toDir: string): void {
  const pointer = join(fromDir, 'latest.json');
  const json = readJson<{ checkpoint: string }>(pointer).checkpoint;
  const meta = readJson<CheckpointMeta>(join(fromDir, json));
  mkdirSync(toDir, { recursive: true });
  for (const f of [json, meta.bin, 'latest.json']) copyFileSync(join(fromDir, f), join(toDir, f));
}
