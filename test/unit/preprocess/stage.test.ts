import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import type { PairSet, SpectrogramIndex, Split } from '../../../pipeline/core/artifacts.ts';
import { DataError, PipelineError } from '../../../pipeline/core/errors.ts';
import { sha256 } from '../../../pipeline/core/hash.ts';
import { readNpy } from '../../../pipeline/core/npy.ts';
import { stage } from '../../../pipeline/preprocess/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ghm-preprocess-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function config(data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ResolvedConfig {
  return resolveConfig(join(tmp, 'exp.yaml'), {
    name: 'pp', title: { 'zh-TW': 't', en: 't' }, seeds: [3, 11],
    data: { frequencies: ['1000hz', '3000hz'], classes: ['deg000', 'deg072', 'deg144'], recordings: 3, synthetic: { duration: 0.2 }, ...data },
    preprocess: { input: { height: 8, width: 6 } },
    train: { epochs: 1 }, snapshots: { epochs: [1], densityEpochs: 1 },
    ...extra,
  });
}

interface Captured { warnings: string[]; ticks: number }
async function runStage(cfg: ResolvedConfig, name: string, signal = new AbortController().signal): Promise<{ out: string } & Captured> {
  const out = join(tmp, name);
  rmSync(out, { recursive: true, force: true });
  const cap: Captured = { warnings: [], ticks: 0 };
  await stage.run({
    config: cfg, outDir: out, workDir: join(tmp, `${name}.work`),
    input: () => { throw new Error('preprocess has no inputs'); },
    log: { info() {}, warn: (m) => cap.warnings.push(m), error() {}, debug() {} },
    progress: { task: () => ({ tick: (n = 1) => { cap.ticks += n; }, done() {} }) },
    signal,
  });
  return { out, ...cap };
}

function filesUnder(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else m.set(relative(dir, p), sha256(readFileSync(p)));
    }
  };
  walk(dir);
  return m;
}

test('stage declaration: name, deps, code and config slice', () => {
  const cfg = config();
  assert.equal(stage.name, 'preprocess');
  assert.deepEqual(stage.deps, []);
  assert.deepEqual(stage.code, ['pipeline/preprocess', 'pipeline/lib', 'pipeline/core/npy.ts']);
  assert.deepEqual(stage.slice(cfg), { data: cfg.data, preprocess: cfg.preprocess, seeds: cfg.seeds });
});

test('synthetic data: artifacts as typed, WAVs in the original layout, byte-identical for the same seed', async () => {
  const cfg = config();
  const a = await runStage(cfg, 'syn-a');
  assert.equal(a.ticks, 18);
  assert.deepEqual(await stage.externalInputs!(cfg), {});
  for (const freq of ['1000hz', '3000hz']) {
    const index: SpectrogramIndex = JSON.parse(readFileSync(join(a.out, freq, 'index.json'), 'utf8'));
    assert.equal(index.entries.length, 9);
    assert.deepEqual(index.inputShape, [8, 6]);
    assert.deepEqual(index.crop, [0, 24000]);
    assert.equal(index.bins, 1025);
    const e = index.entries[4];
    assert.deepEqual(
      { id: e.id, class: e.class, angle: e.angle, label: e.label, seq: e.seq, material: e.material, frequency: e.frequency },
      { id: `plastic_deg072_${freq}_01`, class: 'deg072', angle: 72, label: 1, seq: '01', material: 'plastic', frequency: freq },
    );
    const base = join(a.out, freq);
    const wav = resolve(base, e.wav);
    assert.equal(wav, join(a.out, 'wav', 'deg072', 'plastic', `plastic_deg072_${freq}_01.wav`));
    assert.equal(e.wavHash, sha256(readFileSync(wav)));
    assert.equal(e.samples, 9600);
    const spec = readNpy(resolve(base, e.spectrogram));
    assert.deepEqual(spec.shape, [1025, e.frames]);
    assert.equal(Math.max(...spec.data), 0);
    const input = readNpy(resolve(base, e.input));
    assert.deepEqual(input.shape, [8, 6]);
    const mean = input.data.reduce((s, v) => s + v, 0) / input.data.length;
    assert.ok(Math.abs(mean) < 1e-5);
    for (const seed of [3, 11]) {
      const split: Split = JSON.parse(readFileSync(join(base, `split-s${seed}.json`), 'utf8'));
      assert.equal(split.train.length, 6);
      assert.equal(split.val.length, 3);
      const pairs: PairSet = JSON.parse(readFileSync(join(base, `pairs-s${seed}.json`), 'utf8'));
      assert.equal(pairs.mode, 'original');
      const angle = new Map(index.entries.map((x) => [x.id, x.angle]));
      for (const [side, ps] of [[split.train, pairs.train], [split.val, pairs.val]] as const)
        for (const [p, q, t] of ps) {
          assert.ok(side.includes(p) && side.includes(q));
          assert.equal(t, angle.get(p)! > angle.get(q)! ? 1 : -1);
        }
    }
  }
  const b = await runStage(cfg, 'syn-b');
  assert.deepEqual(filesUnder(b.out), filesUnder(a.out), 'same seed → identical files');
  const c = await runStage(config({}, { seeds: [4, 11] }), 'syn-c');
  const wavs = (m: Map<string, string>) => [...m].filter(([k]) => k.endsWith('.wav'));
  const differing = wavs(filesUnder(c.out)).filter(([k, h]) => filesUnder(a.out).get(k) !== h);
  assert.equal(differing.length, 18, 'another data seed → other recordings');
});

