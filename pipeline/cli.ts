/**
 * npm run pipeline <experiment.yaml> [--only STAGE] [--from STAGE] [--force [STAGE]] [--out DIR] [--quiet] [--debug]
 *
 * Exit codes: 0 success, 2 config (or usage) error, 1 stage failure, 130 interrupted.
 */
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadConfig, type ResolvedConfig } from './core/config.ts';
import { PipelineError } from './core/errors.ts';
import { STAGES, type StageName } from './core/schema.ts';
import { createReporter, type Verbosity } from './core/progress.ts';
import { acquireLock } from './core/lock.ts';
import { runStages, inProgress, stagesDir, REPO_ROOT, type RunResult } from './core/runner.ts';
import { latestRun, publishRun } from './core/publish.ts';
import { readJsonIfExists, rmrf, writeJson } from './core/fsutil.ts';
import { toolVersions } from './core/versions.ts';
import { ARTIFACT_FILES, type Manifest, type ManifestStage, type TrainSummary } from './core/artifacts.ts';

const USAGE = `usage: npm run pipeline <experiment.yaml> [--only STAGE] [--from STAGE] [--force [STAGE]] [--out DIR] [--quiet] [--debug]
  stages: ${STAGES.join(' → ')}`;

export interface CliArgs {
  file: string;
  only?: StageName;
  from?: StageName;
  force?: StageName | true;
  out?: string;
  verbosity: Verbosity;
}

class UsageError extends PipelineError {
  constructor(msg: string) {
    super(`${msg}\n${USAGE}`, 2);
  }
}

function stageArg(flag: string, v: string | undefined): StageName {
  if (!v || !(STAGES as readonly string[]).includes(v))
    throw new UsageError(`${flag} expects a stage name (${STAGES.join(', ')}), got ${v === undefined ? 'nothing' : `"${v}"`}.`);
  return v as StageName;
}

export function parseArgs(argv: string[]): CliArgs {
  let file: string | undefined;
  const a: Partial<CliArgs> = { verbosity: 'normal' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--only': a.only = stageArg(arg, argv[++i]); break;
      case '--from': a.from = stageArg(arg, argv[++i]); break;
      case '--force': {
        const next = argv[i + 1];
        if (next && (STAGES as readonly string[]).includes(next)) { a.force = next as StageName; i++; } else a.force = true;
        break;
      }
      case '--out': {
        const v = argv[++i];
        if (!v || v.startsWith('--')) throw new UsageError('--out expects a folder.');
        a.out = v;
        break;
      }
      case '--quiet': a.verbosity = 'quiet'; break;
      case '--debug': a.verbosity = 'debug'; break;
      case '--help': case '-h': throw new PipelineError(USAGE, 0);
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}.`);
        if (file) throw new UsageError(`one experiment file at a time (got "${file}" and "${arg}").`);
        file = arg;
    }
  }
  if (!file) throw new UsageError('missing the experiment file.');
  if (a.only && (a.from || a.force)) throw new UsageError('--only cannot be combined with --from or --force.');
  return { ...a, file } as CliArgs;
}

function gitCommit(): string | undefined {
  if (!existsSync(join(REPO_ROOT, '.git'))) return undefined;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined; // a checkout without commits, or git missing
  }
}

function buildManifest(config: ResolvedConfig, outDir: string, startedAt: Date, stages: ManifestStage[]): Manifest {
  const train = readJsonIfExists<TrainSummary>(join(stagesDir(outDir), 'train', ARTIFACT_FILES.trainRuns));
  const { file: _f, hash: _h, ...cfg } = config;
  return {
    experiment: config.name,
    configFile: config.file,
    configHash: config.hash,
    config: cfg,
    seeds: config.seeds,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    stages,
    versions: toolVersions(REPO_ROOT),
    backend: train?.backend,
    git: gitCommit(),
  };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const reporter = createReporter({ verbosity: args.verbosity });
  const config = loadConfig(args.file);
  const outDir = resolve(args.out ?? join('output', config.name));
  const { STAGE_LIST } = await import('./stages.ts');
  const lock = acquireLock(outDir);
  if (lock.tookOver) reporter.log.warn(`took over a stale lock of pid ${lock.tookOver.pid} (started ${lock.tookOver.startedAt}).`);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    controller.abort();
    for (const tmp of inProgress) rmrf(tmp);
    lock.release();
    reporter.log.error(`interrupted by ${sig}; earlier stages' outputs and the last published report are intact.`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const startedAt = new Date();
  const t0 = performance.now();
  let result: RunResult | undefined;
  try {
    reporter.log.info(`${config.name}: ${config.file} (config ${config.hash.slice(0, 12)}) → ${outDir}`);
    try {
      result = await runStages(config, STAGE_LIST, {
        only: args.only, from: args.from, force: args.force, outDir, reporter, signal: controller.signal,
      });
    } catch (e) {
      const partial = (e as { stageResults?: ManifestStage[] }).stageResults;
      if (partial) writeJson(join(outDir, 'manifest.json'), buildManifest(config, outDir, startedAt, partial));
      throw e;
    }
    const manifest = buildManifest(config, outDir, startedAt, result.stages);
    writeJson(join(outDir, 'manifest.json'), manifest);
    const last = STAGE_LIST[STAGE_LIST.length - 1];
    const lastRan = result.stages.find((s) => s.stage === last.name);
    const anyRan = result.stages.some((s) => s.status === 'ran');
    const hasLatest = latestRun(outDir) !== undefined;
    if (lastRan && lastRan.status !== 'skipped' && (anyRan || !hasLatest)) {
      const pub = await publishRun({
        outDir, sourceDir: join(stagesDir(outDir), last.name), manifest, keep: config.history.keep,
        addFiles: (dir) => last.publish?.(dir, manifest, config),
      });
      reporter.log.info(`published ${pub.dir} (→ ${join(outDir, 'latest')})`);
    } else if (lastRan && lastRan.status === 'cached') {
      reporter.log.info(`nothing changed: ${join(outDir, 'latest')} is up to date`);
    }
    const counts = result.stages.reduce<Record<string, number>>((m, s) => ((m[s.status] = (m[s.status] ?? 0) + 1), m), {});
    reporter.summary(
      `${config.name}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outDir}`,
    );
    return 0;
  } finally {
    lock.release();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function report(e: unknown, debug: boolean): number {
  if (e instanceof PipelineError) {
    if (e.exitCode === 0) { process.stdout.write(e.message + '\n'); return 0; }
    process.stderr.write(`error: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`error: ${err?.message ?? String(e)}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
  if (debug && err?.stack) process.stderr.write(err.stack + '\n');
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('pipeline/cli.ts')) {
  const argv = process.argv.slice(2);
  const debug = argv.includes('--debug');
  main(argv).then(
    (code) => process.exit(code),
    (e) => process.exit(report(e, debug)),
  );
}
