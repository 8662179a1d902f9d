/**
 * Publishing a completed run: the report stage's output is copied to
 * `<out>/runs/<timestamp>/` together with the manifest, then `<out>/latest` is switched to it in
 * one rename. Only the newest `keep` runs are kept.
 */
import { cpSync, existsSync, readdirSync, renameSync, symlinkSync, readlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { rmrf, writeJson } from './fsutil.ts';
import type { Manifest } from './artifacts.ts';

export function runStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '-$1Z');
}

export function runsDir(outDir: string): string {
  return join(outDir, 'runs');
}

/** Completed runs, oldest first. */
export function listRuns(outDir: string): string[] {
  const dir = runsDir(outDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => !f.startsWith('.') && existsSync(join(dir, f, 'manifest.json'))).sort();
}

export function latestRun(outDir: string): string | undefined {
  const link = join(outDir, 'latest');
  if (!existsSync(link)) return undefined;
  return lstatSync(link).isSymbolicLink() ? join(outDir, readlinkSync(link)) : link;
}

export interface PublishResult { dir: string; stamp: string }

export async function publishRun(opts: {
  outDir: string;
  sourceDir: string;
  manifest: Manifest;
  keep: number;
  addFiles?: (dir: string) => void | Promise<void>;
}): Promise<PublishResult> {
  const stamp = runStamp(new Date(opts.manifest.finishedAt));
  const dir = runsDir(opts.outDir);
  const tmp = join(dir, `.${stamp}.tmp-${process.pid}`);
  const final = join(dir, stamp);
  rmrf(tmp);
  cpSync(opts.sourceDir, tmp, { recursive: true, filter: (src) => !src.endsWith('stage.json') });
  writeJson(join(tmp, 'manifest.json'), opts.manifest);
  await opts.addFiles?.(tmp);
  renameSync(tmp, final);
  // Switch `latest` atomically: a new symlink renamed over the old one.
  const link = join(opts.outDir, 'latest');
  const linkTmp = join(opts.outDir, `.latest.tmp-${process.pid}`);
  rmrf(linkTmp);
  symlinkSync(join('runs', stamp), linkTmp);
  if (existsSync(link) && !lstatSync(link).isSymbolicLink()) rmrf(link);
  renameSync(linkTmp, link);
  const runs = listRuns(opts.outDir);
  for (const old of runs.slice(0, Math.max(0, runs.length - opts.keep))) rmrf(join(dir, old));
  return { dir: final, stamp };
}
