/**
 * The stage runner: runs the DAG preprocess → train → analyze → charts → report over one
 * output folder. A stage's cache key is the hash of its config slice, its upstream stages'
 * output hashes, its code version and any external input files; a stage whose key matches its
 * stored record (and whose files are intact) is skipped. A stage writes into a temporary folder
 * that is renamed into place only when it succeeded, so a failed or interrupted run leaves every
 * earlier output — and the previously published report — untouched.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join, relative, sep, isAbsolute } from 'node:path';
import { hashJson, hashFileSync, canonicalJson } from './hash.ts';
import { readJsonIfExists, rmrf, writeJson } from './fsutil.ts';
import { StageError } from './errors.ts';
import type { ResolvedConfig } from './config.ts';
import type { Stage, StageContext } from './stage.ts';
import type { ManifestStage, StageRecord } from './artifacts.ts';
import type { StageName } from './schema.ts';
import type { Reporter } from './progress.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface RunOptions {
  /** run just this stage (its inputs must already be valid) */
  only?: StageName;
  /** force this stage and every later one */
  from?: StageName;
  /** force every stage (true) or one stage */
  force?: StageName | true;
  outDir: string;
  reporter: Reporter;
  signal: AbortSignal;
}

export interface RunResult {
  stages: ManifestStage[];
}

/** Every file under dir (relative POSIX paths, sorted), skipping dot-files at the top level. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Code version of a stage: hash of every file under its code paths, plus the lockfile. */
export function codeVersion(paths: string[], root = REPO_ROOT): string {
  const entries: [string, string][] = [];
  for (const p of [...paths, 'package-lock.json']) {
    const abs = isAbsolute(p) ? p : join(root, p);
    if (!existsSync(abs)) continue;
    if (statSync(abs).isDirectory()) for (const f of listFiles(abs)) entries.push([`${p}/${f}`, hashFileSync(join(abs, f))]);
    else entries.push([p, hashFileSync(abs)]);
  }
  return hashJson(entries);
}

function outputDigest(dir: string): { hash: string; files: Record<string, number> } {
  const files: Record<string, number> = {};
  const hashes: [string, string][] = [];
  for (const f of listFiles(dir)) {
    if (f === 'stage.json') continue;
    const abs = join(dir, f);
    files[f] = statSync(abs).size;
    hashes.push([f, hashFileSync(abs)]);
  }
  return { hash: hashJson(hashes), files };
}

/** Key paths at which two JSON values differ (at most `limit`). */
export function diffPaths(a: unknown, b: unknown, prefix = '', limit = 5): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return [prefix || '(value)'];
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    for (const p of diffPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, limit)) {
      if (out.length < limit) out.push(p);
    }
  }
  return out;
}

function intact(dir: string, rec: StageRecord): boolean {
  for (const [f, size] of Object.entries(rec.files ?? {})) {
    const p = join(dir, f);
    if (!existsSync(p) || statSync(p).size !== size) return false;
  }
  return true;
}

/** Replace `final` by `tmp` (directories): final → .old, tmp → final, drop .old. */
export function swapDir(tmp: string, final: string): void {
  const old = `${final}.old-${process.pid}`;
  rmrf(old);
  if (existsSync(final)) renameSync(final, old);
  renameSync(tmp, final);
  rmrf(old);
}

export function stagesDir(outDir: string): string {
  return join(outDir, 'stages');
}

export function stageRecord(outDir: string, name: string): StageRecord | undefined {
  return readJsonIfExists<StageRecord>(join(stagesDir(outDir), name, 'stage.json'));
}

/** Temporary folders of the stage in progress, removed on an interrupt. */
export const inProgress = new Set<string>();

