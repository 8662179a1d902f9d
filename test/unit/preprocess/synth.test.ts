import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GEOMETRY, inverseNormal, synthesize, transfer, type RecordingSpec } from '../../../pipeline/preprocess/synth.ts';
import { spectrogramDb } from '../../../pipeline/preprocess/stft.ts';
import { cropBins, modelInput } from '../../../pipeline/preprocess/input.ts';
import { encodeWav, parseWav } from '../../../pipeline/preprocess/wav.ts';
import { Rng } from '../../../pipeline/lib/rng.ts';

const SR = 48000;
const spec = (o: Partial<RecordingSpec>): RecordingSpec => ({
  material: 'plastic', angleDeg: 36, frequency: 1000, sampleRate: SR, duration: 0.5, snrDb: 30, ...o,
});
const db = (c: { re: number; im: number }) => 20 * Math.log10(Math.hypot(c.re, c.im));
const place = (angleDeg: number) => ({ angleDeg, directPath: GEOMETRY.directPath, objectDistance: GEOMETRY.objectDistance });

test('inverseNormal is Φ⁻¹ (known quantiles, symmetric)', () => {
  for (const [p, z] of [[0.5, 0], [0.975, 1.959963985], [0.8413447461, 1], [0.001, -3.090232306], [1e-7, -5.199337582]] as const) {
    assert.ok(Math.abs(inverseNormal(p) - z) < 1e-6, `Φ⁻¹(${p}) = ${inverseNormal(p)}`);
    assert.ok(Math.abs(inverseNormal(1 - p) + z) < 1e-6);
  }
});

test('transfer: the object colours the tone by angle; front (0°) and back (180°) differ; materials differ', () => {
  for (const f of [500, 1000, 3000]) {
    const levels = [0, 36, 72, 108, 144, 180].map((a) => db(transfer(f, place(a), 'plastic')));
    assert.ok(Math.max(...levels) - Math.min(...levels) > 2, `${f} Hz: levels ${levels.map((l) => l.toFixed(2))}`);
    assert.ok(Math.abs(levels[0] - levels[5]) > 1, `${f} Hz: 0° and 180° alike`);
    assert.ok(Math.abs(db(transfer(f, place(36), 'box')) - levels[1]) > 0.1, `${f} Hz: box = plastic`);
  }
  // at 1000 Hz the reflection path grows by 4·faceOffset ≈ λ/2 from 0° to 180°: the level falls steadily
  const l1k = [0, 36, 72, 108, 144, 180].map((a) => db(transfer(1000, place(a), 'plastic')));
  for (let i = 1; i < 6; i++) assert.ok(l1k[i] < l1k[i - 1], `1000 Hz not falling: ${l1k.map((l) => l.toFixed(2))}`);
});

test('synthesize: duration, determinism per stream, different streams differ', () => {
  const a = synthesize(spec({}), new Rng(42, 'r1'));
  assert.equal(a.length, 24000);
  assert.deepEqual(synthesize(spec({}), new Rng(42, 'r1')), a);
  assert.notDeepEqual(synthesize(spec({}), new Rng(42, 'r2')), a);
  assert.notDeepEqual(synthesize(spec({}), new Rng(43, 'r1')), a);
  assert.ok(a.every((v) => Math.abs(v) < 1), 'fits full scale');
});

test('the tone dominates: the spectrogram peaks at the f0 bin; harmonics stand above the noise floor', () => {
  for (const [f0, bin] of [[500, 21], [1000, 43], [3000, 128]] as const) {
    const s = spectrogramDb(synthesize(spec({ frequency: f0 }), new Rng(1, String(f0))), 2048, 256);
    const mid = Math.floor(s.frames / 2);
    const col = (k: number) => s.data[k * s.frames + mid];
    let best = 0;
    for (let k = 1; k < s.bins; k++) if (col(k) > col(best)) best = k;
    assert.equal(best, bin, `${f0} Hz`);
    const sorted = Array.from({ length: s.bins }, (_, k) => col(k)).sort((x, y) => x - y);
    const floor = sorted[Math.floor(s.bins / 2)];
    const second = Math.max(col(2 * bin - 1), col(2 * bin), col(2 * bin + 1));
    assert.ok(second - floor > 10, `${f0} Hz: 2nd harmonic ${second.toFixed(1)} dB vs floor ${floor.toFixed(1)} dB`);
    assert.ok(second < -20, `${f0} Hz: 2nd harmonic is weak distortion (${second.toFixed(1)} dB)`);
  }
});

