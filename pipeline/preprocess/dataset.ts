/**
 * The recordings an experiment expects, in the original layout and order
 * (original-system.md §1.1): `{class}/{material}/{material}_{class}_{freq}_{seq}.wav`, class-major
 * then sequence number, so dataset index = label · recordings + seq.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../core/config.ts';
import type { Logger } from '../core/progress.ts';
import { DataError } from '../core/errors.ts';
import type { SpectrogramEntry } from '../core/artifacts.ts';
import { angleOf } from '../core/schema.ts';
import { sha256 } from '../core/hash.ts';
import { parseWav } from './wav.ts';

/** One expected recording: the identifying fields of its index entry, and where it lives. */
export type RecordingRef = Pick<SpectrogramEntry, 'id' | 'class' | 'angle' | 'label' | 'material' | 'frequency' | 'seq'> & {
  /** path relative to the data root: "{class}/{material}/{id}.wav" */
  relPath: string;
};

const seqName = (i: number, n: number) => String(i).padStart(Math.max(2, String(n - 1).length), '0');

/** The recordings of one frequency, in dataset order. */
export function recordingsFor(data: ResolvedConfig['data'], frequency: string): RecordingRef[] {
  const out: RecordingRef[] = [];
  data.classes.forEach((cls, label) => {
    for (let i = 0; i < data.recordings; i++) {
      const seq = seqName(i, data.recordings);
      const id = `${data.material}_${cls}_${frequency}_${seq}`;
      out.push({ id, class: cls, angle: angleOf(cls), label, material: data.material, frequency, seq, relPath: `${cls}/${data.material}/${id}.wav` });
    }
  });
  return out;
}

/**
 * Check a recordings folder before any work: every expected file must exist (all missing files
 * are listed in one DataError); files in the folders read from that the experiment does not use
 * give one warning.
 */
export function checkDirectory(root: string, data: ResolvedConfig['data'], log: Logger): void {
  const expected = new Set<string>();
  const missing: string[] = [];
  for (const freq of data.frequencies)
    for (const r of recordingsFor(data, freq)) {
      expected.add(r.relPath);
      const abs = join(root, r.relPath);
      if (!existsSync(abs) || !statSync(abs).isFile()) missing.push(r.relPath);
    }
  if (missing.length) {
    const shown = missing.length > 60 ? [...missing.slice(0, 60), `… and ${missing.length - 60} more`] : missing;
    throw new DataError(
      `${root}: ${missing.length} of ${expected.size} expected recording(s) are missing: ${shown.join(', ')}. ` +
        `Expected the layout {class}/{material}/{material}_{class}_{freq}_{seq}.wav for data.classes, data.material, ` +
        `data.frequencies and sequence numbers 00…${seqName(data.recordings - 1, data.recordings)} (data.recordings).`,
    );
  }
  const extra: string[] = [];
  for (const cls of data.classes) {
    const dir = join(root, cls, data.material);
    for (const name of readdirSync(dir)) {
      const rel = `${cls}/${data.material}/${name}`;
      if (!expected.has(rel)) extra.push(rel);
    }
  }
  if (extra.length) {
    const shown = extra.length > 10 ? [...extra.slice(0, 10), `… and ${extra.length - 10} more`] : extra;
    log.warn(`${root}: ${extra.length} file(s) not used by this experiment (other frequencies, sequence numbers or names): ${shown.join(', ')}.`);
  }
}

/** sha256 of every expected recording that exists, keyed by absolute path. */
export function hashRecordings(root: string, data: ResolvedConfig['data']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const freq of data.frequencies)
    for (const r of recordingsFor(data, freq)) {
      const abs = join(root, r.relPath);
      if (existsSync(abs) && statSync(abs).isFile()) out[abs] = sha256(readFileSync(abs));
    }
  return out;
}

/**
 * Decode a recording for the spectrogram: mono samples at the experiment's sample rate, not
 * silent. `file` names it in errors.
 */
export function decodeRecording(bytes: Uint8Array, file: string, sampleRate: number): Float32Array {
  const wav = parseWav(bytes, file);
  if (wav.sampleRate !== sampleRate)
    throw new DataError(`${file}: recorded at ${wav.sampleRate} Hz, but data.sampleRate is ${sampleRate} Hz; resample the file or set data.sampleRate to ${wav.sampleRate}.`);
  if (wav.samples.every((s) => s === 0))
    throw new DataError(`${file}: the recording is silent (every sample is 0); its spectrogram would carry no information.`);
  return wav.samples;
}