export async function runStages(config: ResolvedConfig, stages: Stage[], opts: RunOptions): Promise<RunResult> {
  const { reporter } = opts;
  const sdir = stagesDir(opts.outDir);
  mkdirSync(sdir, { recursive: true });
  const records = new Map<string, StageRecord>();
  const results: ManifestStage[] = [];
  const order = stages.map((s) => s.name);
  const fromIdx = opts.from ? order.indexOf(opts.from) : -1;

  for (const [idx, stage] of stages.entries()) {
    const final = join(sdir, stage.name);
    const prev = readJsonIfExists<StageRecord>(join(final, 'stage.json'));
    if (opts.only && opts.only !== stage.name) {
      const onlyIdx = order.indexOf(opts.only);
      if (idx > onlyIdx) {
        results.push({ stage: stage.name, key: prev?.key ?? '', status: 'skipped', why: `--only ${opts.only}`, seconds: 0 });
        continue;
      }
      if (!prev || !intact(final, prev))
        throw new StageError(`--only ${opts.only}: stage "${stage.name}" has no valid output in ${final}; run the pipeline without --only first.`);
      records.set(stage.name, prev);
      results.push({ stage: stage.name, key: prev.key, status: 'skipped', why: `--only ${opts.only} (using existing output)`, seconds: 0 });
      continue;
    }

    const inputs: Record<string, string> = {};
    for (const dep of stage.deps) {
      const r = records.get(dep);
      if (!r) throw new StageError(`stage "${stage.name}" needs "${dep}", which has not run.`);
      inputs[dep] = r.outputHash;
    }
    const slice = JSON.parse(JSON.stringify(stage.slice(config) ?? null));
    const code = codeVersion(stage.code);
    const external = (await stage.externalInputs?.(config)) ?? {};
    const key = hashJson({ slice, inputs, code, external });

    const forced = opts.force === true || opts.force === stage.name || (fromIdx >= 0 && idx >= fromIdx);
    let why: string | undefined;
    if (forced) why = 'forced';
    else if (!prev) why = 'no previous output';
    else if (prev.key === key && intact(final, prev)) why = undefined;
    else if (prev.key === key) why = 'previous output damaged';
    else {
      const reasons: string[] = [];
      const changed = diffPaths(prev.slice, slice);
      if (changed.length) reasons.push(`config changed (${changed.join(', ')})`);
      const deps = stage.deps.filter((d) => prev.inputs?.[d] !== inputs[d]);
      if (deps.length) reasons.push(`input changed (${deps.join(', ')})`);
      if (prev.code !== code) reasons.push('code changed');
      if (canonicalJson(prev.external ?? {}) !== canonicalJson(external)) reasons.push('input files changed');
      why = reasons.join('; ') || 'key changed';
    }

    if (why === undefined && prev) {
      records.set(stage.name, prev);
      results.push({ stage: stage.name, key, status: 'cached', why: 'cached', seconds: 0 });
      reporter.log.info(`${stage.name.padEnd(10)} cached`);
      continue;
    }

    reporter.log.info(`${stage.name.padEnd(10)} ran: ${why} …`);
    const tmp = join(sdir, `.${stage.name}.tmp-${process.pid}`);
    const workDir = join(sdir, `.${stage.name}.work-${key.slice(0, 12)}`);
    // Work folders of other keys are stale (config or inputs changed since): drop them.
    for (const f of readdirSync(sdir)) if (f.startsWith(`.${stage.name}.work-`) && join(sdir, f) !== workDir) rmrf(join(sdir, f));
    rmrf(tmp);
    mkdirSync(tmp, { recursive: true });
    mkdirSync(workDir, { recursive: true });
    inProgress.add(tmp);
    const t0 = performance.now();
    const ctx: StageContext = {
      config,
      outDir: tmp,
      workDir,
      previous: prev && existsSync(final) ? final : undefined,
      input: (dep) => {
        if (!stage.deps.includes(dep)) throw new Error(`stage "${stage.name}" reads "${dep}", which is not among its deps`);
        return join(sdir, dep);
      },
      log: reporter.log,
      progress: reporter.progress,
      signal: opts.signal,
    };
    try {
      await stage.run(ctx);
    } catch (e) {
      rmrf(tmp);
      inProgress.delete(tmp);
      results.push({ stage: stage.name, key, status: 'failed', why: why!, seconds: (performance.now() - t0) / 1000 });
      (e as { stageResults?: ManifestStage[] }).stageResults = results;
      throw e;
    }
    if (opts.signal.aborted) throw new StageError('interrupted');
    const seconds = (performance.now() - t0) / 1000;
    const digest = outputDigest(tmp);
    const rec: StageRecord = {
      stage: stage.name, key, slice, inputs, code, external,
      outputHash: digest.hash, files: digest.files,
      finishedAt: new Date().toISOString(), seconds,
    };
    writeJson(join(tmp, 'stage.json'), rec);
    swapDir(tmp, final);
    inProgress.delete(tmp);
    rmrf(workDir);
    records.set(stage.name, rec);
    results.push({ stage: stage.name, key, status: 'ran', why: why!, seconds });
    reporter.log.info(`${stage.name.padEnd(10)} done in ${seconds.toFixed(1)} s`);
  }
  return { stages: results };
}
