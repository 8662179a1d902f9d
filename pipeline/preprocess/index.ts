/**
 * The preprocess stage: recordings (synthetic or a user's folder) → the original's dB
 * spectrograms → model inputs → seeded split and ranking pairs, per frequency.
 *
 * Writes (artifacts.ts): wav/… (synthetic data only), and per frequency <freq>/index.json,
 * <freq>/spec/<id>.npy, <freq>/input/<id>.npy, <freq>/split-s<seed>.json, <freq>/pairs-s<seed>.json.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage, StageContext } from '../core/stage.ts';
import type { ResolvedConfig } from '../core/config.ts';
import { ARTIFACT_FILES, type PairSet, type SpectrogramEntry, type SpectrogramIndex, type Split } from '../core/artifacts.ts';
import { ConfigError, StageError } from '../core/errors.ts';
import { writeFileAtomic, writeJson } from '../core/fsutil.ts';
import { sha256 } from '../core/hash.ts';
import { writeNpy } from '../core/npy.ts';
import { checkDirectory, decodeRecording, hashRecordings, recordingsFor, type RecordingRef } from './dataset.ts';
import { cropBins, modelInput, type Crop } from './input.ts';
import { makePairs, originalSplit, stratifiedSplit, type IndexPair } from './split.ts';
import { spectrogramDb } from './stft.ts';
import { syntheticRecording } from './synth.ts';
import { encodeWav } from './wav.ts';

/** Where a recording's bytes come from; returns them with the path recorded in the index. */
type Source = (ref: RecordingRef) => { bytes: Uint8Array; wav: string; file: string };

function syntheticSource(config: ResolvedConfig, outDir: string): Source {
  const { data } = config;
  const seed = config.seeds[0];
  return (ref) => {
    const samples = syntheticRecording(data, seed, ref);
    const bytes = encodeWav([samples], { sampleRate: data.sampleRate, bitDepth: data.synthetic.bitDepth });
    const file = join(outDir, 'wav', ref.relPath);
    writeFileAtomic(file, bytes);
    // the index sits in <outDir>/<freq>/, the WAVs in <outDir>/wav/
    return { bytes, wav: `../wav/${ref.relPath}`, file };
  };
}

function directorySource(root: string): Source {
  return (ref) => {
    const file = join(root, ref.relPath);
    return { bytes: readFileSync(file), wav: file, file };
  };
}

function processFrequency(ctx: StageContext, frequency: string, source: Source, crop: Crop): SpectrogramIndex {
  const { data, preprocess: pp } = ctx.config;
  const { nFft, hop } = pp.stft;
  const { height, width } = pp.input;
  const dir = join(ctx.outDir, frequency);
  mkdirSync(join(dir, 'spec'), { recursive: true });
  mkdirSync(join(dir, 'input'), { recursive: true });
  const refs = recordingsFor(data, frequency);
  const task = ctx.progress.task(`preprocess ${frequency}`, refs.length);
  const entries: SpectrogramEntry[] = [];
  for (const ref of refs) {
    if (ctx.signal.aborted) throw new StageError('interrupted');
    const { bytes, wav, file } = source(ref);
    const samples = decodeRecording(bytes, file, data.sampleRate);
    const spec = spectrogramDb(samples, nFft, hop);
    const input = modelInput(spec, crop, height, width, `${file} (sample ${ref.id})`);
    writeNpy(join(dir, 'spec', `${ref.id}.npy`), { shape: [spec.bins, spec.frames], data: spec.data });
    writeNpy(join(dir, 'input', `${ref.id}.npy`), { shape: [height, width], data: input });
    entries.push({
      id: ref.id, class: ref.class, angle: ref.angle, label: ref.label, material: ref.material,
      frequency, seq: ref.seq, wav, wavHash: sha256(bytes),
      spectrogram: `spec/${ref.id}.npy`, input: `input/${ref.id}.npy`,
      samples: samples.length, frames: spec.frames,
    });
    task.tick(1); // no detail: off a TTY that would print a line per file
  }
  task.done();
  const index: SpectrogramIndex = {
    frequency, material: data.material, sampleRate: data.sampleRate, nFft, hop, bins: nFft / 2 + 1,
    inputShape: [height, width], crop: crop.hz, entries,
  };
  writeJson(join(dir, ARTIFACT_FILES.spectrogramIndex), index);
  return index;
}

function writeSplitAndPairs(ctx: StageContext, index: SpectrogramIndex, seed: number): string {
  const { data } = ctx.config;
  const { entries, frequency } = index;
  const side = data.split.stratified
    ? stratifiedSplit(entries.map((e) => e.label), data.split.train, seed)
    : originalSplit(entries.length, data.split.train, seed);
  const split: Split = {
    frequency, seed, stratified: data.split.stratified,
    train: side.train.map((i) => entries[i].id), val: side.val.map((i) => entries[i].id),
  };
  const angles = (idx: number[]) => idx.map((i) => entries[i].angle);
  const pairs = makePairs(angles(side.train), angles(side.val), data.pairs.mode, seed);
  const named = (ids: string[], ps: IndexPair[]) => ps.map(([a, b, t]) => [ids[a], ids[b], t] as [string, string, 1 | -1]);
  const set: PairSet = {
    frequency, seed, mode: data.pairs.mode,
    train: named(split.train, pairs.train), val: named(split.val, pairs.val),
  };
  const dir = join(ctx.outDir, frequency);
  writeJson(join(dir, ARTIFACT_FILES.split(seed)), split);
  writeJson(join(dir, ARTIFACT_FILES.pairs(seed)), set);
  return `seed ${seed}: split ${split.train.length}/${split.val.length}, pairs ${set.train.length}/${set.val.length}`;
}

export const stage: Stage = {
  name: 'preprocess',
  deps: [],
  code: ['pipeline/preprocess', 'pipeline/lib', 'pipeline/core/npy.ts'],
  slice: (config) => ({ data: config.data, preprocess: config.preprocess, seeds: config.seeds }),

  async externalInputs(config) {
    const { data } = config;
    return data.source === 'directory' && data.root ? hashRecordings(data.root, data) : {};
  },

  async run(ctx) {
    const { config } = ctx;
    const { data, preprocess: pp } = config;
    let source: Source;
    if (data.source === 'directory') {
      if (!data.root) throw new ConfigError(`${config.file}: \`data.root\` is missing; expected the folder of the recordings when \`data.source\` is "directory".`, 'data.root');
      checkDirectory(data.root, data, ctx.log);
      source = directorySource(data.root);
    } else {
      source = syntheticSource(config, ctx.outDir);
    }
    const crop = cropBins(data.sampleRate, pp.stft.nFft, pp.input.minHz, pp.input.maxHz ?? data.sampleRate / 2);
    for (const frequency of data.frequencies) {
      const index = processFrequency(ctx, frequency, source, crop);
      const e = index.entries[0];
      const summary = config.seeds.map((seed) => writeSplitAndPairs(ctx, index, seed));
      ctx.log.info(
        `  ${frequency}: ${index.entries.length} recordings (${data.source}), spectrogram ${index.bins}×${e.frames}, ` +
          `input ${pp.input.height}×${pp.input.width} of ${crop.hz[0]}–${crop.hz[1]} Hz; ${summary.join('; ')}`,
      );
    }
  },
};
