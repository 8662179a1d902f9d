import { mkdirSync, renameSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { StageError } from './errors.ts';

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

/**
 * An upstream stage's JSON artifact. A missing or unparsable file is a StageError naming the
 * file, what it should hold and the stage that writes it.
 */
export function readArtifact<T>(path: string, what: string, stage: string): T {
  if (!existsSync(path))
    throw new StageError(`${path} is missing (${what}); the ${stage} stage's output is incomplete — re-run it (--force ${stage}).`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    if (e instanceof SyntaxError) throw new StageError(`${path} is not valid JSON (${e.message}); expected ${what} written by the ${stage} stage.`);
    throw e;
  }
}
