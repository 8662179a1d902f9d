import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeWav, parseWav } from '../../../pipeline/preprocess/wav.ts';
import { decodeRecording } from '../../../pipeline/preprocess/dataset.ts';
import { DataError } from '../../../pipeline/core/errors.ts';

const FILE = '/data/deg036/plastic/plastic_deg036_3000hz_04.wav';
const ramp = Float64Array.from({ length: 64 }, (_, i) => (i - 32) / 40);

/** Assert that parsing throws a DataError naming the file and matching `re`. */
function rejects(bytes: Uint8Array, re: RegExp, parse: (b: Uint8Array) => unknown = (b) => parseWav(b, FILE)) {
  assert.throws(() => parse(bytes), (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.ok(e.message.startsWith(FILE), `message does not name the file: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
}

/** A header-only WAV with the given format fields and data bytes. */
function rawWav(o: { tag: number; channels?: number; rate?: number; bits: number; data: Uint8Array; declared?: number; extensibleSub?: number }): Uint8Array {
  const ext = o.extensibleSub !== undefined;
  const fmtLen = ext ? 40 : 16;
  const buf = new Uint8Array(12 + 8 + fmtLen + 8 + o.data.length);
  const v = new DataView(buf.buffer);
  const str = (off: number, s: string) => [...s].forEach((c, i) => (buf[off + i] = c.charCodeAt(0)));
  const ch = o.channels ?? 1, rate = o.rate ?? 48000;
  str(0, 'RIFF'); v.setUint32(4, buf.length - 8, true); str(8, 'WAVE');
  str(12, 'fmt '); v.setUint32(16, fmtLen, true);
  v.setUint16(20, o.tag, true); v.setUint16(22, ch, true); v.setUint32(24, rate, true);
  v.setUint32(28, (rate * ch * o.bits) / 8, true); v.setUint16(32, (ch * o.bits) / 8, true); v.setUint16(34, o.bits, true);
  if (ext) { v.setUint16(36, 22, true); v.setUint16(38, o.bits, true); v.setUint16(44, o.extensibleSub!, true); }
  const d = 20 + fmtLen;
  str(d, 'data'); v.setUint32(d + 4, o.declared ?? o.data.length, true);
  buf.set(o.data, d + 8);
  return buf;
}

test('PCM 8/16/24/32-bit and float32 round-trip within one quantisation step', () => {
  for (const [format, bitDepth] of [['pcm', 8], ['pcm', 16], ['pcm', 24], ['pcm', 32], ['float', 32]] as const) {
    const wav = parseWav(encodeWav([ramp], { sampleRate: 44100, bitDepth, format }), FILE);
    assert.equal(wav.sampleRate, 44100);
    assert.equal(wav.bitsPerSample, bitDepth);
    assert.equal(wav.frames, ramp.length);
    // samples are float32: 32-bit integers keep float32 precision (about 6e-8), not 2^-31
    const step = Math.max(1e-7, 2 ** -(bitDepth - 1));
    ramp.forEach((x, i) => assert.ok(Math.abs(wav.samples[i] - Math.max(-1, Math.min(1 - step, x))) <= step, `${format}${bitDepth}[${i}]: ${wav.samples[i]} vs ${x}`));
  }
});

test('16-bit scaling is the original /32768, 8-bit is unsigned around 128', () => {
  const data16 = new Uint8Array(4);
  new DataView(data16.buffer).setInt16(0, -32768, true);
  new DataView(data16.buffer).setInt16(2, 16384, true);
  assert.deepEqual([...parseWav(rawWav({ tag: 1, bits: 16, data: data16 }), FILE).samples], [-1, 0.5]);
  assert.deepEqual([...parseWav(rawWav({ tag: 1, bits: 8, data: Uint8Array.from([0, 128, 192]) }), FILE).samples], [-1, 0, 0.5]);
});

test('stereo is averaged to mono', () => {
  const left = [0.5, -0.25, 0], right = [0.25, 0.25, -0.5];
  const wav = parseWav(encodeWav([left, right], { sampleRate: 48000, bitDepth: 16 }), FILE);
  assert.equal(wav.channels, 2);
  assert.deepEqual([...wav.samples], [0.375, 0, -0.25]);
});

test('WAVE_FORMAT_EXTENSIBLE with a PCM sub-format is read; odd-sized chunks before data are skipped', () => {
  const data = new Uint8Array(6);
  new DataView(data.buffer).setInt16(2, 8192, true);
  const wav = parseWav(rawWav({ tag: 0xfffe, bits: 16, data, extensibleSub: 1 }), FILE);
  assert.deepEqual([...wav.samples], [0, 0.25, 0]);

  const base = encodeWav([[0.5, 0.5]], { sampleRate: 48000, bitDepth: 16 });
  const junk = Uint8Array.from([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
  const withList = new Uint8Array(base.length + junk.length);
  withList.set(base.subarray(0, 36));
  withList.set(junk, 36);
  withList.set(base.subarray(36), 36 + junk.length);
  assert.deepEqual([...parseWav(withList, FILE).samples], [0.5, 0.5]);
});

test('an empty (0-byte) file → "empty"', () => rejects(new Uint8Array(0), /empty/));

test('a file that is not a WAV → "not a WAV file"', () => rejects(new TextEncoder().encode('ID3\u0003 this is an mp3, honestly'), /not a WAV file/));

test('a truncated data chunk → "truncated", with the byte counts', () => {
  const full = encodeWav([ramp], { sampleRate: 48000, bitDepth: 16 });
  rejects(full.subarray(0, full.length - 10), /data chunk is truncated: its header declares 128 bytes but only 118 follow/);
});

test('a file cut inside the format chunk → "fmt" chunk truncated', () => {
  rejects(encodeWav([ramp], { sampleRate: 48000, bitDepth: 16 }).subarray(0, 30), /"fmt " chunk is truncated/);
});

test('a WAV without a data chunk → "no data chunk"', () => {
  rejects(encodeWav([ramp], { sampleRate: 48000, bitDepth: 16 }).subarray(0, 36), /no data chunk/);
});

test('unsupported codecs → "unsupported codec" naming it', () => {
  rejects(rawWav({ tag: 2, bits: 4, data: new Uint8Array(8) }), /unsupported codec: Microsoft ADPCM/);
  rejects(rawWav({ tag: 7, bits: 8, data: new Uint8Array(8) }), /unsupported codec: µ-law/);
  rejects(rawWav({ tag: 1, bits: 12, data: new Uint8Array(8) }), /unsupported codec: 12-bit integer PCM/);
  rejects(rawWav({ tag: 0xfffe, bits: 16, data: new Uint8Array(8), extensibleSub: 0x55 }), /unsupported codec: MPEG Layer 3/);
});

test('a data chunk with no samples → "empty"', () => rejects(rawWav({ tag: 1, bits: 16, data: new Uint8Array(0) }), /recording is empty/));

test('a sample rate other than data.sampleRate → error naming both rates', () => {
  const wav = encodeWav([ramp], { sampleRate: 44100, bitDepth: 16 });
  rejects(wav, /recorded at 44100 Hz, but data.sampleRate is 48000 Hz/, (b) => decodeRecording(b, FILE, 48000));
  assert.equal(decodeRecording(wav, FILE, 44100).length, ramp.length);
});

test('an all-zero recording → "silent"', () => {
  rejects(encodeWav([new Float64Array(100)], { sampleRate: 48000, bitDepth: 16 }), /silent/, (b) => decodeRecording(b, FILE, 48000));
});
