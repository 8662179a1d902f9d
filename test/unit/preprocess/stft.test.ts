import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameCount, hammingSymmetric, powerDb, reflectPad, spectrogramDb } from '../../../pipeline/preprocess/stft.ts';

/** The original's maths written out directly: reflect pad, symmetric Hamming, DFT by definition. */
function directDb(x: number[], nFft: number, hop: number): { bins: number; frames: number; db: number[] } {
  const pad = nFft / 2;
  const padded = reflectPad(x, pad);
  const frames = 1 + Math.floor((padded.length - nFft) / hop);
  const bins = nFft / 2 + 1;
  const w = Array.from({ length: nFft }, (_, n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (nFft - 1)));
  const mag = new Array<number>(bins * frames);
  for (let f = 0; f < frames; f++)
    for (let k = 0; k < bins; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < nFft; n++) {
        const v = padded[f * hop + n] * w[n];
        re += v * Math.cos((2 * Math.PI * k * n) / nFft);
        im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
      }
      mag[k * frames + f] = Math.hypot(re, im);
    }
  const ref = Math.max(...mag);
  return { bins, frames, db: mag.map((m) => 20 * Math.log10(Math.max(m, 1e-10) / Math.max(1e-10, ref))) };
}

test('reflectPad matches numpy.pad(mode="reflect"), also for pads longer than the signal', () => {
  assert.deepEqual([...reflectPad([1, 2, 3, 4, 5], 3)], [4, 3, 2, 1, 2, 3, 4, 5, 4, 3, 2]);
  assert.deepEqual([...reflectPad([1, 2, 3], 5)], [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]);
});

test('hammingSymmetric is np.hamming', () => {
  const w = hammingSymmetric(5);
  [0.08, 0.54, 1, 0.54, 0.08].forEach((v, i) => assert.ok(Math.abs(w[i] - v) < 1e-12, `w[${i}] = ${w[i]}`));
});

test('frame count follows the original: 6 s at 48 kHz, nFft 2048, hop 256 → 1126 frames', () => {
  assert.equal(frameCount(288000, 2048, 256), 1126);
  assert.equal(frameCount(288255, 2048, 256), 1126);
  assert.equal(frameCount(288256, 2048, 256), 1127);
});

test('spectrogram equals a direct DFT within 1e-3 dB wherever it is above −100 dB', () => {
  for (const [nFft, hop, len] of [[64, 16, 301], [256, 64, 700]] as const) {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) - 0.5;
    const x = Array.from({ length: len }, (_, i) => 0.6 * Math.sin(0.3 * i) + 0.2 * Math.sin(1.7 * i + 1) + 0.05 * rand());
    const ref = directDb(x, nFft, hop);
    const ours = spectrogramDb(x, nFft, hop);
    assert.equal(ours.bins, ref.bins);
    assert.equal(ours.frames, ref.frames);
    let worst = 0, compared = 0;
    ref.db.forEach((v, i) => {
      if (v <= -100) return;
      compared++;
      worst = Math.max(worst, Math.abs(v - ours.data[i]));
    });
    assert.ok(compared > ref.db.length * 0.9, `compared only ${compared} cells`);
    assert.ok(worst <= 1e-3, `nFft ${nFft}: max error ${worst} dB`);
    assert.equal(Math.max(...ours.data), 0, 'the peak cell is 0 dB');
  }
});

test('a pure tone peaks at its bin in every frame away from the padded edges; an off-bin tone at the nearest bin', () => {
  const sr = 48000, nFft = 2048, hop = 256;
  for (const [hz, bin] of [[3000, 128], [1000, 43], [23437.5, 1000]] as const) {
    const x = Float32Array.from({ length: 12000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / sr));
    const s = spectrogramDb(x, nFft, hop);
    assert.equal(s.bins, 1025);
    const inside = (f: number) => f * hop - nFft / 2 >= 0 && f * hop + nFft / 2 <= x.length;
    let checked = 0;
    for (let f = 0; f < s.frames; f++) {
      if (!inside(f)) continue;
      checked++;
      let best = 0;
      for (let k = 1; k < s.bins; k++) if (s.data[k * s.frames + f] > s.data[best * s.frames + f]) best = k;
      assert.equal(best, bin, `${hz} Hz, frame ${f}: peak at bin ${best}`);
    }
    assert.ok(checked >= 30, `checked ${checked} frames`);
  }
});

test('silence gives 0 dB everywhere, as the original (1e-10 / 1e-10)', () => {
  const s = spectrogramDb(new Float32Array(1000), 256, 64);
  assert.ok(s.data.every((v) => v === 0));
});

test('powerDb agrees with 10·log10 to 1e-6 dB from 1e-19 to 1e12, and floors at −200 dB', () => {
  for (let e = -19; e <= 12; e += 0.37) {
    for (const m of [1, 1.0001, 1.4142, 1.999]) {
      const p = m * 10 ** e;
      assert.ok(Math.abs(powerDb(p) - 10 * Math.log10(p)) < 1e-6, `p = ${p}`);
    }
  }
  assert.equal(powerDb(0), -200);
  assert.equal(powerDb(1e-25), -200);
});
