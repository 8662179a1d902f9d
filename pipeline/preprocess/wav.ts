/**
 * A small RIFF/WAVE reader and writer.
 *
 * Reads PCM 8/16/24/32-bit integer and IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE,
 * any channel count (averaged to mono, as the original averaged stereo), and scales integers as
 * the original did: value / 2^(bits − 1) (8-bit data are unsigned, centred on 128).
 * Every defect is a DataError naming the file: not a WAV, a missing or short chunk, a truncated
 * data chunk, an unsupported codec or bit depth, an empty file.
 */
import { DataError } from '../core/errors.ts';

export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_IEEE_FLOAT = 3;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const CODEC_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM', 6: 'A-law', 7: 'µ-law', 0x11: 'IMA ADPCM', 0x31: 'GSM 6.10', 0x55: 'MPEG Layer 3',
};

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float (after resolving WAVE_FORMAT_EXTENSIBLE) */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** samples per channel */
  frames: number;
}

export interface WavData extends WavInfo {
  /** mono signal (channels averaged), scaled to about [−1, 1] */
  samples: Float32Array;
}

function codecName(tag: number): string {
  return CODEC_NAMES[tag] ? `${CODEC_NAMES[tag]} (format tag ${tag})` : `format tag 0x${tag.toString(16).padStart(4, '0')}`;
}

/** Parse a WAV file's bytes; `file` names it in errors. */
export function parseWav(buf: Uint8Array, file: string): WavData {
  if (buf.length === 0) throw new DataError(`${file}: the file is empty (0 bytes); expected a WAV recording.`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag4 = (off: number) => String.fromCharCode(buf[off], buf[off + 1], buf[off + 2], buf[off + 3]);
  if (buf.length < 12 || tag4(0) !== 'RIFF' || tag4(8) !== 'WAVE') {
    const what = buf.length >= 4 && tag4(0) === 'RF64' ? 'an RF64 file (not supported; export it as a plain WAV)' : 'not a WAV file (no RIFF/WAVE header)';
    throw new DataError(`${file}: ${what}; expected a RIFF/WAVE recording.`);
  }
  let fmt: WavInfo | undefined;
  let dataOff = -1;
  let dataLen = 0;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = tag4(off);
    const size = view.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > buf.length)
        throw new DataError(`${file}: the "fmt " chunk is ${body + size > buf.length ? 'truncated' : `only ${size} bytes`}; expected a complete 16-byte (or longer) format chunk.`);
      let format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) throw new DataError(`${file}: WAVE_FORMAT_EXTENSIBLE "fmt " chunk is ${size} bytes; expected 40.`);
        format = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = { format, channels, sampleRate, bitsPerSample, frames: 0 };
    } else if (id === 'data') {
      dataOff = body;
      dataLen = size;
      if (body + size > buf.length)
        throw new DataError(`${file}: the data chunk is truncated: its header declares ${size} bytes but only ${buf.length - body} follow; the file was cut short (re-export or re-copy it).`);
      break;
    }
    off = body + size + (size & 1); // chunks are word-aligned
  }
  if (!fmt) throw new DataError(`${file}: no "fmt " chunk before the audio data; not a valid WAV file.`);
  if (dataOff < 0) throw new DataError(`${file}: no data chunk; not a valid WAV file (or it was cut short).`);
  const { format, channels, bitsPerSample } = fmt;
  const intOk = format === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample);
  const floatOk = format === WAVE_FORMAT_IEEE_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64);
  if (!intOk && !floatOk) {
    const what = format === WAVE_FORMAT_PCM ? `${bitsPerSample}-bit integer PCM`
      : format === WAVE_FORMAT_IEEE_FLOAT ? `${bitsPerSample}-bit float`
      : codecName(format);
    throw new DataError(`${file}: unsupported codec: ${what}; expected PCM 8/16/24/32-bit integer or 32-bit float.`);
  }
  if (channels < 1) throw new DataError(`${file}: the format chunk declares 0 channels.`);
  if (fmt.sampleRate < 1) throw new DataError(`${file}: the format chunk declares a sample rate of 0 Hz.`);
  const bytes = bitsPerSample / 8;
  const frameBytes = bytes * channels;
  const frames = Math.floor(dataLen / frameBytes);
  if (frames === 0) throw new DataError(`${file}: the recording is empty (its data chunk holds no samples).`);
  return { ...fmt, frames, samples: decodeMono(view, dataOff, frames, channels, format, bitsPerSample) };
}

function decodeMono(view: DataView, at: number, frames: number, channels: number, format: number, bits: number): Float32Array {
  const out = new Float32Array(frames);
  const bytes = bits / 8;
  const read: (o: number) => number =
    format === WAVE_FORMAT_IEEE_FLOAT
      ? (bits === 32 ? (o) => view.getFloat32(o, true) : (o) => view.getFloat64(o, true))
      : bits === 8 ? (o) => (view.getUint8(o) - 128) / 128
      : bits === 16 ? (o) => view.getInt16(o, true) / 32768
      : bits === 24 ? (o) => ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16))) / 8388608
      : (o) => view.getInt32(o, true) / 2147483648;
  let o = at;
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++, o += bytes) s += read(o);
    out[i] = s / channels;
  }
  return out;
}

export interface WavEncodeOptions {
  sampleRate: number;
  /** 'pcm' integer (8/16/24/32 bits) or 'float' (32 bits) */
  format?: 'pcm' | 'float';
  bitDepth: 8 | 16 | 24 | 32;
}

/**
 * Encode channels (equal length, values in [−1, 1], clipped) as a canonical 44-byte-header WAV.
 * Integers are round(x · 2^(bits−1)) clamped to the type's range.
 */
export function encodeWav(channels: ArrayLike<number>[], opts: WavEncodeOptions): Uint8Array {
  const nCh = channels.length;
  if (nCh < 1) throw new RangeError('encodeWav: at least one channel');
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) throw new RangeError('encodeWav: channels differ in length');
  const isFloat = opts.format === 'float';
  if (isFloat && opts.bitDepth !== 32) throw new RangeError('encodeWav: float WAVs are 32-bit');
  const bytes = opts.bitDepth / 8;
  const dataLen = frames * nCh * bytes;
  const buf = new Uint8Array(44 + dataLen + (dataLen & 1));
  const v = new DataView(buf.buffer);
  const str = (o: number, s: string) => { for (let i = 0; i < 4; i++) buf[o + i] = s.charCodeAt(i); };
  str(0, 'RIFF'); v.setUint32(4, buf.length - 8, true); str(8, 'WAVE');
  str(12, 'fmt '); v.setUint32(16, 16, true);
  v.setUint16(20, isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  v.setUint16(22, nCh, true);
  v.setUint32(24, opts.sampleRate, true);
  v.setUint32(28, opts.sampleRate * nCh * bytes, true);
  v.setUint16(32, nCh * bytes, true);
  v.setUint16(34, opts.bitDepth, true);
  str(36, 'data'); v.setUint32(40, dataLen, true);
  const full = 2 ** (opts.bitDepth - 1);
  let o = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nCh; c++, o += bytes) {
      const x = channels[c][i];
      if (isFloat) { v.setFloat32(o, x, true); continue; }
      const q = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
      if (bytes === 1) v.setUint8(o, q + 128);
      else if (bytes === 2) v.setInt16(o, q, true);
      else if (bytes === 3) { v.setUint8(o, q & 0xff); v.setUint8(o + 1, (q >> 8) & 0xff); v.setInt8(o + 2, q >> 16); }
      else v.setInt32(o, q, true);
    }
  }
  return buf;
}
