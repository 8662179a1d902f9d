import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { runStages, diffPaths } from '../../../pipeline/core/runner.ts';
import { acquireLock } from '../../../pipeline/core/lock.ts';
import { LockError } from '../../../pipeline/core/errors.ts';
import { createReporter } from '../../../pipeline/core/progress.ts';
import { resolveConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import type { Stage } from '../../../pipeline/core/stage.ts';
import type { StageName } from '../../../pipeline/core/schema.ts';

const baseRaw = {
  name: 'fake', title: { 'zh-TW': '測試', en: 'test' },
  data: { recordings: 3 }, train: { epochs: 4 }, snapshots: { epochs: [1, 2] },
};
const cfg = (over: Record<string, any> = {}): ResolvedConfig =>
  resolveConfig('fake.yaml', { ...baseRaw, ...over, train: { ...baseRaw.train, ...(over.train ?? {}) } });

interface Log { runs: string[] }

/** Two fake stages: "preprocess" writes a file derived from data.recordings, "train" one from its input and epochs. */
function fakeStages(log: Log, codeFile: string, opts: { failTrain?: boolean } = {}): Stage[] {
  const pre: Stage = {
    name: 'preprocess', deps: [], code: [codeFile],
    slice: (c) => ({ recordings: c.data.recordings }),
    async run(ctx) {
      log.runs.push('preprocess');
      writeFileSync(join(ctx.outDir, 'data.txt'), `recordings=${ctx.config.data.recordings}`);
    },
  };
  const train: Stage = {
    name: 'train', deps: ['preprocess'], code: [codeFile],
    slice: (c) => ({ epochs: c.train.epochs }),
    async run(ctx) {
      log.runs.push('train');
      const input = readFileSync(join(ctx.input('preprocess'), 'data.txt'), 'utf8');
      writeFileSync(join(ctx.outDir, 'half.txt'), 'partial');
      if (opts.failTrain) throw new Error('boom');
      writeFileSync(join(ctx.outDir, 'model.txt'), `${input};epochs=${ctx.config.train.epochs}`);
    },
  };
  return [pre, train];
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ghm-runner-'));
  const codeFile = join(dir, 'code.ts');
  writeFileSync(codeFile, 'v1');
  return { dir, out: join(dir, 'out'), codeFile };
}

const quiet = createReporter({ verbosity: 'quiet' });
const run = (config: ResolvedConfig, stages: Stage[], out: string, extra: { force?: StageName | true; from?: StageName; only?: StageName } = {}) =>
  runStages(config, stages, { outDir: out, reporter: quiet, signal: new AbortController().signal, ...extra });

test('second run is cached; each miss reason is named', async () => {
  const { out, codeFile } = setup();
  const log: Log = { runs: [] };
  let r = await run(cfg(), fakeStages(log, codeFile), out);
  assert.deepEqual(r.stages.map((s) => s.why), ['no previous output', 'no previous output']);
  r = await run(cfg(), fakeStages(log, codeFile), out);
  assert.deepEqual(r.stages.map((s) => s.status), ['cached', 'cached']);
  assert.deepEqual(log.runs, ['preprocess', 'train']);

  r = await run(cfg({ train: { epochs: 5 } }), fakeStages(log, codeFile), out);
  assert.deepEqual(r.stages.map((s) => s.status), ['cached', 'ran']);
  assert.equal(r.stages[1].why, 'config changed (epochs)');

  r = await run(cfg({ data: { recordings: 4 }, train: { epochs: 5 } }), fakeStages(log, codeFile), out);
  assert.equal(r.stages[0].why, 'config changed (recordings)');
  assert.equal(r.stages[1].why, 'input changed (preprocess)');

  writeFileSync(codeFile, 'v2');
  r = await run(cfg({ data: { recordings: 4 }, train: { epochs: 5 } }), fakeStages(log, codeFile), out);
  assert.deepEqual(r.stages.map((s) => s.why), ['code changed', 'code changed']);

  r = await run(cfg({ data: { recordings: 4 }, train: { epochs: 5 } }), fakeStages(log, codeFile), out, { force: 'train' });
  assert.deepEqual(r.stages.map((s) => s.why), ['cached', 'forced']);
  r = await run(cfg({ data: { recordings: 4 }, train: { epochs: 5 } }), fakeStages(log, codeFile), out, { from: 'preprocess' });
  assert.deepEqual(r.stages.map((s) => s.why), ['forced', 'forced']);
  assert.equal(readFileSync(join(out, 'stages/train/model.txt'), 'utf8'), 'recordings=4;epochs=5');
});

test('a damaged output folder is detected and rebuilt', async () => {
  const { out, codeFile } = setup();
  const log: Log = { runs: [] };
  await run(cfg(), fakeStages(log, codeFile), out);
  writeFileSync(join(out, 'stages/train/model.txt'), 'x');
  const r = await run(cfg(), fakeStages(log, codeFile), out);
  assert.equal(r.stages[1].why, 'previous output damaged');
});

test('a failing stage leaves the previous outputs untouched and no temporary folder', async () => {
  const { out, codeFile } = setup();
  const log: Log = { runs: [] };
  await run(cfg(), fakeStages(log, codeFile), out);
  const before = readFileSync(join(out, 'stages/train/model.txt'), 'utf8');
  const recBefore = readFileSync(join(out, 'stages/train/stage.json'), 'utf8');
  await assert.rejects(run(cfg({ train: { epochs: 9 } }), fakeStages(log, codeFile, { failTrain: true }), out), /boom/);
  assert.equal(readFileSync(join(out, 'stages/train/model.txt'), 'utf8'), before);
  assert.equal(readFileSync(join(out, 'stages/train/stage.json'), 'utf8'), recBefore);
  assert.deepEqual(readdirSync(join(out, 'stages')).filter((f) => f.includes('.tmp')), []);
  // the next run resumes: preprocess cached, train runs
  const r = await run(cfg({ train: { epochs: 9 } }), fakeStages(log, codeFile), out);
  assert.deepEqual(r.stages.map((s) => s.status), ['cached', 'ran']);
});

test('--only needs valid upstream output and skips later stages', async () => {
  const { out, codeFile } = setup();
  const log: Log = { runs: [] };
  await assert.rejects(run(cfg(), fakeStages(log, codeFile), out, { only: 'train' }), /no valid output/);
  await run(cfg(), fakeStages(log, codeFile), out);
  const r = await run(cfg(), fakeStages(log, codeFile), out, { only: 'preprocess' });
  assert.deepEqual(r.stages.map((s) => s.status), ['cached', 'skipped']);
});

test('diffPaths names changed keys', () => {
  assert.deepEqual(diffPaths({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } }), ['b.c']);
  assert.deepEqual(diffPaths({ a: [1] }, { a: [2] }), ['a']);
  assert.deepEqual(diffPaths({ a: 1 }, { a: 1 }), []);
});

test('a held lock refuses a second run, naming the holder; a dead holder is taken over', () => {
  const { dir } = setup();
  const out = join(dir, 'locked');
  const lock = acquireLock(out, 'first');
  assert.throws(() => acquireLock(out, 'second'), (e: unknown) => e instanceof LockError && /pid \d+/.test(e.message) && e.message.includes('first'));
  lock.release();
  // a lock whose pid is dead
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, '.lock'), JSON.stringify({ pid: Number(dead), startedAt: '2020-01-01T00:00:00Z', command: 'old' }));
  const l2 = acquireLock(out, 'third');
  assert.equal(l2.tookOver?.pid, Number(dead));
  l2.release();
  assert.ok(!existsSync(join(out, '.lock')));
});