test('a generated file does not depend on which other files are generated', async () => {
  const one = await runStage(config({ frequencies: ['3000hz'], recordings: 2 }, { seeds: [3] }), 'subset');
  const full = filesUnder(join(tmp, 'syn-a', 'wav'));
  const sub = filesUnder(join(one.out, 'wav'));
  assert.equal(sub.size, 6);
  for (const [k, h] of sub) assert.equal(full.get(k), h, k);
});

test('directory data: reads the same recordings to the same artifacts; externalInputs hashes every file', async () => {
  const root = join(tmp, 'user-data');
  cpSync(join(tmp, 'syn-a', 'wav'), root, { recursive: true });
  const cfg = config({ source: 'directory', root });
  const d = await runStage(cfg, 'dir');
  assert.deepEqual(d.warnings, []);
  const syn: SpectrogramIndex = JSON.parse(readFileSync(join(tmp, 'syn-a', '3000hz', 'index.json'), 'utf8'));
  const got: SpectrogramIndex = JSON.parse(readFileSync(join(d.out, '3000hz', 'index.json'), 'utf8'));
  got.entries.forEach((e, i) => {
    assert.equal(e.wav, join(root, e.class, 'plastic', `${e.id}.wav`));
    assert.equal(e.wavHash, syn.entries[i].wavHash);
    assert.equal(sha256(readFileSync(join(d.out, '3000hz', e.spectrogram))), sha256(readFileSync(join(tmp, 'syn-a', '3000hz', e.spectrogram))));
  });
  const ext = await stage.externalInputs!(cfg);
  assert.equal(Object.keys(ext).length, 18);
  assert.equal(ext[got.entries[0].wav], got.entries[0].wavHash);
  const f = got.entries[0].wav;
  writeFileSync(f, Buffer.concat([readFileSync(f), Buffer.alloc(2)]));
  assert.notEqual((await stage.externalInputs!(cfg))[f], got.entries[0].wavHash, 'a changed recording changes the key');
});

test('directory data: every missing file is listed at once; extra files give one warning', async () => {
  const root = join(tmp, 'user-missing');
  cpSync(join(tmp, 'syn-a', 'wav'), root, { recursive: true });
  unlinkSync(join(root, 'deg000', 'plastic', 'plastic_deg000_1000hz_02.wav'));
  unlinkSync(join(root, 'deg144', 'plastic', 'plastic_deg144_3000hz_00.wav'));
  const cfg = config({ source: 'directory', root });
  await assert.rejects(runStage(cfg, 'dir-missing'), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /2 of 18 expected recording\(s\) are missing: deg000\/plastic\/plastic_deg000_1000hz_02\.wav, deg144\/plastic\/plastic_deg144_3000hz_00\.wav/);
    return true;
  });
  cpSync(join(tmp, 'syn-a', 'wav'), root, { recursive: true });
  writeFileSync(join(root, 'deg072', 'plastic', 'plastic_deg072_500hz_00.wav'), 'x');
  writeFileSync(join(root, 'deg072', 'plastic', 'notes.txt'), 'x');
  const r = await runStage(cfg, 'dir-extra');
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /2 file\(s\) not used by this experiment.*deg072\/plastic\/notes\.txt, deg072\/plastic\/plastic_deg072_500hz_00\.wav/);
});

test('directory data: a malformed recording fails the stage with an error naming it', async () => {
  const root = join(tmp, 'user-bad');
  cpSync(join(tmp, 'syn-a', 'wav'), root, { recursive: true });
  const bad = join(root, 'deg072', 'plastic', 'plastic_deg072_1000hz_01.wav');
  writeFileSync(bad, readFileSync(bad).subarray(0, 500));
  await assert.rejects(runStage(config({ source: 'directory', root }), 'dir-bad'), (e: unknown) =>
    e instanceof DataError && e.message.startsWith(`${bad}: the data chunk is truncated`));
});

test('an aborted run stops with "interrupted"', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(runStage(config(), 'aborted', ac.signal), (e: unknown) => e instanceof PipelineError && /interrupted/.test(e.message));
  assert.ok(!existsSync(join(tmp, 'aborted', '1000hz', 'index.json')));
});
