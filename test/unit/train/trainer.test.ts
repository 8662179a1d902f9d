import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GhmStatsFile, PairSet, TrainHistory } from '../../../pipeline/core/artifacts.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { readJson } from '../../../pipeline/core/fsutil.ts';
import { trainRun } from '../../../pipeline/train/trainer.ts';
import { createModel } from '../../../pipeline/train/models.ts';
import { initBackend } from '../../../pipeline/train/backend/index.ts';
import { readLatestCheckpoint } from '../../../pipeline/train/checkpoint.ts';
import { config, hooks, LinearRanker, spec, tempDir, writePreprocess } from './fixture.ts';

const pre = tempDir('pre');
before(async () => {
  assert.equal(await initBackend('cpu'), 'cpu');
  writePreprocess(pre, '3000hz', 3);
});

/** History without wall-clock times, for comparisons. */
function metricsOf(dir: string): unknown {
  const h = readJson<TrainHistory>(join(dir, 'history.json'));
  return { ...h, seconds: 0, epochs: h.epochs.map((e) => ({ ...e, seconds: 0 })) };
}

test('a small GHM run: loss falls, accuracy rises, artifacts written', async () => {
  const root = tempDir('learn');
  const s = spec(config({ optimizer: { name: 'adam', lr: 0.01, weightDecay: 1e-5 } }), pre, root);
  const before = tf.memory().numTensors;
  const info = await trainRun(s, hooks());
  assert.equal(tf.memory().numTensors, before, 'the run leaks no tensors');
  assert.deepEqual(info, { id: '3000hz-ghm-s3', frequency: '3000hz', loss: 'ghm', seed: 3, model: 'simple-cnn', backend: 'cpu', parameters: 65 });
  const h = readJson<TrainHistory>(join(s.outDir, 'history.json'));
  assert.equal(h.epochs.length, 6);
  assert.deepEqual(h.checkpoints, [2, 4, 6]);
  const [first, last] = [h.epochs[0], h.epochs[5]];
  assert.ok(last.train.mainLoss < first.train.mainLoss * 0.7, `train loss ${first.train.mainLoss} → ${last.train.mainLoss}`);
  assert.ok(last.train.accuracy > first.train.accuracy + 20, `train acc ${first.train.accuracy} → ${last.train.accuracy}`);
  assert.ok(last.val.accuracy > 60, `val acc ${last.val.accuracy} (chance: 50)`);
  // drop-last training batches of 16; validation keeps every pair
  const pairs = readJson<PairSet>(join(pre, '3000hz', 'pairs-s3.json'));
  assert.equal(first.train.pairs, Math.floor(pairs.train.length / 16) * 16);
  assert.equal(first.val.pairs, pairs.val.length);
  // GHM run: the main loss is the GHM loss
  assert.equal(first.train.mainLoss, first.train.ghmLoss);
  assert.notEqual(first.train.ghmLoss, first.train.plainLoss);
  assert.ok(existsSync(join(s.outDir, 'checkpoints', 'ckpt-e0006.json')));
  assert.ok(existsSync(join(s.outDir, 'checkpoints', 'ckpt-e0006.bin')));
});

test('the baseline optimises the margin loss and logs what GHM would have assigned', async () => {
  const root = tempDir('base');
  const s = spec(config({ epochs: 2 }), pre, root, 'baseline');
  await trainRun(s, hooks());
  const h = readJson<TrainHistory>(join(s.outDir, 'history.json'));
  for (const e of h.epochs) {
    assert.equal(e.train.mainLoss, e.train.plainLoss);
    assert.equal(e.val.mainLoss, e.val.plainLoss);
  }
  const g = readJson<GhmStatsFile>(join(s.outDir, 'ghm-stats.json'));
  assert.equal(g.variant, 'paper');
  assert.equal(g.edges.length, 11);
  const nBatches = h.epochs[0].train.pairs / 16;
  assert.deepEqual(g.batches.map((b) => [b.epoch, b.batch, b.which]), [
    [1, 0, 'first'], [1, nBatches - 1, 'last'], [2, 0, 'first'], [2, nBatches - 1, 'last'],
  ]);
  for (const b of g.batches) {
    assert.equal(b.g.length, 16);
    assert.equal(b.y.length, 16);
    assert.equal(b.counts.reduce((x, y) => x + y, 0), 16);
    b.counts.forEach((c, k) => assert.equal(b.weights[k] === null, c === 0, `bin ${k}`));
    assert.ok(b.stats.min <= b.stats.median && b.stats.median <= b.stats.max);
    assert.ok(Math.abs(b.stats.mean - b.g.reduce((x, y) => x + y, 0) / 16) < 1e-12);
  }
});

test('two identical runs give identical metrics and GHM statistics', async () => {
  const cfg = config({ epochs: 3, losses: { ghm: { momentum: 0.75 } } });
  const [a, b] = [spec(cfg, pre, tempDir('same-a')), spec(cfg, pre, tempDir('same-b'))];
  await trainRun(a, hooks());
  await trainRun(b, hooks());
  assert.deepEqual(metricsOf(a.outDir), metricsOf(b.outDir));
  assert.deepEqual(readJson(join(a.outDir, 'ghm-stats.json')), readJson(join(b.outDir, 'ghm-stats.json')));
  assert.deepEqual(readFileSync(join(a.outDir, 'checkpoints', 'ckpt-e0003.bin')), readFileSync(join(b.outDir, 'checkpoints', 'ckpt-e0003.bin')));
});

