/** Shared by the charts tests: the fixture folders, their config, a stage context and translators. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImbalanceArtifact, LinearArtifact, SnapshotsArtifact, SummaryArtifact, TrainHistory } from '../../../pipeline/core/artifacts.ts';
import { loadConfig, type ResolvedConfig } from '../../../pipeline/core/config.ts';
import { readJson } from '../../../pipeline/core/fsutil.ts';
import type { StageContext } from '../../../pipeline/core/stage.ts';
import type { StageName } from '../../../pipeline/core/schema.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURE = join(ROOT, 'test', 'fixtures', 'charts');
export const FIXTURE_TRAIN = join(FIXTURE, 'train');
export const FIXTURE_ANALYZE = join(FIXTURE, 'analyze');

/** experiments/smoke.yaml: seed 7, 3 epochs, snapshots at 1/2/3, 640 × 400 charts at ×1 — what the fixtures were made for. */
export function fixtureConfig(patch: (c: ResolvedConfig) => void = () => {}): ResolvedConfig {
  const c = loadConfig(join(ROOT, 'experiments', 'smoke.yaml'));
  patch(c);
  return c;
}

export const fixtures = {
  ghm: () => readJson<TrainHistory>(join(FIXTURE_TRAIN, '3000hz-ghm-s7', 'history.json')),
  baseline: () => readJson<TrainHistory>(join(FIXTURE_TRAIN, '3000hz-baseline-s7', 'history.json')),
  snapshots: () => readJson<SnapshotsArtifact>(join(FIXTURE_ANALYZE, 'snapshots.json')),
  imbalance: () => readJson<ImbalanceArtifact>(join(FIXTURE_ANALYZE, 'imbalance.json')),
  linear: () => readJson<LinearArtifact>(join(FIXTURE_ANALYZE, 'linear.json')),
  summary: () => readJson<SummaryArtifact>(join(FIXTURE_ANALYZE, 'summary.json')),
};

export function context(config: ResolvedConfig, dirs: Partial<Record<StageName, string>> = {}) {
  const outDir = mkdtempSync(join(tmpdir(), 'charts-'));
  const lines: string[] = [];
  const ticks: string[] = [];
  const inputs: Partial<Record<StageName, string>> = { train: FIXTURE_TRAIN, analyze: FIXTURE_ANALYZE, ...dirs };
  const ctx: StageContext = {
    config,
    outDir,
    workDir: join(outDir, '.work'),
    input: (s) => {
      const dir = inputs[s];
      if (!dir) throw new Error(`charts read stage ${s}, which is not one of its inputs`);
      return dir;
    },
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), debug: () => {} },
    progress: { task: (label) => ({ tick: (_n, d) => ticks.push(`${label}: ${d}`), done: () => {} }) },
    signal: new AbortController().signal,
  };
  return { ctx, lines, ticks };
}
