import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchBounds, epochOrder, gatherBatch } from '../../../pipeline/train/batches.ts';
import { loadRunData, type PairTable } from '../../../pipeline/train/data.ts';
import { countCorrect, SplitAccumulator } from '../../../pipeline/train/metrics.ts';
import { planRuns } from '../../../pipeline/train/runs.ts';
import { DataError } from '../../../pipeline/core/errors.ts';
import { readJson, writeJson } from '../../../pipeline/core/fsutil.ts';
import type { PairSet } from '../../../pipeline/core/artifacts.ts';
import { config, tempDir, writePreprocess } from './fixture.ts';

test('batch bounds: drop-last drops only a partial batch', () => {
  assert.deepEqual(batchBounds(10, 4, true), [[0, 4], [4, 8]]);
  assert.deepEqual(batchBounds(10, 4, false), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(batchBounds(8, 4, true), [[0, 4], [4, 8]]);
  assert.deepEqual(batchBounds(3, 4, true), []);
});

test('epoch order: a seeded permutation per (seed, epoch)', () => {
  const a = epochOrder(50, 42, 1);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(epochOrder(50, 42, 1), a);
  assert.notDeepEqual(epochOrder(50, 42, 2), a);
  assert.notDeepEqual(epochOrder(50, 43, 1), a);
});

test('gatherBatch: each sample once, pairs point at their samples', () => {
  const pairs: PairTable = { a: Int32Array.from([5, 7, 5, 2]), b: Int32Array.from([7, 2, 9, 5]), y: Float64Array.from([1, -1, 1, -1]), length: 4 };
  const b = gatherBatch(pairs, [3, 0, 2, 1], 0, 3);
  assert.deepEqual(Array.from(b.samples), [2, 5, 7, 9]);
  assert.deepEqual(Array.from(b.a).map((i) => b.samples[i]), [2, 5, 5]);
  assert.deepEqual(Array.from(b.b).map((i) => b.samples[i]), [5, 7, 9]);
  assert.deepEqual(Array.from(b.y), [-1, 1, 1]);
});

test('accuracy: y·d > 0, ties are wrong for both targets', () => {
  assert.equal(countCorrect([1, -1, 0, 0, 2, -3], [1, -1, 1, -1, -1, 1]), 2);
});

test('epoch metrics average losses over pairs', () => {
  const acc = new SplitAccumulator();
  acc.add({ pairs: 4, mainLoss: 1, plainLoss: 2, ghmLoss: 1, correct: 3 });
  acc.add({ pairs: 2, mainLoss: 4, plainLoss: 2, ghmLoss: 4, correct: 0 });
  assert.deepEqual(acc.result(), { mainLoss: 2, plainLoss: 2, ghmLoss: 2, accuracy: 50, pairs: 6 });
});

test('run data: inputs and pairs indexed; bad pairs named with file and position', () => {
  const root = tempDir('data');
  const dir = writePreprocess(root, '3000hz', 5, { classes: 3, recordings: 4 });
  const d = loadRunData(dir, 5);
  assert.equal(d.ids.length, 12);
  assert.equal(d.x.length, 12 * 64);
  const pairs = readJson<PairSet>(join(dir, 'pairs-s5.json'));
  assert.equal(d.train.length, pairs.train.length);
  const [first, second, y] = pairs.val[0];
  assert.deepEqual([d.ids[d.val.a[0]], d.ids[d.val.b[0]], d.val.y[0]], [first, second, y]);

  const file = join(dir, 'pairs-s5.json');
  writeJson(file, { ...pairs, train: [pairs.train[0], [pairs.val[0][0], pairs.train[0][1], 1]] });
  assert.throws(() => loadRunData(dir, 5), (e: unknown) =>
    e instanceof DataError && e.message.includes(file) && e.message.includes('`train[1]`') && e.message.includes('split does not put in the train set'));
  writeJson(file, { ...pairs, val: [[pairs.val[0][0], 'nope', 1]] });
  assert.throws(() => loadRunData(dir, 5), /`val\[0\]` names sample "nope", which is not in the preprocess index/);
  writeFileSync(file, JSON.stringify({ ...pairs, train: [[pairs.train[0][0], pairs.train[0][1], 0]] }));
  assert.throws(() => loadRunData(dir, 5), /`train\[0\]` has target 0; expected \+1 or -1/);
  assert.throws(() => loadRunData(dir, 6), (e: unknown) => e instanceof DataError && /split-s6\.json: missing split for seed 6/.test(e.message));
});

test('runs: every frequency × (ghm, baseline) × seed', () => {
  const cfg = config({}, { seed: undefined, seeds: [1, 2], data: { frequencies: ['3000hz', '1000hz'], recordings: 5 } });
  const ids = planRuns(cfg, '/p', '/w', '/o').map((s) => s.id);
  assert.deepEqual(ids, [
    '3000hz-ghm-s1', '3000hz-ghm-s2', '3000hz-baseline-s1', '3000hz-baseline-s2',
    '1000hz-ghm-s1', '1000hz-ghm-s2', '1000hz-baseline-s1', '1000hz-baseline-s2',
  ]);
  const noBase = config({ losses: { baseline: false } });
  const [only] = planRuns(noBase, '/p', '/w', '/o');
  assert.deepEqual([only.id, only.dataDir, only.workDir, only.outDir], ['3000hz-ghm-s3', '/p/3000hz', '/w/3000hz-ghm-s3', '/o/3000hz-ghm-s3']);
});
