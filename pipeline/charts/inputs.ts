/**
 * The charts stage's inputs: the artifacts of the train and analyze stages it draws from, read
 * and checked once. A missing file or an inconsistent array names the file and the key.
 */
import { join, resolve } from 'node:path';
import {
  ARTIFACT_FILES, type ImbalanceArtifact, type LinearArtifact, type LossKind, type RunSnapshots, type SnapshotsArtifact,
  type SummaryArtifact, type TrainHistory, type TrainSummary,
} from '../core/artifacts.ts';
import { DataError, StageError } from '../core/errors.ts';
import { readArtifact } from '../core/fsutil.ts';

export interface ChartInputs {
  /** the primary frequency's GHM run (first seed) */
  ghmHistory: TrainHistory;
  /** its baseline run, when one was trained */
  baselineHistory?: TrainHistory;
  /** the snapshots of the GHM run */
  ghmSnapshots: RunSnapshots;
  summary: SummaryArtifact;
  imbalance?: ImbalanceArtifact;
  linear?: LinearArtifact;
}

export interface InputSelection {
  primaryFrequency: string;
  /** the first configured seed */
  seed: number;
  /** whether analyses.imbalance / analyses.linear ran (their files must then exist) */
  imbalance: boolean;
  linear: boolean;
}

function expect(ok: boolean, file: string, message: string): void {
  if (!ok) throw new DataError(`${file}: ${message}`);
}

function expectLength(file: string, key: string, arr: unknown, n: number, what: string): void {
  expect(Array.isArray(arr) && arr.length === n, file, `\`${key}\` has ${Array.isArray(arr) ? `${arr.length} values` : 'no list'}; expected ${n} (${what}).`);
}

function checkBins(file: string, key: string, counts: unknown, weights: unknown, bins: number): void {
  expectLength(file, `${key}.counts`, counts, bins, 'one per bin');
  expectLength(file, `${key}.weights`, weights, bins, 'one per bin');
}

function checkRunSnapshots(file: string, key: string, r: RunSnapshots): void {
  expect(Number.isInteger(r.bins) && r.bins > 0, file, `\`${key}.bins\` is ${JSON.stringify(r.bins)}; expected a positive integer.`);
  expectLength(file, `${key}.edges`, r.edges, r.bins + 1, 'bins + 1 edges');
  r.snapshots.forEach((s, i) => checkBins(file, `${key}.snapshots[${i}]`, s.counts, s.weights, r.bins));
  r.stages.forEach((s, i) => checkBins(file, `${key}.stages[${i}]`, s.counts, s.weights, r.bins));
  expectLength(file, `${key}.density.centers`, r.density.centers, r.bins, 'one per bin');
  r.density.epochs.forEach((e, i) => expectLength(file, `${key}.density.epochs[${i}].density`, e.density, r.bins, 'one per bin'));
}

function checkImbalance(file: string, a: ImbalanceArtifact): void {
  const h = a.histogram;
  const n = h.edges.length - 1;
  expect(n >= 1, file, '`histogram.edges` needs at least two edges.');
  expectLength(file, 'histogram.easy', h.easy, n, 'one per histogram bin');
  expectLength(file, 'histogram.hard', h.hard, n, 'one per histogram bin');
  expect(a.variants.length > 0, file, '`variants` is empty; expected the paper and original variants.');
  a.variants.forEach((v, i) => {
    expectLength(file, `variants[${i}].edges`, v.edges, v.bins + 1, 'bins + 1 edges');
    checkBins(file, `variants[${i}]`, v.counts, v.weights, v.bins);
  });
}

function checkHistory(file: string, h: TrainHistory): void {
  expect(Array.isArray(h.epochs) && h.epochs.length > 0, file, '`epochs` is empty; expected one record per trained epoch.');
}

/** Read what the charts need from the train and analyze folders. */
export function loadInputs(trainDir: string, analyzeDir: string, sel: InputSelection): ChartInputs {
  const runsFile = join(trainDir, ARTIFACT_FILES.trainRuns);
  const runs = readArtifact<TrainSummary>(runsFile, 'the list of training runs', 'train');
  const entry = (loss: LossKind) => runs.runs.find((r) => r.info.frequency === sel.primaryFrequency && r.info.loss === loss && r.info.seed === sel.seed);
  const history = (loss: LossKind): TrainHistory | undefined => {
    const e = entry(loss);
    if (!e) return undefined;
    const file = resolve(trainDir, e.history);
    const h = readArtifact<TrainHistory>(file, `the training history of run ${e.info.id}`, 'train');
    checkHistory(file, h);
    return h;
  };
  const ghmHistory = history('ghm');
  if (!ghmHistory)
    throw new StageError(
      `charts: ${runsFile} lists no GHM run of ${sel.primaryFrequency} with seed ${sel.seed} ` +
        `(runs: ${runs.runs.map((r) => r.info.id).join(', ') || 'none'}); report.primaryFrequency and the first seed choose the run the figures show.`,
    );

  const snapFile = join(analyzeDir, ARTIFACT_FILES.snapshots);
  const snapshots = readArtifact<SnapshotsArtifact>(snapFile, 'gradient snapshots', 'analyze');
  const si = snapshots.runs.findIndex((r) => r.runId === ghmHistory.run.id);
  if (si < 0)
    throw new StageError(`charts: ${snapFile} has no snapshots of run ${ghmHistory.run.id} (it has ${snapshots.runs.map((r) => r.runId).join(', ') || 'none'}); re-run the analyze stage.`);
  checkRunSnapshots(snapFile, `runs[${si}]`, snapshots.runs[si]);

  const imbFile = join(analyzeDir, ARTIFACT_FILES.imbalance);
  const imbalance = sel.imbalance ? readArtifact<ImbalanceArtifact>(imbFile, 'the imbalance analysis', 'analyze') : undefined;
  if (imbalance) checkImbalance(imbFile, imbalance);

  return {
    ghmHistory,
    baselineHistory: history('baseline'),
    ghmSnapshots: snapshots.runs[si],
    summary: readArtifact<SummaryArtifact>(join(analyzeDir, ARTIFACT_FILES.summary), 'the accuracy summary', 'analyze'),
    imbalance,
    linear: sel.linear ? readArtifact<LinearArtifact>(join(analyzeDir, ARTIFACT_FILES.linear), 'the linear-model comparison', 'analyze') : undefined,
  };
}
