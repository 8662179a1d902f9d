/**
 * The Markdown report of the fixture artifact set (test/fixtures/report) must match
 * test/golden/report.<lang>.md byte for byte. After an intended change, regenerate with
 *   UPDATE_GOLDEN=1 node --import tsx --test test/unit/report/golden.test.ts
 * and review the diff. test/golden/changes.<lang>.md hold the "Changes since the previous run"
 * section against a constructed previous run in which every metric moved, so every metric label
 * and the table's order can be reviewed there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from '../../../pipeline/core/schema.ts';
import type { ReportMetrics } from '../../../pipeline/core/artifacts.ts';
import { computeFindings } from '../../../pipeline/report/findings.ts';
import { reportMetrics } from '../../../pipeline/report/metrics.ts';
import { reportSlice } from '../../../pipeline/report/index.ts';
import { runChanges } from '../../../pipeline/report/changes.ts';
import { changesSection, composeFixture, fixtureInputs } from './fixture.ts';

const GOLDEN = join(import.meta.dirname, '..', '..', 'golden');
const inputs = fixtureInputs();

/** Compare `got` with test/golden/<file> (written first when UPDATE_GOLDEN=1), naming the first differing line. */
function matchGolden(file: string, got: string): void {
  const path = join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, got);
  }
  assert.ok(existsSync(path), `${path} is missing; create it with UPDATE_GOLDEN=1`);
  const want = readFileSync(path, 'utf8');
  if (got !== want) {
    const a = got.split('\n'), b = want.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.fail(`${file} differs from ${path} at line ${i + 1}:\n  got:  ${a[i]}\n  want: ${b[i]}\n(UPDATE_GOLDEN=1 regenerates it)`);
  }
}

for (const lang of LANGUAGES) {
  test(`report.${lang}.md matches the golden file`, () => {
    matchGolden(`report.${lang}.md`, composeFixture(lang, inputs).markdown);
  });
}

/**
 * A previous run in which every metric was lower by 2 % to 20 % (by name order), one verdict
 * differed, one config key and one tool version.
 */
function movedPrevious(current: ReportMetrics): ReportMetrics {
  const prev = structuredClone(current);
  Object.keys(prev.metrics).sort().forEach((k, i) => { prev.metrics[k] *= 1 - 0.02 * (1 + (i % 10)); });
  prev.verdicts.finalAccuracy = 'supported';
  (prev.config as { train: { epochs: number } }).train.epochs = 3;
  prev.versions = { ...current.versions, node: 'v18.20.0' };
  prev.configHash = '0123456789abcdef';
  return prev;
}

test('the changes section, with every metric moved, matches test/golden/changes.<lang>.md', () => {
  const current = reportMetrics(inputs, computeFindings(inputs), reportSlice(inputs.config), { node: 'v20.19.0' });
  const changes = runChanges({ status: 'found', metrics: movedPrevious(current) }, current, inputs.config.history.threshold);
  for (const lang of LANGUAGES as readonly Language[])
    matchGolden(`changes.${lang}.md`, changesSection(composeFixture(lang, inputs, changes).markdown, lang));
});

test('composing twice gives the same bytes', () => {
  assert.equal(composeFixture('en', inputs).markdown, composeFixture('en', inputs).markdown);
});
