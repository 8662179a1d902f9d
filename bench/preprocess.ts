/**
 * Preprocess speed (issue 3 goals) at the plastic experiment's size: 6 classes × 9 recordings of
 * 6 s at 48 kHz per frequency.
 *   - STFT (nFft 2048, hop 256 → 1025 × 1126 dB spectrogram) of 54 recordings: ≤ 2 s.
 *   - Generating 2 × 54 synthetic recordings and writing them as 16-bit WAVs: ≤ 3 s.
 *   - The whole stage on experiments/plastic.yaml (generation, STFT, model inputs, .npy and JSON
 *     artifacts): no goal, for the record.
 * Each timing is the better of two runs (the machine is shared; the first run also warms the JIT).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../pipeline/core/config.ts';
import { writeFileAtomic } from '../pipeline/core/fsutil.ts';
import { recordingsFor } from '../pipeline/preprocess/dataset.ts';
import { stage } from '../pipeline/preprocess/index.ts';
import { spectrogramDb } from '../pipeline/preprocess/stft.ts';
import { syntheticRecording } from '../pipeline/preprocess/synth.ts';
import { encodeWav } from '../pipeline/preprocess/wav.ts';
import type { BenchRow } from './types.ts';

const root = join(import.meta.dirname, '..');

/** Best wall time of `runs` runs, seconds, with the CPU time of this thread during that run. */
async function bestOf(runs: number, f: () => unknown): Promise<{ wall: number; cpu: number }> {
  let best = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await f();
    const wall = (performance.now() - t) / 1000;
    const used = process.cpuUsage(c);
    if (wall < best.wall) best = { wall, cpu: (used.user + used.system) / 1e6 };
  }
  return best;
}

/** CPU time tells how much of the wall time was this program's when the machine is shared. */
const cpuNote = (m: { cpu: number }) => `CPU ${m.cpu.toFixed(2)} s`;

export async function run(): Promise<BenchRow[]> {
  const config = loadConfig(join(root, 'experiments', 'plastic.yaml'));
  const { data } = config;
  const tmp = mkdtempSync(join(tmpdir(), 'ghm-bench-preprocess-'));
  try {
    const generate = (freq: string) => recordingsFor(data, freq).map((ref) => syntheticRecording(data, config.seeds[0], ref));

    const freqs = data.frequencies;
    const genS = await bestOf(2, () => {
      for (const freq of freqs)
        generate(freq).forEach((x, i) =>
          writeFileAtomic(join(tmp, 'wav', freq, `${i}.wav`), encodeWav([x], { sampleRate: data.sampleRate, bitDepth: data.synthetic.bitDepth })));
    });

    const signals = generate(freqs[0]);
    const { nFft, hop } = config.preprocess.stft;
    const stftS = await bestOf(2, () => signals.forEach((x) => spectrogramDb(x, nFft, hop)));

    const stageS = await bestOf(1, () => stage.run({
      config, outDir: join(tmp, 'stage'), workDir: join(tmp, 'work'),
      input: () => { throw new Error('preprocess has no inputs'); },
      log: { info() {}, warn() {}, error() {}, debug() {} },
      progress: { task: () => ({ tick() {}, done() {} }) },
      signal: new AbortController().signal,
    }));

    const n = signals.length;
    const secs = data.synthetic.duration;
    return [
      { case: `STFT of ${n} × ${secs} s recordings (${nFft}/${hop}, one frequency)`, ours: stftS.wall, unit: 's', goal: '≤ 2 s', ok: stftS.wall <= 2, note: cpuNote(stftS) },
      { case: `generate + write ${freqs.length} × ${n} synthetic WAVs (${secs} s, ${data.synthetic.bitDepth}-bit)`, ours: genS.wall, unit: 's', goal: '≤ 3 s', ok: genS.wall <= 3, note: cpuNote(genS) },
      { case: `preprocess stage, plastic.yaml (${freqs.length} × ${n} recordings, all artifacts)`, ours: stageS.wall, unit: 's', note: `for the record; ${cpuNote(stageS)}` },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