test('a NaN loss stops the run with an error naming frequency, loss, epoch and batch', async () => {
  const s = spec(config(), pre, tempDir('nan'));
  const pairs = readJson<PairSet>(join(pre, '3000hz', 'pairs-s3.json'));
  const perEpoch = Math.floor(pairs.train.length / 16);
  const call = perEpoch + 3; // epoch 2, batch 2 (0-based)
  const h = hooks({
    createModel: (_k, opts, rng) => Object.assign(new LinearRanker(opts, rng), { nanFromCall: call }),
  });
  await assert.rejects(trainRun(s, h), (e: unknown) => {
    assert.ok(e instanceof StageError);
    assert.match(e.message, /frequency 3000hz, loss ghm, seed 3/);
    assert.match(e.message, /NaN/);
    assert.match(e.message, /stopped at epoch 2, batch 2 \(counting from 0\) of training/);
    return true;
  });
  assert.ok(!existsSync(join(s.outDir, 'history.json')));
});

test('an interrupted run resumes from its checkpoint and ends exactly like an uninterrupted one', async () => {
  const cfg = config({ epochs: 5, checkpointEvery: 2, losses: { ghm: { momentum: 0.5 } }, scheduler: { name: 'plateau', factor: 0.5, patience: 0 } });
  const full = spec(cfg, pre, tempDir('full'));
  await trainRun(full, hooks());

  const cut = spec(cfg, pre, tempDir('cut'));
  const ac = new AbortController();
  let done = 0;
  const first = trainRun(cut, hooks({ signal: ac.signal, onProgress: (k) => { done += k; if (done === 3) ac.abort(); } }));
  await assert.rejects(first, /interrupted during epoch 4/);
  assert.equal(readLatestCheckpoint(cut.workDir)?.meta.epoch, 2);

  const progress: [number, string][] = [];
  await trainRun(cut, hooks({ onProgress: (k, d) => progress.push([k, d]) }));
  assert.deepEqual(progress[0], [2, 'resumed after epoch 2']);
  assert.equal(progress.length, 4);
  assert.deepEqual(metricsOf(cut.outDir), metricsOf(full.outDir));
  assert.deepEqual(readJson(join(cut.outDir, 'ghm-stats.json')), readJson(join(full.outDir, 'ghm-stats.json')));
  const [a, b] = [readLatestCheckpoint(join(full.outDir, 'checkpoints'))!, readLatestCheckpoint(join(cut.outDir, 'checkpoints'))!];
  assert.deepEqual(a.tensors, b.tensors);
  assert.deepEqual(a.meta.ghm, b.meta.ghm);
  assert.ok(a.meta.ghm && a.meta.ghm.steps === 5 * (readJson<TrainHistory>(join(full.outDir, 'history.json')).epochs[0].train.pairs / 16),
    'the EMA advanced once per training batch, never in validation');
  const lrs = readJson<TrainHistory>(join(full.outDir, 'history.json')).epochs.map((e) => e.lr);
  assert.ok(lrs.some((lr) => lr < 0.05), `the plateau scheduler acted (lrs ${lrs})`);
});

test('resuming restores the simple-cnn with its batch-norm running statistics', async () => {
  const cfg = config({ epochs: 3, checkpointEvery: 1 });
  const real = { createModel };
  const full = spec(cfg, pre, tempDir('cnn-full'));
  await trainRun(full, hooks(real));
  const cut = spec(cfg, pre, tempDir('cnn-cut'));
  const ac = new AbortController();
  await assert.rejects(trainRun(cut, hooks({ ...real, signal: ac.signal, onProgress: () => ac.abort() })), /interrupted during epoch 2/);
  await trainRun(cut, hooks(real));
  assert.deepEqual(metricsOf(cut.outDir), metricsOf(full.outDir));
  const [a, b] = [readLatestCheckpoint(join(full.outDir, 'checkpoints'))!, readLatestCheckpoint(join(cut.outDir, 'checkpoints'))!];
  assert.ok(Object.keys(a.tensors).some((k) => /mean|var/i.test(k)), `running statistics saved (${Object.keys(a.tensors)})`);
  assert.deepEqual(a.tensors, b.tensors);
});

test('a checkpoint from other settings is not resumed', async () => {
  const root = tempDir('other');
  const s1 = spec(config({ epochs: 2 }), pre, root);
  await trainRun(s1, hooks());
  const s2 = spec(config({ epochs: 2, margin: 2 }), pre, root);
  const warnings: string[] = [];
  const progress: number[] = [];
  await trainRun(s2, hooks({ log: { info() {}, debug() {}, error() {}, warn: (m) => warnings.push(m) }, onProgress: (k) => progress.push(k) }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /other settings/);
  assert.deepEqual(progress, [1, 1]);
});
