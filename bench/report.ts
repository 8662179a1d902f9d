/**
 * Report rendering speed: Markdown → HTML + PDF (Typst) for both languages, plus review.html and
 * index.html, on the fixture report with chart-sized figures (1000×600 at pixel ratio 2).
 * Goal (issue 7): ≤ 5 s. Measured cold — creating the Typst compiler and loading the fonts
 * included — as the report stage pays it once per run.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { BenchRow } from './types.ts';
import type { Manifest } from '../pipeline/core/artifacts.ts';
import { writeFixtureSources, renderFixtureReport } from '../test/browser/fixture.ts';
import { stage } from '../pipeline/report/index.ts';
import { FIXTURE_STAGES, fixtureConfig, fixtureDirs } from '../test/unit/report/fixture.ts';

const GOAL_S = 5;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** A chart-sized PNG with some content, so image embedding costs what real figures cost. */
function chartPng(seed: number): Buffer {
  const c = createCanvas(2000, 1200);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, 2000, 1200);
  g.strokeStyle = '#1f77b4';
  g.lineWidth = 4;
  g.beginPath();
  for (let x = 0; x <= 2000; x += 10) g.lineTo(x, 600 + 400 * Math.sin((x + seed * 97) / 150));
  g.stroke();
  return c.toBuffer('image/png');
}

/** The whole report stage (compose, figures, web font, html, pdf, review) and its index page, on the report fixture. */
async function wholeStage(dir: string): Promise<number> {
  const stages = join(dir, 'stages');
  cpSync(FIXTURE_STAGES, stages, { recursive: true });
  const charts = join(stages, 'charts');
  readdirSync(charts).filter((f) => f.endsWith('.png')).forEach((f, i) => writeFileSync(join(charts, f), chartPng(i)));
  const out = join(dir, 'report');
  mkdirSync(out);
  const dirs = fixtureDirs(stages);
  const config = fixtureConfig();
  const manifest: Manifest = {
    experiment: config.name, configFile: config.file, configHash: config.hash, config: {}, seeds: config.seeds,
    startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', stages: [], versions: {},
  };
  return timed(async () => {
    await stage.run({
      config, outDir: out, workDir: join(dir, 'work'), input: (s) => dirs[s as keyof typeof dirs],
      log: { info() {}, warn() {}, error() {}, debug() {} }, progress: { task: () => ({ tick() {}, done() {} }) },
      signal: new AbortController().signal,
    });
    await stage.publish?.(out, manifest, config);
  });
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const markdown = writeFixtureSources(dir, [2000, 1200]);
    // one cold run only: a repeat with identical input would be served from Typst's memo cache
    const seconds = await timed(() => renderFixtureReport(dir, markdown));
    const stageSeconds = await wholeStage(join(dir, 'stage'));
    return [{
      case: 'report render md → html + pdf + review + index, both languages',
      ours: seconds, unit: 's', goal: `≤ ${GOAL_S} s`, ok: seconds <= GOAL_S,
      note: 'cold (Typst compiler + fonts included); 5 figures of 2000×1200 px per language',
    }, {
      case: 'report stage (compose, figures, web font, html, pdf, review) + index, both languages',
      ours: stageSeconds, unit: 's', goal: `≤ ${GOAL_S} s`, ok: stageSeconds <= GOAL_S,
      note: 'test/fixtures/report (2 freq × 2 losses × 3 seeds) with 2000×1200 figures',
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
