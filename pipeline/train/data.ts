/**
 * The data of one training run, read from the preprocess artifacts of one frequency:
 * every model input of the run's split in one flat float32 array, and the train / validation
 * pairs as sample indices into it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ARTIFACT_FILES, type Pair, type PairSet, type SpectrogramIndex, type Split } from '../core/artifacts.ts';
import { readJson } from '../core/fsutil.ts';
import { hashFileSync, hashJson } from '../core/hash.ts';
import { readNpy } from '../core/npy.ts';
import { DataError } from '../core/errors.ts';

/** Pairs as indices into RunData.x; y is ±1. */
export interface PairTable {
  a: Int32Array;
  b: Int32Array;
  y: Float64Array;
  readonly length: number;
}

export interface RunData {
  frequency: string;
  height: number;
  width: number;
  /** sample ids, in the order of `x` (split.train then split.val) */
  ids: string[];
  /** inputs, [ids.length, height, width] row-major */
  x: Float32Array;
  train: PairTable;
  val: PairTable;
  /** hash of the files read, so a checkpoint is only resumed on the same data */
  fingerprint: string;
}

function requireFile(path: string, what: string): string {
  if (!existsSync(path))
    throw new DataError(`${path}: missing ${what}; the preprocess stage did not write it (re-run the pipeline from preprocess).`);
  return path;
}

export function pairTable(pairs: Pair[], indexOf: Map<string, number>, allowed: Set<string>, file: string, key: string): PairTable {
  const n = pairs.length;
  const t: PairTable = { a: new Int32Array(n), b: new Int32Array(n), y: new Float64Array(n), length: n };
  pairs.forEach(([first, second, target], i) => {
    for (const id of [first, second]) {
      if (!indexOf.has(id))
        throw new DataError(`${file}: \`${key}[${i}]\` names sample "${id}", which is not in the preprocess index.`);
      if (!allowed.has(id))
        throw new DataError(`${file}: \`${key}[${i}]\` names sample "${id}", which the split does not put in the ${key} set.`);
    }
    if (target !== 1 && target !== -1)
      throw new DataError(`${file}: \`${key}[${i}]\` has target ${JSON.stringify(target)}; expected +1 or -1.`);
    t.a[i] = indexOf.get(first)!;
    t.b[i] = indexOf.get(second)!;
    t.y[i] = target;
  });
  return t;
}

/** Read the inputs, split and pairs of one frequency folder of the preprocess stage for `seed`. */
export function loadRunData(freqDir: string, seed: number): RunData {
  const indexFile = requireFile(join(freqDir, ARTIFACT_FILES.spectrogramIndex), 'spectrogram index');
  const splitFile = requireFile(join(freqDir, ARTIFACT_FILES.split(seed)), `split for seed ${seed}`);
  const pairsFile = requireFile(join(freqDir, ARTIFACT_FILES.pairs(seed)), `pairs for seed ${seed}`);
  const index = readJson<SpectrogramIndex>(indexFile);
  const split = readJson<Split>(splitFile);
  const pairs = readJson<PairSet>(pairsFile);
  const [height, width] = index.inputShape;
  const byId = new Map(index.entries.map((e) => [e.id, e]));

  const ids = [...split.train, ...split.val];
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  if (indexOf.size !== ids.length) throw new DataError(`${splitFile}: a sample is listed twice in the split.`);
  const x = new Float32Array(ids.length * height * width);
  ids.forEach((id, i) => {
    const entry = byId.get(id);
    if (!entry) throw new DataError(`${splitFile}: sample "${id}" is not in ${indexFile}.`);
    const file = resolve(dirname(indexFile), entry.input);
    const a = readNpy(requireFile(file, `model input of sample "${id}"`));
    if (a.shape.length !== 2 || a.shape[0] !== height || a.shape[1] !== width)
      throw new DataError(`${file}: model input of sample "${id}" has shape [${a.shape.join(', ')}]; the index says [${height}, ${width}].`);
    for (let k = 0; k < a.data.length; k++)
      if (!Number.isFinite(a.data[k])) throw new DataError(`${file}: model input of sample "${id}" holds a non-finite value at position ${k}.`);
    x.set(a.data, i * height * width);
  });

  const train = pairTable(pairs.train, indexOf, new Set(split.train), pairsFile, 'train');
  const val = pairTable(pairs.val, indexOf, new Set(split.val), pairsFile, 'val');
  if (train.length === 0) throw new DataError(`${pairsFile}: \`train\` holds no pairs; training needs at least one.`);
  if (val.length === 0) throw new DataError(`${pairsFile}: \`val\` holds no pairs; validation needs at least one.`);
  const fingerprint = hashJson([hashFileSync(indexFile), hashFileSync(splitFile), hashFileSync(pairsFile)]);
  return { frequency: index.frequency, height, width, ids, x, train, val, fingerprint };
}
