/**
 * The analyze stage: gradient snapshots of every training run, the per-run summary, and the two
 * controlled experiments (imbalance test, linear GHM-vs-margin comparison). Reads only the train
 * stage's folder; writes snapshots.json, summary.json, imbalance.json and linear.json (the last two
 * only when their analysis is enabled).
 */
import { join, resolve } from 'node:path';
import { ARTIFACT_FILES, type GhmStatsFile, type SnapshotsArtifact, type SummaryArtifact, type TrainHistory, type TrainSummary } from '../core/artifacts.ts';
import type { Stage, StageContext } from '../core/stage.ts';
import { readArtifact, writeJson } from '../core/fsutil.ts';
import { runSnapshots } from './snapshots.ts';
import { summaryRow } from './summary.ts';
import { runImbalance } from './imbalance.ts';
import { runLinear } from './linear.ts';

function analyzeRuns(ctx: StageContext): { snapshots: SnapshotsArtifact; summary: SummaryArtifact } {
  const trainDir = ctx.input('train');
  const runs = readArtifact<TrainSummary>(join(trainDir, ARTIFACT_FILES.trainRuns), 'run list (TrainSummary)', 'train').runs;
  const task = ctx.progress.task('snapshots', runs.length);
  const snapshots: SnapshotsArtifact = { runs: [] };
  const summary: SummaryArtifact = { rows: [] };
  for (const run of runs) {
    ctx.signal.throwIfAborted();
    const statsPath = resolve(trainDir, run.ghmStats);
    const historyPath = resolve(trainDir, run.history);
    snapshots.runs.push(runSnapshots(readArtifact<GhmStatsFile>(statsPath, 'GHM statistics', 'train'), ctx.config.snapshots, statsPath));
    summary.rows.push(summaryRow(readArtifact<TrainHistory>(historyPath, 'training history', 'train'), historyPath));
    task.tick(1, run.info.id);
  }
  task.done();
  return { snapshots, summary };
}

export const stage: Stage = {
  name: 'analyze',
  deps: ['train'],
  code: ['pipeline/analyze', 'pipeline/lib'],
  slice: (c) => ({
    snapshots: c.snapshots,
    analyses: c.analyses,
    ghm: c.train.losses.ghm,
    margin: c.train.margin,
    seeds: c.seeds,
  }),
  async run(ctx) {
    const { config: c, outDir, log } = ctx;
    const { snapshots, summary } = analyzeRuns(ctx);
    writeJson(join(outDir, ARTIFACT_FILES.snapshots), snapshots);
    writeJson(join(outDir, ARTIFACT_FILES.summary), summary);
    log.info(`analyze: snapshots of ${snapshots.runs.length} run(s) at epochs ${c.snapshots.epochs.join(', ')}`);

    const ghmCfg = c.train.losses.ghm;
    if (c.analyses.imbalance.enabled) {
      const imb = runImbalance(c.analyses.imbalance, ghmCfg, c.seeds[0]);
      writeJson(join(outDir, ARTIFACT_FILES.imbalance), imb);
      const [paper, original] = imb.variants;
      log.info(`analyze: imbalance test (${imb.easy} easy + ${imb.hard} hard pairs): GHM loss ${paper.ghmLoss.toFixed(4)} (paper), ${original.ghmLoss.toFixed(4)} (original); plain ${paper.plainLoss.toFixed(4)}`);
    } else log.info('analyze: imbalance test disabled (analyses.imbalance.enabled: false)');

    if (c.analyses.linear.enabled) {
      const task = ctx.progress.task('linear comparison', c.seeds.length);
      const lin = runLinear(c.analyses.linear, ghmCfg, c.seeds, (seed) => task.tick(1, `seed ${seed}`), ctx.signal);
      task.done();
      writeJson(join(outDir, ARTIFACT_FILES.linear), lin);
      for (const r of lin.runs) {
        const last = r.epochs[r.epochs.length - 1];
        log.info(`analyze: linear comparison seed ${r.seed}: held-out accuracy ${last.plainHeldAcc.toFixed(0)} % (margin) vs ${last.ghmHeldAcc.toFixed(0)} % (GHM, ${lin.variant})`);
      }
    } else log.info('analyze: linear comparison disabled (analyses.linear.enabled: false)');
  },
};
