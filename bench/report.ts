/**
 * Report rendering speed: Markdown → HTML + PDF (Typst) for both languages, plus review.html and
 * index.html, on the fixture report with chart-sized figures (1000×600 at pixel ratio 2).
 * Goal (issue 7): ≤ 5 s. Measured cold — creating the Typst compiler and loading the fonts
 * included — as the report stage pays it once per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './types.ts';
import { writeFixtureSources, renderFixtureReport } from '../test/browser/fixture.ts';

const GOAL_S = 5;

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const markdown = writeFixtureSources(dir, [2000, 1200]);
    // one cold run only: a repeat with identical input would be served from Typst's memo cache
    const seconds = await timed(() => renderFixtureReport(dir, markdown));
    return [{
      case: 'report render md → html + pdf + review + index, both languages',
      ours: seconds, unit: 's', goal: `≤ ${GOAL_S} s`, ok: seconds <= GOAL_S,
      note: 'cold (Typst compiler + fonts included); 5 figures of 2000×1200 px per language',
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
