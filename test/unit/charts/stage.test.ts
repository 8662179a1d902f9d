import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartsIndex, SnapshotsArtifact } from '../../../pipeline/core/artifacts.ts';
import { readJson, rmrf, writeJson } from '../../../pipeline/core/fsutil.ts';
import { DataError, StageError } from '../../../pipeline/core/errors.ts';
import { stage } from '../../../pipeline/charts/index.ts';
import { context, FIXTURE_ANALYZE, fixtureConfig } from './helpers.ts';

/** A copy of the fixture analyze folder, changed by `edit`. */
function analyzeCopy(edit: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'charts-analyze-'));
  cpSync(FIXTURE_ANALYZE, dir, { recursive: true });
  edit(dir);
  return dir;
}

test('stage declaration: name, deps, code and config slice', () => {
  const c = fixtureConfig();
  assert.equal(stage.name, 'charts');
  assert.deepEqual(stage.deps, ['train', 'analyze']);
  assert.deepEqual(stage.code, ['pipeline/charts', 'pipeline/lib', 'locales']);
  assert.deepEqual(stage.slice(c), {
    languages: ['zh-TW', 'en'],
    chart: { width: 640, height: 400, pixelRatio: 1 },
    primaryFrequency: '3000hz',
    snapshotEpochs: [1, 2, 3],
  });
});

test('charts writes every figure in both languages and an index that lists them', async () => {
  const { ctx, ticks } = context(fixtureConfig());
  try {
    await stage.run(ctx);
    const index = readJson<ChartsIndex>(join(ctx.outDir, 'charts.json'));
    assert.equal(index.figures.length, 10);
    assert.deepEqual(index.figures.map((f) => f.figure), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const pngs = readdirSync(ctx.outDir).filter((f) => f.endsWith('.png'));
    assert.equal(pngs.length, 20);
    for (const f of index.figures) {
      assert.deepEqual(Object.keys(f.files), ['zh-TW', 'en']);
      for (const file of Object.values(f.files)) {
        const png = readFileSync(join(ctx.outDir, file!));
        assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [f.width, f.height], `${file} has the size the index records`);
      }
    }
    const training = index.figures[0];
    assert.deepEqual([training.id, training.width, training.height], ['training_comparison_3000hz-ghm-s7', 640, 800]);
    assert.equal(ticks.length, 20, 'one progress tick per PNG');
    assert.ok(ticks.includes('charts: summary_accuracy.en.png'));
  } finally {
    rmrf(ctx.outDir);
  }
});

test('one language, and analyses that were disabled, give only those figures', async () => {
  const analyze = analyzeCopy((d) => { rmSync(join(d, 'imbalance.json')); rmSync(join(d, 'linear.json')); });
  const config = fixtureConfig((c) => {
    c.report.languages = ['en'];
    c.analyses.imbalance.enabled = false;
    c.analyses.linear.enabled = false;
  });
  const { ctx } = context(config, { analyze });
  try {
    await stage.run(ctx);
    const index = readJson<ChartsIndex>(join(ctx.outDir, 'charts.json'));
    assert.deepEqual(index.figures.map((f) => f.figure), [1, 2, 3, 4, 5, 9, 10]);
    assert.ok(index.figures.every((f) => Object.keys(f.files).join() === 'en'));
    assert.ok(!existsSync(join(ctx.outDir, 'epoch1_batch0.zh-TW.png')));
  } finally {
    rmrf(ctx.outDir);
    rmrf(analyze);
  }
});

test('bad inputs fail with an error naming the file and what is wrong', async () => {
  const cases: { analyze: string; config?: Parameters<typeof fixtureConfig>[0]; error: typeof StageError | typeof DataError; match: RegExp }[] = [
    { analyze: analyzeCopy((d) => rmSync(join(d, 'imbalance.json'))), error: StageError, match: /imbalance\.json is missing/ },
    {
      analyze: analyzeCopy((d) => {
        const s = readJson<SnapshotsArtifact>(join(d, 'snapshots.json'));
        s.runs[0].snapshots[1].weights.pop();
        writeJson(join(d, 'snapshots.json'), s);
      }),
      error: DataError,
      match: /snapshots\.json: `runs\[0\]\.snapshots\[1\]\.weights` has 9 values; expected 10/,
    },
    { analyze: FIXTURE_ANALYZE, config: (c) => { c.report.primaryFrequency = '2000hz'; }, error: StageError, match: /no GHM run of 2000hz with seed 7/ },
    { analyze: FIXTURE_ANALYZE, config: (c) => { c.snapshots.epochs = [1, 4]; }, error: StageError, match: /no snapshot of epoch 4/ },
  ];
  for (const k of cases) {
    const { ctx } = context(fixtureConfig(k.config), { analyze: k.analyze });
    try {
      await assert.rejects(stage.run(ctx), (e: unknown) => e instanceof k.error && k.match.test((e as Error).message));
      assert.deepEqual(readdirSync(ctx.outDir), [], 'nothing written before the inputs are checked');
    } finally {
      rmrf(ctx.outDir);
      if (k.analyze !== FIXTURE_ANALYZE) rmrf(k.analyze);
    }
  }
});

test('an aborted run stops before writing the index', async () => {
  const { ctx } = context(fixtureConfig());
  const ac = new AbortController();
  ac.abort();
  try {
    await assert.rejects(stage.run({ ...ctx, signal: ac.signal }));
    assert.ok(!existsSync(join(ctx.outDir, 'charts.json')));
  } finally {
    rmrf(ctx.outDir);
  }
});
