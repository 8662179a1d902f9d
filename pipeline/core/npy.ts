/**
 * NumPy .npy (format 1.0) for float32 arrays: written so that `numpy.load` reads them, read back
 * for the stages. Little-endian, C order.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './fsutil.ts';

export interface NdArray { shape: number[]; data: Float32Array }

export function encodeNpy(a: NdArray): Buffer {
  const n = a.shape.reduce((x, y) => x * y, 1);
  if (n !== a.data.length) throw new Error(`npy: shape ${a.shape} holds ${n} values, data has ${a.data.length}`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

export function decodeNpy(buf: Buffer, name = 'array'): NdArray {
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${name}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + hlen);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header))
    throw new Error(`${name}: only little-endian float32 C-order arrays are supported (${header.trim()})`);
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) throw new Error(`${name}: no shape in header`);
  const shape = m[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const off = start + hlen;
  const copy = new Uint8Array(buf.subarray(off));
  const data = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  return { shape, data };
}

export function writeNpy(path: string, a: NdArray): void {
  writeFileAtomic(path, encodeNpy(a));
}

export function readNpy(path: string): NdArray {
  return decodeNpy(readFileSync(path), path);
}