test('snrDb sets the noise floor: 20 dB less SNR lifts the floor by about 20 dB', () => {
  const floor = (snrDb: number) => {
    const s = spectrogramDb(synthesize(spec({ snrDb }), new Rng(5, 'snr')), 2048, 256);
    const band: number[] = [];
    for (let k = 600; k < 900; k++) for (let f = 0; f < s.frames; f++) band.push(s.data[k * s.frames + f]);
    return band.reduce((a, b) => a + b, 0) / band.length;
  };
  const lift = floor(20) - floor(40);
  assert.ok(Math.abs(lift - 20) < 1.5, `floor rose by ${lift.toFixed(2)} dB`);
});

/**
 * Learnability proxy: a linear pairwise-logistic ranking score on the time-averaged rows of the
 * model input, trained on four recordings per angle and tested on the other two.
 */
function rankingAccuracy(frequency: number): { all: number; adjacent: number } {
  const crop = cropBins(SR, 2048, 0, 12000);
  const rows = 32;
  const angles = [0, 36, 72, 108, 144, 180];
  const samples = angles.flatMap((angle) => Array.from({ length: 6 }, (_, seq) => {
    const wav = encodeWav([synthesize(spec({ frequency, angleDeg: angle }), new Rng(42, `learn/${frequency}/${angle}/${seq}`))], { sampleRate: SR, bitDepth: 16 });
    const x = modelInput(spectrogramDb(parseWav(wav, 'mem').samples, 2048, 256), crop, rows, 8, 'mem');
    const feat = Array.from({ length: rows }, (_, r) => x.slice(r * 8, r * 8 + 8).reduce((a, b) => a + b, 0) / 8);
    return { angle, seq, feat };
  }));
  const pairs = (set: typeof samples) => set.flatMap((a) => set.filter((b) => b.angle !== a.angle).map((b) => ({ a, b, y: a.angle > b.angle ? 1 : -1 })));
  const train = pairs(samples.filter((s) => s.seq < 4));
  const test = pairs(samples.filter((s) => s.seq >= 4));
  const w = new Float64Array(rows);
  const margin = (p: { a: { feat: number[] }; b: { feat: number[] } }) => p.a.feat.reduce((s, v, k) => s + w[k] * (v - p.b.feat[k]), 0);
  for (let epoch = 0; epoch < 200; epoch++) {
    const g = new Float64Array(rows);
    for (const p of train) {
      const c = -p.y / (1 + Math.exp(p.y * margin(p))) / train.length;
      for (let k = 0; k < rows; k++) g[k] += c * (p.a.feat[k] - p.b.feat[k]);
    }
    for (let k = 0; k < rows; k++) w[k] -= 0.5 * (g[k] + 0.01 * w[k]);
  }
  const right = (ps: typeof test) => ps.filter((p) => margin(p) * p.y > 0).length / ps.length;
  return { all: right(test), adjacent: right(test.filter((p) => Math.abs(p.a.angle - p.b.angle) === 36)) };
}

test('angle is learnable, neighbouring angles overlap, and 3000 Hz is harder than 500 / 1000 Hz', () => {
  const acc = Object.fromEntries([500, 1000, 3000].map((f) => [f, rankingAccuracy(f)]));
  const show = JSON.stringify(acc);
  assert.ok(acc[500].all > 0.75 && acc[1000].all > 0.7, `learnable: ${show}`);
  assert.ok(acc[3000].all < acc[1000].all - 0.05 && acc[3000].all < acc[500].all - 0.05, `3000 Hz harder: ${show}`);
  for (const f of [500, 1000, 3000]) assert.ok(acc[f].adjacent < 0.95, `${f} Hz neighbours overlap: ${show}`);
});
