/**
 * The train stage: every frequency × loss (ghm, baseline) × seed trains one ranker on the
 * preprocess stage's inputs and pairs. Writes per run `<runId>/history.json`,
 * `<runId>/ghm-stats.json` and `<runId>/checkpoints/`, and `runs.json` listing them.
 */
import { join } from 'node:path';
import { ARTIFACT_FILES, type TrainSummary } from '../core/artifacts.ts';
import { writeJson } from '../core/fsutil.ts';
import type { Stage } from '../core/stage.ts';
import { runAll } from './pool.ts';
import { planRuns } from './runs.ts';

export const stage: Stage = {
  name: 'train',
  deps: ['preprocess'],
  code: ['pipeline/train', 'pipeline/lib'],
  /** `train.workers` changes how runs are scheduled, never their results, so it is not part of the key. */
  slice: (config) => {
    const { workers: _workers, ...train } = config.train;
    return { train, seeds: config.seeds, frequencies: config.data.frequencies };
  },
  async run(ctx) {
    const specs = planRuns(ctx.config, ctx.input('preprocess'), ctx.workDir, ctx.outDir);
    const { infos, backend } = await runAll(specs, {
      workers: ctx.config.train.workers, backend: 'auto', log: ctx.log, progress: ctx.progress, signal: ctx.signal,
    });
    ctx.log.info(`train: ${infos.length} run(s) on the ${backend} backend`);
    const summary: TrainSummary = {
      backend,
      runs: infos.map((info) => ({ info, history: `${info.id}/${ARTIFACT_FILES.history}`, ghmStats: `${info.id}/${ARTIFACT_FILES.ghmStats}` })),
    };
    writeJson(join(ctx.outDir, ARTIFACT_FILES.trainRuns), summary);
  },
};
