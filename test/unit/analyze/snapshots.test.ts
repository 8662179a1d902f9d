import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { GhmStatsFile } from '../../../pipeline/core/artifacts.ts';
import { readJson } from '../../../pipeline/core/fsutil.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { runSnapshots, evenlySpaced, density, entropyBits, batchesByEpoch } from '../../../pipeline/analyze/snapshots.ts';
import { FIXTURE_TRAIN, fixtureConfig } from './helpers.ts';

const ghmFile = join(FIXTURE_TRAIN, '3000hz-ghm-s7', 'ghm-stats.json');
const baseFile = join(FIXTURE_TRAIN, '3000hz-baseline-s7', 'ghm-stats.json');
const ghmStats = readJson<GhmStatsFile>(ghmFile);
const baseStats = readJson<GhmStatsFile>(baseFile);
const cfg = fixtureConfig().snapshots;
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

test('evenly spaced density epochs follow np.linspace(0, n − 1, k, dtype=int)', () => {
  const sixty = Array.from({ length: 60 }, (_, i) => i + 1);
  assert.deepEqual(evenlySpaced(sixty, 5), [1, 15, 30, 45, 60]);
  assert.deepEqual(evenlySpaced([1, 2, 3, 4, 5, 6], 3), [1, 3, 6]);
  assert.deepEqual(evenlySpaced([1, 2, 3], 1), [1]);
  assert.deepEqual(evenlySpaced([1, 2], 5), [1, 2], 'no epoch twice');
});

test('density = count / total / bin width; zero total gives zeros, not NaN', () => {
  assert.deepEqual(density([2, 1, 0, 1], [0, 0.25, 0.5, 0.75, 1]), [2, 1, 0, 1]);
  assert.deepEqual(density([1, 3], [0, 0.2, 1]), [1.25, 0.9375], 'uses each bin\'s own width');
  assert.deepEqual(density([0, 0, 0], [0, 1 / 3, 2 / 3, 1]), [0, 0, 0]);
  close(entropyBits([0, 0, 1, 3]), 0.8112781244591328);
  assert.equal(entropyBits([0, 0]), 0);
  assert.equal(entropyBits([5, 0]), 0);
});

test('snapshots pick the configured epochs of the configured batch', () => {
  const r = runSnapshots(ghmStats, cfg, ghmFile);
  assert.equal(r.runId, '3000hz-ghm-s7');
  assert.equal(r.loss, 'ghm');
  assert.deepEqual(r.snapshots.map((s) => [s.epoch, s.batch]), [[1, 0], [3, 0], [6, 0]]);
  const [e1, e3, e6] = r.snapshots;
  assert.deepEqual(e1.counts, [0, 0, 1, 3]);
  assert.deepEqual(e3.counts, [1, 1, 1, 1]);
  assert.deepEqual(e6.counts, [4, 0, 0, 0]);
  assert.equal(e1.weights[0], null, 'empty bins have no weight');
  assert.equal(e1.weights[1], null);
  assert.deepEqual(e3.weights, [1, 1, 1, 1]);
  assert.deepEqual(e1.extremeShare, { low: 0, high: 0.75 });
  close(e1.entropy, 0.8112781244591328);
  close(e3.entropy, 2);
  assert.equal(e6.entropy, 0);
  assert.deepEqual(e1.stats, ghmStats.batches[0].stats);

  const last = runSnapshots(ghmStats, { ...cfg, batch: 'last' }, ghmFile);
  assert.deepEqual(last.snapshots.map((s) => [s.epoch, s.batch]), [[1, 2], [3, 2], [6, 2]]);
  assert.deepEqual(last.snapshots[0].counts, [0, 0, 0, 4]);
});

test('density evolution: evenly spaced epochs, centres from the edges, normalised densities', () => {
  const r = runSnapshots(ghmStats, cfg, ghmFile);
  assert.deepEqual(r.density.centers, [0.125, 0.375, 0.625, 0.875]);
  assert.deepEqual(r.density.epochs.map((e) => e.epoch), [1, 3, 6]);
  assert.deepEqual(r.density.epochs.map((e) => e.density), [[0, 0, 1, 3], [1, 1, 1, 1], [4, 0, 0, 0]]);
  for (const e of r.density.epochs) close(e.density.reduce((s, v) => s + v * 0.25, 0), 1);
});

test('early / middle / late: counts summed, weights averaged over the epochs where the bin was occupied', () => {
  const r = runSnapshots(ghmStats, cfg, ghmFile);
  const [early, middle, late] = r.stages;
  assert.deepEqual([early.stage, middle.stage, late.stage], ['early', 'middle', 'late']);
  assert.deepEqual(early.epochs, [1, 2]);
  assert.deepEqual(early.counts, [0, 1, 3, 4]);
  assert.equal(early.weights[0], null);
  const w = (e: number, k: number) => ghmStats.batches.find((b) => b.epoch === e && b.which === 'first')!.weights[k] as number;
  close(early.weights[1] as number, w(2, 1));
  close(early.weights[2] as number, (w(1, 2) + w(2, 2)) / 2);
  close(early.weights[3] as number, (w(1, 3) + w(2, 3)) / 2);
  close(early.spread as number, Math.max(w(2, 1), (w(1, 2) + w(2, 2)) / 2) / ((w(1, 3) + w(2, 3)) / 2));
  assert.deepEqual(middle.counts, [3, 2, 2, 1]);
  assert.deepEqual(late.counts, [7, 1, 0, 0]);
  assert.equal(late.weights[2], null);
});

test('baseline run (original formulas): an all-saturated batch has zero counts → zero density and shares, null weights', () => {
  const r = runSnapshots(baseStats, cfg, baseFile);
  assert.equal(r.loss, 'baseline');
  const e6 = r.snapshots[2];
  assert.deepEqual(e6.counts, [0, 0, 0, 0]);
  assert.deepEqual(e6.weights, [null, null, null, null]);
  assert.deepEqual(e6.extremeShare, { low: 0, high: 0 });
  assert.equal(e6.entropy, 0);
  assert.deepEqual(r.density.epochs[2], { epoch: 6, density: [0, 0, 0, 0] });
  assert.deepEqual(r.stages[2].counts, [2, 0, 0, 1]);
});

test('a snapshot epoch the run did not record is a StageError naming the file and epoch', () => {
  assert.throws(() => runSnapshots(ghmStats, { ...cfg, epochs: [1, 7] }, ghmFile), (e: unknown) =>
    e instanceof StageError && e.message.includes(ghmFile) && e.message.includes('epoch 7') && e.message.includes('epochs 1–6'));
});

test('malformed statistics are StageErrors naming the file', () => {
  const twice: GhmStatsFile = { ...ghmStats, batches: [...ghmStats.batches, ghmStats.batches[0]] };
  assert.throws(() => batchesByEpoch(twice, 'first', 'x.json'), /x\.json: epoch 1 has more than one "first" batch/);
  const short: GhmStatsFile = { ...ghmStats, batches: [{ ...ghmStats.batches[0], counts: [1, 2] }] };
  assert.throws(() => batchesByEpoch(short, 'first', 'x.json'), /x\.json: epoch 1 "first" batch has 2 counts/);
  assert.throws(() => batchesByEpoch({ ...ghmStats, edges: [0, 1] }, 'first', 'x.json'), /x\.json: has 2 bin edges for 4 bins/);
});
