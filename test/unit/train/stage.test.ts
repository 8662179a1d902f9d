import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GhmStatsFile, TrainHistory, TrainSummary } from '../../../pipeline/core/artifacts.ts';
import type { ResolvedConfig } from '../../../pipeline/core/config.ts';
import { DataError } from '../../../pipeline/core/errors.ts';
import { readJson } from '../../../pipeline/core/fsutil.ts';
import type { Progress } from '../../../pipeline/core/progress.ts';
import type { StageContext } from '../../../pipeline/core/stage.ts';
import { stage } from '../../../pipeline/train/index.ts';
import { config, quietLog, tempDir, writePreprocess } from './fixture.ts';

const pre = tempDir('stage-pre');
writePreprocess(pre, '3000hz', 3);

function context(cfg: ResolvedConfig, ticks: string[]): StageContext {
  const root = tempDir('stage');
  const outDir = join(root, 'out');
  const workDir = join(root, 'work');
  mkdirSync(outDir);
  mkdirSync(workDir);
  const progress: Progress = { task: (label) => ({ tick: (_n, detail) => ticks.push(`${label}: ${detail}`), done() {} }) };
  return { config: cfg, outDir, workDir, input: () => pre, log: quietLog, progress, signal: new AbortController().signal };
}

function results(ctx: StageContext): unknown {
  const summary = readJson<TrainSummary>(join(ctx.outDir, 'runs.json'));
  return {
    summary,
    histories: summary.runs.map((r) => {
      const h = readJson<TrainHistory>(join(ctx.outDir, r.history));
      return h.epochs.map((e) => ({ ...e, seconds: 0 }));
    }),
    stats: summary.runs.map((r) => readJson(join(ctx.outDir, r.ghmStats))),
  };
}

test('train stage: the slice leaves out the worker count', () => {
  const a = stage.slice(config({ workers: 1 }));
  assert.deepEqual(a, stage.slice(config({ workers: 2 })));
  assert.notDeepEqual(a, stage.slice(config({ margin: 3 })));
  assert.deepEqual(stage.deps, ['preprocess']);
});

test('train stage: runs in two worker threads give the same results as in one thread', async () => {
  const settings = { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.01, weightDecay: 1e-5 } };
  const ticks2: string[] = [];
  const two = context(config({ ...settings, workers: 2 }), ticks2);
  await stage.run(two);
  const one = context(config({ ...settings, workers: 1 }), []);
  await stage.run(one);
  assert.deepEqual(results(two), results(one));
  const summary = readJson<TrainSummary>(join(two.outDir, 'runs.json'));
  assert.deepEqual(summary.runs.map((r) => r.info.id), ['3000hz-ghm-s3', '3000hz-baseline-s3']);
  assert.ok(summary.backend.length > 0);
  // same seed: the GHM and baseline runs start from the same weights and see the same first batch
  const [ghmStats, baseStats] = summary.runs.map((r) => readJson<GhmStatsFile>(join(two.outDir, r.ghmStats)));
  assert.deepEqual(ghmStats.batches[0].g, baseStats.batches[0].g);
  assert.notDeepEqual(ghmStats.batches.at(-1)!.g, baseStats.batches.at(-1)!.g);
  assert.equal(ticks2.length, 4);
  for (const id of ['3000hz-ghm-s3', '3000hz-baseline-s3'])
    assert.deepEqual(ticks2.filter((t) => t.startsWith(id)).map((t) => t.replace(/ loss.*/, '')), [`${id}: ep 1/2`, `${id}: ep 2/2`]);
});

test('train stage: an error in a worker arrives as its own class', async () => {
  const ctx = context(config({ epochs: 1, workers: 2 }, { seed: 9 }), []);
  await assert.rejects(stage.run(ctx), (e: unknown) => e instanceof DataError && /split-s9\.json: missing split for seed 9/.test(e.message));
});
