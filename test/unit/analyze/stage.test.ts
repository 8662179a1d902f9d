import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImbalanceArtifact, LinearArtifact, SnapshotsArtifact, SummaryArtifact, TrainHistory } from '../../../pipeline/core/artifacts.ts';
import type { ResolvedConfig } from '../../../pipeline/core/config.ts';
import type { StageContext } from '../../../pipeline/core/stage.ts';
import { readJson, rmrf } from '../../../pipeline/core/fsutil.ts';
import { StageError } from '../../../pipeline/core/errors.ts';
import { stage } from '../../../pipeline/analyze/index.ts';
import { summaryRow } from '../../../pipeline/analyze/summary.ts';
import { FIXTURE_TRAIN, fixtureConfig } from './helpers.ts';

function context(config: ResolvedConfig, trainDir = FIXTURE_TRAIN): { ctx: StageContext; lines: string[]; ticks: string[] } {
  const outDir = mkdtempSync(join(tmpdir(), 'analyze-'));
  const lines: string[] = [];
  const ticks: string[] = [];
  const ctx: StageContext = {
    config,
    outDir,
    workDir: join(outDir, '.work'),
    input: (s) => {
      assert.equal(s, 'train', 'analyze reads only the train stage');
      return trainDir;
    },
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), debug: () => {} },
    progress: { task: (label) => ({ tick: (_n, d) => ticks.push(`${label}: ${d}`), done: () => {} }) },
    signal: new AbortController().signal,
  };
  return { ctx, lines, ticks };
}

async function runStage(config: ResolvedConfig) {
  const c = context(config);
  await stage.run(c.ctx);
  const files = readdirSync(c.ctx.outDir).sort();
  const content = Object.fromEntries(files.map((f) => [f, readFileSync(join(c.ctx.outDir, f), 'utf8')]));
  return { ...c, files, content };
}

test('stage declaration: name, deps, code and config slice', () => {
  const c = fixtureConfig();
  assert.equal(stage.name, 'analyze');
  assert.deepEqual(stage.deps, ['train']);
  assert.deepEqual(stage.code, ['pipeline/analyze', 'pipeline/lib']);
  assert.deepEqual(stage.slice(c), {
    snapshots: c.snapshots, analyses: c.analyses, ghm: c.train.losses.ghm, margin: c.train.margin, seeds: c.seeds,
  });
});

test('analyze writes the four artifacts from the fixture runs, identically on a second run', async () => {
  const a = await runStage(fixtureConfig());
  const b = await runStage(fixtureConfig());
  try {
    assert.deepEqual(a.files, ['imbalance.json', 'linear.json', 'snapshots.json', 'summary.json']);
    assert.deepEqual(b.content, a.content, 'deterministic output');
    const dir = a.ctx.outDir;
    const snaps = readJson<SnapshotsArtifact>(join(dir, 'snapshots.json'));
    assert.deepEqual(snaps.runs.map((r) => r.runId), ['3000hz-ghm-s7', '3000hz-baseline-s7'], 'GHM and baseline runs');
    assert.deepEqual(snaps.runs[0].snapshots.map((s) => s.epoch), [1, 3, 6]);
    const summary = readJson<SummaryArtifact>(join(dir, 'summary.json'));
    assert.deepEqual(summary.rows, [
      { frequency: '3000hz', seed: 7, loss: 'ghm', bestValAccuracy: 75, bestEpoch: 3, finalValAccuracy: 70, finalTrainAccuracy: 85 },
      { frequency: '3000hz', seed: 7, loss: 'baseline', bestValAccuracy: 65, bestEpoch: 4, finalValAccuracy: 62.5, finalTrainAccuracy: 85 },
    ]);
    const imb = readJson<ImbalanceArtifact>(join(dir, 'imbalance.json'));
    assert.equal(imb.seed, 7, 'the imbalance test uses the first configured seed');
    assert.deepEqual(imb.variants.map((v) => v.variant), ['paper', 'original']);
    const lin = readJson<LinearArtifact>(join(dir, 'linear.json'));
    assert.deepEqual(lin.runs.map((r) => [r.seed, r.epochs.length]), [[7, 10]]);
    assert.deepEqual(a.ticks, ['snapshots: 3000hz-ghm-s7', 'snapshots: 3000hz-baseline-s7', 'linear comparison: seed 7']);
  } finally {
    rmrf(a.ctx.outDir);
    rmrf(b.ctx.outDir);
  }
});

test('several seeds: one linear run per seed; disabled analyses write no file', async () => {
  const r = await runStage(fixtureConfig((raw) => {
    delete raw.seed;
    raw.seeds = [3, 5];
    raw.analyses = { imbalance: { enabled: false }, linear: { enabled: true, epochs: 2 } };
  }));
  try {
    assert.deepEqual(r.files, ['linear.json', 'snapshots.json', 'summary.json']);
    assert.deepEqual(JSON.parse(r.content['linear.json']).runs.map((x: { seed: number }) => x.seed), [3, 5]);
    assert.ok(r.lines.some((l) => l.includes('imbalance test disabled')));
  } finally {
    rmrf(r.ctx.outDir);
  }
});

test('a missing train artifact is a StageError naming the file', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'analyze-train-'));
  const c = context(fixtureConfig(), empty);
  try {
    await assert.rejects(stage.run(c.ctx), (e: unknown) => e instanceof StageError && e.message.includes(join(empty, 'runs.json')));
    assert.equal(existsSync(join(c.ctx.outDir, 'snapshots.json')), false);
  } finally {
    rmrf(empty);
    rmrf(c.ctx.outDir);
  }
});

test('an aborted run stops', async () => {
  const c = context(fixtureConfig());
  const ac = new AbortController();
  ac.abort();
  try {
    await assert.rejects(stage.run({ ...c.ctx, signal: ac.signal }), { name: 'AbortError' });
  } finally {
    rmrf(c.ctx.outDir);
  }
});

test('summary: first maximum of validation accuracy; a run without epochs is an error', () => {
  const h = readJson<TrainHistory>(join(FIXTURE_TRAIN, '3000hz-ghm-s7', 'history.json'));
  assert.equal(summaryRow(h, 'h.json').bestEpoch, 3, 'epochs 3 and 4 tie at 75 %: the first wins');
  assert.throws(() => summaryRow({ ...h, epochs: [] }, 'h.json'), /h\.json: run 3000hz-ghm-s7 has no epochs/);
});
