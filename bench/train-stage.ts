/**
 * The train stage of experiments/plastic.yaml (2 frequencies × 2 losses × 60 epochs), timed on
 * its own: the preprocess output it reads is built first (untimed) by the preprocess stage module
 * into a temporary folder. Goal: ≤ 120 s on the 2-core reference machine. Also reports the peak
 * resident memory of the process (worker threads included) while training.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../pipeline/core/config.ts';
import { rmrf } from '../pipeline/core/fsutil.ts';
import { createReporter } from '../pipeline/core/progress.ts';
import type { Stage, StageContext } from '../pipeline/core/stage.ts';
import type { StageName } from '../pipeline/core/schema.ts';
import type { BenchRow } from './types.ts';

const root = join(import.meta.dirname, '..');
const CASE = 'train stage, plastic.yaml (2 freq × 2 losses × 60 epochs)';

async function loadStage(name: StageName): Promise<Stage | undefined> {
  const file = join(root, 'pipeline', name, 'index.ts');
  return existsSync(file) ? ((await import(pathToFileURL(file).href)) as { stage: Stage }).stage : undefined;
}

export async function run(): Promise<BenchRow[]> {
  const preprocess = await loadStage('preprocess');
  if (!preprocess)
    return [{ case: CASE, ours: 0, unit: 's', goal: '≤ 120 s', note: 'skipped: pipeline/preprocess/index.ts does not exist yet' }];
  const train = (await loadStage('train'))!;
  const config = loadConfig(join(root, 'experiments', 'plastic.yaml'));
  const tmp = mkdtempSync(join(tmpdir(), 'ghm-bench-train-'));
  const reporter = createReporter({ verbosity: 'quiet' });
  const ctx = (name: StageName): StageContext => {
    const outDir = join(tmp, name);
    const workDir = join(tmp, `.${name}.work`);
    mkdirSync(outDir, { recursive: true });
    mkdirSync(workDir, { recursive: true });
    return {
      config, outDir, workDir, input: (dep) => join(tmp, dep),
      log: reporter.log, progress: reporter.progress, signal: new AbortController().signal,
    };
  };
  try {
    await preprocess.run(ctx('preprocess'));
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
    const t0 = performance.now();
    await train.run(ctx('train'));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const { input } = config.preprocess;
    const note = `${input.height}×${input.width} inputs, ${config.train.model}, workers ${config.train.workers || 'auto'}`;
    return [
      { case: CASE, ours: seconds, unit: 's', goal: '≤ 120 s', ok: seconds <= 120, note },
      { case: `${CASE}: peak resident memory`, ours: peak / 2 ** 20, unit: 'MiB', note: 'process incl. worker threads, sampled every 100 ms' },
    ];
  } finally {
    rmrf(tmp);
  }
}
