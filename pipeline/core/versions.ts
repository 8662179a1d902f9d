/**
 * The versions of the tools a run was made with: Node, ghm-report itself and the npm packages that
 * shape its results (training backend, charts, PDF, messages, Markdown). Recorded in the manifest
 * and in the report's metrics.json, so that "changes since the previous run" can name them.
 * Read from node_modules/<name>/package.json; a package that is not installed is left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from './errors.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The npm packages whose versions are recorded, in this order. */
export const NOTABLE_PACKAGES = [
  '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'chart.js', '@napi-rs/canvas',
  '@myriaddreamin/typst-ts-node-compiler', 'i18next', 'unified',
] as const;

/** The `version` of a package.json, or undefined when the file does not exist. */
export function packageVersion(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`${file} is not valid JSON (${(e as Error).message}); reinstall the package (npm ci).`);
  }
  const v = (pkg as { version?: unknown } | null)?.version;
  if (typeof v !== 'string' || v === '')
    throw new DataError(`${file} has no "version" string; reinstall the package (npm ci).`);
  return v;
}

/** `{ node, 'ghm-report', <package>: <version>, … }` for the repository at `root`. */
export function toolVersions(root = ROOT): Record<string, string> {
  const own = packageVersion(join(root, 'package.json'));
  const versions: Record<string, string> = { node: process.version };
  if (own) versions['ghm-report'] = own;
  for (const name of NOTABLE_PACKAGES) {
    const v = packageVersion(join(root, 'node_modules', name, 'package.json'));
    if (v) versions[name] = v;
  }
  return versions;
}
