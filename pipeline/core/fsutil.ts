import { mkdirSync, renameSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/** Write a file through a temporary sibling and rename it into place. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeJson(path: string, v: unknown): void {
  writeFileAtomic(path, JSON.stringify(v, null, 2) + '\n');
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function readJsonIfExists<T>(path: string): T | undefined {
  return existsSync(path) ? readJson<T>(path) : undefined;
}

export function rmrf(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
